import * as v from 'valibot'
import { DateTime, IsoDate } from './common.ts'

/**
 * Cashback programs and "any amount" redemptions (issue 18).
 *
 * A program is `points` or `cashback`, chosen at creation (`mode` on POST /v1/programs) and never
 * changed afterwards (409 `program_mode_locked`, field `mode`): balances would change meaning. In
 * a cashback program the ledger unit is the cent: `balance`, entry `amount`s and `pointsSpent`
 * are integer cents of BRL.
 *
 * Rules of a cashback program: `/v1/programs/{programId}/cashback-rules` (409
 * `wrong_program_mode` on a points program). The "any amount" option of a points program (points
 * → reais at the merchant's rate): `/v1/programs/{programId}/amount-redemption` (409
 * `wrong_program_mode` on a cashback program, whose redemption bounds are in its cashback rules).
 * Both modes then redeem through one path: POST /v1/widget/{programKey}/redemptions/amount.
 */

export const PROGRAM_MODES = ['points', 'cashback'] as const
export type ProgramMode = (typeof PROGRAM_MODES)[number]
export const ProgramMode = v.picklist(PROGRAM_MODES, 'must be points or cashback')

const Whole = (min: number, max: number) =>
  v.pipe(
    v.number('must be a number'),
    v.integer('must be a whole number'),
    v.minValue(min, `must be between ${min} and ${max}`),
    v.maxValue(max, `must be between ${min} and ${max}`),
  )

/** Cents of BRL, R$ 0,00 up to R$ 1.000.000,00. */
const Cents = (min: number) => Whole(min, 100_000_000)

/** What a redemption of a chosen amount may be, shared by both modes. */
const amountBounds = {
  /** Smallest amount a shopper may turn into a coupon, in cents. */
  minRedemptionCents: Cents(1),
  /** Largest amount of one coupon, in cents; null = only the balance bounds it. */
  maxRedemptionCents: v.nullable(Cents(1)),
  /**
   * "At most N % of an order": the coupon's minimum order is value ÷ N %, rounded up to the cent
   * (`minimumOrderForAmount` in shared/cashback.ts). 100 = the coupon may pay a whole order.
   */
  maxOrderSharePct: Whole(1, 100),
}

const cashbackRules = {
  /** Share of the eligible amount (subtotal − discount, shipping excluded) given back, in basis points: 1000 = 10 %. */
  percentBp: Whole(1, 10_000),
  /** Orders whose eligible amount is below this (cents) earn nothing; 0 = any order. */
  minimumOrderCents: Cents(0),
  /** Days after the order reaches an awarding status before its cashback can be spent; 0 = at once. */
  pendingDays: Whole(0, 90),
  /** Each credit expires this many days after the São Paulo day it became spendable; null = never. */
  validityDays: v.nullable(Whole(1, 3650)),
  /**
   * Whether an order paid with a coupon of this program (a cashback coupon) earns cashback.
   * Default false: "no cashback on an order paid with cashback".
   */
  earnOnProgramCouponOrders: v.boolean(),
  ...amountBounds,
}

export const CashbackRulesView = v.object({ ...cashbackRules, updatedAt: v.nullable(DateTime) })

/** Defaults of a cashback program that never saved rules (the example store, roughly). */
export const DEFAULT_CASHBACK_RULES = {
  percentBp: 500,
  minimumOrderCents: 0,
  pendingDays: 0,
  validityDays: null,
  earnOnProgramCouponOrders: false,
  minRedemptionCents: 100,
  maxRedemptionCents: null,
  maxOrderSharePct: 100,
} as const satisfies Omit<v.InferOutput<typeof CashbackRulesView>, 'updatedAt'>

const minNotAboveMax = (o: { minRedemptionCents?: number; maxRedemptionCents?: number | null }) =>
  o.minRedemptionCents === undefined ||
  o.maxRedemptionCents === undefined ||
  o.maxRedemptionCents === null ||
  o.maxRedemptionCents >= o.minRedemptionCents

export const UpdateCashbackRulesBody = v.pipe(
  v.partial(v.strictObject(cashbackRules, 'is not a cashback rule')),
  v.check((o) => Object.keys(o).length > 0, 'must change at least one field'),
  v.forward(
    v.check((o) => minNotAboveMax(o), 'must be at least minRedemptionCents'),
    ['maxRedemptionCents'],
  ),
)

/** The "any amount" option of a points program. */
const amountRedemption = {
  enabled: v.boolean(),
  /** What one point is worth, in cents (5 = R$ 0,05 a point); amounts are whole multiples of it. */
  centsPerPoint: Whole(1, 100_000),
  ...amountBounds,
}

export const AmountRedemptionView = v.object({ ...amountRedemption, updatedAt: v.nullable(DateTime) })

export const DEFAULT_AMOUNT_REDEMPTION = {
  enabled: false,
  centsPerPoint: 1,
  minRedemptionCents: 100,
  maxRedemptionCents: null,
  maxOrderSharePct: 100,
} as const satisfies Omit<v.InferOutput<typeof AmountRedemptionView>, 'updatedAt'>

