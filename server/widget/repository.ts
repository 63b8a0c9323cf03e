import type pg from 'pg'
import type { Executor, Trx } from '../db/database.ts'
import type { CouponType } from '../db/schema.ts'
import type { RewardKind } from '../db/rewards-schema.ts'

export const listOrigins = async (db: Executor, programId: string): Promise<string[]> =>
  (
    await db
      .selectFrom('widget_origins')
      .select('origin')
      .where('program_id', '=', programId)
      .orderBy('origin')
      .execute()
  ).map((r) => r.origin)

export async function replaceOrigins(trx: Trx, programId: string, origins: string[]) {
  await trx.deleteFrom('widget_origins').where('program_id', '=', programId).execute()
  if (origins.length)
    await trx
      .insertInto('widget_origins')
      .values(origins.map((origin) => ({ program_id: programId, origin })))
      .execute()
}

export interface MemberSnapshot {
  program_id: string
  id: number
  balance: number
  name: string | null
  email: string
  /** Id of the member's newest ledger entry; null when there is none. */
  last_entry_id: number | null
  /** The member's usable coupons (issued, not expired), soonest to expire first; null when none. */
  coupons: ActiveCouponRow[] | null
}

export interface ActiveCouponRow {
  id: number
  coupon_code: string
  reward_title: string
  reward_kind: RewardKind
  coupon_type: CouponType
  coupon_value: number
  minimum_order_cents: number | null
  valid_until_day: string
  /** A tier's entry coupon: why it was given (pt-BR); null for a bought one. */
  gift_reason?: string | null
}

const MEMBER_SNAPSHOTS_SQL = `select m.program_id, m.id, m.balance, m.name, m.email,
  (select e.id from ledger_entries e where e.member_id = m.id order by e.id desc limit 1) as last_entry_id,
  (select json_agg(json_build_object('id', r.id, 'coupon_code', r.coupon_code, 'reward_title', r.reward_title,
      'reward_kind', r.reward_kind, 'coupon_type', r.coupon_type, 'coupon_value', r.coupon_value, 'minimum_order_cents', r.minimum_order_cents,
      'valid_until_day', r.valid_until_day, 'gift_reason', r.gift_reason) order by r.expires_at, r.id)
    from redemptions r where r.member_id = m.id and r.status = 'issued' and r.expires_at > now()) as coupons
from unnest($1::uuid[], $2::bigint[]) as k(program_id, id)
join members m on m.id = k.id and m.program_id = k.program_id`

/**
 * The `me` hot path: for each (program, member) pair, the member's row (primary key), the id
 * of their newest entry (an index-only probe of ledger_entries_member_idx) and their usable
 * coupons (a probe of redemptions_member_idx; coupons change without a ledger entry when the
 * coupon job issues them, so they are read every time), for many members in one round trip
 * (see MemberSnapshots).
 *
 * Straight on the pg pool, as a named prepared statement, instead of through Kysely: Kysely sends
 * every query unnamed, so PostgreSQL parses and plans it on each call. Measured on PostgreSQL 15
 * with 10 connections, one member per query: 4,200 q/s unnamed, 13,600 q/s prepared. Named
 * statements are per connection; pg prepares this once on each pooled connection.
 */
export async function memberSnapshots(
  pool: pg.Pool,
  programIds: string[],
  memberIds: number[],
): Promise<MemberSnapshot[]> {
  const res = await pool.query<MemberSnapshot>({
    name: 'widget_member_snapshots',
    text: MEMBER_SNAPSHOTS_SQL,
    values: [programIds, memberIds],
  })
  return res.rows
}
