import * as v from 'valibot'
import type { Db } from './db/database.ts'
import type { Logger } from './lib/logger.ts'
import { scrubExpiredSecrets } from './email/service.ts'
import { deleteExpiredRefreshTokens } from './identity/service.ts'
import { deleteWindowsBefore } from './rate-limit/service.ts'
import { defineQueue, type Jobs } from './jobs/jobs.ts'
import { pruneDeliveryLog } from './webhooks/service.ts'

export const maintenanceQueue = defineQueue({
  name: 'maintenance',
  schema: v.object({}),
  retryLimit: 2,
  retryDelaySeconds: 60,
  retryBackoff: true,
  expireInSeconds: 600,
  policy: 'singleton',
  cron: '17 * * * *',
})

/**
 * Hourly housekeeping: rate-limit windows older than a day are dead weight; login codes in
 * e-mails that expired are scrubbed from the outbox; refresh tokens expired for a day go; webhook
 * events whose deliveries ended 30 days ago leave the delivery log.
 */
export function registerMaintenance(jobs: Jobs, db: Db, log: Logger) {
  jobs.register(maintenanceQueue, async () => {
    const deleted = await deleteWindowsBefore(db, new Date(Date.now() - 24 * 3600 * 1000))
    const scrubbed = await scrubExpiredSecrets(db)
    const refreshTokens = await deleteExpiredRefreshTokens(db, new Date(Date.now() - 24 * 3600 * 1000))
    const webhookEvents = await pruneDeliveryLog(db)
    log.info('maintenance done', {
      rateLimitWindowsDeleted: deleted,
      emailsScrubbed: scrubbed,
      refreshTokensDeleted: refreshTokens,
      webhookEventsDeleted: webhookEvents,
    })
  })
}
