import { defineCronQueue } from '../../jobs/jobs.ts'

/**
 * The lifecycle e-mail jobs. Each run is idempotent (dedupe keys in the outbox, markers decided in
 * the same transaction as their outbox row), so a retry, an overlap or a second run writes nothing
 * new; 'singleton' (defineCronQueue) keeps one of each running at a time anyway.
 */
const retries = { retryLimit: 2, retryDelaySeconds: 60, retryBackoff: true }

/** Every minute: welcomes at EMAIL_WELCOME_PER_MINUTE, each with its own send time. */
export const welcomeDripQueue = defineCronQueue({
  ...retries,
  name: 'email-welcome-drip',
  expireInSeconds: 300,
  cron: '* * * * *',
})

/** Hourly: yesterday's "points earned" digests (from 08:00 São Paulo). */
export const pointsDigestQueue = defineCronQueue({
  ...retries,
  name: 'email-points-digest',
  expireInSeconds: 3600,
  cron: '10 * * * *',
})

/** Hourly: coupons and points about to expire (daytime), and "reward redeemed" e-mails that were lost. */
export const remindersQueue = defineCronQueue({
  ...retries,
  name: 'email-reminders',
  expireInSeconds: 3600,
  cron: '25 * * * *',
})
