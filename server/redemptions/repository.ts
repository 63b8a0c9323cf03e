import { sql, type ExpressionBuilder } from 'kysely'
import type { Executor, Trx } from '../db/database.ts'
import type { RedemptionStatus } from '../../shared/api/redemptions.ts'
import type { DB, NewRedemption, Redemption, Reward } from '../db/schema.ts'

export const findByKey = (db: Executor, programId: string, memberId: number, key: string) =>
  db
    .selectFrom('redemptions')
    .selectAll()
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst()

/** `findByKey` for several (member, key) pairs of a program, in one statement. */
export async function findByKeys(
  db: Executor,
  programId: string,
  pairs: ReadonlyArray<{ memberId: number; key: string }>,
): Promise<Redemption[]> {
  if (pairs.length === 0) return []
  const res = await sql<Redemption>`
    select r.* from redemptions r
    join unnest(${pairs.map((p) => p.memberId)}::bigint[], ${pairs.map((p) => p.key)}::text[]) as k(member_id, key)
      on r.member_id = k.member_id and r.idempotency_key = k.key
    where r.program_id = ${programId}`.execute(db)
  return res.rows
}

export const insertRedemptions = (trx: Trx, rows: NewRedemption[]) =>
  trx.insertInto('redemptions').values(rows).returningAll().execute()

/**
 * Redemptions of these (member, reward) pairs that still count against the reward's per-member
 * limit: `${memberId}:${rewardId}` → count (0 left out).
 */
export async function countHeldMany(
  trx: Trx,
  programId: string,
  pairs: ReadonlyArray<{ memberId: number; rewardId: string }>,
): Promise<Map<string, number>> {
  if (pairs.length === 0) return new Map()
  const res = await sql<{ member_id: number; reward_id: string; n: string }>`
    select r.member_id, r.reward_id, count(*) as n from redemptions r
    join unnest(${pairs.map((p) => p.memberId)}::bigint[], ${pairs.map((p) => p.rewardId)}::uuid[]) as k(member_id, reward_id)
      on r.member_id = k.member_id and r.reward_id = k.reward_id
    where r.program_id = ${programId} and r.status in ('pending', 'issued', 'used')
    group by r.member_id, r.reward_id`.execute(trx)
  return new Map(res.rows.map((r) => [`${r.member_id}:${r.reward_id}`, Number(r.n)]))
}

export const findRedemption = (db: Executor, id: number) =>
  db.selectFrom('redemptions').selectAll().where('id', '=', id).executeTakeFirst()

export const findForProgram = (db: Executor, programId: string, id: number) =>
  db.selectFrom('redemptions').selectAll().where('program_id', '=', programId).where('id', '=', id).executeTakeFirst()

export const insertRedemption = (trx: Trx, row: NewRedemption) =>
  trx.insertInto('redemptions').values(row).returningAll().executeTakeFirstOrThrow()

/**
 * Takes `units` of stock (all or none) if the reward is still redeemable: a conditional update, so two
 * redemptions of the last unit cannot both succeed (the check constraint is the last guard).
 */
/** What a redemption takes from its reward: compared with what it was decided on (redeem.ts). */
export type RewardTerms = Pick<Reward, (typeof REWARD_TERMS)[number]>
export const REWARD_TERMS = [
  'kind',
  'title',
  'points_cost',
  'value_cents',
  'percent',
  'price_cents',
  'sale_price_cents',
  'minimum_order_cents',
  'per_member_limit',
] as const

/**
 * Takes `units` of the reward's stock if it is still available and in stock, and answers its
 * terms as they are now, under the row lock to the commit; undefined when it is not.
 */
export async function claimStock(
  trx: Trx,
  programId: string,
  rewardId: string,
  units = 1,
): Promise<RewardTerms | undefined> {
  const res = await sql<RewardTerms>`
    update rewards set issued_count = issued_count + ${units}, updated_at = now()
    where program_id = ${programId} and id = ${rewardId} and active and removed_from_feed_at is null
      and (total_stock is null or issued_count + ${units} <= total_stock)
    returning ${sql.join(REWARD_TERMS.map((c) => sql.ref(c)))}`.execute(trx)
  return res.rows[0]
}

