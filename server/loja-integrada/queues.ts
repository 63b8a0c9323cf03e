import * as v from 'valibot'
import { defineCronQueue, defineQueue } from '../jobs/jobs.ts'

const ProgramPayload = v.object({ programId: v.pipe(v.string(), v.uuid()) })

/**
 * One sync of customers then orders for a program. 'stately' with the program id as key: at most
 * one queued and one running per store, so a store's requests never run in parallel.
 */
export const syncQueue = defineQueue({
  name: 'li-sync',
  schema: ProgramPayload,
  retryLimit: 8,
  retryDelaySeconds: 30,
  retryBackoff: true,
  // A run stops at a page boundary after SYNC_JOB_BUDGET_MS (1 min) and re-enqueues itself, so a
  // job left 'active' by a killed process is retried within minutes (stately: until then the
  // store cannot sync). A run that outlives it anyway meets the next one at its page commit.
  expireInSeconds: 5 * 60,
  policy: 'stately',
})

/**
 * Job priorities of the sync queue (pg-boss fetches higher first): a store's scheduled poll goes
 * ahead of another store's import continuing, so a big first import never holds polling stores
 * back for longer than one job budget.
 */
export const SYNC_PRIORITY = { poll: 10, continuation: 0 } as const

/** A webhook said this order changed: fetch it and apply it now (polling stays the backstop). */
export const orderUpdateQueue = defineQueue({
  name: 'li-order-update',
  schema: v.object({ programId: v.pipe(v.string(), v.uuid()), numero: v.pipe(v.number(), v.integer()) }),
  retryLimit: 10,
  retryDelaySeconds: 15,
  retryBackoff: true,
  expireInSeconds: 600,
})

/** Every minute: enqueue a sync for each active integration whose interval has passed. */
export const schedulerQueue = defineCronQueue({
  name: 'li-sync-scheduler',
  cron: '* * * * *',
  expireInSeconds: 120,
  retryLimit: 1,
  retryDelaySeconds: 30,
  retryBackoff: false,
})

/** Re-applies every stored order after a rules change (sales registration on, statuses changed). */
export const reevaluateQueue = defineQueue({
  name: 'orders-reevaluate',
  schema: ProgramPayload,
  retryLimit: 5,
  retryDelaySeconds: 30,
  retryBackoff: true,
  expireInSeconds: 3600,
  policy: 'stately',
})
