import type { AppDeps } from '../deps.ts'
import { tiersDailyQueue } from './queues.ts'
import { evaluateAllPrograms } from './service.ts'

/** The tiers' daily queue and its handler (registered by server/workers.ts). */
export function registerTierWorkers(deps: AppDeps): void {
  deps.jobs.register(tiersDailyQueue, async () => {
    deps.log.info('tiers daily evaluation', { ...(await evaluateAllPrograms(deps.db)) })
  })
}
