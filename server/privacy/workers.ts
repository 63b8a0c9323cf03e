import type { AppDeps } from '../deps.ts'
import { purgeDuePrograms } from './purge.ts'
import { programPurgeQueue } from './queues.ts'

export function registerPrivacyWorkers(deps: AppDeps) {
  deps.jobs.register(programPurgeQueue, async () => {
    await purgeDuePrograms(deps)
  })
}
