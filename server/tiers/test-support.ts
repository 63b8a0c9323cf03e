import type { Db } from '../db/database.ts'
import type { AppDeps } from '../deps.ts'
import { privacyKey } from '../config/secrets.ts'
import { applyOrders, type AwardContext, type IncomingOrder } from '../orders/service.ts'

/**
 * ERP-style sales applied as the sync and the ERP endpoint apply them (earn rate 1, no pending
 * period, cashback at 10 % in a cashback program): `sale(id, member, cents, valid, placedAt)`
 * writes one order in its current state (`valid` false = cancelled). Tests of tiers only.
 */
export function erpSales(deps: Pick<AppDeps, 'db' | 'secrets'>, programId: string, mode: 'points' | 'cashback') {
  const ctx: AwardContext = {
    programId,
    earnRate: 1,
    awardingIds: new Set(),
    salesOn: true,
    statuses: new Map(),
    lifecycle: { pendingDays: 0, campaigns: [] },
    cashback: mode === 'cashback' ? { percentBp: 1000, minimumOrderCents: 0, earnOnProgramCouponOrders: false } : null,
    guard: { key: privacyKey(deps.secrets) },
  }
  let clock = Date.now() - 60_000
  const db: Db = deps.db
  return (externalId: string, memberId: number, cents: number, valid = true, placedAt = new Date()) => {
    const o: IncomingOrder = {
      source: 'erp',
      externalId,
      liCustomerId: null,
      customerEmail: null,
      memberId,
      status: null,
      target: valid ? 'award' : 'reverse',
      subtotalCents: cents,
      shippingCents: 0,
      discountCents: 0,
      totalCents: cents,
      placedAt,
      updatedAt: new Date((clock += 1000)),
    }
    return db.transaction().execute((trx) => applyOrders(trx, ctx, [o]))
  }
}
