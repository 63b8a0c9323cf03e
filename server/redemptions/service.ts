import { randomBytes } from 'node:crypto'
import type { AdminRedemptionList, AdminRedemptionQuery, AdminRedemptionView, RedeemBody, RedemptionView } from '../../shared/api/redemptions.ts'
import type { Db, Executor, Trx } from '../db/database.ts'
import type { Integration, Redemption } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { AppError, notFound } from '../lib/errors.ts'
import { reasons, redemptionReasons } from '../i18n/reasons.ts'
import { onRedemptionIssued } from '../email/lifecycle/service.ts'
import { findIntegration } from '../integrations/service.ts'
import { lockBalances, postEntries } from '../ledger/service.ts'
import type { LiClient } from '../loja-integrada/client.ts'
import { LiError } from '../loja-integrada/client.ts'
import { clientFor } from '../loja-integrada/connection.ts'
import { markCredentialsRejected } from '../integrations/service.ts'
import type { LiCoupon } from '../loja-integrada/types.ts'
import { findReward } from '../rewards/service.ts'
import { couponQueue } from './queues.ts'
import * as repo from './repository.ts'
import { benefitText } from '../i18n/benefit.ts'
import {
  classifyCouponError,
  couponSpec,
  couponValidity,
  generateCouponCode,
  MAX_COUPON_ATTEMPTS,
  validityFromLi,
  type Validity,
} from './rules.ts'

type Deps = Pick<AppDeps, 'db' | 'jobs' | 'config' | 'secrets' | 'log' | 'liFetch'>

const outOfStock = () => new AppError('out_of_stock', 'This reward is out of stock', { field: 'rewardId' })
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** How long one worker owns a redemption while calling LI (429 waits included). */
const LEASE_SECONDS = 10 * 60

// ---- views -----------------------------------------------------------------------------------

export function toRedemptionView(r: Redemption): RedemptionView {
  const issued = r.status === 'issued' || r.status === 'used' || r.status === 'refunded'
  return {
    id: r.id,
    rewardId: r.reward_id,
    rewardKind: r.reward_kind,
    title: r.reward_title,
    benefit: benefitText({ type: r.coupon_type, value: r.coupon_value }),
    pointsSpent: r.points_cost,
    status: r.status,
    // The code is ours from the start, but it works at checkout only once LI has the coupon.
    couponCode: issued ? r.coupon_code : null,
    minimumOrderCents: r.minimum_order_cents,
    validUntil: issued ? r.valid_until_day : null,
    failureReason: r.failure_reason,
    createdAt: r.created_at.toISOString(),
    issuedAt: r.issued_at?.toISOString() ?? null,
  }
}

function toAdminView(r: Redemption & { member_email: string; member_name: string | null }): AdminRedemptionView {
  return {
    ...toRedemptionView(r),
    // The merchant may need the code to help a shopper even before LI confirmed it.
    couponCode: r.coupon_code,
    memberId: r.member_id,
    memberEmail: r.member_email,
    memberName: r.member_name,
    liCouponId: r.li_coupon_id,
    attempts: r.attempts,
    failureCode: r.failure_code,
    storeCheck: r.store_check,
  }
}

// ---- redeeming (widget) ----------------------------------------------------------------------

export interface RedeemResult {
  redemption: Redemption
  /** False when the idempotency key was seen before: `redemption` is the first one, as it is now. */
  created: boolean
}

/**
 * Exactly once per idempotency key (design rule 3), in one transaction: lock the member (every
 * redemption of one member is serialised behind this lock, so balance, limit and replay checks
 * cannot race), check, debit, create the pending redemption, enqueue its coupon job and claim a
 * unit of stock — all or nothing. The coupon is created by the job, never inside the shopper's request:
 * LI may be slow or down, and the debit must not wait for it.
 */
