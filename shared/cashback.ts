/**
 * Pure money rules of "any amount" coupons, shared by the server (which creates the coupon) and
 * the widget (which shows them live as the shopper types). Integer cents only.
 */

/**
 * The coupon's minimum order that enforces "at most `maxSharePct` % of an order": the smallest
 * order total T with amount ≤ T × pct / 100, i.e. ceil(amount × 100 / pct) — rounded up to the
 * cent so the cap always holds. 100 % = the amount itself.
 */
export function minimumOrderForAmount(amountCents: number, maxSharePct: number): number {
  return Math.ceil((amountCents * 100) / maxSharePct)
}

/** The largest coupon an order of `orderCents` can take under the cap (rounded down to the cent). */
export function largestAmountForOrder(orderCents: number, maxSharePct: number): number {
  return Math.floor((orderCents * maxSharePct) / 100)
}
