import { sql } from 'kysely'
import type { Executor, Trx } from '../../db/database.ts'

/** The event types some enabled endpoint of the program listens to (one index probe). */
export async function subscribedTypes(db: Executor, programId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select('events')
    .where('program_id', '=', programId)
    .where('enabled', '=', true)
    .execute()
  return new Set(rows.flatMap((r) => r.events))
}

/** One statement for a whole batch (the sync posts up to ~2,000 entries per transaction). */
export async function insertEvents(
  trx: Trx,
  programId: string,
  events: ReadonlyArray<{ type: string; data: string }>,
): Promise<number[]> {
  if (events.length === 0) return []
  const res = await sql<{ id: number }>`
    insert into webhook_events (program_id, type, data)
    select ${programId}::uuid, t, d::jsonb
    from unnest(${events.map((e) => e.type)}::text[], ${events.map((e) => e.data)}::text[]) as u(t, d)
    returning id`.execute(trx)
  return res.rows.map((r) => r.id)
}
