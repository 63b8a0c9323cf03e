import { sql } from 'kysely'
import type { Executor } from '../db/database.ts'
import { anyOf } from '../db/sql.ts'
import type { Period, ValuedReward } from './rules.ts'

/**
 * The dashboard's aggregates. Each query reads one index range of the program's rows over both
 * periods (migration 0050) and answers a handful of grouped rows, whatever the store's size: the
 * figures never cost a query per member or per order. This is a read model over the tables of
 * orders, members, the ledger and redemptions; nothing here writes.
 */

export interface Scope {
  programId: string
  period: Period
  /** Status codes of cancelled orders (orders' service: reversal codes, ERP 'reverse'). */
  cancelledCodes: readonly string[]
}

/**
 * Orders that count: placed in [prevFrom, to), not in a cancelling status (by code, or a store
 * status LI flags cancelado, which also covers a requested cancellation).
 */
const countedOrders = (s: Scope) => sql`
  from orders o
  where o.program_id = ${s.programId}
    and o.placed_at >= ${s.period.prevFromAt} and o.placed_at < ${s.period.toAt}
    and (o.status_code is null or not (o.status_code = ${anyOf(s.cancelledCodes, 'text')}))
    and not exists (
      select 1 from li_statuses st
      where st.program_id = o.program_id and st.id = o.status_id and st.cancelled
    )`

export interface OrderGroupRow {
  cur: boolean
  member: boolean
  customers: number
  repeaters: number
  orders: number
  revenue: number
}

export interface OrderWeekRow {
  week: number
  member: boolean
  orders: number
  revenue: number
}

/**
 * One scan of the counted orders for two answers: per period and group (members, non-members)
 * the customers, those with 2+ orders, orders and revenue; and this period's orders and revenue
 * per week and group. A customer is the member, else the store customer id, else the e-mail,
 * else the order alone (a guest nobody can recognise again): four key columns grouped as they
 * are, cheaper than one text key built per order.
 */
export async function orderFigures(
  db: Executor,
  s: Scope,
): Promise<{ groups: OrderGroupRow[]; weeks: OrderWeekRow[] }> {
  const { rows } = await sql<OrderGroupRow & { week: number | null }>`
    with o as materialized (
      select o.placed_at >= ${s.period.fromAt} as cur, o.member_id is not null as member,
             o.member_id as k1,
             case when o.member_id is null then o.li_customer_id end as k2,
             case when o.member_id is null and o.li_customer_id is null then lower(o.customer_email) end as k3,
             case when o.member_id is null and o.li_customer_id is null and o.customer_email is null
                  then o.source || o.external_id end as k4,
             floor(extract(epoch from (o.placed_at - ${s.period.weekStartAt}::timestamptz)) / 604800)::int as week,
             o.total_cents
      ${countedOrders(s)}
    ), c as (
      select cur, member, count(*) as n, sum(total_cents) as revenue from o group by cur, member, k1, k2, k3, k4
    )
    select cur, member, null::int as week, count(*)::int as customers,
           (count(*) filter (where n >= 2))::int as repeaters, sum(n)::int as orders, sum(revenue)::float8 as revenue
    from c group by cur, member
    union all
    select true, member, week, 0, 0, count(*)::int, sum(total_cents)::float8
    from o where cur group by member, week`.execute(db)
  return {
    groups: rows.filter((r) => r.week === null),
    weeks: rows
      .filter((r) => r.week !== null)
      .map((r) => ({ week: r.week!, member: r.member, orders: r.orders, revenue: r.revenue })),
  }
}

export interface CouponRow {
  cur: boolean
  orders: number
  revenue: number
}

/** Counted orders that carried a coupon of one of the program's redemptions (codes are unique per program). */
export async function couponOrders(db: Executor, s: Scope): Promise<CouponRow[]> {
  const { rows } = await sql<CouponRow>`
    select o.placed_at >= ${s.period.fromAt} as cur, count(*)::int as orders, sum(o.total_cents)::float8 as revenue
    ${countedOrders(s)}
      and o.coupon_code is not null
      and exists (select 1 from redemptions r where r.program_id = o.program_id and r.coupon_code = o.coupon_code)
    group by 1`.execute(db)
  return rows
}

export interface MemberCounts {
  total: number
  totalBefore: number
  newCur: number
  newPrev: number
  balance: number
}

/** Members by enrolment, and the balance they hold now (the cached sum of their entries). */
export async function memberCounts(db: Executor, s: Scope): Promise<MemberCounts> {
  const { rows } = await sql<MemberCounts>`
    select (count(*) filter (where created_at < ${s.period.toAt}))::int as "total",
           (count(*) filter (where created_at < ${s.period.fromAt}))::int as "totalBefore",
           (count(*) filter (where created_at >= ${s.period.fromAt} and created_at < ${s.period.toAt}))::int as "newCur",
           (count(*) filter (where created_at >= ${s.period.prevFromAt} and created_at < ${s.period.fromAt}))::int
             as "newPrev",
           coalesce(sum(balance), 0)::float8 as "balance"
    from members where program_id = ${s.programId}`.execute(db)
  return rows[0]!
}

