import { sql } from 'kysely'
import type { Executor, Trx } from '../db/database.ts'
import type { CampaignsTable, PointsRulesTable } from '../db/schema.ts'
import { anyOf } from '../db/sql.ts'
import type { Updateable } from 'kysely'
import type { LedgerFact } from './expiry.ts'

// Every query is scoped by program (design rule 4); the jobs get program ids from their own scans.

// ---- settings and campaigns ------------------------------------------------------------------

export const findRules = (db: Executor, programId: string) =>
  db.selectFrom('points_rules').selectAll().where('program_id', '=', programId).executeTakeFirst()

export async function upsertRules(db: Executor, programId: string, set: Updateable<PointsRulesTable>) {
  return db
    .insertInto('points_rules')
    .values({ ...set, program_id: programId, updated_at: new Date() })
    .onConflict((oc) => oc.column('program_id').doUpdateSet({ ...set, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow()
}

export const setCheckedThrough = (
  db: Executor,
  programId: string,
  set: Pick<Updateable<PointsRulesTable>, 'expiry_checked_through' | 'birthdays_checked_through'>,
) => db.updateTable('points_rules').set(set).where('program_id', '=', programId).execute()

export const listCampaigns = (db: Executor, programId: string) =>
  db
    .selectFrom('campaigns')
    .selectAll()
    .where('program_id', '=', programId)
    .orderBy('starts_on', 'desc')
    .orderBy('id')
    .execute()

export const findCampaign = (db: Executor, programId: string, id: string) =>
  db.selectFrom('campaigns').selectAll().where('program_id', '=', programId).where('id', '=', id).executeTakeFirst()

export const insertCampaign = (
  db: Executor,
  row: { program_id: string; name: string; multiplier_pct: number; starts_on: string; ends_on: string },
) => db.insertInto('campaigns').values(row).returningAll().executeTakeFirstOrThrow()

export const updateCampaign = (db: Executor, programId: string, id: string, set: Updateable<CampaignsTable>) =>
  db
    .updateTable('campaigns')
    .set({ ...set, updated_at: new Date() })
    .where('program_id', '=', programId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()

export const deleteCampaign = async (db: Executor, programId: string, id: string) =>
  (await db.deleteFrom('campaigns').where('program_id', '=', programId).where('id', '=', id).executeTakeFirst())
    .numDeletedRows > 0n

/** Programs with something for the daily job to do. */
export const programsWithDailyWork = (db: Executor) =>
  db
    .selectFrom('points_rules as r')
    .innerJoin('programs as p', 'p.id', 'r.program_id')
    .selectAll('r')
    .where('p.archived_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('r.expiry_months', 'is not', null),
        eb('r.expiry_days', 'is not', null),
        eb('r.birthday_bonus', '>', 0),
      ]),
    )
    .orderBy('r.program_id')
    .execute()

// ---- ledger facts for expiry -----------------------------------------------------------------

/**
 * The entries FIFO needs, for several members of one program, in one query on
 * ledger_entries_member_idx. Only the columns the rules read.
 */
export async function ledgerFacts(
  db: Executor,
  programId: string,
  memberIds: number[],
): Promise<Map<number, LedgerFact[]>> {
  const out = new Map<number, LedgerFact[]>(memberIds.map((id) => [id, []]))
  if (memberIds.length === 0) return out
  const rows = await db
    .selectFrom('ledger_entries')
    .select(['id', 'member_id', 'kind', 'amount', 'redemption_id', 'created_at'])
    .where('program_id', '=', programId)
    .where('member_id', '=', anyOf(memberIds, 'bigint'))
    .orderBy('member_id')
    .orderBy('id')
    .execute()
  for (const r of rows)
    out
      .get(r.member_id)!
      .push({ id: r.id, kind: r.kind, amount: r.amount, redemptionId: r.redemption_id, createdAt: r.created_at })
  return out
}

/**
 * Members who may have points due to expire, keyset-paged by member id: those with a credit
 * created in [from, to) or a refund created since `refundsSince` (ledger_entries_credits_idx);
 * with no window, every member with points.
 */
export async function expiryCandidates(
  db: Executor,
  programId: string,
  window: { from: Date; to: Date; refundsSince: Date } | null,
  afterId: number,
  limit: number,
): Promise<number[]> {
  if (window === null) {
    const rows = await db
      .selectFrom('members')
      .select('id')
      .where('program_id', '=', programId)
      .where('balance', '>', 0)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute()
    return rows.map((r) => r.id)
  }
  const res = await sql<{ member_id: number }>`
    select distinct e.member_id from ledger_entries e
    where e.program_id = ${programId} and e.amount > 0 and e.member_id > ${afterId}
      and ((e.created_at >= ${window.from} and e.created_at < ${window.to})
        or (e.kind = 'refund' and e.created_at >= ${window.refundsSince}))
    order by e.member_id limit ${limit}`.execute(db)
  return res.rows.map((r) => r.member_id)
}

// ---- birthdays ---------------------------------------------------------------------------------

/** Members born on any of these (month, day) pairs (members_birthday_idx), keyset-paged by id. */
export async function membersBornOn(
  db: Executor,
  programId: string,
  monthDays: Array<[number, number]>,
  afterId: number,
  limit: number,
) {
  if (monthDays.length === 0) return []
  return db
    .selectFrom('members')
    .select(['id', 'birth_date', 'created_at'])
    .where('program_id', '=', programId)
    .where('birth_date', 'is not', null)
    .where((eb) =>
      eb.or(
        monthDays.map(([m, d]) =>
          eb.and([eb(sql`extract(month from birth_date)`, '=', m), eb(sql`extract(day from birth_date)`, '=', d)]),
        ),
      ),
    )
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute()
}

// ---- pending period ------------------------------------------------------------------------------

/** Pending orders whose day has come, across programs, oldest day first (orders_pending_release_idx). */
export const dueOrders = (db: Executor, today: string, limit: number) =>
  db
    .selectFrom('orders')
    .select(['program_id', 'source', 'external_id'])
    .where('award_state', '=', 'pending')
    .where('available_on', '<=', today)
    .orderBy('available_on')
    .limit(limit)
    .execute()

/** Locks pending orders of one program (ordered like applyOrders' locks, so they cannot deadlock). */
export async function lockPendingOrders(
  trx: Trx,
  programId: string,
  keys: Array<{ source: 'li' | 'erp'; external_id: string }>,
) {
  if (keys.length === 0) return []
  return trx
    .selectFrom('orders')
    .selectAll()
    .where('program_id', '=', programId)
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('source', '=', k.source), eb('external_id', '=', k.external_id)]))))
    .where('award_state', '=', 'pending')
    .orderBy('source')
    .orderBy('external_id')
    .forUpdate()
    .execute()
}

