import * as v from 'valibot'
import { defineCronQueue, defineQueue } from '../jobs/jobs.ts'

/**
 * Daily, after the points lifecycle run: re-evaluates every program with tiers. Rolling windows
 * lose their oldest day, a calendar year turns, and orders released from their pending period
 * (hourly, outside the order sync) start counting. 'singleton' like the other daily jobs.
 */
export const tiersDailyQueue = defineCronQueue({
  name: 'tiers-daily',
  cron: '25 0 * * *',
  expireInSeconds: 3600,
  retryLimit: 3,
  retryDelaySeconds: 300,
  retryBackoff: true,
})

/**
 * Applies a big program's saved tier rules (`tier_rules.pending_body`) and re-evaluates every
 * member in one transaction, off the request. Keyed by program ('stately'): saves made while one
 * is queued are absorbed by it (it reads the latest body); one saved while it runs queues one more.
 */
export const tiersApplyQueue = defineQueue({
  name: 'tiers-apply',
  schema: v.object({ programId: v.pipe(v.string(), v.uuid()) }),
  policy: 'stately',
  expireInSeconds: 1800,
  retryLimit: 5,
  retryDelaySeconds: 30,
  retryBackoff: true,
})
