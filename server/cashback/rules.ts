import { largestAmountForOrder, minimumOrderForAmount } from '../../shared/cashback.ts'

/**
 * Pure rules of cashback programs and of "any amount" redemptions (no I/O; property tests in
 * rules.test.ts). In a cashback program the ledger unit is the cent, so a credit of R$ 12,30 is
 * an `earn` of 1230 and the balance is the sum of the entries in cents — the ledger's own rules
 * (append-only, never below zero, exactly-once keys) hold unchanged.
 */

export { largestAmountForOrder, minimumOrderForAmount }

export interface CashbackEarnRules {
  /** Basis points: 1000 = 10 %. */
  percentBp: number
  minimumOrderCents: number
  earnOnProgramCouponOrders: boolean
}

/**
 * The cashback an order earns, in cents: `percentBp` of the eligible amount (subtotal − discount;
 * shipping never earns), rounded down; nothing below the minimum order, and nothing for an order
 * paid with a coupon of this program unless the merchant allows it ("no cashback on an order
 * paid with cashback"). `paidWithProgramCoupon` is true only when we know it; see
 * orders/service.ts for how an unknown coupon is treated.
 */
export function cashbackFor(eligibleCents: number, rules: CashbackEarnRules, paidWithProgramCoupon: boolean): number {
  if (eligibleCents <= 0) return 0
  if (eligibleCents < rules.minimumOrderCents) return 0
  if (paidWithProgramCoupon && !rules.earnOnProgramCouponOrders) return 0
  return Math.floor((eligibleCents * rules.percentBp) / 10_000)
}

/** What bounds a redemption of a chosen amount (both modes; cashback is centsPerPoint 1). */
export interface AmountSettings {
  /** Cents one ledger unit is worth: 1 in cashback mode (the unit is the cent). */
  centsPerPoint: number
  minCents: number
  maxCents: number | null
  maxOrderSharePct: number
}

export interface AmountWindow {
  /** What the balance is worth, in cents. */
  availableCents: number
  minCents: number
  /** The largest amount choosable now (0 when below the minimum), a multiple of `stepCents`. */
  maxCents: number
  stepCents: number
}

/** What the shopper may choose now, from their balance (in ledger units). */
export function amountWindow(balance: number, s: AmountSettings): AmountWindow {
  const availableCents = Math.max(0, balance) * s.centsPerPoint
  const cap = s.maxCents === null ? availableCents : Math.min(s.maxCents, availableCents)
  const maxCents = Math.floor(cap / s.centsPerPoint) * s.centsPerPoint
  return {
    availableCents,
    minCents: s.minCents,
    maxCents: maxCents >= s.minCents ? maxCents : 0,
    stepCents: s.centsPerPoint,
  }
}

export type AmountQuote =
  | {
      ok: true
      /** Debited from the ledger, in its unit (cents in cashback mode, points otherwise). */
      cost: number
      couponValueCents: number
      /** The coupon's `valor_minimo`: enforces "at most maxOrderSharePct % of an order". */
      minimumOrderCents: number
    }
  | { ok: false; reason: 'below_minimum' | 'above_maximum' | 'not_a_step' | 'insufficient'; cost: number }

/**
 * Whether `amountCents` may become a coupon: the program's bounds first (the shopper's choice is
 * wrong whatever the balance), then the balance. Points are charged exactly: an amount must be a
 * whole number of points, so nobody pays for a fraction they do not get.
 */
export function quoteAmount(amountCents: number, balance: number, s: AmountSettings): AmountQuote {
  const cost = Math.ceil(amountCents / s.centsPerPoint)
  if (amountCents < s.minCents) return { ok: false, reason: 'below_minimum', cost }
  if (s.maxCents !== null && amountCents > s.maxCents) return { ok: false, reason: 'above_maximum', cost }
  if (amountCents % s.centsPerPoint !== 0) return { ok: false, reason: 'not_a_step', cost }
  if (cost > balance) return { ok: false, reason: 'insufficient', cost }
  return {
    ok: true,
    cost,
    couponValueCents: amountCents,
    minimumOrderCents: minimumOrderForAmount(amountCents, s.maxOrderSharePct),
  }
}

/** How a program's balances read: the unit of its ledger and, for points, what one is worth in cents. */
export interface BalanceUnit {
  mode: 'points' | 'cashback'
  pointsName: string
  /** Cents a ledger unit is worth: 1 in cashback; the any-amount rate in points; null when points have no rate. */
  centsPerPoint: number | null
}

/** A balance in cents of BRL, or null when the program's points have no value in reais. */
export const balanceCents = (balance: number, unit: BalanceUnit): number | null =>
  unit.centsPerPoint === null ? null : balance * unit.centsPerPoint
