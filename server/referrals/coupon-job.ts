import type { Integration, ReferralRow } from '../db/schema.ts'
import { emailDeps, queueEmail } from '../email/service.ts'
import { referralReasons } from '../i18n/referrals.ts'
import { findIntegration, markCredentialsRejected } from '../integrations/service.ts'
import { clientFor } from '../loja-integrada/connection.ts'
import type { LiCoupon } from '../loja-integrada/types.ts'
import { findCouponByCode } from '../redemptions/service.ts'
import { classifyCouponError, couponValidity, MAX_COUPON_ATTEMPTS, validityFromLi } from '../redemptions/rules.ts'
import { enqueueCoupon } from './claim.ts'
import * as repo from './repository.ts'
import type { ReferralDeps } from './settings.ts'

/**
 * How long a referral's coupon attempt is its worker's. Redemptions renew a 30-second lease by a
 * heartbeat because shoppers wait on them; a friend's coupon arrives by e-mail, so one lease
 * longer than the LI client's own give-up time (~1 min) is enough. A worker stalled past it may
 * meet another one calling LI; the code rules keep that to one coupon (look-up first, a
 * duplicate code is ours, `coupon_sent` is written only from `coupon_pending`).
 */
export const LEASE_SECONDS = 180

export type CouponOutcome = 'issued' | 'failed' | 'retry' | 'skipped'

/** Thrown so pg-boss retries the job later; the referral stays `coupon_pending`. */
export class ReferralCouponRetry extends Error {
  constructor(
    readonly referralId: string,
    readonly attempts: number,
  ) {
    super(`coupon of referral ${referralId} not created yet (attempt ${attempts})`)
    this.name = 'ReferralCouponRetry'
  }
}

/**
 * Creates the friend's single-use coupon in Loja Integrada exactly once, the way redemptions do
 * (server/redemptions/coupon-job.ts): the code was fixed at the claim, the attempt is committed
 * before the POST, a later attempt looks the code up first, a duplicate-code answer is an earlier
 * POST of ours; LI refusing it fails the referral (`coupon_failed`), LI down is retried until
 * MAX_COUPON_ATTEMPTS. Issued, the coupon is e-mailed to the friend in the same commit.
 */
export async function issueReferralCoupon(deps: ReferralDeps, referralId: string): Promise<CouponOutcome> {
  const r = await repo.acquireLease(deps.db, referralId, LEASE_SECONDS)
  if (!r) return 'skipped'
  let settled = false
  try {
    const integration = await findIntegration(deps.db, r.program_id)
    if (!integration?.active) {
      // Paused or disconnected after the claim: no coupon and no e-mail (rule 7).
      await fail(deps, r, 'program_paused')
      settled = true
      return 'failed'
    }
    const outcome = await createOrFind(deps, r, integration)
    settled = outcome !== 'retry'
    if (outcome === 'retry') throw new ReferralCouponRetry(r.id, r.coupon_attempts)
    return outcome
  } finally {
    if (!settled) await repo.releaseLease(deps.db, r.id).catch(() => undefined)
  }
}

async function createOrFind(
  deps: ReferralDeps,
  r: ReferralRow & { previously_attempted: boolean },
  integration: Integration,
): Promise<CouponOutcome> {
  const code = r.coupon_code!
  const lastAttempt = r.coupon_attempts >= MAX_COUPON_ATTEMPTS
  const giveUp = async (detail: string) => {
    deps.log.warn('referral coupon gave up', { referralId: r.id, attempts: r.coupon_attempts, detail })
    await fail(deps, r, 'li_unavailable')
    return 'failed' as const
  }
  if (integration.credentials_rejected_at) return lastAttempt ? giveUp('credentials rejected') : 'retry'
  const client = clientFor(deps, integration)
  const ours = couponValidity(new Date(), integration.coupon_validity_days)
  try {
    if (r.previously_attempted) {
      const found = await findCouponByCode(client, code)
      if (found) return issue(deps, r, found, ours)
    }
    const created = await client.createCoupon({
      code,
      description: referralReasons.couponDescription(r.coupon_cents),
      type: 'fixo',
      value: r.coupon_cents,
      minimumOrderCents: r.coupon_min_order_cents > 0 ? r.coupon_min_order_cents : null,
      quantity: 1,
      perCustomer: 1,
      validUntilDay: ours.day,
    })
    const coupon = created ?? (await findCouponByCode(client, code))
    if (!coupon) return lastAttempt ? giveUp('created coupon not found') : 'retry'
    return issue(deps, r, coupon, ours)
  } catch (err) {
    const failure = classifyCouponError(err)
    switch (failure.kind) {
      case 'duplicate_code': {
        const found = await findCouponByCode(client, code).catch(() => null)
        if (found) return issue(deps, r, found, ours)
        return lastAttempt ? giveUp('duplicate code not found in the list') : 'retry'
      }
      case 'refused':
        deps.log.warn('loja integrada refused a referral coupon', { referralId: r.id, detail: failure.detail })
        await fail(deps, r, 'li_refused')
        return 'failed'
      case 'credentials':
        await markCredentialsRejected(deps, r.program_id)
        return lastAttempt ? giveUp('credentials rejected') : 'retry'
      case 'transient':
        deps.log.warn('referral coupon failed; will retry', { referralId: r.id, detail: failure.detail })
        return lastAttempt ? giveUp(failure.detail) : 'retry'
    }
  }
}

async function issue(
  deps: ReferralDeps,
  r: ReferralRow,
  coupon: LiCoupon,
  ours: ReturnType<typeof couponValidity>,
): Promise<'issued' | 'skipped'> {
  const validity = validityFromLi(coupon.validUntil, ours)
  const row = await deps.db.transaction().execute(async (trx) => {
    const sent = await repo.transition(trx, r.id, ['coupon_pending'], {
      status: 'coupon_sent',
      li_coupon_id: coupon.id,
      coupon_valid_until: validity.day,
      lease_until: null,
    })
    if (!sent) return undefined
    // Transactional: the friend asked for it. The dedupe key makes a replay write nothing.
    await queueEmail(trx, emailDeps(deps), {
      programId: sent.program_id,
      kind: 'referral_coupon',
      to: sent.friend_email,
      data: {
        couponCode: sent.coupon_code!,
        valueCents: sent.coupon_cents,
        minimumOrderCents: sent.coupon_min_order_cents,
        validUntil: validity.day,
      },
      dedupeKey: `referral_coupon:${sent.id}`,
    })
    return sent
  })
  return row ? 'issued' : 'skipped'
}

const fail = (deps: ReferralDeps, r: ReferralRow, code: string) =>
  repo.transition(deps.db, r.id, ['coupon_pending'], { status: 'coupon_failed', failure: code, lease_until: null })

/** Re-enqueues coupon-pending referrals whose job was lost (the minutely pass); answers how many. */
export async function resumeStalledCoupons(deps: ReferralDeps, now = new Date()): Promise<number> {
  const stalled = await repo.stalledCoupons(deps.db, new Date(now.getTime() - 10 * 60_000), 200)
  for (const s of stalled) await enqueueCoupon(deps.db, deps.jobs, s.id)
  return stalled.length
}
