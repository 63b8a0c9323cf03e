import * as v from 'valibot'
import { defineCronQueue, defineQueue } from '../jobs/jobs.ts'

/**
 * One import of a program's Google Shopping feed into its rewards. 'stately' with the program id
 * as key: at most one queued and one running per program, so a click during the nightly run
 * queues one more run instead of racing it.
 */
export const feedImportQueue = defineQueue({
  name: 'rewards-feed-import',
  schema: v.object({
    programId: v.pipe(v.string(), v.uuid()),
    trigger: v.optional(v.picklist(['manual', 'schedule']), 'manual'),
  }),
  // A bad feed is not a job failure (it ends with a stored report); only our own errors
  // (database) throw and are retried.
  retryLimit: 2,
  retryDelaySeconds: 60,
  retryBackoff: true,
  // Download (FEED_DOWNLOAD_TIMEOUT_MS) plus applying up to 200 000 items, with room to spare.
  expireInSeconds: 20 * 60,
  policy: 'stately',
})

/** Daily, at night in São Paulo: an import for every program with an active integration and a feed URL. */
export const feedScheduleQueue = defineCronQueue({
  name: 'rewards-feed-scheduler',
  cron: '30 4 * * *',
  expireInSeconds: 300,
  retryLimit: 1,
  retryDelaySeconds: 60,
  retryBackoff: false,
})