/** Gives a unit back (failed coupon, or refunded unused): the reward was never consumed. */
export async function releaseStock(trx: Trx, programId: string, rewardId: string): Promise<void> {
  await sql`update rewards set issued_count = issued_count - 1, updated_at = now()
    where program_id = ${programId} and id = ${rewardId} and issued_count > 0`.execute(trx)
}

/** What taking a lease writes: the attempt, the lease (also the row's next due time), the first try. */
const leaseColumns = (seconds: number) => sql`
  attempts = r.attempts + 1, lease_until = date_trunc('milliseconds', now() + make_interval(secs => ${seconds})),
  next_attempt_at = date_trunc('milliseconds', now() + make_interval(secs => ${seconds})),
  create_attempted_at = coalesce(r.create_attempted_at, now()), updated_at = now()`

/**
 * The coupon job's lease: one worker at a time calls LI for a redemption. In the same statement
 * (one commit instead of two) it counts the attempt — so attempts cut short by a crash count too —
 * and stamps `create_attempted_at`: from this commit on, a coupon with our code may exist in LI.
 * `previously_attempted` tells the caller whether an earlier attempt may already have created it.
 *
 * `lease_until` is cut to the millisecond so the value read back (a JS Date) is exactly the one
 * stored: it doubles as the holder's token, and renewing or releasing only matches while it is
 * unchanged ("still ours"). Several redemptions in one statement (the coupon jobs of one batch).
 */
export async function acquireLeases(
  db: Executor,
  ids: number[],
  seconds: number,
): Promise<Array<Redemption & { previously_attempted: boolean }>> {
  if (ids.length === 0) return []
  const res = await sql<Redemption & { previously_attempted: boolean }>`
    update redemptions r set ${leaseColumns(seconds)}
    from (select id, create_attempted_at is not null as previously_attempted
          from redemptions where id = any(${ids}::bigint[]) order by id for update) prev
    where r.id = prev.id and r.status = 'pending' and (r.lease_until is null or r.lease_until < now())
    returning r.*, prev.previously_attempted`.execute(db)
  return res.rows
}

/**
 * The coupon runner's fetch: leases (as `acquireLeases` does) up to `limit` pending redemptions
 * whose time has come, oldest due first, skipping rows another worker is claiming this instant.
 * The claim also moves `next_attempt_at` to the lease's end: a claimed row leaves the due range
 * of `redemptions_due_idx`, so claims read only claimable rows, and comes back into it by
 * itself when its worker dies (the lease lapses). A live worker renews both.
 */
export async function claimDue(
  db: Executor,
  limit: number,
  seconds: number,
): Promise<Array<Redemption & { previously_attempted: boolean }>> {
  const res = await sql<Redemption & { previously_attempted: boolean }>`
    update redemptions r set ${leaseColumns(seconds)}
    from (select id, create_attempted_at is not null as previously_attempted
          from redemptions
          where status = 'pending' and next_attempt_at <= now() and (lease_until is null or lease_until < now())
          order by next_attempt_at, id limit ${limit} for update skip locked) prev
    where r.id = prev.id
    returning r.*, prev.previously_attempted`.execute(db)
  return res.rows
}

/** The runner's backlog for GET /metrics: due and unclaimed, claimed, the oldest due one's age. */
export async function dueStats(db: Executor): Promise<{ waiting: number; active: number; oldestSeconds: number }> {
  const res = await sql<{ waiting: number; active: number; oldest: number }>`
    select count(*) filter (where due)::int as waiting,
           count(*) filter (where lease_until >= now())::int as active,
           coalesce(extract(epoch from now() - min(next_attempt_at) filter (where due)), 0)::float8 as oldest
      from (select *, next_attempt_at <= now() and (lease_until is null or lease_until < now()) as due
              from redemptions where status = 'pending') p`.execute(db)
  const r = res.rows[0]
  return { waiting: r?.waiting ?? 0, active: r?.active ?? 0, oldestSeconds: Number(r?.oldest ?? 0) }
}

