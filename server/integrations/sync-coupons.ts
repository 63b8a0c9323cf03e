import type { Executor } from '../db/database.ts'
import { couponHoldersByLiIds } from '../members/service.ts'
import { listOrdersByIds } from '../orders/service.ts'
import { LiError, type LiClient } from '../loja-integrada/client.ts'
import type { LiOrder, LiOrderSummary } from '../loja-integrada/types.ts'

/**
 * Which orders of a sync batch used one of our coupons. LI's listing is a summary without
 * `cupom_desconto` (reference §3.1); only the detail carries it (§3.3, where only `codigo` is
 * confirmed). A detail per order would multiply the sync's requests by ~20, so it is read only for
 * orders that can carry a coupon of ours: placed by a member while they held one
 * (`members.coupon_held_until`, set when a coupon is issued), and whose code is not known yet.
 * Real stores see a handful per sync; a store nobody redeemed in costs one query per batch.
 *
 * Returns the details by numero (they replace the summaries when applied: a detail is the order's
 * state at least as new as its summary).
 */
export async function couponDetails(
  db: Executor,
  client: LiClient,
  programId: string,
  items: readonly LiOrderSummary[],
): Promise<Map<number, LiOrder>> {
  const out = new Map<number, LiOrder>()
  const liIds = [...new Set(items.flatMap((o) => (o.customerId === null ? [] : [o.customerId])))]
  const holders = new Map(
    (await couponHoldersByLiIds(db, programId, liIds)).map((h) => [h.li_customer_id, h.coupon_held_until]),
  )
  if (holders.size === 0) return out
  const candidates = items.filter((o) => {
    const until = o.customerId === null ? undefined : holders.get(o.customerId)
    return until !== undefined && o.createdAt.getTime() <= until.getTime()
  })
  if (candidates.length === 0) return out
  const stored = await listOrdersByIds(
    db,
    programId,
    'li',
    candidates.map((o) => String(o.numero)),
  )
  const known = new Set(stored.filter((r) => r.coupon_code !== null).map((r) => Number(r.external_id)))
  for (const o of candidates) {
    if (known.has(o.numero) || out.has(o.numero)) continue
    try {
      out.set(o.numero, await client.getOrder(o.numero))
    } catch (err) {
      // Gone between the listing and the detail: the summary is applied as it is.
      if (err instanceof LiError && err.kind === 'not_found') continue
      throw err
    }
  }
  return out
}
