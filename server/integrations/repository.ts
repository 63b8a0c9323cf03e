import type { Executor, Trx } from '../db/database.ts'
import type { IntegrationsTable, LiStatusRow, SyncResource, SyncStateTable } from '../db/schema.ts'
import type { Insertable, Updateable } from 'kysely'

export const findIntegration = (db: Executor, programId: string) =>
  db.selectFrom('integrations').selectAll().where('program_id', '=', programId).executeTakeFirst()

export const lockIntegration = (trx: Trx, programId: string) =>
  trx.selectFrom('integrations').selectAll().where('program_id', '=', programId).forUpdate().executeTakeFirst()

export async function upsertIntegration(db: Executor, row: Insertable<IntegrationsTable>) {
  const { program_id, ...rest } = row
  return db
    .insertInto('integrations')
    .values(row)
    .onConflict((oc) => oc.column('program_id').doUpdateSet({ ...rest, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow()
}

export const updateIntegration = (db: Executor, programId: string, set: Updateable<IntegrationsTable>) =>
  db
    .updateTable('integrations')
    .set({ ...set, updated_at: new Date() })
    .where('program_id', '=', programId)
    .returningAll()
    .executeTakeFirstOrThrow()

export const listActiveIntegrations = (db: Executor) =>
  db
    .selectFrom('integrations')
    .select(['program_id'])
    .where('active', '=', true)
    .where('credentials_rejected_at', 'is', null)
    .execute()

export const listStatuses = (db: Executor, programId: string) =>
  db.selectFrom('li_statuses').selectAll().where('program_id', '=', programId).orderBy('id').execute()

export async function replaceStatuses(trx: Trx, programId: string, rows: Omit<LiStatusRow, 'program_id'>[]) {
  await trx.deleteFrom('li_statuses').where('program_id', '=', programId).execute()
  if (rows.length)
    await trx
      .insertInto('li_statuses')
      .values(rows.map((r) => ({ ...r, program_id: programId })))
      .execute()
}

export const findSyncStates = (db: Executor, programId: string) =>
  db.selectFrom('sync_state').selectAll().where('program_id', '=', programId).execute()

export async function getOrCreateSyncState(db: Executor, programId: string, resource: SyncResource) {
  await db
    .insertInto('sync_state')
    .values({ program_id: programId, resource })
    .onConflict((oc) => oc.doNothing())
    .execute()
  return db
    .selectFrom('sync_state')
    .selectAll()
    .where('program_id', '=', programId)
    .where('resource', '=', resource)
    .executeTakeFirstOrThrow()
}

export const updateSyncState = (
  db: Executor,
  programId: string,
  resource: SyncResource,
  set: Updateable<SyncStateTable>,
) =>
  db.updateTable('sync_state').set(set).where('program_id', '=', programId).where('resource', '=', resource).execute()

export const lockSyncState = (trx: Trx, programId: string, resource: SyncResource) =>
  trx
    .selectFrom('sync_state')
    .selectAll()
    .where('program_id', '=', programId)
    .where('resource', '=', resource)
    .forUpdate()
    .executeTakeFirstOrThrow()
