import type { AppDeps } from '../deps.ts'
import { importFeed, scheduleFeedImports } from './feed-import.ts'
import { feedImportQueue, feedScheduleQueue } from './queues.ts'

/** The rewards queues and their handlers (registered by server/workers.ts). */
export function registerRewardWorkers(deps: AppDeps): void {
  deps.jobs.register(feedImportQueue, async ({ programId, trigger }) => {
    await importFeed(deps, programId, { trigger })
  })
  deps.jobs.register(feedScheduleQueue, async () => {
    const queued = await scheduleFeedImports(deps)
    deps.log.info('feed imports scheduled', { queued })
  })
}
