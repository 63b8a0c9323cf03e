import type { AppDeps } from '../deps.ts'
import { CouponRetry, issueCoupon, LEASE_SECONDS, type CouponDeps } from './coupon-job.ts'
import { couponQueue } from './queues.ts'
import * as repo from './repository.ts'

/** Pending this long without a live lease means the job was lost (crash, retries used up by restarts). */
const STALLED_AFTER_MS = 3 * 60_000

/** Re-enqueues coupon jobs for pending redemptions nobody is working on. Returns how many. */
export async function resumeStalled(deps: Pick<AppDeps, 'db' | 'jobs'>, now = new Date()): Promise<number> {
  const rows = await repo.findStalledPending(deps.db, new Date(now.getTime() - STALLED_AFTER_MS), 1000)
  for (const r of rows) await deps.jobs.enqueue(deps.db, couponQueue, { redemptionId: r.id }, { key: String(r.id) })
  return rows.length
}

/** How often each worker process looks for orphaned redemptions (`resumeOrphaned`). */
export const ORPHAN_CHECK_SECONDS = 10
/** A redemption not taken by any worker this long after it was made had its job fetched by a dead one. */
const UNCLAIMED_SECONDS = LEASE_SECONDS
/**
 * At most this many per check, this many at a time: what one dead process may have held (the
 * coupon queue's workers × batchSize). At 20 per check, the 50 jobs a killed process had fetched
 * in batches took three checks past the lease (kill.test: 61 s to settle, over its 60 s).
 */
const ORPHAN_BATCH = (couponQueue.workers ?? 1) * (couponQueue.batchSize ?? 1)
const ORPHAN_CONCURRENCY = couponQueue.batchSize ?? 4

/**
 * Takes over the redemptions of a worker that died mid-job (kill -9, OOM), in this process: their
 * pg-boss job stays `active` until its expiry (minutes), and a second job with the same key
 * could not be fetched while it is (the 'stately' queue's unique index would make pg-boss's
 * fetch fail for the whole queue), so the coupon job runs here directly. The lease makes it
 * safe with several processes doing the same; the coupon job's code rules make a coupon whose
 * POST may have reached LI be looked up before it is created. A redemption that has to wait for
 * LI (retry) is left to its job's retries; the dead job is expired and retried by pg-boss.
 * Returns how many were settled (issued or failed).
 */
export async function resumeOrphaned(deps: CouponDeps): Promise<number> {
  const queue = (await repo.findOrphaned(deps.db, UNCLAIMED_SECONDS, ORPHAN_BATCH)).map((r) => r.id)
  let settled = 0
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        const outcome = await issueCoupon(deps, id)
        if (outcome === 'issued' || outcome === 'failed') settled++
      } catch (err) {
        if (!(err instanceof CouponRetry)) deps.log.warn('orphaned redemption not resumed', { redemptionId: id, err })
      }
    }
  }
  await Promise.all(Array.from({ length: ORPHAN_CONCURRENCY }, worker))
  return settled
}
