import { sql } from 'kysely'
import type { Executor, Trx } from '../db/database.ts'

/**
 * The purge of a deleted program. Which tables hold a program's rows is read from the
 * database's own catalogue (every table of the public schema with a `program_id` column), so
 * a table added by a later migration is purged without anyone remembering to list it here;
 * tables without one (feed_import_items) go by their foreign keys' cascades.
 */

export const dropUnsentEmails = (trx: Trx, programId: string) =>
  trx.deleteFrom('email_outbox').where('program_id', '=', programId).where('status', '=', 'pending').execute()

export async function duePrograms(db: Executor, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('programs')
    .select('id')
    .where('purge_after', 'is not', null)
    .where('purge_after', '<=', now)
    .orderBy('purge_after')
    .limit(100)
    .execute()
  return rows.map((r) => r.id)
}

/** Public tables with a program_id column, referencing tables before the tables they reference. */
export async function programTables(db: Executor): Promise<string[]> {
  const tables = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and c.column_name = 'program_id' and t.table_type = 'BASE TABLE'
      and c.table_name <> 'programs'
    order by c.table_name`.execute(db)
  const edges = await sql<{ child: string; parent: string }>`
    select cl.relname as child, pl.relname as parent from pg_constraint k
    join pg_class cl on cl.oid = k.conrelid join pg_class pl on pl.oid = k.confrelid
    join pg_namespace n on n.oid = cl.relnamespace
    where k.contype = 'f' and n.nspname = 'public' and cl.relname <> pl.relname`.execute(db)
  const names = tables.rows.map((r) => r.table_name)
  const set = new Set(names)
  const parents = new Map<string, string[]>()
  for (const e of edges.rows)
    if (set.has(e.child) && set.has(e.parent)) parents.set(e.child, [...(parents.get(e.child) ?? []), e.parent])
  // Depth-first: a table comes out only after every table that references it.
  const children = new Map<string, string[]>()
  for (const [child, ps] of parents) for (const p of ps) children.set(p, [...(children.get(p) ?? []), child])
  const out: string[] = []
  const seen = new Set<string>()
  const visit = (t: string) => {
    if (seen.has(t)) return
    seen.add(t)
    for (const c of children.get(t) ?? []) visit(c)
    out.push(t)
  }
  for (const t of names) visit(t)
  return out
}

/** Deletes up to `limit` rows of the program from one table; returns how many went. */
export async function deleteBatch(db: Executor, table: string, programId: string, limit: number): Promise<number> {
  // Counted in SQL: the driver's affected-row count is not reported the same way by every pool.
  const res = await sql<{ n: number }>`
    with gone as (
      delete from ${sql.table(table)} where ctid in (
        select ctid from ${sql.table(table)} where program_id = ${programId} limit ${limit})
      returning 1)
    select count(*)::int as n from gone`.execute(db)
  return res.rows[0]?.n ?? 0
}

/** Rate-limit counters and pg-boss jobs that name the program (their payloads carry its id). */
export async function deleteProgramTraces(db: Executor, programId: string): Promise<void> {
  await sql`delete from rate_limits where key like ${`%${programId}%`}`.execute(db)
  for (const table of ['job', 'archive']) {
    const exists = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.tables where table_schema = 'pgboss' and table_name = ${table}`.execute(
      db,
    )
    if (exists.rows[0]?.n)
      await sql`delete from ${sql.table(`pgboss.${table}`)} where data->>'programId' = ${programId}`.execute(db)
  }
}

export const deleteProgramRow = (db: Executor, programId: string) =>
  db.deleteFrom('programs').where('id', '=', programId).where('purge_after', 'is not', null).execute()
