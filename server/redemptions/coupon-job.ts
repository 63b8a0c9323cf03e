import type { Db, Trx } from '../db/database.ts'
import type { Integration, Redemption } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { cashbackReasons, reasons, redemptionReasonIn, redemptionReasons } from '../i18n/reasons.ts'
import { findProgramById } from '../programs/service.ts'
import { onRedemptionIssued } from '../email/lifecycle/service.ts'
import { findIntegration, markCredentialsRejected } from '../integrations/service.ts'
import { postEntries } from '../ledger/service.ts'
import { holdCoupons } from '../members/service.ts'
import type { LiClient } from '../loja-integrada/client.ts'
import { clientFor } from '../loja-integrada/connection.ts'
import type { LiCoupon } from '../loja-integrada/types.ts'
import * as repo from './repository.ts'
import { redemptionEvent } from './events.ts'
import { emitMany } from '../webhooks/outbox/service.ts'
import { coalesce, perObject, singleFlight } from '../lib/serial.ts'
import {
  classifyCouponError,
  couponRetryDelayMs,
  couponValidity,
  MAX_COUPON_ATTEMPTS,
  validityFromLi,
  type Validity,
} from './rules.ts'

/** What the coupon job and the reconciliation use. */
export type CouponDeps = Pick<AppDeps, 'db' | 'jobs' | 'config' | 'secrets' | 'log' | 'liFetch'>
type Deps = CouponDeps

/**
 * How long a redemption stays its worker's after the last sign of life. Short, so a redemption
 * whose worker died (kill -9, OOM, a lost machine) is claimed again within about half a minute
 * (the claim moves `next_attempt_at` to the lease's end); a live worker renews it every
 * HEARTBEAT_MS while it calls LI, however long LI takes (timeouts, 429 waits).
 */
export const LEASE_SECONDS = 30
const HEARTBEAT_MS = 10_000

export type CouponOutcome = 'issued' | 'failed' | 'retry' | 'skipped'

/**
 * Creates the redemption's coupon in Loja Integrada, exactly once:
 * - the code was fixed when the redemption was created, and `create_attempted_at` is committed
 *   (with the lease) before any POST, so a job resumed after a crash or a lost answer first looks
 *   the code up in the store and only creates it when it is not there;
 * - a duplicate-code answer means an earlier POST of ours got through: look it up, take it;
 * - LI refusing the coupon fails the redemption at once and gives the points back; LI down,
 *   slow or rate-limiting is retried (the row comes due again after a backoff) until
 *   MAX_COUPON_ATTEMPTS, then the same failure with points back.
 * This one leases the redemption by id (the tests drive the job with it); workers claim due
 * rows instead (couponQueue) and run `settleLeased`. Returns what happened; throws CouponRetry
 * when the redemption is due again later.
 */
export async function issueCoupon(deps: Deps, redemptionId: number): Promise<CouponOutcome> {
  const r = await batchers(deps.db).lease(redemptionId)
  if (!r) return 'skipped' // already settled, or another worker holds it (its lease lapses if it died)
  const outcome = await settleLeased(deps, r)
  if (outcome === 'retry') throw new CouponRetry(r.id, r.attempts)
  return outcome
}

/**
 * The coupon job on a redemption this worker has leased (`issueCoupon`, or the runner's claim).
 * Unless it settled, the lease is given up with the redemption due again after the attempt's
 * backoff (`couponRetryDelayMs`): the runner claims it then. Throws what it did not expect (the
 * lease is given up the same way).
 */
export async function settleLeased(deps: Deps, r: LeasedRedemption): Promise<CouponOutcome> {
  const lease = keepLease(deps, r.id, r.lease_until!)
  let outcome: CouponOutcome | undefined
  try {
    const integration = await readIntegration(`${r.program_id}`, () => findIntegration(deps.db, r.program_id))
    if (!integration) {
      await failRedemption(deps.db, r, 'no_integration', redemptionReasons.noStore)
      outcome = 'failed'
    } else outcome = await createOrFind(deps, r, integration)
    return outcome
  } finally {
    const held = await lease.stop()
    if (outcome === undefined || outcome === 'retry') {
      const retryAt = new Date(Date.now() + couponRetryDelayMs(r.attempts))
      await repo.releaseLease(deps.db, r.id, held, retryAt).catch(() => undefined)
    }
  }
}

export type LeasedRedemption = Redemption & { previously_attempted: boolean }

/** The coupon runner's claim: up to `limit` due redemptions, leased to this worker (see `claimDue`). */
export const claimCoupons = (deps: Pick<Deps, 'db'>, limit: number): Promise<LeasedRedemption[]> =>
  repo.claimDue(deps.db, limit, LEASE_SECONDS)

/** The coupon queue's backlog, for GET /metrics. */
export const couponBacklog = (deps: Pick<Deps, 'db'>) => repo.dueStats(deps.db)

/**
 * Renews the lease every HEARTBEAT_MS until `stop()`, which answers the token now held. A lease
 * found taken (this worker stalled past it and another one resumed the redemption) is not
 * renewed again: both may then call LI, which the code rules keep to one coupon (look-up first,
 * duplicate code = ours, `issued` written only from `pending`).
 */
