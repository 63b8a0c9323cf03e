import { defineCronQueue } from '../jobs/jobs.ts'
import { defineRowQueue } from '../jobs/row-queue.ts'

/**
 * Creates the LI coupon of one redemption: the pending redemption row is the job (a row queue,
 * see jobs/row-queue.ts), claimed with its lease (`claimDue`) when due — at once, or after a
 * retry's backoff (`couponRetryDelayMs`). The row counts attempts (also those cut short by a
 * crash); after MAX_COUPON_ATTEMPTS the job fails the redemption and gives the points back. A
 * worker that dies leaves a lease that lapses within LEASE_SECONDS; the row is then claimed again.
 *
 * Shoppers wait on this one: up to 200 at once per process (a job mostly waits for LI and for the
 * batched writes after it, ~150 ms in all on the redeem bench), claimed 25 per statement; woken
 * on redeem in the same process, and looked for every 200 ms otherwise (every 20 ms while a burst
 * is coming in from other processes). The per-store budget still paces the calls to LI (90/min
 * by default), so more at once never means more requests. Their e-mails are written once a
 * burst of them is through (interactive; Jobs.whenQuiet).
 */
export const couponQueue = defineRowQueue({
  name: 'redemption-coupon',
  batchSize: 25,
  concurrency: 200,
  pollMs: 200,
  busyPollMs: 20,
  interactive: true,
})

/** Daily, early morning in São Paulo: reconcile issued coupons with the stores (used; expired unused → refund). */
export const couponExpiryQueue = defineCronQueue({
  name: 'redemption-coupon-expiry',
  cron: '15 3 * * *',
  expireInSeconds: 3600,
  retryLimit: 3,
  retryDelaySeconds: 600,
  retryBackoff: true,
})