export async function redeem(deps: Pick<Deps, 'db' | 'jobs'>, programId: string, memberId: number, body: RedeemBody): Promise<RedeemResult> {
  const result = await deps.db.transaction().execute(async (trx) => {
    const balances = await lockBalances(trx, programId, [memberId])
    const balance = balances.get(memberId)
    if (balance === undefined) throw new AppError('unauthorized', 'This member no longer exists in the program')

    const prior = await repo.findByKey(trx, programId, memberId, body.idempotencyKey)
    if (prior) {
      if (prior.reward_id !== body.rewardId) {
        throw new AppError('idempotency_conflict', 'This idempotency key was already used for another reward', { field: 'idempotencyKey' })
      }
      return { redemption: prior, created: false }
    }

    const reward = UUID.test(body.rewardId) ? await findReward(trx, programId, body.rewardId) : undefined
    if (!reward) throw new AppError('not_found', 'Reward not found', { field: 'rewardId' })
    if (!reward.active || reward.removed_from_feed_at !== null) {
      throw new AppError('reward_unavailable', 'This reward is not available any more', { field: 'rewardId' })
    }
    const spec = couponSpec(reward)
    if (balance < reward.points_cost) {
      throw new AppError('insufficient_points', `Not enough points: the balance is ${balance} and the reward costs ${reward.points_cost}`, {
        details: { balance, pointsCost: reward.points_cost },
      })
    }
    if (reward.per_member_limit !== null && (await repo.countHeld(trx, programId, memberId, reward.id)) >= reward.per_member_limit) {
      throw new AppError('limit_reached', `Each member may redeem this reward ${reward.per_member_limit} time(s)`, { field: 'rewardId' })
    }
    // Cheap early refusal; the claim at the end is the real check.
    if (reward.total_stock !== null && reward.issued_count >= reward.total_stock) throw outOfStock()

    const redemption = await repo.insertRedemption(trx, {
      program_id: programId,
      member_id: memberId,
      reward_id: reward.id,
      idempotency_key: body.idempotencyKey,
      status: 'pending',
      points_cost: reward.points_cost,
      reward_kind: reward.kind,
      reward_title: reward.title,
      coupon_type: spec.type,
      coupon_value: spec.value,
      minimum_order_cents: spec.minimumOrderCents,
      coupon_code: generateCouponCode(randomBytes),
    })
    await postEntries(
      trx,
      programId,
      [{ memberId, kind: 'redeem', amount: -reward.points_cost, reason: reasons.redeem(reward.title), idempotencyKey: `redemption:${redemption.id}`, redemptionId: redemption.id }],
      balances,
    )
    await deps.jobs.enqueue(trx, couponQueue, { redemptionId: redemption.id }, { key: String(redemption.id) })
    // Last, so the reward's row — shared by every member redeeming it — stays locked only from
    // here to the commit; taken first, it serialised whole transactions (measured: ~70/s).
    if (!(await repo.claimStock(trx, programId, reward.id))) throw outOfStock()
    return { redemption, created: true }
  })
  if (result.created) deps.jobs.wake(couponQueue)
  return result
}

export async function listMemberRedemptions(db: Executor, programId: string, memberId: number, limit = 50): Promise<RedemptionView[]> {
  return (await repo.listForMember(db, programId, memberId, limit)).map(toRedemptionView)
}

export async function getMemberRedemption(db: Executor, programId: string, memberId: number, id: number): Promise<RedemptionView> {
  const r = await repo.findForProgram(db, programId, id)
  // Another member's redemption is "not found", exactly like one that does not exist.
  if (!r || r.member_id !== memberId) throw notFound('Redemption')
  return toRedemptionView(r)
}

// ---- admin -----------------------------------------------------------------------------------

export async function listProgramRedemptions(db: Executor, programId: string, q: AdminRedemptionQuery): Promise<AdminRedemptionList> {
  const limit = q.limit ?? 50
  const rows = await repo.listForProgram(db, programId, {
    memberId: q.memberId,
    status: q.status,
    beforeId: q.cursor === undefined ? undefined : Number(q.cursor),
    limit: limit + 1,
  })
  const page = rows.slice(0, limit)
  return { items: page.map(toAdminView), nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null }
}

export async function getProgramRedemption(db: Executor, programId: string, id: number): Promise<AdminRedemptionView> {
  const [r] = await repo.listForProgram(db, programId, { id, limit: 1 })
  if (!r) throw notFound('Redemption')
  return toAdminView(r)
}

// ---- the coupon job --------------------------------------------------------------------------

export type CouponOutcome = 'issued' | 'failed' | 'retry' | 'skipped'