export interface TierCountRow {
  id: string
  name: string
  color: string
  members: number
}

/**
 * Members in each VIP tier now, lowest tier first (empty without tiers): one grouped read of the
 * standings server/tiers keeps (`member_tiers`), served by its (program, tier) index.
 */
export async function tierCounts(db: Executor, programId: string): Promise<TierCountRow[]> {
  const { rows } = await sql<TierCountRow>`
    select t.id, t.name, t.color, count(mt.member_id)::int as members
    from tiers t left join member_tiers mt on mt.program_id = t.program_id and mt.tier_id = t.id
    where t.program_id = ${programId}
    group by t.id, t.name, t.color, t.threshold
    order by t.threshold`.execute(db)
  return rows
}

/** New members per week of this period. */
export async function memberWeeks(db: Executor, s: Scope): Promise<Array<{ week: number; n: number }>> {
  const { rows } = await sql<{ week: number; n: number }>`
    select floor(extract(epoch from (created_at - ${s.period.weekStartAt}::timestamptz)) / 604800)::int as week,
           count(*)::int as n
    from members
    where program_id = ${s.programId} and created_at >= ${s.period.fromAt} and created_at < ${s.period.toAt}
    group by 1`.execute(db)
  return rows
}

export interface LedgerRow {
  cur: boolean
  week: number
  kind: string
  credits: number
  debits: number
}

/**
 * Ledger credits and debits (as positive numbers) per period, week and kind, by when what they
 * record happened (occurred_at: an earn on the order's placing).
 */
export async function ledgerSums(db: Executor, s: Scope): Promise<LedgerRow[]> {
  const { rows } = await sql<LedgerRow>`
    select occurred_at >= ${s.period.fromAt} as cur,
           floor(extract(epoch from (occurred_at - ${s.period.weekStartAt}::timestamptz)) / 604800)::int as week,
           kind,
           coalesce(sum(amount) filter (where amount > 0), 0)::float8 as credits,
           coalesce(-sum(amount) filter (where amount < 0), 0)::float8 as debits
    from ledger_entries
    where program_id = ${s.programId} and occurred_at >= ${s.period.prevFromAt}
    group by 1, 2, 3`.execute(db)
  return rows
}

export interface RedemptionRow {
  cur: boolean
  count: number
  issued: number
  used: number
}

/**
 * Redemptions made in each period (failed ones never gave a coupon and are left out; a tier's
 * entry coupon is a gift, not a redemption), coupons created — gifts too — and coupons used:
 * marked used by the daily check with the store, or seen on an order.
 */
export async function redemptionCounts(db: Executor, s: Scope): Promise<RedemptionRow[]> {
  const { rows } = await sql<RedemptionRow>`
    select r.created_at >= ${s.period.fromAt} as cur,
           (count(*) filter (where r.status <> 'failed' and r.gift_reason is null))::int as count,
           (count(*) filter (where r.issued_at is not null))::int as issued,
           (count(*) filter (where r.issued_at is not null and (r.used_at is not null or exists (
              select 1 from orders o where o.program_id = r.program_id and o.coupon_code = r.coupon_code))))::int as used
    from redemptions r
    where r.program_id = ${s.programId} and r.created_at >= ${s.period.prevFromAt} and r.created_at < ${s.period.toAt}
    group by 1`.execute(db)
  return rows
}

export interface TopRewardRow {
  rewardId: string
  title: string
  redemptions: number
  points: number
}

/** This period's most redeemed rewards (the title as last redeemed; tier gifts are not redemptions). */
export async function topRewards(db: Executor, s: Scope, limit: number): Promise<TopRewardRow[]> {
  const { rows } = await sql<TopRewardRow>`
    select r.reward_id as "rewardId", (array_agg(r.reward_title order by r.id desc))[1] as title,
           count(*)::int as redemptions, sum(r.points_cost)::float8 as points
    from redemptions r
    where r.program_id = ${s.programId} and r.created_at >= ${s.period.fromAt} and r.created_at < ${s.period.toAt}
      and r.status <> 'failed' and r.gift_reason is null
    group by r.reward_id
    order by redemptions desc, points desc, r.reward_id
    limit ${limit}`.execute(db)
  return rows
}

/** Active rewards that have a value in reais (for the point value). */
export async function valuedRewards(db: Executor, programId: string): Promise<ValuedReward[]> {
  return db
    .selectFrom('rewards')
    .select(['kind', 'points_cost', 'value_cents', 'price_cents', 'sale_price_cents'])
    .where('program_id', '=', programId)
    .where('active', '=', true)
    .where('removed_from_feed_at', 'is', null)
    .where('kind', 'in', ['fixed_discount', 'product'])
    .execute()
}

export interface MemberCsvRow {
  id: number
  name: string | null
  email: string
  balance: number
  created_at: Date
}

/** One keyset page of the program's members by id (the members CSV). */
export async function memberPage(db: Executor, programId: string, afterId: number, limit: number) {
  return db
    .selectFrom('members')
    .select(['id', 'name', 'email', 'balance', 'created_at'])
    .where('program_id', '=', programId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute() as Promise<MemberCsvRow[]>
}
