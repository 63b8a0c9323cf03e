import type { AppDeps } from '../deps.ts'
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
