import type { NewOrder, Order } from '../db/schema.ts'
import { cashbackReasons, reasons } from '../i18n/reasons.ts'
import { tierReasons } from '../i18n/tiers.ts'
import { cashbackFor, type CashbackEarnRules } from '../cashback/rules.ts'
import type { EntryInput } from '../ledger/service.ts'
import { saoPauloDay } from '../lib/calendar.ts'
import type { ErasureGuard } from '../members/service.ts'
import { availableOn, campaignFor, idempotencyKey, type CampaignLike } from '../points/rules.ts'
import { earnMultiplied } from '../tiers/rules.ts'
import { classifyStatus, decideAward, pointsFor, type StatusLike, type StatusTarget } from './rules.ts'

/**
 * What an order report does to the order and the ledger, decided without I/O: `applyOrders`
 * (service.ts) reads what these need, calls them, and writes what they answer.
 */

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

/** What one order becomes: its next award state and the ledger action that gets it there. */
export interface Plan {
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

/** What the planning reads once per batch besides the context. */
export interface PlanFacts {
  /** Today in São Paulo (pending periods end on a day). */
  today: string
  /** Each member's tier multiplier, as last evaluated. */
  tierOf: ReadonlyMap<number, { pct: number; name: string }>
  /** This program's coupon codes among the batch's (cashback is not earned on them, when so set). */
  programCoupons: ReadonlySet<string>
}

/** The newest report of each order wins within a batch (by source and id). */
export function latestReports(incoming: readonly IncomingOrder[]): Map<string, IncomingOrder> {
  const latest = new Map<string, IncomingOrder>()
  for (const o of incoming) {
    const key = `${o.source}:${o.externalId}`
    const prior = latest.get(key)
    if (!prior || prior.updatedAt <= o.updatedAt) latest.set(key, o)
  }
  return latest
}

/**
 * Which orders were paid with a coupon of this program ("no cashback on an order paid with
 * cashback"). The code comes from the order's detail or webhook (`cupom_desconto.codigo`,
 * reference §3.3: only `codigo` is confirmed [C]; its case is not, hence upper-cased), else
 * from what we stored. An order whose coupon we never read counts as paid without one: the
 * sync reads the detail of every order that can carry our coupon (integrations/sync-coupons.ts).
 */
export const couponOf = (o: IncomingOrder, prev: Order | undefined) =>
  (o.couponCode !== undefined ? o.couponCode : (prev?.coupon_code ?? null))?.trim().toUpperCase() ?? null

/**
 * One order's plan: with no member it is held as it is (kept until the customer becomes a
 * member; never dropped); otherwise its status, points (campaign and tier applied) and pending
 * period decide the award (rules.ts `decideAward`).
 */
export function planOrder(
  ctx: AwardContext,
  o: IncomingOrder,
  prev: Order | undefined,
  memberId: number | null,
  facts: PlanFacts,
): Plan {
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
  if (memberId !== null) {
    const target = o.target ?? (o.status ? classifyStatus(o.status, ctx.awardingIds) : 'hold')
    // A campaign running on the purchase day (São Paulo) multiplies the points; the reversal
    // later takes back points_awarded, so it takes the campaign's extra points too.
    // Campaigns multiply points; a cashback program has none.
    const campaign =
      !ctx.cashback && ctx.lifecycle.campaigns.length
        ? campaignFor(saoPauloDay(o.placedAt), ctx.lifecycle.campaigns)
        : null
    const eligible = o.subtotalCents - o.discountCents
    const tier = facts.tierOf.get(memberId) ?? null
    // Campaign and tier multiply the whole base and round down once (tiers/rules.ts earnMultiplied).
    const points = earnMultiplied(
      ctx.cashback
        ? cashbackFor(eligible, ctx.cashback, facts.programCoupons.has(couponOf(o, prev) ?? ''))
        : pointsFor(eligible, ctx.earnRate),
      campaign?.multiplierPct ?? null,
      tier?.pct ?? null,
    )
    // The period runs from the day the source last changed the order (when it reached this
    // status, or later): an order delivered weeks before its first import is spendable at once.
    const waitUntil =
      ctx.lifecycle.pendingDays > 0 ? availableOn(saoPauloDay(o.updatedAt), ctx.lifecycle.pendingDays) : null
    const d = decideAward(prevAward, target, points, ctx.salesOn, waitUntil !== null && waitUntil > facts.today)
    plan.action = d.action
    const fresh = d.action?.kind === 'earn' || d.action?.kind === 'pend'
    if (fresh) {
      const words = ctx.cashback ? cashbackReasons : reasons
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
  return plan
}

/**
 * The ledger entries of the earning and reversing plans, in order, against the members' locked
 * balances (updated as it goes). Reversals never overdraw: a shopper who already spent some of
 * the points gives back what is left, and the plan records what was taken.
 */
export function settleEntries(
  ctx: Pick<AwardContext, 'cashback'>,
  acting: readonly Plan[],
  balances: Map<number, number>,
): { entries: EntryInput[]; awarded: number; reversed: number } {
  const words = ctx.cashback ? cashbackReasons : reasons
  let awarded = 0
  let reversed = 0
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
      awarded++
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
      reversed++
    }
  }
  return { entries, awarded, reversed }
}

/** The order row a plan leaves. */
export const orderRow = (programId: string, p: Plan): NewOrder => ({
  program_id: programId,
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
})
