import { defineCronQueue } from '../jobs/jobs.ts'

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
