import * as v from 'valibot'
import { DateTime, HexColor, IsoDate, NonEmpty, Uuid } from './common.ts'

/**
 * VIP tiers (issue 19): 2 to 5 tiers per program, earned by spend (eligible cents of awarded
 * orders) or by what orders earned (points, or cents in a cashback program), over a window.
 */
export const TIER_BASES = ['spend', 'earned'] as const
export type TierBasis = (typeof TIER_BASES)[number]
export const TIER_WINDOWS = ['lifetime', 'calendar_year', 'rolling_12m'] as const
export type TierWindow = (typeof TIER_WINDOWS)[number]

const WholeNumber = (min: number, max: number) =>
  v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(min), v.maxValue(max))

export const TierInput = v.object({
  /** An existing tier's id keeps it (its members, its entry rewards already paid); absent = a new tier. */
  id: v.optional(Uuid),
  name: NonEmpty(40),
  color: HexColor,
  /** Cents when the basis is `spend`; the ledger unit (points, or cents in cashback) when `earned`. */
  threshold: WholeNumber(1, 100_000_000_00),
  /** Hundredths: 150 = earns × 1,5. Combined with a campaign by multiplying both, rounded down once. */
  multiplierPct: v.optional(WholeNumber(100, 1000), 100),
  /** Bonus (ledger unit) granted once per tier per window on entering it; 0 = none. */
  entryReward: v.optional(WholeNumber(0, 1_000_000_000), 0),
  /**
   * A reward of the program's catalogue whose coupon is given on entering the tier, once per tier
   * per window like the bonus, without spending anything; null/absent = none.
   */
  entryRewardId: v.optional(v.nullable(Uuid), null),
})

export const TierRulesBody = v.object({
  basis: v.picklist(TIER_BASES, 'must be spend or earned'),
  window: v.picklist(TIER_WINDOWS, 'must be lifetime, calendar_year or rolling_12m'),
  tiers: v.pipe(v.array(TierInput), v.minLength(2, 'must have 2 to 5 tiers'), v.maxLength(5, 'must have 2 to 5 tiers')),
})

export const TierView = v.object({
  id: Uuid,
  name: v.string(),
  color: v.string(),
  threshold: v.number(),
  multiplierPct: v.number(),
  entryReward: v.number(),
  entryRewardId: v.nullable(Uuid),
})

export const TierRulesView = v.object({
  /** False until the merchant saves tiers (then basis/window are the defaults and `tiers` is empty). */
  enabled: v.boolean(),
  basis: v.picklist(TIER_BASES),
  window: v.picklist(TIER_WINDOWS),
  /** Lowest threshold first. */
  tiers: v.array(TierView),
  updatedAt: v.nullable(DateTime),
  /** A saved change is being applied by a job (programs over 20,000 members): these are still the rules in force. */
  reevaluating: v.boolean(),
})

export const TierPreview = v.object({
  /** Members in each tier of the body, lowest first, as they would land if saved now. */
  tiers: v.array(v.object({ name: v.string(), members: v.number() })),
  /** Members below the first tier. */
  noTier: v.number(),
})

export const TierSaveResult = v.object({
  rules: TierRulesView,
  /** Members re-evaluated and how many changed tier (no balance changes: a rules change grants nothing). */
  evaluated: v.number(),
  changed: v.number(),
  /**
   * True for a program over 20,000 members: the change was saved and a job applies it and
   * re-evaluates everyone (`rules` are still the ones in force; `GET …/tiers` says `reevaluating`
   * until it is done); `evaluated`/`changed` are then 0.
   */
  queued: v.boolean(),
})

export const TierBadge = v.object({ id: Uuid, name: v.string(), color: v.string() })

/** A member's standing (widget `me` and the admin member view); null when the program has no tiers. */
export const MemberTier = v.object({
  tier: v.nullable(TierBadge),
  basis: v.picklist(TIER_BASES),
  window: v.picklist(TIER_WINDOWS),
  /** What counts in the current window: cents (spend, or earned in cashback) or points. */
  qualifying: v.number(),
  unit: v.picklist(['cents', 'points']),
  /** Calendar-year windows: the last São Paulo day the tier is kept; null otherwise. */
  keptUntil: v.nullable(IsoDate),
  next: v.nullable(v.object({ ...TierBadge.entries, missing: v.number() })),
  /** pt-BR: "Faltam R$ 120,00 para Ouro"; null at the top tier. */
  nextText: v.nullable(v.string()),
  /** pt-BR: "Você mantém o Prata até 31/12/2027"; null when nothing is to keep or the window has no end. */
  keepText: v.nullable(v.string()),
})

export type TierRulesBody = v.InferOutput<typeof TierRulesBody>
export type TierRulesView = v.InferOutput<typeof TierRulesView>
export type TierPreview = v.InferOutput<typeof TierPreview>
export type MemberTier = v.InferOutput<typeof MemberTier>

export const tierRulesDescription =
  'Tiers are earned by `spend` (subtotal − discount of orders in an awarding status, cents) or by `earned` ' +
  '(what those orders credited: points, or cents in a cashback program; bonuses, redemptions and the balance ' +
  'never count), summed by purchase day (São Paulo) over `window`: `lifetime`, `calendar_year` (a tier reached ' +
  'in a year is kept through the next one) or `rolling_12m`. A cancelled order stops counting at the next ' +
  'evaluation (when orders change, and daily). `multiplierPct` multiplies what orders earn; with a campaign ' +
  'both multiply and the result is rounded down once (100 points × campaign 200 × tier 150 = 300). ' +
  '`entryReward` is credited once per tier per window (`tier:<tierId>:<window>`) when a member rises into ' +
  "it; `entryRewardId` gives that reward's coupon the same way (nothing debited; a coupon the store " +
  'refuses is simply not given). Saving re-evaluates every member and never touches a balance (no entry ' +
  'rewards for it): inside the request up to 20,000 members, by a job above (`queued`).'
