import type { AppDeps } from '../deps.ts'
import { tiersApplyQueue, tiersDailyQueue } from './queues.ts'
import { applyPendingRules, evaluateAllPrograms } from './service.ts'

/** The tiers' queues and their handlers (registered by server/workers.ts). */
export function registerTierWorkers(deps: AppDeps): void {
  deps.jobs.register(tiersDailyQueue, async () => {
    deps.log.info('tiers daily evaluation', { ...(await evaluateAllPrograms(deps.db)) })
  })
  deps.jobs.register(tiersApplyQueue, async ({ programId }) => {
    const counts = await applyPendingRules(deps.db, programId)
    deps.log.info('tier rules applied', { programId, ...(counts ?? { evaluated: 0, changed: 0 }) })
  })
}