/** Extends a lease still held with token `held`; answers the new token, or undefined when it was lost. */
export async function renewLease(db: Executor, id: number, held: Date, seconds: number): Promise<Date | undefined> {
  const res = await sql<{ lease_until: Date }>`
    update redemptions set lease_until = date_trunc('milliseconds', now() + make_interval(secs => ${seconds})),
                           next_attempt_at = date_trunc('milliseconds', now() + make_interval(secs => ${seconds}))
    where id = ${id} and status = 'pending' and lease_until = ${held}
    returning lease_until`.execute(db)
  return res.rows[0]?.lease_until
}

/**
 * Gives the lease up, unless another worker took it meanwhile: the redemption is claimable again
 * at `retryAt` (a retry's backoff), or at once.
 */
export const releaseLease = (db: Executor, id: number, held: Date, retryAt?: Date) =>
  db
    .updateTable('redemptions')
    .set({ lease_until: null, next_attempt_at: retryAt ?? sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('lease_until', '=', held)
    .execute()

/** pending → issued with the LI coupon, for several redemptions in one statement; answers the rows it moved. */
export async function markIssuedMany(
  db: Executor,
  items: ReadonlyArray<{ id: number; liCouponId: number; validUntilDay: string; expiresAt: Date }>,
): Promise<Redemption[]> {
  if (items.length === 0) return []
  const now = new Date()
  const res = await sql<Redemption>`
    update redemptions r
    set status = 'issued', li_coupon_id = d.coupon_id, valid_until_day = d.day, expires_at = d.expires,
        issued_at = ${now}, lease_until = null, updated_at = ${now}
    from unnest(${items.map((i) => i.id)}::bigint[], ${items.map((i) => i.liCouponId)}::bigint[],
                ${items.map((i) => i.validUntilDay)}::date[], ${items.map((i) => i.expiresAt)}::timestamptz[])
         as d(id, coupon_id, day, expires)
    where r.id = d.id and r.status = 'pending'
    returning r.*`.execute(db)
  return res.rows
}

/**
 * Moves a redemption from one status to another (only from `from`: a concurrent job that
 * already moved it wins and this returns undefined).
 */
export async function transition(
  trx: Trx,
  id: number,
  from: RedemptionStatus,
  to: 'failed' | 'used' | 'refunded',
  set: { failureCode?: string; failureReason?: string } = {},
) {
  const now = new Date()
  return trx
    .updateTable('redemptions')
    .set({
      status: to,
      lease_until: null,
      updated_at: now,
      ...(to === 'failed' ? { failed_at: now } : to === 'used' ? { used_at: now } : { refunded_at: now }),
      ...(set.failureCode !== undefined ? { failure_code: set.failureCode } : {}),
      ...(set.failureReason !== undefined ? { failure_reason: set.failureReason } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', from)
    .returningAll()
    .executeTakeFirst()
}

export const listForMember = (db: Executor, programId: string, memberId: number, limit: number) =>
  db
    .selectFrom('redemptions')
    .selectAll()
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()

export function listForProgram(
  db: Executor,
  programId: string,
  f: {
    id?: number
    memberId?: number | undefined
    status?: RedemptionStatus | undefined
    /** A coupon code or its beginning (any case), or part of the member's e-mail. */
    q?: string | undefined
    beforeId?: number | undefined
    limit: number
  },
) {
  let q = db
    .selectFrom('redemptions as r')
    .innerJoin('members as m', 'm.id', 'r.member_id')
    .selectAll('r')
    .select(['m.email as member_email', 'm.name as member_name'])
    .where('r.program_id', '=', programId)
  if (f.id !== undefined) q = q.where('r.id', '=', f.id)
  if (f.memberId !== undefined) q = q.where('r.member_id', '=', f.memberId)
  if (f.status !== undefined) q = q.where('r.status', '=', f.status)
  if (f.q) {
    // Codes are upper case by construction (rules.ts' alphabet), e-mails lower case (normalised at
    // enrolment). No extra index: a program's redemptions are read newest first from its id index
    // and filtered, which stays cheap at the tens of thousands a store has.
    const text = f.q.replace(/[\\%_]/g, (ch) => '\\' + ch)
    q = q.where((eb) =>
      eb.or([eb('r.coupon_code', 'like', `${text.toUpperCase()}%`), eb('m.email', 'like', `%${text.toLowerCase()}%`)]),
    )
  }
  if (f.beforeId !== undefined) q = q.where('r.id', '<', f.beforeId)
  return q.orderBy('r.id', 'desc').limit(f.limit).execute()
}

/** Pending redemptions nobody is working on (a job lost to a crash, or retries used up by restarts). */
export const findStalledPending = (db: Executor, olderThan: Date, limit: number) =>
  db
    .selectFrom('redemptions')
    .select(['id', 'program_id'])
    .where('status', '=', 'pending')
    .where('created_at', '<', olderThan)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
    .orderBy('created_at')
    .limit(limit)
    .execute()

/**
 * Pending redemptions whose worker died: the lease ran out without being released or renewed
 * (a live worker renews it while it calls LI, and clears it when it stops), or never taken
 * `unclaimedSeconds` after the redemption was made (its job was fetched by a worker that died
 * before taking the lease). Served by the partial index on pending redemptions.
 */
export const findOrphaned = (db: Executor, unclaimedSeconds: number, limit: number) =>
  db
    .selectFrom('redemptions')
    .select('id')
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([
        eb('lease_until', '<', sql<Date>`now()`),
        eb.and([
          eb('lease_until', 'is', null),
          eb('attempts', '=', 0),
          eb('created_at', '<', sql<Date>`now() - make_interval(secs => ${unclaimedSeconds})`),
        ]),
      ]),
    )
    .orderBy('created_at')
    .limit(limit)
    .execute()

/**
 * Programs with something to reconcile with their store: issued coupons, or failed redemptions
 * whose coupon POST may have reached LI and that were not looked up there yet.
 */
export async function programsToReconcile(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('redemptions')
    .select('program_id')
    .distinct()
    .where((eb) => eb.or([eb('status', '=', 'issued'), uncheckedFailure(eb)]))
    .execute()
  return rows.map((r) => r.program_id)
}

export const listIssued = (db: Executor, programId: string) =>
  db.selectFrom('redemptions').selectAll().where('program_id', '=', programId).where('status', '=', 'issued').execute()

/** Failed redemptions of a program whose coupon may exist in the store, not looked up yet. */
export const listUncheckedFailures = (db: Executor, programId: string) =>
  db
    .selectFrom('redemptions')
    .select(['id', 'coupon_code'])
    .where('program_id', '=', programId)
    .where((eb) => uncheckedFailure(eb))
    .execute()

// Matches the partial index redemptions_store_check_idx.
const uncheckedFailure = (eb: ExpressionBuilder<DB, 'redemptions'>) =>
  eb.and([eb('status', '=', 'failed'), eb('create_attempted_at', 'is not', null), eb('store_checked_at', 'is', null)])

/**
 * Records what the store held for failed redemptions' codes; once each. Takes several ids so the
 * daily reconciliation marks all of a store's absent codes in one statement. Answers how many
 * rows changed.
 */
export async function markStoreChecked(
  db: Executor,
  ids: readonly number[],
  outcome: 'absent' | 'deactivated' | 'used',
): Promise<number> {
  if (ids.length === 0) return 0
  const res = await db
    .updateTable('redemptions')
    .set({ store_check: outcome, store_checked_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', 'in', ids)
    .where('status', '=', 'failed')
    .where('store_checked_at', 'is', null)
    .executeTakeFirst()
  return Number(res.numUpdatedRows)
}
