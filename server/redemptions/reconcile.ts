import type { Db, Trx } from '../db/database.ts'
import type { Redemption } from '../db/schema.ts'
import { cashbackReasons, reasons, redemptionReasonIn, redemptionReasons } from '../i18n/reasons.ts'
import { findIntegration, markCredentialsRejected } from '../integrations/service.ts'
import type { LiClient } from '../loja-integrada/client.ts'
import { LiError } from '../loja-integrada/client.ts'
import { clientFor } from '../loja-integrada/connection.ts'
import type { LiCoupon } from '../loja-integrada/types.ts'
import { giveBack, isCashback, type CouponDeps as Deps } from './coupon-job.ts'
import * as repo from './repository.ts'
import { redemptionEvent } from './events.ts'
import { emit } from '../webhooks/outbox/service.ts'

/**
 * A coupon is settled a day after it expired: an order placed in its last minutes may reach LI's
 * usage counter later, and refunding a coupon that was used would give points twice.
 */
const EXPIRY_GRACE_MS = 24 * 3600_000

export interface CouponReport {
  /** Our issued coupons found in the stores' lists. */
  checked: number
  /** Newly seen as used at checkout (they leave the member's active coupons). */
  used: number
  /** Expired unused, or gone from the store and expired: points given back. */
  refunded: number
  /** Failed redemptions' coupons found in a store after all, unused: turned off there. */
  orphansDeactivated: number
  /** …found already used at checkout (logged for the merchant; the points stay given back). */
  orphansUsed: number
  /** Programs skipped because LI could not be asked (tried again on the next run). */
  programsSkipped: number
}

/**
 * Daily reconciliation of coupons with the stores: pages each store's coupon list once (100 per
 * request, `quantidade_usada` included — far cheaper than one GET per coupon, and LI has no
 * look-up by code), and
 * - marks issued coupons used at checkout `used`, and gives the points back for those that
 *   expired unused (or were deleted in the store) more than a day ago;
 * - looks for the coupons of failed redemptions whose POST may have reached LI (its answer lost,
 *   then LI unreachable until the attempts ran out: the points were given back). One found
 *   unused is turned off in the store, so a refunded redemption never leaves a working coupon
 *   behind; one found used is recorded and logged. Each is looked up once.
 * A store that cannot be listed completely is left for the next run — a partial list never
 * counts as "deleted" or "absent". Running twice changes nothing the second time.
 */
export async function reconcileCoupons(deps: Deps, now = new Date()): Promise<CouponReport> {
  const report: CouponReport = {
    checked: 0,
    used: 0,
    refunded: 0,
    orphansDeactivated: 0,
    orphansUsed: 0,
    programsSkipped: 0,
  }
  const settleBefore = new Date(now.getTime() - EXPIRY_GRACE_MS)
  for (const programId of await repo.programsToReconcile(deps.db)) {
    const integration = await findIntegration(deps.db, programId)
    if (!integration || integration.credentials_rejected_at) {
      report.programsSkipped++
      continue
    }
    const issued = new Map((await repo.listIssued(deps.db, programId)).map((r) => [r.coupon_code, r]))
    const failed = new Map((await repo.listUncheckedFailures(deps.db, programId)).map((r) => [r.coupon_code, r.id]))
    const inStore = new Set<string>()
    const client = clientFor(deps, integration, { priority: 'bulk' })
    try {
      for await (const c of client.listCoupons()) {
        const orphan = failed.get(c.code)
        if (orphan !== undefined) {
          failed.delete(c.code)
          await settleOrphan(deps, client, orphan, c, report)
          continue
        }
        const r = issued.get(c.code)
        if (!r) continue
        inStore.add(c.code)
        report.checked++
        if (c.used > 0) {
          if (await deps.db.transaction().execute((trx) => markUsed(trx, r.id))) report.used++
        } else if (r.expires_at! < settleBefore && (await refundExpired(deps.db, r, false))) report.refunded++
      }
    } catch (err) {
      deps.log.warn('coupon reconciliation postponed', { programId, err })
      if (err instanceof LiError && err.kind === 'auth') await markCredentialsRejected(deps, programId)
      report.programsSkipped++
      continue
    }
    for (const r of issued.values()) {
      if (!inStore.has(r.coupon_code) && r.expires_at! < settleBefore && (await refundExpired(deps.db, r, true)))
        report.refunded++
    }
    // The whole list was read: the failures' coupons not in it were never created.
    await repo.markStoreChecked(deps.db, [...failed.values()], 'absent')
  }
  return report
}

/** issued → used, with its coupon.used webhook event in the same transaction. */
async function markUsed(trx: Trx, id: number): Promise<boolean> {
  const row = await repo.transition(trx, id, 'issued', 'used')
  if (row) await emit(trx, row.program_id, 'coupon.used', redemptionEvent(row))
  return !!row
}

/** A failed (refunded) redemption's coupon that exists in the store after all. */
async function settleOrphan(
  deps: Deps,
  client: LiClient,
  redemptionId: number,
  coupon: LiCoupon,
  report: CouponReport,
) {
  if (coupon.used > 0) {
    deps.log.warn("a failed redemption's coupon was used at checkout", { redemptionId, liCouponId: coupon.id })
    report.orphansUsed += await repo.markStoreChecked(deps.db, [redemptionId], 'used')
    return
  }
  // Off before it is recorded: if the PUT fails the next run tries again.
  if (coupon.active) await client.deactivateCoupon(coupon.id)
  report.orphansDeactivated += await repo.markStoreChecked(deps.db, [redemptionId], 'deactivated')
}

/** issued → refunded with the points and the stock unit given back, once. */
async function refundExpired(db: Db, r: Redemption, gone: boolean): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const cashback = await isCashback(trx, r.program_id)
    const row = await repo.transition(trx, r.id, 'issued', 'refunded', {
      failureCode: gone ? 'deleted_in_store' : 'expired_unused',
      failureReason: redemptionReasonIn(gone ? redemptionReasons.deletedInStore : redemptionReasons.expiredUnused, {
        cashback,
        gift: r.gift_reason !== null,
      }),
    })
    if (!row) return false
    const text = cashback ? cashbackReasons.expiredUnusedRefund : reasons.expiredUnusedRefund
    await giveBack(trx, row, text(row.coupon_code), `redemption-expired:${row.id}`)
    return true
  })
}
