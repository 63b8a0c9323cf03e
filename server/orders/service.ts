import type { Trx } from '../db/database.ts'
import type { Order } from '../db/schema.ts'
import { programCouponCodes } from '../cashback/service.ts'
import { lockBalances, postNewEntries } from '../ledger/service.ts'
import { saoPauloDay } from '../lib/calendar.ts'
import { evaluateTiers, loadSetup, tierMultipliers } from '../tiers/service.ts'
import { findErased, memberIdsByLiIds } from '../members/service.ts'
import * as repo from './repository.ts'
import {
  couponOf,
  latestReports,
  orderRow,
  planOrder,
  settleEntries,
  type ApplyCounts,
  type AwardContext,
  type IncomingOrder,
  type Plan,
  type PlanFacts,
} from './plan.ts'
import { REVERSAL_CODES, type StatusTarget } from './rules.ts'

export type { ApplyCounts, AwardContext, IncomingOrder } from './plan.ts'
/** Reads and writes other features need, through this service rather than the repository. */
export { countOrders, hasOrderFromEmail, listOrdersByIds, ordersOfCustomers } from './repository.ts'
/**
 * Status codes that take an order's points back (LI's, by codigo), and the code an ERP sale reported
 * cancelled is stored with: reports (server/dashboard) leave such orders out of revenue.
 */
export const CANCELLED_ORDER_CODES: readonly string[] = [...REVERSAL_CODES, 'reverse']

/**
 * Brings stored orders and the ledger to the state the source reports, inside the caller's
 * transaction. State-based and idempotent: replaying the same states changes nothing; an older
 * state than the one stored is ignored (a late sync page never undoes a newer webhook).
 */
export async function applyOrders(trx: Trx, ctx: AwardContext, incoming: IncomingOrder[]): Promise<ApplyCounts> {
  const counts: ApplyCounts = {
    seen: incoming.length,
    created: 0,
    updated: 0,
    awarded: 0,
    reversed: 0,
    held: 0,
    stale: 0,
  }
  if (incoming.length === 0) return counts
  const latest = latestReports(incoming)
  const bySource = new Map<'li' | 'erp', IncomingOrder[]>()
  for (const o of latest.values()) {
    const list = bySource.get(o.source)
    if (list) list.push(o)
    else bySource.set(o.source, [o])
  }

  const stored = new Map<string, Order>()
  for (const [source, list] of bySource) {
    for (const row of await repo.lockOrders(trx, ctx.programId, source, list.map((o) => o.externalId).sort())) {
      stored.set(`${source}:${row.external_id}`, row)
    }
  }

  await forgetErasedCustomers(trx, ctx, latest)

  const needLookup = [...latest.values()]
    .filter((o) => !o.memberId && o.liCustomerId !== null)
    .map((o) => o.liCustomerId!)
  const memberByLiId = new Map(
    (await memberIdsByLiIds(trx, ctx.programId, [...new Set(needLookup)])).map((m) => [m.li_customer_id, m.id]),
  )
  const memberOf = (key: string, o: IncomingOrder) =>
    o.memberId ??
    stored.get(key)?.member_id ??
    (o.liCustomerId !== null ? (memberByLiId.get(o.liCustomerId) ?? null) : null)

  // VIP tiers (server/tiers): the member's tier, as last evaluated, multiplies what an order
  // earns; the batch's members are re-evaluated once its orders are written (below).
  const tierSetup = await loadSetup(trx, ctx.programId)
  const tierOf = tierSetup
    ? await tierMultipliers(
        trx,
        ctx.programId,
        [...latest].flatMap(([key, o]) => {
          const id = memberOf(key, o)
          return id === null ? [] : [id]
        }),
      )
    : new Map<number, { pct: number; name: string }>()
  const programCoupons =
    ctx.cashback && !ctx.cashback.earnOnProgramCouponOrders
      ? await programCouponCodes(trx, ctx.programId, [
          ...new Set(
            [...latest].flatMap(([key, o]) => {
              const code = couponOf(o, stored.get(key))
              return code ? [code] : []
            }),
          ),
        ])
      : new Set<string>()
  const facts: PlanFacts = { today: saoPauloDay(new Date()), tierOf, programCoupons }

  const plans: Plan[] = []
  for (const [key, o] of latest) {
    const prev = stored.get(key)
    if (prev && prev.source_updated_at.getTime() > o.updatedAt.getTime()) {
      counts.stale++
      continue
    }
    const plan = planOrder(ctx, o, prev, memberOf(key, o), facts)
    if (plan.memberId === null) counts.held++
    plans.push(plan)
  }

  const acting = plans.filter((p) => p.action?.kind === 'earn' || p.action?.kind === 'reverse')
  const locked = await lockBalances(
    trx,
    ctx.programId,
    acting.map((p) => p.memberId!),
  )
  const settled = settleEntries(ctx, acting, new Map(locked))
  counts.awarded += settled.awarded
  counts.reversed += settled.reversed
  // Every key here is new: earn/reverse keys carry the award cycle, which only moves forward on
  // the order rows locked above, in this transaction (postNewEntries still guards against a
  // taken key).
  await postNewEntries(trx, ctx.programId, settled.entries, locked)

  const rows = plans.map((p) => orderRow(ctx.programId, p))
  for (const p of plans) p.prev ? counts.updated++ : counts.created++
  await repo.upsertOrders(
    trx,
    rows.sort((a, b) => a.external_id.localeCompare(b.external_id)),
  )
  if (tierSetup)
    await evaluateTiers(
      trx,
      { id: ctx.programId, mode: ctx.cashback ? 'cashback' : 'points' },
      plans.flatMap((p) => (p.memberId === null ? [] : [p.memberId])),
      { grant: true, today: facts.today },
      tierSetup,
    )
  return counts
}

