import type { AppDeps } from '../deps.ts'
import { referralCouponQueue, referralPassQueue } from './queues.ts'
import { issueReferralCoupon, processReferrals, resumeStalledCoupons } from './service.ts'

/** The referral queues and their handlers (registered by server/workers.ts). */
export function registerReferralWorkers(deps: AppDeps): void {
  deps.jobs.register(referralCouponQueue, async ({ referralId }) => {
    const outcome = await issueReferralCoupon(deps, referralId)
    deps.log.info('referral coupon', { referralId, outcome })
  })
  deps.jobs.register(referralPassQueue, async () => {
    const counts = await processReferrals(deps)
    const resumed = await resumeStalledCoupons(deps)
    if (Object.values(counts).some((n) => n > 0) || resumed) deps.log.info('referral pass', { ...counts, resumed })
  })
}
