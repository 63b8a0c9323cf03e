import type { Trx } from '../db/database.ts'
import type { NewOrder, Order } from '../db/schema.ts'
import { cashbackReasons, reasons } from '../i18n/reasons.ts'
import { cashbackFor, type CashbackEarnRules } from '../cashback/rules.ts'
import { programCouponCodes } from '../cashback/service.ts'
import { lockBalances, postNewEntries, type EntryInput } from '../ledger/service.ts'
import { saoPauloDay } from '../lib/calendar.ts'
import { availableOn, campaignFor, idempotencyKey, type CampaignLike } from '../points/rules.ts'
import { tierReasons } from '../i18n/tiers.ts'
import { earnMultiplied, evaluateTiers, loadSetup, tierMultipliers } from '../tiers/service.ts'
import { type ErasureGuard, findErased, memberIdsByLiIds } from '../members/service.ts'
import * as repo from './repository.ts'
import { classifyStatus, decideAward, pointsFor, REVERSAL_CODES, type StatusLike, type StatusTarget } from './rules.ts'

/** Reads and writes other features need, through this service rather than the repository. */
export { countOrders, hasOrderFromEmail, listOrdersByIds, ordersOfCustomers } from './repository.ts'
/**
 * Status codes that take an order's points back (LI's, by codigo), and the code an ERP sale reported
 * cancelled is stored with: reports (server/dashboard) leave such orders out of revenue.
 */
export const CANCELLED_ORDER_CODES: readonly string[] = [...REVERSAL_CODES, 'reverse']

/** One sale as its source reports it now: an LI order summary or an ERP sale. */
export interface IncomingOrder {
  source: 'li' | 'erp'
  externalId: string
  liCustomerId: number | null
  customerEmail: string | null
  /** Known member (ERP sales enrol by e-mail first); otherwise found by LI customer id. */
  memberId?: number | null
  /** LI status; ERP sales give `target` instead. */
  status: (StatusLike & { name?: string }) | null
  target?: StatusTarget
  subtotalCents: number
  shippingCents: number
  discountCents: number
  totalCents: number
  placedAt: Date
  updatedAt: Date
  /**
   * The LI coupon the order used, when this report says (an order detail or webhook); undefined
   * when it does not (a listing summary): the stored code then stays.
   */
  couponCode?: string | null
}

export interface AwardContext {
  programId: string
  earnRate: number
  awardingIds: ReadonlySet<number>
  /** May this source award points now (sales registration / ERP toggle)? */
  salesOn: boolean
  /** The store's statuses, to classify stored orders when they are re-applied. */
  statuses: ReadonlyMap<number, StatusLike & { name: string }>
  /** Pending period and campaigns (server/points/service.ts `awardLifecycle`, read once per batch). */
  lifecycle: { pendingDays: number; campaigns: readonly CampaignLike[] }
  /**
   * A cashback program's earning rules (cashback/service.ts `cashbackEarnRules`); absent or null =
   * points at `earnRate`. In cashback mode the ledger unit is the cent: `points_awarded` holds the
   * cents credited, and a cancellation reverses exactly those.
   */
  cashback?: CashbackEarnRules | null
  /** Recognises customers who had their data erased (their orders are kept without who they were). */
  guard: ErasureGuard
}

