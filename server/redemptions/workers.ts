import type { AppDeps } from '../deps.ts'
import { couponExpiryQueue, couponQueue, couponSweepQueue } from './queues.ts'
import { issueCoupon } from './coupon-job.ts'
import { reconcileCoupons } from './reconcile.ts'
import { resumeStalled } from './sweeper.ts'

/** The redemption queues and their handlers (registered by server/workers.ts). */
export function registerRedemptionWorkers(deps: AppDeps): void {
  deps.jobs.register(couponQueue, async ({ redemptionId }) => {
    const outcome = await issueCoupon(deps, redemptionId)
    deps.log.info('redemption coupon', { redemptionId, outcome })
  })
  deps.jobs.register(couponSweepQueue, async () => {
    const resumed = await resumeStalled(deps)
    if (resumed) deps.log.warn('stalled redemptions resumed', { resumed })
  })
  deps.jobs.register(couponExpiryQueue, async () => {
    deps.log.info('coupons reconciled with the stores', { ...(await reconcileCoupons(deps)) })
  })
}
