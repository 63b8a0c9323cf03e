import type { AppDeps } from '../deps.ts'
import { runDaily } from './daily.ts'
import { releasePending } from './pending.ts'
import { lifecycleDailyQueue, pendingReleaseQueue } from './queues.ts'

/** The points lifecycle queues and their handlers (registered by server/workers.ts). */
export function registerLifecycleWorkers(deps: AppDeps): void {
  deps.jobs.register(lifecycleDailyQueue, async () => {
    deps.log.info('points lifecycle daily run', { ...(await runDaily(deps)) })
  })
  deps.jobs.register(pendingReleaseQueue, async () => {
    deps.log.info('pending points released', { orders: await releasePending(deps.db) })
  })
}
