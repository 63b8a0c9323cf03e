import { sql, type Updateable } from 'kysely'
import type { ReferralStatus } from '../../shared/api/referrals.ts'
import type { Executor, Trx } from '../db/database.ts'
import type { ReferralRow, ReferralsTable, ReferralSettingsTable } from '../db/schema.ts'
import { anyOf, transactionLock } from '../db/sql.ts'

// ---- settings and codes --------------------------------------------------------------------------

export const findSettings = (db: Executor, programId: string) =>
  db.selectFrom('referral_settings').selectAll().where('program_id', '=', programId).executeTakeFirst()

export const upsertSettings = (db: Executor, row: Omit<ReferralSettingsTable, 'updated_at'>) =>
  db
    .insertInto('referral_settings')
    .values(row)
    .onConflict((oc) => oc.column('program_id').doUpdateSet({ ...row, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow()

export const findCodeOfMember = (db: Executor, programId: string, memberId: number) =>
  db
    .selectFrom('referral_codes')
    .select('code')
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .executeTakeFirst()

/** Inserts a member's code unless they have one or the code is taken; answers whether it went in. */
export async function insertCode(db: Executor, programId: string, memberId: number, code: string): Promise<boolean> {
  const res = await db
    .insertInto('referral_codes')
    .values({ program_id: programId, member_id: memberId, code })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0
}

export const findAdvocateByCode = (db: Executor, programId: string, code: string) =>
  db
    .selectFrom('referral_codes')
    .innerJoin('members', 'members.id', 'referral_codes.member_id')
    .select(['members.id', 'members.email', 'members.name', 'members.cpf', 'members.erased_at'])
    .where('referral_codes.program_id', '=', programId)
    .where('referral_codes.code', '=', code)
    .executeTakeFirst()

// ---- referrals ------------------------------------------------------------------------------------

export async function countIpClaimsSince(db: Executor, programId: string, ip: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('referrals')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('program_id', '=', programId)
    .where('claim_ip', '=', ip)
    .where('claimed_at', '>=', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Claims from one IP in a program, one at a time until commit: the weekly count above and the
 * insert after it are then one step (two simultaneous claims both passed the count before).
 */
export const lockIpClaims = (trx: Trx, programId: string, ip: string) =>
  transactionLock(trx, `referral-claims:${programId}:${ip}`)

type NewReferral = Omit<
  ReferralRow,
  | 'id'
  | 'claimed_at'
  | 'updated_at'
  | 'coupon_attempts'
  | 'coupon_attempted_at'
  | 'lease_until'
  | 'li_coupon_id'
  | 'coupon_valid_until'
  | 'failure'
  | 'order_source'
  | 'order_external_id'
  | 'order_checked_at'
  | 'credit_available_on'
  | 'credit_month'
  | 'credited_amount'
  | 'credited_at'
>

/** One referral per friend e-mail key per program: a second claim inserts nothing (undefined). */
export const insertReferral = (trx: Trx, row: NewReferral) =>
  trx
    .insertInto('referrals')
    .values(row)
    .onConflict((oc) => oc.columns(['program_id', 'friend_email_key']).doNothing())
    .returningAll()
    .executeTakeFirst()

export const findReferral = (db: Executor, programId: string, id: string) =>
  db.selectFrom('referrals').selectAll().where('program_id', '=', programId).where('id', '=', id).executeTakeFirst()

export const lockReferral = (trx: Trx, programId: string, id: string) =>
  trx
    .selectFrom('referrals')
    .selectAll()
    .where('program_id', '=', programId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()

/**
 * Moves a referral on only from the statuses named: a concurrent or replayed step finds nothing
 * (undefined). `withoutOrder`: only while no order is recorded either — the arrival records a
 * friend's order without leaving `coupon_sent`, so the status alone cannot tell it happened.
 */
export const transition = (
  db: Executor,
  id: string,
  from: readonly ReferralStatus[],
  set: Updateable<ReferralsTable>,
  opts: { withoutOrder?: boolean } = {},
) =>
  db
    .updateTable('referrals')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', anyOf(from, 'text'))
    .$if(opts.withoutOrder === true, (q) => q.where('order_external_id', 'is', null))
    .returningAll()
    .executeTakeFirst()

/**
 * The coupon job's lease (as redemptions' acquireLease): counts the attempt and stamps
 * `coupon_attempted_at` in one commit before any POST; `previously_attempted` tells the job an
 * earlier attempt may have reached LI.
 */
export async function acquireLease(
  db: Executor,
  id: string,
  seconds: number,
): Promise<(ReferralRow & { previously_attempted: boolean }) | undefined> {
  const res = await sql<ReferralRow & { previously_attempted: boolean }>`
    update referrals r
    set coupon_attempts = r.coupon_attempts + 1,
        lease_until = date_trunc('milliseconds', now() + make_interval(secs => ${seconds})),
        coupon_attempted_at = coalesce(r.coupon_attempted_at, now()), updated_at = now()
    from (select id, coupon_attempted_at is not null as previously_attempted
          from referrals where id = ${id} for update) prev
    where r.id = prev.id and r.status = 'coupon_pending' and (r.lease_until is null or r.lease_until < now())
    returning r.*, prev.previously_attempted`.execute(db)
  return res.rows[0]
}

export const releaseLease = (db: Executor, id: string) =>
  db
    .updateTable('referrals')
    .set({ lease_until: null })
    .where('id', '=', id)
    .where('status', '=', 'coupon_pending')
    .execute()

/** Coupon-pending referrals no worker holds and nothing touched for a while: their job was lost. */
export const stalledCoupons = (db: Executor, olderThan: Date, limit: number) =>
  db
    .selectFrom('referrals')
    .select(['id', 'program_id'])
    .where('status', '=', 'coupon_pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', new Date())]))
    .where('updated_at', '<', olderThan)
    .limit(limit)
    .execute()

/** Referrals waiting for an order or for their credit day, of every program (the minutely pass). */
export const openReferrals = (db: Executor, afterId: string | null, limit: number) =>
  db
    .selectFrom('referrals')
    .selectAll()
    .where('status', 'in', ['coupon_sent', 'ordered'])
    .$if(afterId !== null, (q) => q.where('id', '>', afterId!))
    .orderBy('id')
    .limit(limit)
    .execute()

export async function advocateCounts(db: Executor, programId: string, memberId: number) {
  const row = await db
    .selectFrom('referrals')
    .select((eb) => [
      eb.fn.countAll<string>().as('invited'),
      eb.fn.count<string>(sql`case when status = 'credited' then 1 end`).as('credited'),
    ])
    .where('program_id', '=', programId)
    .where('advocate_member_id', '=', memberId)
    .executeTakeFirstOrThrow()
  return { invited: Number(row.invited), credited: Number(row.credited) }
}

export async function countCreditedInMonth(trx: Trx, programId: string, memberId: number, month: string) {
  const row = await trx
    .selectFrom('referrals')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('program_id', '=', programId)
    .where('advocate_member_id', '=', memberId)
    .where('status', '=', 'credited')
    .where('credit_month', '=', month)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export const listReferrals = (
  db: Executor,
  programId: string,
  f: { review: boolean; before: { at: Date; id: string } | null; limit: number },
) =>
  db
    .selectFrom('referrals as r')
    .innerJoin('members as m', 'm.id', 'r.advocate_member_id')
    .selectAll('r')
    .select(['m.name as advocate_name', 'm.email as advocate_email'])
    .where('r.program_id', '=', programId)
    .$if(f.review, (q) => q.where('r.status', '=', 'review'))
    .$if(f.before !== null, (q) =>
      q.where((eb) =>
        eb.or([
          eb('r.claimed_at', '<', f.before!.at),
          eb.and([eb('r.claimed_at', '=', f.before!.at), eb('r.id', '<', f.before!.id)]),
        ]),
      ),
    )
    .orderBy('r.claimed_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(f.limit)
    .execute()

export const findListed = (db: Executor, programId: string, id: string) =>
  db
    .selectFrom('referrals as r')
    .innerJoin('members as m', 'm.id', 'r.advocate_member_id')
    .selectAll('r')
    .select(['m.name as advocate_name', 'm.email as advocate_email'])
    .where('r.program_id', '=', programId)
    .where('r.id', '=', id)
    .executeTakeFirst()

export const decisionsOf = (db: Executor, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('referral_decisions')
        .selectAll()
        .where('referral_id', '=', anyOf(ids, 'uuid'))
        .orderBy('id')
        .execute()

export const insertDecision = (
  trx: Trx,
  row: {
    referral_id: string
    program_id: string
    decision: 'approved' | 'rejected'
    reason: string | null
    merchant_id: string | null
    merchant_email: string
  },
) => trx.insertInto('referral_decisions').values(row).execute()

/** The dashboard's figures: claims, coupons sent and credits in [from, to). */
export async function conversionCounts(db: Executor, programId: string, from: Date, to: Date) {
  const row = await db
    .selectFrom('referrals')
    .select((eb) => [
      eb.fn.count<string>(sql`case when claimed_at >= ${from} and claimed_at < ${to} then 1 end`).as('claims'),
      eb.fn
        .count<string>(
          sql`case when li_coupon_id is not null and claimed_at >= ${from} and claimed_at < ${to} then 1 end`,
        )
        .as('coupons'),
      eb.fn.count<string>(sql`case when credited_at >= ${from} and credited_at < ${to} then 1 end`).as('credited'),
    ])
    .where('program_id', '=', programId)
    .where((eb) =>
      eb.or([
        eb.and([eb('claimed_at', '>=', from), eb('claimed_at', '<', to)]),
        eb.and([eb('credited_at', '>=', from), eb('credited_at', '<', to)]),
      ]),
    )
    .executeTakeFirstOrThrow()
  return { claims: Number(row.claims), couponsSent: Number(row.coupons), credited: Number(row.credited) }
}
