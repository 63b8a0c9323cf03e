import { Migrator, type MigrationResultSet } from 'kysely'
import type { Db } from './database.ts'
import { migrations } from './migrations/index.ts'

export interface MigrationReport {
  results: Array<{ migration: string; status: 'Success' | 'Error' | 'NotExecuted' }>
  error?: unknown
}

/** Runs every pending migration. Reports each result; the caller fails loudly on `error`. */
export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'kysely_migration',
    migrationLockTableName: 'kysely_migration_lock',
  })
  const set: MigrationResultSet = await migrator.migrateToLatest()
  return {
    results: (set.results ?? []).map((r) => ({ migration: r.migrationName, status: r.status })),
    ...(set.error ? { error: set.error } : {}),
  }
}