/**
 * Creates the redemption's coupon in Loja Integrada, exactly once:
 * - the code was fixed when the redemption was created, and `create_attempted_at` is committed
 *   (with the lease) before any POST, so a job resumed after a crash or a lost answer first looks
 *   the code up in the store and only creates it when it is not there;
 * - a duplicate-code answer means an earlier POST of ours got through: look it up, take it;
 * - LI refusing the coupon fails the redemption at once and gives the points back; LI down,
 *   slow or rate-limiting is retried (the job throws, pg-boss waits) until MAX_COUPON_ATTEMPTS,
 *   then the same failure with points back.
 * Returns what happened; throws only to ask pg-boss for a later retry.
 */
export async function issueCoupon(deps: Deps, redemptionId: number): Promise<CouponOutcome> {
  const r = await repo.acquireLease(deps.db, redemptionId, LEASE_SECONDS)
  if (!r) return 'skipped' // already settled, or another worker holds it (the sweeper covers a dead one)
  let settled = false
  try {
    const integration = await findIntegration(deps.db, r.program_id)
    if (!integration) {
      await failRedemption(deps.db, r, 'no_integration', redemptionReasons.noStore)
      settled = true
      return 'failed'
    }
    const outcome = await createOrFind(deps, r, integration)
    settled = outcome !== 'retry'
    if (outcome === 'retry') throw new CouponRetry(r.id, r.attempts)
    return outcome
  } finally {
    if (!settled) await repo.releaseLease(deps.db, r.id).catch(() => undefined)
  }
}

/** Thrown so pg-boss retries the job later; the redemption stays pending. */
export class CouponRetry extends Error {
  constructor(
    readonly redemptionId: number,
    readonly attempts: number,
    detail = '',
  ) {
    super(`coupon for redemption ${redemptionId} not created yet (attempt ${attempts})${detail ? ': ' + detail : ''}`)
    this.name = 'CouponRetry'
  }
}

async function createOrFind(deps: Deps, r: Redemption & { previously_attempted: boolean }, integration: Integration): Promise<CouponOutcome> {
  const lastAttempt = r.attempts >= MAX_COUPON_ATTEMPTS
  const giveUp = async (detail: string) => {
    deps.log.warn('coupon creation gave up', { redemptionId: r.id, attempts: r.attempts, detail })
    await failRedemption(deps.db, r, 'li_unavailable', redemptionReasons.unavailable)
    return 'failed' as const
  }
  if (integration.credentials_rejected_at) {
    // The merchant can fix the key; keep trying within the attempts, then give the points back.
    return lastAttempt ? giveUp('credentials rejected') : 'retry'
  }
  const client = clientFor(deps, integration)
  const ours = couponValidity(new Date(), integration.coupon_validity_days)
  try {
    if (r.previously_attempted) {
      const found = await findCouponByCode(client, r.coupon_code)
      if (found) return issue(deps, r, found, ours)
    }
    const created = await client.createCoupon({
      code: r.coupon_code,
      description: `Fidelidade: resgate ${r.id} - ${r.reward_title}`.slice(0, 200),
      type: r.coupon_type,
      value: r.coupon_value,
      minimumOrderCents: r.minimum_order_cents,
      quantity: 1,
      perCustomer: 1,
      validUntilDay: ours.day,
    })
    // LI may answer 201 with an empty body: the coupon exists, find it by its code.
    const coupon = created ?? (await findCouponByCode(client, r.coupon_code))
    if (!coupon) return lastAttempt ? giveUp('created coupon not found') : 'retry'
    return issue(deps, r, coupon, ours)
  } catch (err) {
    const failure = classifyCouponError(err)
    switch (failure.kind) {
      case 'duplicate_code': {
        const found = await findCouponByCode(client, r.coupon_code).catch(() => null)
        if (found) return issue(deps, r, found, ours)
        return lastAttempt ? giveUp('duplicate code not found in the list') : 'retry'
      }
      case 'refused':
        deps.log.warn('loja integrada refused a coupon', { redemptionId: r.id, detail: failure.detail })
        await failRedemption(deps.db, r, 'li_refused', redemptionReasons.refused)
        return 'failed'
      case 'credentials':
        await markCredentialsRejected(deps, r.program_id)
        return lastAttempt ? giveUp('credentials rejected') : 'retry'
      case 'transient':
        deps.log.warn('coupon creation failed; will retry', { redemptionId: r.id, attempts: r.attempts, detail: failure.detail })
        return lastAttempt ? giveUp(failure.detail) : 'retry'
    }
  }
}