/**
 * Orders of a customer who had their data erased keep their amounts and points (the program's
 * figures and the anonymised member's balance still add up) but not the customer's LI id or
 * e-mail, and a new one is never linked to a member by them: LGPD erasure (server/privacy/).
 */
async function forgetErasedCustomers(trx: Trx, ctx: AwardContext, latest: Map<string, IncomingOrder>) {
  const withId = [...latest.values()].filter((o) => o.liCustomerId !== null || o.customerEmail !== null)
  if (withId.length === 0) return
  const erased = await findErased(trx, ctx.programId, ctx.guard, {
    emails: withId.flatMap((o) => (o.customerEmail ? [o.customerEmail.trim().toLowerCase()] : [])),
    liIds: withId.flatMap((o) => (o.liCustomerId !== null ? [o.liCustomerId] : [])),
  })
  if (erased.emails.size === 0 && erased.liIds.size === 0) return
  for (const [key, o] of latest) {
    const byEmail = o.customerEmail !== null && erased.emails.has(o.customerEmail.trim().toLowerCase())
    const byLi = o.liCustomerId !== null && erased.liIds.has(o.liCustomerId)
    if (byEmail || byLi) latest.set(key, { ...o, liCustomerId: null, customerEmail: null })
  }
}

/** Re-applies stored orders (held ones after their customer enrolled, or all after a rules change). */
export async function reapplyStored(
  trx: Trx,
  ctx: AwardContext,
  source: 'li' | 'erp',
  externalIds: string[],
): Promise<ApplyCounts> {
  const rows = await repo.listOrdersByIds(trx, ctx.programId, source, externalIds)
  return applyOrders(
    trx,
    ctx,
    rows.map((r) => ({
      source,
      externalId: r.external_id,
      liCustomerId: r.li_customer_id,
      customerEmail: r.customer_email,
      memberId: r.member_id,
      status:
        r.status_id !== null
          ? (ctx.statuses.get(r.status_id) ?? {
              id: r.status_id,
              code: r.status_code ?? '',
              cancelled: false,
              final: false,
            })
          : null,
      ...(source === 'erp' ? { target: (r.status_code === 'reverse' ? 'reverse' : 'award') as StatusTarget } : {}),
      subtotalCents: r.subtotal_cents,
      shippingCents: r.shipping_cents,
      discountCents: r.discount_cents,
      totalCents: r.total_cents,
      placedAt: r.placed_at,
      updatedAt: r.source_updated_at,
      couponCode: r.coupon_code,
    })),
  )
}

export const heldOrderIds = repo.heldOrderIds
export const orderIdsPage = repo.orderIdsPage
