import * as v from 'valibot'
import { defineCronQueue, defineQueue } from '../jobs/jobs.ts'
import { MAX_COUPON_ATTEMPTS } from './rules.ts'

/**
 * Creates the LI coupon of one redemption. Keyed by the redemption id ('stately'): one queued and
 * one running per redemption. The redemption row counts attempts (pg-boss retries alone would
 * not count attempts cut short by a crash); after MAX_COUPON_ATTEMPTS the job fails the
 * redemption and gives the points back instead of throwing.
 */
export const couponQueue = defineQueue({
  name: 'redemption-coupon',
  schema: v.object({ redemptionId: v.pipe(v.number(), v.integer(), v.minValue(1)) }),
  retryLimit: MAX_COUPON_ATTEMPTS + 2,
  // 20 s, 40 s, 80 s, … (backoff): about ten minutes from the first attempt to the last.
  retryDelaySeconds: 20,
  retryBackoff: true,
  // The LI client gives up within a minute (10 s timeout × retries). A job left active by a dead
  // worker is only retried after this; its redemption does not wait for that: the 30-second
  // lease runs out and `resumeOrphaned` (every 10 s in each worker process) takes it over.
  expireInSeconds: 5 * 60,
  policy: 'stately',
  // Shoppers wait on this one: 8 workers per process, polling often, woken on redeem, each
  // running up to 25 jobs at once (200 per process): a job mostly waits for LI and for the
  // batched writes after it (~150 ms in all on the redeem bench), and a worker fetches again
  // only when its whole batch is done. One job at a time per worker capped the redeem bench at
  // ~50 coupons/s, with a fetch and a completion query per coupon; batches make those one per
  // batch; 4 workers left the coupons ~600 ms behind the debits. The per-store budget still
  // paces the calls to LI (90/min by default), so more at once never means more requests.
  workers: 8,
  batchSize: 25,
  pollingIntervalSeconds: 1,
  // Their e-mails are written once a burst of them is through (Jobs.whenQuiet).
  interactive: true,
})

/** Every 5 minutes: re-enqueues pending redemptions whose job was lost (see `resumeStalled`). */
export const couponSweepQueue = defineCronQueue({
  name: 'redemption-coupon-sweep',
  cron: '*/5 * * * *',
  expireInSeconds: 300,
  retryLimit: 1,
  retryDelaySeconds: 60,
  retryBackoff: false,
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
