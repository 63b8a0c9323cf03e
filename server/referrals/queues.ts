import * as v from 'valibot'
import { defineCronQueue, defineQueue } from '../jobs/jobs.ts'
import { MAX_COUPON_ATTEMPTS } from '../redemptions/rules.ts'

/**
 * Creates a referred friend's LI coupon. Keyed by the referral ('stately'); the referral row counts
 * attempts (as redemptions do), and after MAX_COUPON_ATTEMPTS the job marks it `coupon_failed`.
 */
export const referralCouponQueue = defineQueue({
  name: 'referral-coupon',
  schema: v.object({ referralId: v.pipe(v.string(), v.uuid()) }),
  retryLimit: MAX_COUPON_ATTEMPTS + 2,
  retryDelaySeconds: 20,
  retryBackoff: true,
  expireInSeconds: 5 * 60,
  policy: 'stately',
  // The friend waits for it: e-mails give way to these jobs too (Jobs.whenQuiet).
  interactive: true,
})

/**
 * Every minute: open referrals meet their friends' orders (set-based, through the orders
 * service), move to `ordered`, get credited after the pending period or cancelled, or become
 * `expired` a day after an unused coupon's last day (no daily queue of their own: the pass already
 * reads every `coupon_sent` referral each minute); stalled coupon jobs are re-enqueued.
 */
export const referralPassQueue = defineCronQueue({
  name: 'referral-pass',
  cron: '* * * * *',
  expireInSeconds: 300,
  retryLimit: 1,
  retryDelaySeconds: 30,
  retryBackoff: false,
})
