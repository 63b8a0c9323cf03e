import type { DashboardExport, DashboardFigures, DashboardView } from '../../shared/api/dashboard.ts'
import type { Executor } from '../db/database.ts'
import type { Program } from '../db/schema.ts'
import { dashboardCsv as T } from '../i18n/dashboard.ts'
import { saoPauloDay } from '../lib/calendar.ts'
import { BOM, type Cell, csvDay, csvDocument, csvLine, csvMoney, csvPercent } from './csv.ts'
import { memberPage } from './repository.ts'
import { ledgerUnit, liabilityCents, type PointValue } from './rules.ts'

/** The dashboard's figures as CSV files (csv.ts says the format). */

const unitName = (program: Program) => (ledgerUnit(program) === 'cents' ? T.cashbackUnit : program.points_name)

/** A ledger amount: a count of points, or cents written as reais for cashback. */
const amountCell = (program: Program, n: number): Cell => (ledgerUnit(program) === 'cents' ? csvMoney(n) : n)

export function fileName(figure: DashboardExport, days: number, today: string) {
  return `fidelis-${T.file[figure]}-${days}-dias-${today}.csv`
}

export function summaryCsv(program: Program, view: DashboardView): string {
  const u = unitName(program)
  const amount = (n: number) => amountCell(program, n)
  const rows: Array<[string, (f: DashboardFigures) => Cell]> = [
    [T.membersTotal, (f) => f.members.total],
    [T.membersNew, (f) => f.members.new],
    [T.buyerShare, (f) => csvPercent(f.members.buyerShare)],
  ]
  for (const [who, pick] of [
    [T.members, (f: DashboardFigures) => f.byMembers],
    [T.nonMembers, (f: DashboardFigures) => f.byNonMembers],
  ] as const) {
    rows.push(
      [T.orders(who), (f) => pick(f).orders],
      [T.revenue(who), (f) => csvMoney(pick(f).revenueCents)],
      [T.average(who), (f) => csvMoney(pick(f).averageOrderCents)],
      [T.repeat(who), (f) => csvPercent(pick(f).repeatRate)],
    )
  }
  rows.push(
    [T.couponOrders, (f) => f.couponOrders.orders],
    [T.couponRevenue, (f) => csvMoney(f.couponOrders.revenueCents)],
    [T.issued(u), (f) => amount(f.ledger.issued)],
    [T.redeemed(u), (f) => amount(f.ledger.redeemed)],
    [T.expired(u), (f) => amount(f.ledger.expired)],
    [T.reversed(u), (f) => amount(f.ledger.reversed)],
    [T.redemptionRate, (f) => csvPercent(f.ledger.redemptionRate)],
    [T.balance(u), (f) => amount(f.liability.balance)],
    [T.liability, (f) => csvMoney(f.liability.cents)],
    [T.redemptions, (f) => f.redemptions.count],
    [T.couponsIssued, (f) => f.redemptions.couponsIssued],
    [T.couponsUsed, (f) => f.redemptions.couponsUsed],
    [T.referralClaims, (f) => f.referrals.claims],
    [T.referralCoupons, (f) => f.referrals.couponsSent],
    [T.referralCredited, (f) => f.referrals.credited],
  )
  return csvDocument(
    [
      T.figure,
      T.current(csvDay(view.period.from), csvDay(view.period.to)),
      T.previous(csvDay(view.previousPeriod.from), csvDay(view.previousPeriod.to)),
    ],
    rows.map(([label, pick]) => [label, pick(view.current), pick(view.previous)]),
  )
}

export function weeklyCsv(program: Program, view: DashboardView): string {
  const u = unitName(program)
  const amount = (n: number) => amountCell(program, n)
  return csvDocument(
    [
      T.week,
      T.membersNew,
      T.orders(T.members),
      T.orders(T.nonMembers),
      T.revenue(T.members),
      T.revenue(T.nonMembers),
      T.issued(u),
      T.redeemed(u),
      T.expired(u),
      T.reversed(u),
    ],
    view.weeks.map((w) => [
      csvDay(w.start),
      w.newMembers,
      w.memberOrders,
      w.nonMemberOrders,
      csvMoney(w.memberRevenueCents),
      csvMoney(w.nonMemberRevenueCents),
      amount(w.issued),
      amount(w.redeemed),
      amount(w.expired),
      amount(w.reversed),
    ]),
  )
}

export function rewardsCsv(program: Program, view: DashboardView): string {
  return csvDocument(
    [T.reward, T.redemptions, T.pointsSpent(unitName(program))],
    view.topRewards.map((r) => [r.title, r.redemptions, amountCell(program, r.points)]),
  )
}

const PAGE = 2000
const HOUR = 3_600_000

/**
 * São Paulo days of many instants: the zone's offsets are whole hours, so every instant of one
 * UTC hour falls on the same day, and the zone conversion (~35 µs) runs once per hour met instead
 * of once per member.
 */
function dayCache() {
  const days = new Map<number, string>()
  return (at: Date) => {
    const hour = Math.floor(at.getTime() / HOUR)
    let day = days.get(hour)
    if (day === undefined) {
      if (days.size > 100_000) days.clear()
      day = csvDay(saoPauloDay(new Date(hour * HOUR)))
      days.set(hour, day)
    }
    return day
  }
}

/**
 * Every member with their balance, read in keyset pages of 2,000 by id and written as each page
 * arrives: the stream's pull() asks for the next page only when the client has taken the last,
 * so memory stays that of one page whatever the store's size.
 */
export function membersCsvStream(db: Executor, program: Program, value: PointValue): ReadableStream<Uint8Array> {
  const u = unitName(program)
  const encoder = new TextEncoder()
  let after = 0
  let started = false
  const dayOf = dayCache()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = ''
      if (!started) {
        started = true
        text = BOM + csvLine([T.memberId, T.name, T.email, T.memberBalance(u), T.liability, T.memberSince])
      }
      const rows = await memberPage(db, program.id, after, PAGE)
      for (const m of rows)
        text += csvLine([
          m.id,
          m.name,
          m.email,
          amountCell(program, m.balance),
          csvMoney(liabilityCents(m.balance, value)),
          dayOf(m.created_at),
        ])
      if (text) controller.enqueue(encoder.encode(text))
      if (rows.length < PAGE) controller.close()
      else after = rows[rows.length - 1]!.id
    },
  })
}
