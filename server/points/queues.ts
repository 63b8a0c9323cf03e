import { defineCronQueue } from '../jobs/jobs.ts'

/**
 * Daily, just after midnight in São Paulo: expire due points and pay birthday bonuses for every
 * program that has those rules on (server/points/daily.ts). 'singleton': one run at a time.
 */
export const lifecycleDailyQueue = defineCronQueue({
  name: 'lifecycle-daily',
  cron: '5 0 * * *',
  expireInSeconds: 3600,
  retryLimit: 3,
  retryDelaySeconds: 300,
  retryBackoff: true,
})

/**
 * Hourly: posts the points of orders whose pending period ended (server/points/pending.ts).
 * Periods end at São Paulo midnight; the hourly beat also catches up after any outage.
 */
export const pendingReleaseQueue = defineCronQueue({
  name: 'lifecycle-pending-release',
  cron: '7 * * * *',
  expireInSeconds: 1800,
  retryLimit: 3,
  retryDelaySeconds: 120,
  retryBackoff: true,
})
