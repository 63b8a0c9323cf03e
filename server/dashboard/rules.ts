import type { DashboardView } from '../../shared/api/dashboard.ts'
import { addDays, type Day, saoPauloDay, startOfSaoPauloDay } from '../lib/calendar.ts'

/**
 * Pure rules of the dashboard: which days a period covers, how ledger kinds add up into the
 * figures, what a point is worth in reais. The repository only aggregates rows; nothing here
 * touches the database.
 */

/** What ledger amounts count: points, or cents for a cashback program (its ledger unit is cents). */
export type LedgerUnit = 'points' | 'cents'

/** The one switch between points and cashback programs. */
export function ledgerUnit(program: { mode: 'points' | 'cashback' }): LedgerUnit {
  return program.mode === 'cashback' ? 'cents' : 'points'
}

export interface Period {
  days: number
  /** São Paulo days, both inclusive. */
  from: Day
  to: Day
  prevFrom: Day
  prevTo: Day
  /** Instants: [prevFromAt, fromAt) is the previous period, [fromAt, toAt) this one. */
  prevFromAt: Date
  fromAt: Date
  toAt: Date
  /** The Monday on or before `from`, where week 0 starts, and how many weeks reach `to`. */
  weekStart: Day
  weekStartAt: Date
  weeks: number
}

const WEEK_MS = 7 * 86_400_000

/** The last `days` São Paulo days ending on the day of `now`, and the `days` before them. */
export function periodOf(days: number, now: Date): Period {
  const to = saoPauloDay(now)
  const from = addDays(to, -(days - 1))
  const dow = new Date(`${from}T00:00:00Z`).getUTCDay()
  const weekStart = addDays(from, -((dow + 6) % 7))
  const spanDays = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${weekStart}T00:00:00Z`)) / 86_400_000)
  return {
    days,
    from,
    to,
    prevFrom: addDays(from, -days),
    prevTo: addDays(from, -1),
    prevFromAt: startOfSaoPauloDay(addDays(from, -days)),
    fromAt: startOfSaoPauloDay(from),
    toAt: startOfSaoPauloDay(addDays(to, 1)),
    weekStart,
    weekStartAt: startOfSaoPauloDay(weekStart),
    weeks: Math.floor(spanDays / 7) + 1,
  }
}

/**
 * Week index of an instant: whole 7-day steps from the São Paulo midnight `weekStartAt`. SQL does
 * the same sum (`floor(epoch difference / 604800)`); São Paulo has kept UTC−3 all year since 2019,
 * so every week is 604,800 s and the index needs no zone data (which PGlite may lack).
 */
export const weekIndexOf = (weekStartAt: Date, at: Date) => Math.floor((at.getTime() - weekStartAt.getTime()) / WEEK_MS)

/** a ÷ b, or null when there is nothing to divide by. */
export const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null)

/** Integer cents of an average; null without orders. */
export const average = (cents: number, n: number): number | null => (n > 0 ? Math.round(cents / n) : null)

export interface LedgerSums {
  issued: number
  redeemed: number
  expired: number
  reversed: number
}

export const emptySums = (): LedgerSums => ({ issued: 0, redeemed: 0, expired: 0, reversed: 0 })

/**
 * Adds one aggregate (a kind's credits and debits) into the figures. Issued: earns, bonuses and
 * positive adjustments. Redeemed: redemptions net of the refunds of failed or lapsed coupons.
 * Reversed: points taken back from cancelled orders and negative adjustments. Expired: expiries.
 */
export function addLedger(sums: LedgerSums, kind: string, credits: number, debits: number) {
  switch (kind) {
    case 'earn':
    case 'bonus':
      sums.issued += credits - debits
      break
    case 'adjust':
      sums.issued += credits
      sums.reversed += debits
      break
    case 'redeem':
      sums.redeemed += debits
      break
    case 'refund':
      sums.redeemed -= credits
      break
    case 'expire':
      sums.expired += debits
      break
    case 'reverse':
      sums.reversed += debits
      break
  }
}

export interface ValuedReward {
  kind: string
  points_cost: number
  value_cents: number | null
  price_cents: number | null
  sale_price_cents: number | null
}

export type PointValue = DashboardView['pointValue']

/**
 * What a point is worth, as the rewards imply: the median cents per point of the active
 * fixed-discount coupons (R$ 10 for 500 points = 2 cents a point); with none, of the active
 * products (their sale price, else price). The median, not the mean, so one odd reward (a
 * giveaway at 1 point) does not move the whole liability; not weighted by redemptions, so a new
 * program without redemptions has a value too. Percent and free-shipping coupons have no value
 * in reais and are left out. In 1/1000 cent per point, an integer.
 */
export function pointValue(unit: LedgerUnit, rewards: readonly ValuedReward[]): PointValue {
  if (unit === 'cents') return { milliCentsPerPoint: 1000, basis: 'cashback', rewards: 0 }
  const perPoint = (cents: number | null, cost: number) => (cents && cents > 0 && cost > 0 ? cents / cost : null)
  const fixed = rewards.map((r) => (r.kind === 'fixed_discount' ? perPoint(r.value_cents, r.points_cost) : null))
  const products = rewards.map((r) =>
    r.kind === 'product' ? perPoint(r.sale_price_cents ?? r.price_cents, r.points_cost) : null,
  )
  for (const [basis, values] of [
    ['fixed_discount', fixed],
    ['product', products],
  ] as const) {
    const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b)
    if (!v.length) continue
    const mid = Math.floor(v.length / 2)
    const median = v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
    return { milliCentsPerPoint: Math.round(median * 1000), basis, rewards: v.length }
  }
  return { milliCentsPerPoint: null, basis: 'none', rewards: 0 }
}

/** A balance in reais (cents) at the point value; null when it is unknown. */
export function liabilityCents(balance: number, value: PointValue): number | null {
  return value.milliCentsPerPoint === null ? null : Math.round((balance * value.milliCentsPerPoint) / 1000)
}
