import type { DashboardFigures, DashboardView, DashboardWeek } from '../../shared/api/dashboard.ts'
import type { Executor } from '../db/database.ts'
import type { Program } from '../db/schema.ts'
import { addDays } from '../lib/calendar.ts'
import { CANCELLED_ORDER_CODES } from '../orders/service.ts'
import { conversionCounts } from '../referrals/service.ts'
import { membersCsvStream } from './exports.ts'
import * as repo from './repository.ts'
import {
  addLedger,
  average,
  emptySums,
  ledgerUnit,
  liabilityCents,
  periodOf,
  pointValue,
  ratio,
  type LedgerSums,
} from './rules.ts'

const TOP_REWARDS = 5

/**
 * The whole dashboard of a program for `days`: ten aggregates (referrals' two through their service), run side by side (on PostgreSQL
 * each takes its own pooled connection; PGlite runs them one after another). Read-only and
 * without a transaction: the figures are a picture of a moment, not a balance to keep exact.
 */
export async function dashboard(db: Executor, program: Program, days: number, now: Date): Promise<DashboardView> {
  const period = periodOf(days, now)
  const scope: repo.Scope = { programId: program.id, period, cancelledCodes: CANCELLED_ORDER_CODES }
  const unit = ledgerUnit(program)
  const [
    { groups, weeks: orderWeeks },
    coupons,
    members,
    memberWeeks,
    ledger,
    redemptions,
    top,
    rewards,
    tiers,
    referralsCur,
    referralsPrev,
  ] = await Promise.all([
    repo.orderFigures(db, scope),
    repo.couponOrders(db, scope),
    repo.memberCounts(db, scope),
    repo.memberWeeks(db, scope),
    repo.ledgerSums(db, scope),
    repo.redemptionCounts(db, scope),
    repo.topRewards(db, scope, TOP_REWARDS),
    repo.valuedRewards(db, program.id),
    repo.tierCounts(db, program.id),
    conversionCounts(db, program.id, period.fromAt, period.toAt),
    conversionCounts(db, program.id, period.prevFromAt, period.fromAt),
  ])
  const value = pointValue(unit, rewards)

  const weeks: DashboardWeek[] = Array.from({ length: period.weeks }, (_, i) => ({
    start: addDays(period.weekStart, i * 7),
    newMembers: 0,
    memberOrders: 0,
    nonMemberOrders: 0,
    memberRevenueCents: 0,
    nonMemberRevenueCents: 0,
    ...emptySums(),
  }))
  const week = (i: number) => weeks[Math.min(Math.max(i, 0), weeks.length - 1)]!
  for (const r of orderWeeks) {
    const w = week(r.week)
    if (r.member) {
      w.memberOrders += r.orders
      w.memberRevenueCents += Number(r.revenue)
    } else {
      w.nonMemberOrders += r.orders
      w.nonMemberRevenueCents += Number(r.revenue)
    }
  }
  for (const r of memberWeeks) week(r.week).newMembers += r.n

  const sums = { cur: emptySums(), prev: emptySums() }
  let sinceFrom = 0
  for (const r of ledger) {
    const credits = Number(r.credits)
    const debits = Number(r.debits)
    addLedger(r.cur ? sums.cur : sums.prev, r.kind, credits, debits)
    if (r.cur) {
      addLedger(week(r.week), r.kind, credits, debits)
      sinceFrom += credits - debits
    }
  }

  const figures = (cur: boolean): DashboardFigures => {
    const group = (member: boolean) => {
      const g = groups.find((r) => r.cur === cur && r.member === member)
      const orders = g?.orders ?? 0
      const revenueCents = Number(g?.revenue ?? 0)
      const customers = g?.customers ?? 0
      const repeatCustomers = g?.repeaters ?? 0
      return {
        orders,
        revenueCents,
        customers,
        repeatCustomers,
        averageOrderCents: average(revenueCents, orders),
        repeatRate: ratio(repeatCustomers, customers),
      }
    }
    const byMembers = group(true)
    const byNonMembers = group(false)
    const coupon = coupons.find((r) => r.cur === cur)
    const red = redemptions.find((r) => r.cur === cur)
    const s: LedgerSums = cur ? sums.cur : sums.prev
    // Now is the end of this period; the previous one ended where this began, before what
    // happened since.
    const balance = Number(members.balance) - (cur ? 0 : sinceFrom)
    return {
      members: {
        total: cur ? members.total : members.totalBefore,
        new: cur ? members.newCur : members.newPrev,
        buyerShare: ratio(byMembers.customers, byMembers.customers + byNonMembers.customers),
      },
      byMembers,
      byNonMembers,
      couponOrders: { orders: coupon?.orders ?? 0, revenueCents: Number(coupon?.revenue ?? 0) },
      ledger: { ...s, redemptionRate: ratio(s.redeemed, s.issued) },
      liability: { balance, cents: liabilityCents(balance, value) },
      redemptions: { count: red?.count ?? 0, couponsIssued: red?.issued ?? 0, couponsUsed: red?.used ?? 0 },
      referrals: cur ? referralsCur : referralsPrev,
    }
  }

  return {
    days,
    unit,
    period: { from: period.from, to: period.to },
    previousPeriod: { from: period.prevFrom, to: period.prevTo },
    current: figures(true),
    previous: figures(false),
    weeks,
    topRewards: top.map((r) => ({ ...r, points: Number(r.points) })),
    pointValue: value,
    // A picture of now, like the liability: members per tier, the rest below the first.
    tiers:
      tiers.length === 0
        ? null
        : {
            tiers: tiers.map((r) => ({ id: r.id, name: r.name, color: r.color, members: Number(r.members) })),
            noTier: Math.max(0, members.total - tiers.reduce((n, r) => n + Number(r.members), 0)),
          },
  }
}

/** The members CSV: every member with their balance and its value, streamed (exports.ts). */
export async function membersCsv(db: Executor, program: Program): Promise<ReadableStream<Uint8Array>> {
  const value = pointValue(ledgerUnit(program), await repo.valuedRewards(db, program.id))
  return membersCsvStream(db, program, value)
}

export { fileName, rewardsCsv, summaryCsv, weeklyCsv } from './exports.ts'
