/**
 * Proposed points cost of a product reward; the merchant can override it.
 *
 * Rule: a product costs the points a shopper earns by spending `spendMultiple` times its price.
 *
 *   cost = price in R$ × earn rate (points per R$ 1) × spendMultiple, rounded up to a friendly step
 *
 * With the default multiple of 10 the program gives back, in products, 10% of what shoppers
 * spend at retail price; since the merchant pays cost price, not retail, the real cost is about
 * 4–6% of revenue, the usual range of retail loyalty programs. Expressing it through the earn
 * rate keeps the proposal consistent when the merchant changes the rate: a R$ 100 product is
 * always "R$ 1 000 of purchases away", whatever a point is worth.
 *
 * Rounding is always up, to a step that grows with the cost (5, 10, 50, 100), so catalogues show
 * 1 300 points rather than 1 299 and never ask less than the rule.
 *
 * Pass the regular price, not a temporary sale price: a reward priced from a promotion would
 * stay cheap after the promotion ends.
 */

export const DEFAULT_SPEND_MULTIPLE = 10

export interface PointsCostOptions {
  /** How many times the price a shopper must spend to earn the product; default 10. */
  spendMultiple?: number
}

export function proposePointsCost(
  priceCents: number,
  earnRatePointsPerReal: number,
  options: PointsCostOptions = {},
): number {
  const spendMultiple = options.spendMultiple ?? DEFAULT_SPEND_MULTIPLE
  if (!Number.isSafeInteger(priceCents) || priceCents <= 0)
    throw new RangeError('priceCents must be a positive integer')
  if (!Number.isFinite(earnRatePointsPerReal) || earnRatePointsPerReal <= 0)
    throw new RangeError('earn rate must be a positive number')
  if (!Number.isFinite(spendMultiple) || spendMultiple <= 0)
    throw new RangeError('spendMultiple must be a positive number')

  const exact = (priceCents * earnRatePointsPerReal * spendMultiple) / 100
  // Rounded to 6 decimals first so float noise (1 300.0000000002) does not push a whole step up.
  const points = Math.max(1, Math.ceil(Math.round(exact * 1e6) / 1e6))
  const step = friendlyStep(points)
  const cost = Math.ceil(points / step) * step
  if (!Number.isSafeInteger(cost)) throw new RangeError('points cost out of range')
  return cost
}

/** The rounding step for a raw cost: fine for small costs, coarser as they grow. */
export function friendlyStep(points: number): number {
  if (points <= 100) return 5
  if (points <= 1_000) return 10
  if (points <= 10_000) return 50
  return 100
}
