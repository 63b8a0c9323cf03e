import { CouponRetry, type CouponDeps, issueCoupon } from './coupon-job.ts'
import { MAX_COUPON_ATTEMPTS } from './rules.ts'

/**
 * Runs the coupon job until it settles, as pg-boss would (retrying after CouponRetry), and waits
 * for its e-mail (the job itself does not). Tests only.
 */
export async function runCouponJob(deps: CouponDeps, id: number, maxRuns = MAX_COUPON_ATTEMPTS + 1): Promise<string> {
  for (let i = 0; i < maxRuns; i++) {
    try {
      const outcome = await issueCoupon(deps, id)
      await deps.jobs.backgroundDone()
      return outcome
    } catch (err) {
      if (!(err instanceof CouponRetry)) throw err
    }
  }
  return 'retry'
}
