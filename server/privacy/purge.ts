import type { AppDeps } from '../deps.ts'
import * as repo from './purge-repository.ts'

/**
 * Rows deleted per statement: each batch commits on its own, so a big store's purge never holds
 * one long transaction, and a killed run resumes where it stopped (the rows left are the work
 * left). Every step is idempotent: running it twice deletes nothing more.
 */
const BATCH = 5_000

/** Purges every program whose grace period is over (the cron sweeper's body). */
export async function purgeDuePrograms(deps: Pick<AppDeps, 'db' | 'log'>, now = new Date()): Promise<number> {
  const due = await repo.duePrograms(deps.db, now)
  for (const programId of due) await purgeProgram(deps, programId)
  return due.length
}

export async function purgeProgram(deps: Pick<AppDeps, 'db' | 'log'>, programId: string): Promise<void> {
  let rows = 0
  for (const table of await repo.programTables(deps.db)) {
    for (;;) {
      const n = await repo.deleteBatch(deps.db, table, programId, BATCH)
      rows += n
      if (n < BATCH) break
    }
  }
  await repo.deleteProgramTraces(deps.db, programId)
  // Last: the program row itself (its cascades catch what has no program_id of its own).
  await repo.deleteProgramRow(deps.db, programId)
  deps.log.info('program purged', { programId, rows })
}
