import { sql, type RawBuilder } from 'kysely'
import type { Executor, Trx } from '../db/database.ts'
import type { LedgerEntry, NewLedgerEntry } from '../db/schema.ts'
import { anyOf } from '../db/sql.ts'

/**
 * Locks the members' rows in id order (a fixed order, so two batches never deadlock) and returns
 * their balances. Accepts only a transaction: a lock outside one would be released at once.
 */
export async function lockMembers(trx: Trx, programId: string, memberIds: number[]) {
  if (memberIds.length === 0) return []
  return trx
    .selectFrom('members')
    .select(['id', 'balance'])
    .where('program_id', '=', programId)
    .where('id', '=', anyOf(memberIds, 'bigint'))
    .orderBy('id')
    .forUpdate()
    .execute()
}

export async function findEntriesByKeys(db: Executor, programId: string, keys: string[]) {
  if (keys.length === 0) return []
  return db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('program_id', '=', programId)
    .where('idempotency_key', '=', anyOf(keys, 'text'))
    .execute()
}

/** Inserts entries whose idempotency key is new; returns the rows really inserted. */
export function insertEntries(trx: Trx, rows: NewLedgerEntry[]): Promise<LedgerEntry[]> {
  return insertEntriesReturning<LedgerEntry>(trx, rows, sql`*`)
}

/**
 * Like insertEntries, but reads back only what moves balances: the bulk sync posts thousands of
 * entries per transaction and never looks at the rows (`returning *` sent each reason and
 * timestamp back, to be parsed into objects and dropped).
 */
export function insertEntriesForBalances(trx: Trx, rows: NewLedgerEntry[]) {
  return insertEntriesReturning<Pick<LedgerEntry, 'id' | 'member_id' | 'amount' | 'idempotency_key'>>(
    trx,
    rows,
    sql`id, member_id, amount, idempotency_key`,
  )
}

async function insertEntriesReturning<R>(
  trx: Trx,
  rows: NewLedgerEntry[],
  returning: RawBuilder<unknown>,
): Promise<R[]> {
  if (rows.length === 0) return []
  // Arrays through unnest(): a sync batch of a thousand entries is ten parameters. occurred_at is
  // null for "now" and never later than now (an ERP may send a sale dated tomorrow).
  const col = <T>(f: (r: NewLedgerEntry) => T) => rows.map(f)
  const res = await sql<R>`
    insert into ledger_entries
      (program_id, member_id, kind, amount, reason, idempotency_key, order_ref, redemption_id, created_by, occurred_at)
    select p, m, k, a, r, i, o, rd, c, least(coalesce(t, now()), now())
    from unnest(
      ${col((r) => r.program_id)}::uuid[], ${col((r) => r.member_id)}::bigint[], ${col((r) => r.kind)}::text[],
      ${col((r) => r.amount)}::integer[], ${col((r) => r.reason)}::text[], ${col((r) => r.idempotency_key)}::text[],
      ${col((r) => r.order_ref ?? null)}::text[], ${col((r) => r.redemption_id ?? null)}::bigint[],
      ${col((r) => r.created_by ?? null)}::text[], ${col((r) => occurredAt(r))}::timestamptz[]
    ) as u(p, m, k, a, r, i, o, rd, c, t)
    on conflict (program_id, idempotency_key) do nothing
    returning ${returning}`.execute(trx)
  return res.rows
}

function occurredAt(r: NewLedgerEntry): string | null {
  const t = r.occurred_at
  return t === undefined || t === null ? null : typeof t === 'string' ? t : t.toISOString()
}

/** Adds each delta to the cached balance in one statement; returns the new balances. */
export async function addToBalances(trx: Trx, programId: string, deltas: Map<number, number>) {
  if (deltas.size === 0) return []
  const ids = [...deltas.keys()]
  const amounts = ids.map((id) => deltas.get(id)!)
  const res = await sql<{ id: number; balance: number }>`
    update members m set balance = m.balance + d.delta, updated_at = now()
    from unnest(${ids}::bigint[], ${amounts}::integer[]) as d(id, delta)
    where m.id = d.id and m.program_id = ${programId}
    returning m.id, m.balance`.execute(trx)
  return res.rows
}

export const getBalance = (db: Executor, programId: string, memberId: number) =>
  db
    .selectFrom('members')
    .select('balance')
    .where('program_id', '=', programId)
    .where('id', '=', memberId)
    .executeTakeFirst()

/** Cached balances of several members (a read, no lock). */
export async function getBalances(db: Executor, programId: string, memberIds: number[]) {
  if (memberIds.length === 0) return []
  return db
    .selectFrom('members')
    .select(['id', 'balance'])
    .where('program_id', '=', programId)
    .where('id', '=', anyOf(memberIds, 'bigint'))
    .execute()
}

/** The balance recomputed from the entries, for consistency checks (never on a hot path). */
export async function sumEntries(db: Executor, programId: string, memberId: number): Promise<number> {
  const row = await db
    .selectFrom('ledger_entries')
    .select(sql<number>`coalesce(sum(amount), 0)::bigint`.as('total'))
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .executeTakeFirstOrThrow()
  return Number(row.total)
}

/**
 * One page of a member's history, newest happening first (see ledger/service.ts `history`). The
 * cursor is the id of the previous page's last entry; its (occurred_at, id) is looked up in the
 * same statement, so the cursor stays the plain id it always was. Served by
 * ledger_entries_member_occurred_idx.
 */
export function historyPage(
  db: Executor,
  programId: string,
  memberId: number,
  opts: { beforeId?: number; limit: number },
) {
  let q = db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
  if (opts.beforeId !== undefined)
    q = q.where(
      sql<boolean>`(occurred_at, id) < (select c.occurred_at, c.id from ledger_entries c
        where c.id = ${opts.beforeId} and c.member_id = ${memberId} and c.program_id = ${programId})`,
    )
  return q.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute()
}

/**
 * Points that purchases earned (earn entries, before any reversal) since an instant: an
 * index-only sum over ledger_entries_earn_idx (program, created_at, amount included).
 */
export async function sumEarnedSince(db: Executor, programId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('ledger_entries')
    .select(sql<string>`coalesce(sum(amount), 0)`.as('total'))
    .where('program_id', '=', programId)
    .where('kind', '=', 'earn')
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow()
  return Number(row.total)
}