export async function markReleased(
  trx: Trx,
  programId: string,
  source: 'li' | 'erp',
  externalIds: string[],
  state: 'awarded' | 'none',
) {
  if (externalIds.length === 0) return
  await trx
    .updateTable('orders')
    .set({ award_state: state, available_on: null, pending_reason: null, updated_at: new Date() })
    .where('program_id', '=', programId)
    .where('source', '=', source)
    .where('external_id', '=', anyOf(externalIds, 'text'))
    .where('award_state', '=', 'pending')
    .execute()
}

/** Turning the period off: every pending order of the program becomes due today. */
export const releaseAllPending = (db: Executor, programId: string, today: string) =>
  db
    .updateTable('orders')
    .set({ available_on: today })
    .where('program_id', '=', programId)
    .where('award_state', '=', 'pending')
    .execute()

/**
 * The widget `me` extras in one round trip: a member's pending points and/or the entries FIFO
 * needs (each part only when asked for; an unasked part costs nothing).
 */
export async function meLifecycle(
  db: Executor,
  programId: string,
  memberId: number,
  want: { pending: boolean; facts: boolean },
) {
  // Expiry on, pending period off and the expiring list cached: the common `me` call needs no
  // round trip at all.
  if (!want.pending && !want.facts) return { pending: 0, facts: null }
  const res = await sql<{
    pending: number | null
    facts: Array<{ id: number; kind: LedgerFact['kind']; amount: number; r: number | null; t: string }> | null
  }>`
    select
      case when ${want.pending} then (select coalesce(sum(o.points_awarded), 0)::bigint from orders o
        where o.member_id = ${memberId} and o.award_state = 'pending' and o.program_id = ${programId}) end as pending,
      case when ${want.facts} then (select json_agg(json_build_object(
          'id', e.id, 'kind', e.kind, 'amount', e.amount, 'r', e.redemption_id, 't', e.created_at) order by e.id)
        from ledger_entries e where e.member_id = ${memberId} and e.program_id = ${programId}) end as facts`.execute(db)
  const row = res.rows[0]!
  return {
    pending: Number(row.pending ?? 0),
    facts: want.facts
      ? (row.facts ?? []).map(
          (f): LedgerFact => ({
            id: f.id,
            kind: f.kind,
            amount: f.amount,
            redemptionId: f.r,
            createdAt: new Date(f.t),
          }),
        )
      : null,
  }
}

/** A member's pending order credits summed per São Paulo day they become available, soonest first. */
export async function pendingByDay(db: Executor, programId: string, memberId: number, limit: number) {
  const rows = await db
    .selectFrom('orders')
    .select(['available_on', (eb) => eb.fn.sum<string>('points_awarded').as('amount')])
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .where('award_state', '=', 'pending')
    .where('available_on', 'is not', null)
    .groupBy('available_on')
    .orderBy('available_on')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ day: String(r.available_on), amount: Number(r.amount) }))
}