export interface ApplyCounts {
  seen: number
  created: number
  updated: number
  awarded: number
  reversed: number
  held: number
  stale: number
}

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
  // The newest report of each order wins within a batch.
  const latest = new Map<string, IncomingOrder>()
  for (const o of incoming) {
    const key = `${o.source}:${o.externalId}`
    const prior = latest.get(key)
    if (!prior || prior.updatedAt <= o.updatedAt) latest.set(key, o)
  }
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

  interface Plan {
    o: IncomingOrder
    prev: Order | undefined
    memberId: number | null
    next: {
      state: Order['award_state']
      cycle: number
      pointsAwarded: number
      pointsReversed: number
      availableOn: string | null
      pendingReason: string | null
    }
    action: ReturnType<typeof decideAward>['action']
    /** The earn entry's reason (names a campaign when one multiplied the points). */
    earnReason: string
  }
  const plans: Plan[] = []
  const today = saoPauloDay(new Date())
  // VIP tiers (server/tiers): the member's tier, as last evaluated, multiplies what an order
  // earns; the batch's members are re-evaluated once its orders are written (below).
  const tierSetup = await loadSetup(trx, ctx.programId)
  const tierOf = tierSetup
    ? await tierMultipliers(
        trx,
        ctx.programId,
        [...latest].flatMap(([key, o]) => {
          const id =
            o.memberId ??
            stored.get(key)?.member_id ??
            (o.liCustomerId !== null ? (memberByLiId.get(o.liCustomerId) ?? null) : null)
          return id === null ? [] : [id]
        }),
      )
    : new Map<number, { pct: number; name: string }>()
  const cashback = ctx.cashback ?? null
  const words = cashback ? cashbackReasons : reasons
  // Which orders were paid with a coupon of this program ("no cashback on an order paid with
  // cashback"). The code comes from the order's detail or webhook (`cupom_desconto.codigo`,
  // reference §3.3: only `codigo` is confirmed [C]; its case is not, hence upper-cased), else
  // from what we stored. An order whose coupon we never read counts as paid without one: the
  // sync reads the detail of every order that can carry our coupon (integrations/sync-coupons.ts).
  const couponOf = (o: IncomingOrder, prev: Order | undefined) =>
    (o.couponCode !== undefined ? o.couponCode : (prev?.coupon_code ?? null))?.trim().toUpperCase() ?? null
  const programCoupons =
    cashback && !cashback.earnOnProgramCouponOrders
      ? await programCouponCodes(trx, ctx.programId, [
          ...new Set(
            [...latest].flatMap(([key, o]) => {
              const code = couponOf(o, stored.get(key))
              return code ? [code] : []
            }),
          ),
        ])
      : new Set<string>()
  for (const [key, o] of latest) {
    const prev = stored.get(key)
    if (prev && prev.source_updated_at.getTime() > o.updatedAt.getTime()) {
      counts.stale++
      continue
    }
    const memberId =
      o.memberId ?? prev?.member_id ?? (o.liCustomerId !== null ? (memberByLiId.get(o.liCustomerId) ?? null) : null)
    const prevAward = {
      state: prev?.award_state ?? 'none',
      cycle: prev?.award_cycle ?? 0,
      pointsAwarded: prev?.points_awarded ?? 0,
    }
    const pending = { availableOn: prev?.available_on ?? null, pendingReason: prev?.pending_reason ?? null }
    const plan: Plan = {
      o,
      prev,
      memberId,
      next: { ...prevAward, pointsReversed: prev?.points_reversed ?? 0, ...pending },
      action: null,
      earnReason: '',
    }
    if (memberId === null) {
      counts.held++ // kept until the customer becomes a member; never dropped
    } else {
      const target = o.target ?? (o.status ? classifyStatus(o.status, ctx.awardingIds) : 'hold')
      // A campaign running on the purchase day (São Paulo) multiplies the points; the reversal
      // later takes back points_awarded, so it takes the campaign's extra points too.
      // Campaigns multiply points; a cashback program has none.
      const campaign =
        !cashback && ctx.lifecycle.campaigns.length
          ? campaignFor(saoPauloDay(o.placedAt), ctx.lifecycle.campaigns)
          : null
      const eligible = o.subtotalCents - o.discountCents
      const tier = tierOf.get(memberId) ?? null
      // Campaign and tier multiply the whole base and round down once (tiers/rules.ts earnMultiplied).
      const points = earnMultiplied(
        cashback
          ? cashbackFor(eligible, cashback, programCoupons.has(couponOf(o, prev) ?? ''))
          : pointsFor(eligible, ctx.earnRate),
        campaign?.multiplierPct ?? null,
        tier?.pct ?? null,
      )
      // The period runs from the day the source last changed the order (when it reached this
      // status, or later): an order delivered weeks before its first import is spendable at once.
      const waitUntil =
        ctx.lifecycle.pendingDays > 0 ? availableOn(saoPauloDay(o.updatedAt), ctx.lifecycle.pendingDays) : null
      const d = decideAward(prevAward, target, points, ctx.salesOn, waitUntil !== null && waitUntil > today)
      plan.action = d.action
      const fresh = d.action?.kind === 'earn' || d.action?.kind === 'pend'
      if (fresh) {
        const base = o.source === 'li' ? words.orderEarn(o.externalId) : words.saleEarn(o.externalId)
        const withCampaign = campaign ? reasons.campaignEarn(base, campaign.name, campaign.multiplierPct) : base
        plan.earnReason = tier ? tierReasons.tierEarn(withCampaign, tier.name, tier.pct) : withCampaign
      }
      // Pending: the points wait on the row until `available_on`; released by server/points/pending.ts.
      const waiting =
        d.action?.kind === 'pend'
          ? { availableOn: waitUntil, pendingReason: plan.earnReason }
          : d.action?.kind === 'drop'
            ? { availableOn: null, pendingReason: null }
            : pending
      plan.next = { ...d.next, pointsReversed: fresh ? 0 : plan.next.pointsReversed, ...waiting }
    }
    plans.push(plan)
  }

  // Reversals never overdraw: take back what is left if the shopper already spent some points.
  const acting = plans.filter((p) => p.action?.kind === 'earn' || p.action?.kind === 'reverse')
  const locked = await lockBalances(
    trx,
    ctx.programId,
    acting.map((p) => p.memberId!),
  )
  const balances = new Map(locked)
  const entries: EntryInput[] = []
  for (const p of acting) {
    const a = p.action!
    const balance = balances.get(p.memberId!) ?? 0
    if (a.kind === 'earn') {
      entries.push({
        memberId: p.memberId!,
        kind: 'earn',
        amount: a.amount,
        reason: p.earnReason,
        idempotencyKey: idempotencyKey(p.o.source, p.o.externalId, 'earn', a.cycle),
        orderRef: `${p.o.source}:${p.o.externalId}`,
        // The shopper's history dates a purchase's points by the purchase, not by the import.
        occurredAt: p.o.placedAt,
      })
      balances.set(p.memberId!, balance + a.amount)
      counts.awarded++
    } else {
      const take = Math.min(a.amount, balance)
      const base =
        p.o.source === 'li'
          ? words.orderReverse(p.o.externalId, p.o.status?.name ?? null)
          : words.saleReverse(p.o.externalId)
      if (take > 0) {
        entries.push({
          memberId: p.memberId!,
          kind: 'reverse',
          amount: -take,
          reason: take < a.amount ? words.partialReverse(base, take, a.amount) : base,
          idempotencyKey: idempotencyKey(p.o.source, p.o.externalId, 'reverse', a.cycle),
          orderRef: `${p.o.source}:${p.o.externalId}`,
          // The cancellation as we learned it: the source's last change of the order (now, at the latest).
          occurredAt: p.o.updatedAt,
        })
      }
      balances.set(p.memberId!, balance - take)
      p.next.pointsReversed = take
      counts.reversed++
    }
  }
  // Every key here is new: earn/reverse keys carry the award cycle, which only moves forward on
  // the order rows locked above, in this transaction (postNewEntries still guards against a
  // taken key).
  await postNewEntries(trx, ctx.programId, entries, locked)

  const rows: NewOrder[] = plans.map((p) => ({
    program_id: ctx.programId,
    source: p.o.source,
    external_id: p.o.externalId,
    li_customer_id: p.o.liCustomerId,
    customer_email: p.o.customerEmail,
    member_id: p.memberId,
    status_id: p.o.status?.id ?? null,
    status_code: p.o.status?.code ?? p.o.target ?? null,
    subtotal_cents: p.o.subtotalCents,
    shipping_cents: p.o.shippingCents,
    discount_cents: p.o.discountCents,
    total_cents: p.o.totalCents,
    placed_at: p.o.placedAt,
    source_updated_at: p.o.updatedAt,
    award_state: p.next.state,
    award_cycle: p.next.cycle,
    points_awarded: p.next.pointsAwarded,
    points_reversed: p.next.pointsReversed,
    available_on: p.next.availableOn,
    pending_reason: p.next.pendingReason,
    coupon_code: p.o.couponCode !== undefined ? p.o.couponCode : (p.prev?.coupon_code ?? null),
  }))
  for (const p of plans) p.prev ? counts.updated++ : counts.created++
  await repo.upsertOrders(
    trx,
    rows.sort((a, b) => a.external_id.localeCompare(b.external_id)),
  )
  if (tierSetup)
    await evaluateTiers(
      trx,
      { id: ctx.programId, mode: cashback ? 'cashback' : 'points' },
      plans.flatMap((p) => (p.memberId === null ? [] : [p.memberId])),
      { grant: true, today },
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
