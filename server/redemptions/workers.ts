import type { AppDeps } from '../deps.ts'
import { couponExpiryQueue, couponQueue, couponSweepQueue } from './queues.ts'
import { issueCoupon } from './coupon-job.ts'
import { reconcileCoupons } from './reconcile.ts'
import { ORPHAN_CHECK_SECONDS, resumeOrphaned, resumeStalled } from './sweeper.ts'
import { handTierGifts, TIER_GIFT_CHECK_SECONDS } from './tier-gifts.ts'

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
  // A redemption whose worker died is taken over within a lease and a check (~40 s), not when
  // pg-boss expires the dead job (couponQueue.expireInSeconds) or the sweeper runs.
  deps.jobs.repeat('redemption-orphans', ORPHAN_CHECK_SECONDS, async () => {
    const settled = await resumeOrphaned(deps)
    if (settled) deps.log.warn('orphaned redemptions resumed', { settled })
  })
  // Tier entry coupons recorded by evaluations (an indexed read of the few unhandled grants).
  deps.jobs.repeat('tier-gifts', TIER_GIFT_CHECK_SECONDS, async () => {
    const handed = await handTierGifts(deps)
    if (handed) deps.log.info('tier entry coupons handed over', { handed })
  })
  deps.jobs.register(couponExpiryQueue, async () => {
    deps.log.info('coupons reconciled with the stores', { ...(await reconcileCoupons(deps)) })
  })
}
