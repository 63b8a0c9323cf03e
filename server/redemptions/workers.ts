import type { AppDeps } from '../deps.ts'
import { couponExpiryQueue, couponQueue } from './queues.ts'
import { claimCoupons, couponBacklog, settleLeased } from './coupon-job.ts'
import { reconcileCoupons } from './reconcile.ts'
import { handTierGifts, TIER_GIFT_CHECK_SECONDS } from './tier-gifts.ts'

/** The redemption queues and their handlers (registered by server/workers.ts). */
export function registerRedemptionWorkers(deps: AppDeps): void {
  // Until 2026-12-08 a pg-boss job stood beside each pending redemption, and a cron swept lost
  // ones; the pending row is its own job now (couponQueue).
  deps.jobs.retire('redemption-coupon')
  deps.jobs.retire('redemption-coupon-sweep')
  deps.jobs.registerRowQueue(couponQueue, {
    claim: (limit) => claimCoupons(deps, limit),
    run: async (r) => {
      const outcome = await settleLeased(deps, r)
      deps.log.info('redemption coupon', { redemptionId: r.id, outcome })
    },
    stats: () => couponBacklog(deps),
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