export function keepLease(
  deps: Pick<Deps, 'db' | 'log'>,
  id: number,
  token: Date,
  everyMs = HEARTBEAT_MS,
): { stop(): Promise<Date> } {
  let held = token
  let stopped = false
  let renewing: Promise<void> = Promise.resolve()
  const renew = async () => {
    try {
      const next = await repo.renewLease(deps.db, id, held, LEASE_SECONDS)
      if (!next) {
        deps.log.warn('redemption lease lost to another worker', { redemptionId: id })
        return
      }
      held = next
    } catch (err) {
      deps.log.warn('redemption lease not renewed; trying again', { redemptionId: id, err })
    }
    if (!stopped) schedule()
  }
  let timer: NodeJS.Timeout
  // unref: a call to LI that never returns must not keep the process alive for its heartbeat.
  const schedule = () => (timer = setTimeout(() => (renewing = renew()), everyMs).unref())
  schedule()
  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await renewing
      return held
    },
  }
}

/**
 * Thrown by `issueCoupon` when the coupon is not created yet: the redemption stays pending, due
 * again after its backoff.
 */
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

async function createOrFind(deps: Deps, r: LeasedRedemption, integration: Integration): Promise<CouponOutcome> {
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
        deps.log.warn('coupon creation failed; will retry', {
          redemptionId: r.id,
          attempts: r.attempts,
          detail: failure.detail,
        })
        return lastAttempt ? giveUp(failure.detail) : 'retry'
    }
  }
}

async function issue(deps: Deps, r: Redemption, coupon: LiCoupon, ours: Validity): Promise<'issued' | 'skipped'> {
  const validity = validityFromLi(coupon.validUntil, ours)
  const row = await batchers(deps.db).issue({
    id: r.id,
    liCouponId: coupon.id,
    validUntilDay: validity.day,
    expiresAt: validity.expiresAt,
  })
  // The job does not wait for the e-mail (a batch written within 50 ms): held for it, the coupon
  // workers' batches came round later and the coupons fell ~700 ms behind the debits on the
  // redeem bench. A process stopping waits for it (jobs.background); one killed meanwhile loses
  // nothing the hourly catch-up (catchUpRedeemed) does not write.
  if (row) deps.jobs.background(onRedemptionIssued(deps, row.id))
  return row ? 'issued' : 'skipped'
}

interface Issued {
  id: number
  liCouponId: number
  validUntilDay: string
  expiresAt: Date
}

/**
 * The coupon jobs of a batch (25 at once per worker) take their leases and record their coupons
 * together: one statement for the leases, one transaction for the coupons LI confirmed meanwhile
 * (each redemption still its own row, `issued` only from `pending`). One by one, those were 7 of
 * the ~16 statements of each coupon on the redeem bench.
 */
/**
 * Coupons LI confirmed within this long are recorded in one transaction. Answers trickle in
 * one by one, so without a wait each transaction took the few that came during the previous one
 * (redeem bench: 112 transactions of four statements for 1,000 coupons).
 */
const ISSUE_LINGER_MS = 20

const batchers = perObject((db: Db) => ({
  lease: coalesce(async (ids: number[]) => {
    const rows = new Map((await repo.acquireLeases(db, ids, LEASE_SECONDS)).map((r) => [r.id, r]))
    // One lease, one holder: the same redemption asked twice in a batch (its job and the orphan
    // sweep, say) is leased to the first caller only, as two statements would have done.
    return ids.map((id) => {
      const row = rows.get(id)
      rows.delete(id)
      return row
    })
  }),
  issue: coalesce(
    (items: Issued[]) => db.transaction().execute((trx) => recordIssued(trx, items)),
    100,
    ISSUE_LINGER_MS,
  ),
}))

/** Concurrent coupon jobs of one program share one read of its integration. */
const readIntegration = singleFlight<Integration | undefined>()

async function recordIssued(trx: Trx, items: Issued[]): Promise<Array<Redemption | undefined>> {
  const rows = new Map((await repo.markIssuedMany(trx, items)).map((r) => [r.id, r]))
  const byProgram = new Map<string, Redemption[]>()
  for (const r of rows.values()) byProgram.set(r.program_id, [...(byProgram.get(r.program_id) ?? []), r])
  for (const [programId, issued] of byProgram) {
    await emitMany(
      trx,
      programId,
      issued.map((r) => ({ type: 'coupon.issued' as const, data: redemptionEvent(r) })),
    )
    // The sync reads the detail of these members' orders until the coupon expires, to learn which
    // order used it (LI's listing does not say: reference §3.3).
    await holdCoupons(
      trx,
      programId,
      issued.map((r) => ({ memberId: r.member_id, until: r.expires_at! })),
    )
  }
  return items.map((i) => rows.get(i.id))
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
    const cashback = await isCashback(trx, r.program_id)
    const row = await repo.transition(trx, r.id, 'pending', 'failed', {
      failureCode: code,
      failureReason: redemptionReasonIn(reason, { cashback, gift: r.gift_reason !== null }),
    })
    if (!row) return false
    const text = cashback
      ? cashbackReasons.redemptionFailedRefund(row.coupon_value)
      : reasons.redemptionFailedRefund(row.reward_title)
    await giveBack(trx, row, text, `redemption-refund:${row.id}`)
    return true
  })
}

/** A cashback program's refunds and failure reasons speak of cashback, not points. */
export async function isCashback(trx: Trx, programId: string): Promise<boolean> {
  return (await findProgramById(trx, programId))?.mode === 'cashback'
}

export async function giveBack(trx: Trx, r: Redemption, reason: string, key: string): Promise<void> {
  // A gift (a tier's entry coupon) debited nothing and took no stock unit: nothing to give back.
  if (r.gift_reason !== null) return
  await postEntries(trx, r.program_id, [
    { memberId: r.member_id, kind: 'refund', amount: r.points_cost, reason, idempotencyKey: key, redemptionId: r.id },
  ])
  // An amount redemption has no reward, so no stock to give back.
  if (r.reward_id !== null) await repo.releaseStock(trx, r.program_id, r.reward_id)
}
