import { sql } from 'kysely'
import type { Executor, Trx } from '../db/database.ts'
import type { WebhookDeliveryStatus } from '../db/schema.ts'
import { anyOf } from '../db/sql.ts'

// ---- endpoints -------------------------------------------------------------------------------

export const insertEndpoint = (
  db: Executor,
  row: { id: string; program_id: string; url: string; events: string[]; enabled: boolean; secret_enc: string },
) => db.insertInto('webhook_endpoints').values(row).returningAll().executeTakeFirstOrThrow()

export const listEndpoints = (db: Executor, programId: string) =>
  db.selectFrom('webhook_endpoints').selectAll().where('program_id', '=', programId).orderBy('created_at').execute()

export const findEndpoint = (db: Executor, programId: string, id: string) =>
  db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('program_id', '=', programId)
    .where('id', '=', id)
    .executeTakeFirst()

export const lockEndpoint = (trx: Trx, id: string) =>
  trx.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()

export function updateEndpoint(
  db: Executor,
  programId: string,
  id: string,
  set: {
    url?: string
    events?: string[]
    enabled?: boolean
    secret_enc?: string
    previous_secret_enc?: string | null
    previous_secret_expires_at?: Date | null
    failing_since?: Date | null
    disabled_reason?: 'failing' | null
    disabled_at?: Date | null
  },
) {
  return db
    .updateTable('webhook_endpoints')
    .set({ ...set, updated_at: new Date() })
    .where('program_id', '=', programId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export async function deleteEndpoint(db: Executor, programId: string, id: string): Promise<boolean> {
  const res = await db
    .deleteFrom('webhook_endpoints')
    .where('program_id', '=', programId)
    .where('id', '=', id)
    .executeTakeFirst()
  return res.numDeletedRows > 0n
}

/** A failed attempt: the endpoint is failing since now unless it already was. */
export const markFailing = (trx: Trx, id: string, now: Date) =>
  trx
    .updateTable('webhook_endpoints')
    .set({ failing_since: sql<Date>`coalesce(failing_since, ${now})` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()

export const markHealthy = (db: Executor, id: string) =>
  db
    .updateTable('webhook_endpoints')
    .set({ failing_since: null })
    .where('id', '=', id)
    .where('failing_since', 'is not', null)
    .execute()

// ---- outbox → deliveries ----------------------------------------------------------------------

/** Events not dispatched yet, oldest first, locked so two dispatchers never take the same. */
export const claimEvents = (trx: Trx, limit: number) =>
  trx
    .selectFrom('webhook_events')
    .select('id')
    .where('dispatched_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()

/** One delivery per event and enabled endpoint listening to its type, set-based. */
export async function insertDeliveries(trx: Trx, eventIds: number[]) {
  const res = await sql<{ id: number }>`
    insert into webhook_deliveries (program_id, endpoint_id, event_id, status)
    select e.program_id, ep.id, e.id, 'pending'
    from webhook_events e
    join webhook_endpoints ep on ep.program_id = e.program_id and ep.enabled and e.type = any(ep.events)
    where e.id = ${anyOf(eventIds, 'bigint')}
    order by e.id
    on conflict do nothing
    returning id`.execute(trx)
  return res.rows.map((r) => r.id)
}

export const markDispatched = (trx: Trx, eventIds: number[]) =>
  trx
    .updateTable('webhook_events')
    .set({ dispatched_at: new Date() })
    .where('id', '=', anyOf(eventIds, 'bigint'))
    .execute()

// ---- deliveries -------------------------------------------------------------------------------

/** What an attempt needs: the delivery, its endpoint and its event. */
export const findForAttempt = (db: Executor, deliveryId: number) =>
  db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as ep', 'ep.id', 'd.endpoint_id')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      'd.program_id',
      'd.status',
      'd.attempts',
      'd.window_started_at',
      'ep.id as endpoint_id',
      'ep.url',
      'ep.enabled',
      'ep.secret_enc',
      'ep.previous_secret_enc',
      'ep.previous_secret_expires_at',
      'e.id as event_id',
      'e.type',
      'e.data',
      'e.created_at as event_created_at',
    ])
    .where('d.id', '=', deliveryId)
    .executeTakeFirst()

/**
 * Records attempt number `attempts + 1` of a pending delivery, only if nobody recorded it first
 * (a "reenviar" racing a scheduled retry): undefined when the attempt was someone else's.
 */
export const recordAttempt = (
  trx: Trx,
  id: number,
  attemptsBefore: number,
  set: {
    status: WebhookDeliveryStatus
    response_status: number | null
    last_error: string | null
    next_attempt_at: Date | null
    delivered_at: Date | null
    last_attempt_at: Date
  },
) =>
  trx
    .updateTable('webhook_deliveries')
    .set({ ...set, attempts: attemptsBefore + 1 })
    .where('id', '=', id)
    .where('attempts', '=', attemptsBefore)
    .where('status', '=', 'pending')
    .returning(['id', 'attempts'])
    .executeTakeFirst()

export const failDelivery = (db: Executor, id: number, error: string) =>
  db
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', last_error: error, next_attempt_at: null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute()

/** "Reenviar": the delivery is pending again now, with a fresh 24-hour retry window. */
export const reopenDelivery = (trx: Trx, programId: string, endpointId: string, id: number, now: Date) =>
  trx
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', window_started_at: now, next_attempt_at: now, last_error: null })
    .where('program_id', '=', programId)
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', id)
    .returning(['id', 'attempts'])
    .executeTakeFirst()

export const listDeliveries = (
  db: Executor,
  programId: string,
  endpointId: string,
  opts: { limit: number; beforeId?: number },
) => {
  let q = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .selectAll('d')
    .select('e.type')
    .where('d.program_id', '=', programId)
    .where('d.endpoint_id', '=', endpointId)
  if (opts.beforeId !== undefined) q = q.where('d.id', '<', opts.beforeId)
  return q.orderBy('d.id', 'desc').limit(opts.limit).execute()
}

export const findDelivery = (db: Executor, programId: string, endpointId: string, id: number) =>
  db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .selectAll('d')
    .select('e.type')
    .where('d.program_id', '=', programId)
    .where('d.endpoint_id', '=', endpointId)
    .where('d.id', '=', id)
    .executeTakeFirst()

/** Turns a failing endpoint off, once (undefined when it already was). */
export const disableFailing = (trx: Trx, id: string, now: Date) =>
  trx
    .updateTable('webhook_endpoints')
    .set({ enabled: false, disabled_reason: 'failing', disabled_at: now, updated_at: now })
    .where('id', '=', id)
    .where('enabled', '=', true)
    .returningAll()
    .executeTakeFirst()

/**
 * Deletes up to `limit` events dispatched before `before` whose deliveries all ended (delivered
 * or failed for good); their deliveries go with them (on delete cascade). Returns how many.
 */
export async function deleteFinishedEvents(db: Executor, before: Date, limit: number): Promise<number> {
  const res = await sql`
    delete from webhook_events where id in (
      select e.id from webhook_events e
      where e.dispatched_at < ${before}
        and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')
      order by e.id
      limit ${limit})`.execute(db)
  return Number(res.numAffectedRows ?? 0)
}