async function issue(deps: Deps, r: Redemption, coupon: LiCoupon, ours: Validity): Promise<'issued' | 'skipped'> {
  const validity = validityFromLi(coupon.validUntil, ours)
  const row = await repo.markIssued(deps.db, r.id, { liCouponId: coupon.id, validUntilDay: validity.day, expiresAt: validity.expiresAt })
  if (row) await onRedemptionIssued(deps, row.id)
  return row ? 'issued' : 'skipped'
}

/**
 * LI has no look-up by code (reference §6): page the store's coupons until ours shows up. Only
 * on the rare paths where a POST may already have reached LI.
 */
export async function findCouponByCode(client: LiClient, code: string): Promise<LiCoupon | null> {
  for await (const c of client.listCoupons()) if (c.code === code) return c
  return null
}

/** pending → failed with the points and the stock unit given back, in one transaction. */
export async function failRedemption(db: Db, r: Redemption, code: string, reason: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await repo.transition(trx, r.id, 'pending', 'failed', { failureCode: code, failureReason: reason })
    if (!row) return false
    await giveBack(trx, row, reasons.redemptionFailedRefund(row.reward_title), `redemption-refund:${row.id}`)
    return true
  })
}

async function giveBack(trx: Trx, r: Redemption, reason: string, key: string): Promise<void> {
  await postEntries(trx, r.program_id, [{ memberId: r.member_id, kind: 'refund', amount: r.points_cost, reason, idempotencyKey: key, redemptionId: r.id }])
  await repo.releaseStock(trx, r.program_id, r.reward_id)
}

// ---- sweeper and expiry ----------------------------------------------------------------------

/** Pending this long without a live lease means the job was lost (crash, retries used up by restarts). */
const STALLED_AFTER_MS = 3 * 60_000

/** Re-enqueues coupon jobs for pending redemptions nobody is working on. Returns how many. */
export async function resumeStalled(deps: Pick<Deps, 'db' | 'jobs'>, now = new Date()): Promise<number> {
  const rows = await repo.findStalledPending(deps.db, new Date(now.getTime() - STALLED_AFTER_MS), 1000)
  for (const r of rows) await deps.jobs.enqueue(deps.db, couponQueue, { redemptionId: r.id }, { key: String(r.id) })
  return rows.length
}

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
  const report: CouponReport = { checked: 0, used: 0, refunded: 0, orphansDeactivated: 0, orphansUsed: 0, programsSkipped: 0 }
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
    const client = clientFor(deps, integration)
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
          if (await deps.db.transaction().execute((trx) => repo.transition(trx, r.id, 'issued', 'used'))) report.used++
        } else if (r.expires_at! < settleBefore && (await refundExpired(deps.db, r, false))) report.refunded++
      }
    } catch (err) {
      deps.log.warn('coupon reconciliation postponed', { programId, err })
      if (err instanceof LiError && err.kind === 'auth') await markCredentialsRejected(deps, programId)
      report.programsSkipped++
      continue
    }
    for (const r of issued.values()) {
      if (!inStore.has(r.coupon_code) && r.expires_at! < settleBefore && (await refundExpired(deps.db, r, true))) report.refunded++
    }
    // The whole list was read: the failures' coupons not in it were never created.
    await repo.markStoreChecked(deps.db, [...failed.values()], 'absent')
  }
  return report
}

/** A failed (refunded) redemption's coupon that exists in the store after all. */
async function settleOrphan(deps: Deps, client: LiClient, redemptionId: number, coupon: LiCoupon, report: CouponReport) {
  if (coupon.used > 0) {
    deps.log.warn('a failed redemption\'s coupon was used at checkout', { redemptionId, liCouponId: coupon.id })
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
    const row = await repo.transition(trx, r.id, 'issued', 'refunded', {
      failureCode: gone ? 'deleted_in_store' : 'expired_unused',
      failureReason: gone ? redemptionReasons.deletedInStore : redemptionReasons.expiredUnused,
    })
    if (!row) return false
    await giveBack(trx, row, reasons.expiredUnusedRefund(row.coupon_code), `redemption-expired:${row.id}`)
    return true
  })
}
