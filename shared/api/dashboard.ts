import * as v from 'valibot'

/**
 * The merchant's dashboard: what the program is worth for a period of 30, 90 or 365 São Paulo
 * days ending today, beside the same figures for the period just before. Money is integer cents;
 * `unit` says what ledger amounts count (points, or cents for a cashback program); rates are
 * fractions (0–1) or null when nothing was there to divide by.
 */

export const DASHBOARD_DAYS = ['30', '90', '365'] as const
export const DASHBOARD_EXPORTS = ['summary', 'weekly', 'rewards', 'members'] as const
export type DashboardExport = (typeof DASHBOARD_EXPORTS)[number]

export const DashboardQuery = v.object({
  days: v.optional(v.pipe(v.picklist(DASHBOARD_DAYS, 'must be 30, 90 or 365'), v.transform(Number)), '30'),
})

export const DashboardExportParams = v.object({
  programId: v.pipe(v.string(), v.uuid('must be a UUID')),
  figure: v.picklist(DASHBOARD_EXPORTS, 'must be one of summary, weekly, rewards, members'),
})

const Rate = v.nullable(v.number())

const Group = v.object({
  orders: v.number(),
  revenueCents: v.number(),
  /** Distinct customers with an order in the period. */
  customers: v.number(),
  /** Of them, those with 2 or more orders in the period. */
  repeatCustomers: v.number(),
  averageOrderCents: v.nullable(v.number()),
  repeatRate: Rate,
})

export const DashboardFigures = v.object({
  members: v.object({
    /** Members enrolled by the end of the period. */
    total: v.number(),
    new: v.number(),
    /** Share of the period's buying customers who are members. */
    buyerShare: Rate,
  }),
  byMembers: Group,
  byNonMembers: Group,
  /** Orders that used a coupon of one of the program's redemptions. */
  couponOrders: v.object({ orders: v.number(), revenueCents: v.number() }),
  /** Ledger amounts in `unit`: credited (earn, bonus, positive adjustments), redeemed net of refunds, … */
  ledger: v.object({
    issued: v.number(),
    redeemed: v.number(),
    expired: v.number(),
    reversed: v.number(),
    redemptionRate: Rate,
  }),
  /** What members held at the end of the period, in `unit`, and its value in cents (null: unknown). */
  liability: v.object({ balance: v.number(), cents: v.nullable(v.number()) }),
  redemptions: v.object({ count: v.number(), couponsIssued: v.number(), couponsUsed: v.number() }),
  /** Referral conversions (issue 19): claims in the period, of them coupons sent, and advocates credited in it. */
  referrals: v.object({ claims: v.number(), couponsSent: v.number(), credited: v.number() }),
})

export const DashboardWeek = v.object({
  /** São Paulo day the week starts on (a Monday; the first and last weeks may be cut by the period). */
  start: v.string(),
  newMembers: v.number(),
  memberOrders: v.number(),
  nonMemberOrders: v.number(),
  memberRevenueCents: v.number(),
  nonMemberRevenueCents: v.number(),
  issued: v.number(),
  redeemed: v.number(),
  expired: v.number(),
  reversed: v.number(),
})

export const DashboardView = v.object({
  days: v.number(),
  unit: v.picklist(['points', 'cents']),
  /** São Paulo days, both inclusive. */
  period: v.object({ from: v.string(), to: v.string() }),
  previousPeriod: v.object({ from: v.string(), to: v.string() }),
  current: DashboardFigures,
  previous: DashboardFigures,
  weeks: v.array(DashboardWeek),
  topRewards: v.array(
    v.object({ rewardId: v.string(), title: v.string(), redemptions: v.number(), points: v.number() }),
  ),
  /**
   * How points become reais: the median cents per point of the active rewards with a value in
   * reais (fixed-discount coupons; products when there is none), in 1/1000 of a cent per point.
   * null when no reward has a value (the liability is then known in points only) or for cashback.
   */
  pointValue: v.object({
    milliCentsPerPoint: v.nullable(v.number()),
    basis: v.picklist(['fixed_discount', 'product', 'cashback', 'none']),
    rewards: v.number(),
  }),
  /**
   * Members in each VIP tier now (lowest first) and below the first tier; null when the program
   * has no tiers (issue 20).
   */
  tiers: v.nullable(
    v.object({
      tiers: v.array(v.object({ id: v.string(), name: v.string(), color: v.string(), members: v.number() })),
      noTier: v.number(),
    }),
  ),
})

export type DashboardQuery = v.InferOutput<typeof DashboardQuery>
export type DashboardFigures = v.InferOutput<typeof DashboardFigures>
export type DashboardWeek = v.InferOutput<typeof DashboardWeek>
export type DashboardView = v.InferOutput<typeof DashboardView>

/** GET /v1/programs/:programId/dashboard */
export const dashboardDescription =
  'Every figure of the period (`days`: 30, 90 or 365 São Paulo days ending today) and of the period ' +
  'before it. Cancelled orders (a cancelling or refunding status) never count; revenue is the order ' +
  'total. A member order is an order of a customer who is a member of the program. `ledger` amounts are ' +
  'in `unit` by when they happened (an earn on the order placing). `liability.cents` values the points ' +
  'members hold at `pointValue` (the median cents per point of the active rewards with a value in reais); ' +
  'for a cashback program the balance already is cents.'

/** GET /v1/programs/:programId/dashboard/exports/:figure */
export const dashboardExportDescription =
  'CSV for spreadsheets in Brazil: UTF-8 with a BOM, `;` between fields, decimal comma, dates dd/mm/aaaa. ' +
  '`summary`: every figure, this period and the one before; `weekly`: the weekly series; `rewards`: the ' +
  'top rewards by redemptions; `members`: every member with their balance (streamed, any size).'
