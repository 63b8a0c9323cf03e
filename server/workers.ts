import type { AppDeps } from './deps.ts'
import { registerMaintenance } from './maintenance.ts'
import { createMailTransport, type MailTransport } from './email/transport.ts'
import { registerEmailWorker } from './email/worker.ts'
import { registerLifecycleEmailWorkers } from './email/lifecycle/workers.ts'
import { registerLifecycleWorkers } from './points/workers.ts'
import { registerLiWorkers } from './integrations/workers.ts'
import { registerRedemptionWorkers } from './redemptions/workers.ts'
import { registerRewardWorkers } from './rewards/workers.ts'
import { registerWebhookWorkers } from './webhooks/workers.ts'
import { registerPrivacyWorkers } from './privacy/workers.ts'
import { registerTierWorkers } from './tiers/workers.ts'
import { registerReferralWorkers } from './referrals/workers.ts'

/**
 * Every queue and its handler, in one place: the server and the test harness register the same
 * set, so a job enqueued anywhere has a worker wherever `jobs.start({ work: true })` runs.
 * Returns what must be closed after the workers stop.
 */
export function registerWorkers(deps: AppDeps, opts: { transport?: MailTransport } = {}): { transport: MailTransport } {
  const transport =
    opts.transport ??
    createMailTransport({
      smtpUrl: deps.config.smtpUrl,
      mailFrom: deps.config.mailFrom,
      dataDir: deps.config.dataDir,
      log: deps.log,
    })
  registerMaintenance(deps.jobs, deps.db, deps.log)
  registerEmailWorker(deps.jobs, { db: deps.db, transport, log: deps.log })
  registerLiWorkers(deps)
  registerRewardWorkers(deps)
  registerRedemptionWorkers(deps)
  registerLifecycleEmailWorkers(deps)
  registerLifecycleWorkers(deps)
  registerWebhookWorkers(deps)
  registerPrivacyWorkers(deps)
  registerTierWorkers(deps)
  registerReferralWorkers(deps)
  return { transport }
}
