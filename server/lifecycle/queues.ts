import * as v from 'valibot'
import { defineQueue } from '../jobs/jobs.ts'

/**
 * Daily, just after midnight in São Paulo: expire due points and pay birthday bonuses for every
 * program that has those rules on (server/lifecycle/daily.ts). 'singleton': one run at a time.
 */
export const lifecycleDailyQueue = defineQueue({
  name: 'lifecycle-daily',
  schema: v.object({}),
  retryLimit: 3,
  retryDelaySeconds: 300,
  retryBackoff: true,
  expireInSeconds: 3600,
  policy: 'singleton',
  cron: '5 0 * * *',
})

/**
 * Hourly: posts the points of orders whose pending period ended (server/lifecycle/pending.ts).
 * Periods end at São Paulo midnight; the hourly beat also catches up after any outage.
 */
export const pendingReleaseQueue = defineQueue({
  name: 'lifecycle-pending-release',
  schema: v.object({}),
  retryLimit: 3,
  retryDelaySeconds: 120,
  retryBackoff: true,
  expireInSeconds: 1800,
  policy: 'singleton',
  cron: '7 * * * *',
})
