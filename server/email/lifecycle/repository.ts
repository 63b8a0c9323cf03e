import { sql } from 'kysely'
import type { Executor, Trx } from '../../db/database.ts'
import { anyOf } from '../../db/sql.ts'
import type { LifecycleKind } from '../templates/index.ts'

/** Kysely of the lifecycle e-mails: settings, welcome markers, and the reads of each job. */

// ---- settings and the gate -----------------------------------------------------------------------

/** Whether lifecycle e-mails of a program may go out now, with what the rules need to decide. */
export const findGate = (db: Executor, programId: string) =>
  db
    .selectFrom('programs')
    .leftJoin('integrations', 'integrations.program_id', 'programs.id')
    .leftJoin('lifecycle_email_settings as s', 's.program_id', 'programs.id')
    .select([
      'programs.id',
      'programs.name',
      'programs.points_name',
      'programs.mode',
      'integrations.active',
      'integrations.activated_at',
      's.enabled',
      's.disabled_kinds',
    ])
    .where('programs.id', '=', programId)
    .executeTakeFirst()

export const findSettings = (db: Executor, programId: string) =>
  db.selectFrom('lifecycle_email_settings').selectAll().where('program_id', '=', programId).executeTakeFirst()

export const upsertSettings = (
  db: Executor,
  programId: string,
  set: { enabled?: boolean; disabled_kinds?: string[] },
) =>
  db
    .insertInto('lifecycle_email_settings')
    .values({ program_id: programId, ...set })
    .onConflict((oc) => oc.column('program_id').doUpdateSet({ ...set, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow()

/** The settings row, locked for one drip run (created with defaults the first time). */
export async function lockSettings(trx: Trx, programId: string) {
  await trx
    .insertInto('lifecycle_email_settings')
    .values({ program_id: programId })
    .onConflict((oc) => oc.doNothing())
    .execute()
  return trx
    .selectFrom('lifecycle_email_settings')
    .selectAll()
    .where('program_id', '=', programId)
    .forUpdate()
    .executeTakeFirstOrThrow()
}

export const setDripState = (
  trx: Trx,
  programId: string,
  set: { welcome_next_slot_at?: Date; welcome_backfill_for?: Date | null },
) =>
  trx
    .updateTable('lifecycle_email_settings')
    .set({ ...set, updated_at: new Date() })
    .where('program_id', '=', programId)
    .execute()

/** Programs whose lifecycle e-mails may go out: integration active, kill switch not pulled. */
export const activePrograms = (db: Executor) =>
  db
    .selectFrom('integrations as i')
    .leftJoin('lifecycle_email_settings as s', 's.program_id', 'i.program_id')
    .select(['i.program_id', 'i.activated_at', 's.disabled_kinds'])
    .where('i.active', '=', true)
    .where((w) => w.or([w('s.enabled', 'is', null), w('s.enabled', '=', true)]))
    .orderBy('i.program_id')
    .execute()

// ---- welcome markers -----------------------------------------------------------------------------

/**
 * Marks members as due a welcome, in one statement whatever the batch size. A member marked
 * before keeps their marker; a pending one may only move up (priority 0: a shopper is waiting).
 */
export async function insertWelcomeMarkers(
  db: Executor,
  programId: string,
  memberIds: number[],
  priority: 0 | 1,
): Promise<void> {
  if (memberIds.length === 0) return
  await sql`
    insert into lifecycle_welcomes (member_id, program_id, priority)
    select m.id, m.program_id, ${priority}::smallint from members m
    where m.program_id = ${programId} and m.id = ${anyOf(memberIds, 'bigint')}
    on conflict (member_id) do update set priority = least(lifecycle_welcomes.priority, excluded.priority)
      where lifecycle_welcomes.status = 'pending' and excluded.priority < lifecycle_welcomes.priority`.execute(db)
}

/** Every member of the program without a marker gets one (activation): one statement. */
export async function backfillWelcomeMarkers(trx: Trx, programId: string): Promise<number> {
  const res = await sql`
    insert into lifecycle_welcomes (member_id, program_id)
    select m.id, m.program_id from members m where m.program_id = ${programId}
    on conflict (member_id) do nothing`.execute(trx)
  return Number(res.numAffectedRows ?? 0)
}

/** Programs with an active integration whose drip has work: a backfill to run or pending markers. */
export const programsWithWelcomeWork = (db: Executor) =>
  db
    .selectFrom('integrations as i')
    .leftJoin('lifecycle_email_settings as s', 's.program_id', 'i.program_id')
    .select(['i.program_id', 'i.activated_at'])
    .where('i.active', '=', true)
    .where((w) =>
      w.or([
        sql<boolean>`s.welcome_backfill_for is distinct from i.activated_at`,
        w.exists(
          w
            .selectFrom('lifecycle_welcomes as w')
            .select(sql`1`.as('x'))
            .where('w.program_id', '=', w.ref('i.program_id'))
            .where('w.status', '=', 'pending'),
        ),
      ]),
    )
    .orderBy('i.program_id')
    .execute()

/** The next pending welcomes, people first; skipped if a concurrent run holds them. */
export const lockPendingWelcomes = (trx: Trx, programId: string, limit: number) =>
  trx
    .selectFrom('lifecycle_welcomes as w')
    .innerJoin('members as m', 'm.id', 'w.member_id')
    .select(['w.member_id', 'w.priority', 'm.email', 'm.name', 'm.balance', 'm.email_consent'])
    .where('w.program_id', '=', programId)
    .where('w.status', '=', 'pending')
    .orderBy('w.priority')
    .orderBy('w.member_id')
    .limit(limit)
    .forUpdate('w')
    .skipLocked()
    .execute()

export const decideWelcome = (
  trx: Trx,
  memberId: number,
  set: { status: 'queued' | 'skipped'; outbox_id?: number | null; skip_reason?: string | null; decided_at: Date },
) =>
  trx
    .updateTable('lifecycle_welcomes')
    .set(set)
    .where('member_id', '=', memberId)
    .where('status', '=', 'pending')
    .execute()

/** The kill switch was pulled: pending welcomes are dropped, not kept for later. */
export async function skipPendingWelcomes(db: Executor, programId: string, reason: string): Promise<number> {
  const res = await db
    .updateTable('lifecycle_welcomes')
    .set({ status: 'skipped', skip_reason: reason, decided_at: new Date() })
    .where('program_id', '=', programId)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return Number(res.numUpdatedRows)
}

/**
 * Welcome e-mails of the program still unsent minutes after they were written (each is written at
 * most one drip horizon before its send time): the mail server lags, and the drip holds back.
 */
export async function countLateWelcomes(db: Executor, programId: string): Promise<number> {
  const row = await db
    .selectFrom('email_outbox')
    .select((e) => e.fn.countAll<string>().as('n'))
    .where('program_id', '=', programId)
    .where('kind', '=', 'welcome')
    .where('status', 'in', ['pending', 'sending'])
    .where('created_at', '<', sql<Date>`now() - interval '3 minutes'`)
    .where('created_at', '>', sql<Date>`now() - interval '1 day'`)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export const welcomeMarkers = (db: Executor, programId: string, memberIds: number[]) =>
  memberIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('lifecycle_welcomes')
        .select(['member_id', 'status', 'decided_at'])
        .where('program_id', '=', programId)
        .where('member_id', '=', anyOf(memberIds, 'bigint'))
        .execute()

// ---- members and outbox look-ups -----------------------------------------------------------------

export const membersByIds = (db: Executor, programId: string, memberIds: number[]) =>
  memberIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('members')
        .select(['id', 'email', 'name', 'balance', 'email_consent'])
        .where('program_id', '=', programId)
        .where('id', '=', anyOf(memberIds, 'bigint'))
        .execute()

/** Which of these dedupe keys already have an outbox row in the program. */
export async function existingDedupeKeys(db: Executor, programId: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set()
  const rows = await db
    .selectFrom('email_outbox')
    .select('dedupe_key')
    .where('program_id', '=', programId)
    .where('dedupe_key', '=', anyOf(keys, 'text'))
    .execute()
  return new Set(rows.map((r) => r.dedupe_key!))
}

/** The last time each member was sent a notice whose dedupe key starts with `prefix` (…:<window>:). */
export async function lastNoticeAt(
  db: Executor,
  programId: string,
  memberIds: number[],
  kind: LifecycleKind,
  keyPattern: string,
): Promise<Map<number, Date>> {
  if (memberIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('email_outbox')
    .select(['member_id', (e) => e.fn.max('created_at').as('at')])
    .where('member_id', '=', anyOf(memberIds, 'bigint'))
    .where('program_id', '=', programId)
    .where('kind', '=', kind)
    .where('dedupe_key', 'like', keyPattern)
    .groupBy('member_id')
    .execute()
  return new Map(rows.map((r) => [r.member_id!, new Date(r.at as unknown as string)]))
}

// ---- points earned -------------------------------------------------------------------------------

/** Members with credits in [start, end), keyset-paged (ledger_entries_credits_idx). */
export async function membersWithCredits(
  db: Executor,
  programId: string,
  start: Date,
  end: Date,
  afterId: number,
  limit: number,
): Promise<number[]> {
  const res = await sql<{ member_id: number }>`
    select distinct member_id from ledger_entries
    where program_id = ${programId} and amount > 0 and created_at >= ${start} and created_at < ${end}
      and kind in ('earn', 'bonus') and member_id > ${afterId}
    order by member_id limit ${limit}`.execute(db)
  return res.rows.map((r) => Number(r.member_id))
}

/** These members' earn/bonus credits and reversals in [start, end) (ledger_entries_member_idx). */
export const dayEntries = (db: Executor, programId: string, memberIds: number[], start: Date, end: Date) =>
  db
    .selectFrom('ledger_entries')
    .select(['id', 'member_id', 'kind', 'amount', 'reason', 'order_ref', 'created_at', 'occurred_at'])
    .where('program_id', '=', programId)
    .where('member_id', '=', anyOf(memberIds, 'bigint'))
    .where('kind', 'in', ['earn', 'bonus', 'reverse'])
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .orderBy('id')
    .execute()

/** When the orders behind these refs ('li:123', 'erp:X') were placed. */
export async function placedAtByRef(db: Executor, programId: string, refs: string[]): Promise<Map<string, Date>> {
  if (refs.length === 0) return new Map()
  const rows = await sql<{ ref: string; placed_at: Date }>`
    select source || ':' || external_id as ref, placed_at from orders
    where program_id = ${programId} and (source, external_id) in (
      select split_part(r, ':', 1), substr(r, strpos(r, ':') + 1) from unnest(${refs}::text[]) as r)`.execute(db)
  return new Map(rows.rows.map((r) => [r.ref, new Date(r.placed_at)]))
}

// ---- redemptions ---------------------------------------------------------------------------------

const redemptionColumns = [
  'r.id',
  'r.program_id',
  'r.member_id',
  'r.status',
  'r.reward_title',
  'r.coupon_type',
  'r.coupon_value',
  'r.coupon_code',
  'r.minimum_order_cents',
  'r.points_cost',
  'r.gift_reason',
  'r.valid_until_day',
  'r.expires_at',
  'r.issued_at',
] as const

export const findRedemption = (db: Executor, id: number) =>
  db.selectFrom('redemptions as r').select(redemptionColumns).where('r.id', '=', id).executeTakeFirst()

export const findRedemptions = (db: Executor, ids: number[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db.selectFrom('redemptions as r').select(redemptionColumns).where('r.id', '=', anyOf(ids, 'bigint')).execute()

/** Issued coupons expiring in [from, to) (redemptions_issued_expiry_idx). */
export const issuedExpiringBetween = (db: Executor, from: Date, to: Date, afterId: number, limit: number) =>
  db
    .selectFrom('redemptions as r')
    .select(redemptionColumns)
    .where('r.status', '=', 'issued')
    .where('r.expires_at', '>=', from)
    .where('r.expires_at', '<', to)
    .where('r.id', '>', afterId)
    .orderBy('r.id')
    .limit(limit)
    .execute()

/** Coupons issued since `since` and still valid: the catch-up for a lost "reward redeemed" e-mail. */
export const recentlyIssued = (db: Executor, since: Date, afterId: number, limit: number) =>
  db
    .selectFrom('redemptions as r')
    .select(redemptionColumns)
    .where('r.status', '=', 'issued')
    .where('r.expires_at', '>', new Date())
    .where('r.issued_at', '>=', since)
    .where('r.id', '>', afterId)
    .orderBy('r.id')
    .limit(limit)
    .execute()

export type RedemptionFacts = NonNullable<Awaited<ReturnType<typeof findRedemption>>>
