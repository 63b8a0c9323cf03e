import { defineCronQueue } from '../jobs/jobs.ts'

/**
 * Every 10 minutes: purge the programs whose 48-hour grace period is over. 'singleton' (cron)
 * keeps one run at a time; a run cut short is simply continued by the next (purge.ts).
 */
export const programPurgeQueue = defineCronQueue({
  name: 'program-purge',
  cron: '*/10 * * * *',
  expireInSeconds: 1800,
  retryLimit: 3,
  retryDelaySeconds: 60,
  retryBackoff: true,
})