export const UpdateAmountRedemptionBody = v.pipe(
  v.partial(v.strictObject(amountRedemption, 'is not an amount redemption setting')),
  v.check((o) => Object.keys(o).length > 0, 'must change at least one field'),
  v.forward(
    v.check((o) => minNotAboveMax(o), 'must be at least minRedemptionCents'),
    ['maxRedemptionCents'],
  ),
)

// ---- widget ------------------------------------------------------------------------------------

/** Part of the widget's `me` in a cashback program: everything in cents. */
export const WidgetCashback = v.object({
  /** Spendable now ("R$ 23,40 disponíveis"); equals `balance`. */
  availableCents: v.number(),
  /** Earned, still in the pending period (not in `availableCents`). */
  pendingCents: v.number(),
  /** What becomes available on which São Paulo day, soonest first (at most 3 days). */
  pending: v.array(v.object({ cents: v.number(), availableOn: IsoDate })),
  /** What expires on which São Paulo day (usable until the day before), soonest first (at most 3 days). */
  expiring: v.array(v.object({ cents: v.number(), on: IsoDate })),
})

/** Part of the widget's `me` when the program redeems chosen amounts (always in cashback mode). */
export const WidgetAmountRedemption = v.object({
  /** What the balance is worth now, in cents (cashback: the balance; points: balance × centsPerPoint). */
  availableCents: v.number(),
  minCents: v.number(),
  /** The largest amount the shopper can choose now: min(program maximum, availableCents), rounded down to `stepCents`. */
  maxCents: v.number(),
  /** Amounts are multiples of this (1 in cashback; centsPerPoint in points). */
  stepCents: v.number(),
  /** null in cashback mode. */
  centsPerPoint: v.nullable(v.number()),
  /** The coupon's minimum order is amount ÷ this %, rounded up (see shared/cashback.ts). */
  maxOrderSharePct: v.number(),
  /** The minimum order of a coupon of `maxCents` (the redeem screen's "em pedidos a partir de …"). */
  maxCentsMinimumOrderCents: v.number(),
})

export const AmountRedeemBody = v.object({
  /** The chosen value of the coupon, in cents. */
  amountCents: v.pipe(
    v.number('must be a number'),
    v.integer('must be a whole number of cents'),
    v.minValue(1, 'must be at least 1'),
    v.maxValue(100_000_000, 'must be at most 100000000'),
  ),
  /** Generated by the widget per click; the same key twice is one redemption. */
  idempotencyKey: v.pipe(
    v.string(),
    v.minLength(8),
    v.maxLength(100),
    v.regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _'),
  ),
})

export type CashbackRulesView = v.InferOutput<typeof CashbackRulesView>
export type CashbackRules = Omit<CashbackRulesView, 'updatedAt'>
export type UpdateCashbackRulesBody = v.InferOutput<typeof UpdateCashbackRulesBody>
export type AmountRedemptionView = v.InferOutput<typeof AmountRedemptionView>
export type AmountRedemptionRules = Omit<AmountRedemptionView, 'updatedAt'>
export type UpdateAmountRedemptionBody = v.InferOutput<typeof UpdateAmountRedemptionBody>
export type WidgetCashback = v.InferOutput<typeof WidgetCashback>
export type WidgetAmountRedemption = v.InferOutput<typeof WidgetAmountRedemption>
export type AmountRedeemBody = v.InferOutput<typeof AmountRedeemBody>

// Descriptions of the routes that use these schemas, in /openapi.json.

/** PATCH /v1/programs/:programId/cashback-rules */
export const cashbackRulesDescription =
  'Cashback programs only (409 `wrong_program_mode` otherwise). `percentBp` in basis points (1000 = 10 %) of ' +
  'subtotal − discount (shipping never earns), for orders from `minimumOrderCents`; spendable `pendingDays` after ' +
  'the order reaches an awarding status; each credit expires `validityDays` later (FIFO). ' +
  '`earnOnProgramCouponOrders` false (default): an order paid with a coupon of this program earns nothing. Changes ' +
  'apply from now on; what was credited stays, and a cancellation reverses exactly that.'

/** PATCH /v1/programs/:programId/amount-redemption */
export const amountRedemptionDescription =
  'Points programs only (409 `wrong_program_mode` otherwise): lets shoppers turn points into a coupon of a chosen ' +
  'value at `centsPerPoint`, bounded like cashback by `minRedemptionCents`, `maxRedemptionCents` and ' +
  '`maxOrderSharePct`.'

/** POST /v1/widget/:programKey/redemptions/amount */
export const amountRedeemDescription =
  'A single-use coupon of exactly `amountCents` (type `fixo`), whose minimum order is `amountCents` ÷ ' +
  '`maxOrderSharePct` %, rounded up to the cent. The same exactly-once path as rewards: 201 new / 200 when the ' +
  '`idempotencyKey` was used before; the balance is debited at once (cashback: the cents; points: amountCents ÷ ' +
  'centsPerPoint points); poll `GET …/redemptions/{id}`. Refusals: 409 `amount_redemption_off` (a points program ' +
  'without the option), 409 `insufficient_points` (with `balance`), 400 `validation_failed` field `amountCents` ' +
  '(below the minimum, above the maximum, not a multiple of centsPerPoint), `idempotency_conflict`, ' +
  '`program_paused`.'
