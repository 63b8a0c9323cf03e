import type { AmountRedemptionView, CashbackRulesView } from '../shared/api/cashback.ts'
import { minimumOrderForAmount } from '../shared/cashback.ts'
import { centsToInput, decimalToInput, numberOr, parseCents, parseDecimal, parseInteger } from './forms.ts'

/**
 * The cashback rules form and the "any amount" option of a points program, pure: as typed
 * (strings, keyed by the API's field names so a refusal lands at its input) ↔ the API's body
 * (cents, basis points), and the live example the merchant reads while typing. Anything that
 * does not parse goes as typed so the API refuses it by name.
 */

export type CashbackForm = {
  percentBp: string
  minimumOrderCents: string
  pendingDays: string
  expires: 'never' | 'days'
  validityDays: string
  maxOrderSharePct: string
  minRedemptionCents: string
  maxRedemptionCents: string
}

export function cashbackToForm(r: CashbackRulesView): CashbackForm {
  return {
    percentBp: decimalToInput(r.percentBp / 100),
    minimumOrderCents: centsToInput(r.minimumOrderCents),
    pendingDays: String(r.pendingDays),
    expires: r.validityDays === null ? 'never' : 'days',
    validityDays: r.validityDays === null ? '30' : String(r.validityDays),
    maxOrderSharePct: String(r.maxOrderSharePct),
    minRedemptionCents: centsToInput(r.minRedemptionCents),
    maxRedemptionCents: centsToInput(r.maxRedemptionCents),
  }
}

/** "10" / "10,5" % → basis points (1000 / 1050); null when not a number with at most 2 decimals. */
export function percentToBp(text: string): number | null {
  const n = parseDecimal(text.replace(/%\s*$/, ''))
  if (n === null) return null
  const bp = Math.round(n * 100)
  return Math.abs(bp - n * 100) < 1e-6 ? bp : null
}

const whole = (s: string) => numberOr(s, parseInteger, s)
const cents = <T>(s: string, blank: T) => numberOr(s, parseCents, blank)

/** The PATCH body: every rule, parsed; a blank minimum order is 0, a blank maximum redemption "no maximum". */
export function cashbackBody(f: CashbackForm, earnOnProgramCouponOrders: boolean): Record<string, unknown> {
  return {
    percentBp: numberOr(f.percentBp, percentToBp, f.percentBp),
    minimumOrderCents: cents(f.minimumOrderCents, 0),
    pendingDays: whole(f.pendingDays),
    validityDays: f.expires === 'never' ? null : whole(f.validityDays),
    earnOnProgramCouponOrders,
    maxOrderSharePct: whole(f.maxOrderSharePct),
    minRedemptionCents: cents(f.minRedemptionCents, f.minRedemptionCents),
    maxRedemptionCents: cents(f.maxRedemptionCents, null),
  }
}

/** The example purchase: R$ 300,00, or the minimum order when that is higher (so it earns). */
export const EXAMPLE_ORDER_CENTS = 30_000

/** A São Paulo day 'YYYY-MM-DD' plus `n` days (calendar days: no time, no zone). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

export type CashbackExample = {
  orderCents: number
  earnedCents: number
  /** First São Paulo day it can be spent. */
  from: string
  /** Last day it can be spent (the day before it expires); null = never expires. */
  until: string | null
  /** The smallest order a coupon of `earnedCents` can be used on (the share cap). */
  minimumOrderCents: number
  /** The balance must reach this before it can be spent (the program's minimum redemption), when above the credit. */
  minRedemptionCents: number | null
}

/**
 * What one purchase earns under the rules as typed, or null while a rule that changes it does not
 * parse. Mirrors the server's rules: percentBp of the purchase rounded down (server/cashback
 * rules.ts cashbackFor), spendable `pendingDays` after today, each credit expiring `validityDays`
 * after that day (usable until the day before), and the coupon's minimum order value ÷ share cap
 * rounded up (shared/cashback.ts).
 */
export function cashbackExample(f: CashbackForm, today: string): CashbackExample | null {
  const bp = percentToBp(f.percentBp)
  const minimum = f.minimumOrderCents.trim() === '' ? 0 : parseCents(f.minimumOrderCents)
  const pending = parseInteger(f.pendingDays)
  const validity = f.expires === 'never' ? null : parseInteger(f.validityDays)
  const share = parseInteger(f.maxOrderSharePct)
  const minRedemption = parseCents(f.minRedemptionCents)
  if (bp === null || bp <= 0 || bp > 10_000 || minimum === null || pending === null || pending < 0) return null
  if ((f.expires === 'days' && (validity === null || validity < 1)) || share === null || share < 1 || share > 100)
    return null
  const orderCents = Math.max(EXAMPLE_ORDER_CENTS, minimum)
  const earnedCents = Math.floor((orderCents * bp) / 10_000)
  const from = addDays(today, pending)
  return {
    orderCents,
    earnedCents,
    from,
    until: validity === null ? null : addDays(from, validity - 1),
    minimumOrderCents: minimumOrderForAmount(earnedCents, share),
    minRedemptionCents: minRedemption !== null && minRedemption > earnedCents ? minRedemption : null,
  }
}

// ---- the "any amount" option of a points program -----------------------------------------------

export type AmountForm = {
  centsPerPoint: string
  maxOrderSharePct: string
  minRedemptionCents: string
  maxRedemptionCents: string
}

export function amountToForm(r: AmountRedemptionView): AmountForm {
  return {
    centsPerPoint: centsToInput(r.centsPerPoint),
    maxOrderSharePct: String(r.maxOrderSharePct),
    minRedemptionCents: centsToInput(r.minRedemptionCents),
    maxRedemptionCents: centsToInput(r.maxRedemptionCents),
  }
}

export function amountBody(f: AmountForm, enabled: boolean): Record<string, unknown> {
  return {
    enabled,
    centsPerPoint: cents(f.centsPerPoint, f.centsPerPoint),
    maxOrderSharePct: whole(f.maxOrderSharePct),
    minRedemptionCents: cents(f.minRedemptionCents, f.minRedemptionCents),
    maxRedemptionCents: cents(f.maxRedemptionCents, null),
  }
}
