import { randomBytes } from 'node:crypto'
import type { ReferralPage, ReferralView } from '../../shared/api/referrals.ts'
import type { Executor, Trx } from '../db/database.ts'
import type { ReferralDecisionRow, ReferralRow } from '../db/schema.ts'
import type { Jobs } from '../jobs/jobs.ts'
import { AppError, notFound } from '../lib/errors.ts'
import { findMerchantById } from '../merchants/service.ts'
import { generateCouponCode } from '../redemptions/rules.ts'
import { enqueueCoupon } from './claim.ts'
import * as repo from './repository.ts'

type Listed = ReferralRow & { advocate_name: string | null; advocate_email: string }

function toView(r: Listed, decisions: ReferralDecisionRow[]): ReferralView {
  return {
    id: r.id,
    status: r.status,
    advocate: { memberId: Number(r.advocate_member_id), name: r.advocate_name, email: r.advocate_email },
    friendEmail: r.friend_email,
    claimedAt: r.claimed_at.toISOString(),
    reasons: r.reasons,
    couponCode: r.coupon_code,
    couponValidUntil: r.coupon_valid_until,
    orderId: r.order_external_id,
    creditAvailableOn: r.credit_available_on,
    creditedAt: r.credited_at?.toISOString() ?? null,
    decisions: decisions.map((d) => ({
      decision: d.decision,
      reason: d.reason,
      by: d.merchant_email,
      at: d.created_at.toISOString(),
    })),
  }
}

const encodeCursor = (r: ReferralRow) => `${r.claimed_at.toISOString()}_${r.id}`
function decodeCursor(cursor: string | undefined): { at: Date; id: string } | null {
  if (!cursor) return null
  const [at, id] = cursor.split('_')
  const d = new Date(at ?? '')
  if (!id || Number.isNaN(d.getTime()))
    throw new AppError('validation_failed', 'Not a cursor of this list', { field: 'cursor' })
  return { at: d, id }
}

/** The program's referrals, newest first: those waiting for a decision, or all. */
export async function listProgramReferrals(
  db: Executor,
  programId: string,
  q: { status?: 'review' | 'all'; cursor?: string | undefined; limit?: number | undefined },
): Promise<ReferralPage> {
  const limit = q.limit ?? 50
  const rows = await repo.listReferrals(db, programId, {
    review: (q.status ?? 'review') === 'review',
    before: decodeCursor(q.cursor),
    limit: limit + 1,
  })
  const page = rows.slice(0, limit)
  const decisions = await repo.decisionsOf(
    db,
    page.map((r) => r.id),
  )
  return {
    items: page.map((r) =>
      toView(
        r,
        decisions.filter((d) => d.referral_id === r.id),
      ),
    ),
    nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
  }
}

async function viewOf(db: Executor, programId: string, id: string): Promise<ReferralView> {
  const r = await repo.findListed(db, programId, id)
  if (!r) throw notFound('Referral')
  return toView(r, await repo.decisionsOf(db, [r.id]))
}

async function decide(
  trx: Trx,
  programId: string,
  id: string,
  merchantId: string,
  decision: 'approved' | 'rejected',
  reason: string | null,
): Promise<ReferralRow> {
  const r = await repo.lockReferral(trx, programId, id)
  if (!r) throw notFound('Referral')
  if (r.status !== 'review')
    throw new AppError('referral_not_in_review', `This referral is ${r.status}, not waiting for a decision`)
  const merchant = await findMerchantById(trx, merchantId)
  await repo.insertDecision(trx, {
    referral_id: r.id,
    program_id: programId,
    decision,
    reason,
    merchant_id: merchantId,
    merchant_email: merchant?.email ?? merchantId,
  })
  return r
}

/**
 * Approving a claim held at the claim issues its coupon (code chosen now, the coupon job as for
 * any claim); one held at its order's arrival goes on as if the checks had passed: the next pass
 * moves it to `ordered` and credits it on its day.
 */
export async function approveReferral(
  trx: Trx,
  jobs: Pick<Jobs, 'enqueue'>,
  input: { programId: string; id: string; merchantId: string; reason: string | null },
): Promise<ReferralView> {
  const r = await decide(trx, input.programId, input.id, input.merchantId, 'approved', input.reason)
  if (r.held_at === 'arrival') {
    await repo.transition(trx, r.id, ['review'], { status: 'coupon_sent', order_checked_at: new Date() })
  } else {
    await repo.transition(trx, r.id, ['review'], {
      status: 'coupon_pending',
      coupon_code: r.coupon_code ?? generateCouponCode(randomBytes),
    })
    await enqueueCoupon(trx, jobs, r.id)
  }
  return viewOf(trx, input.programId, r.id)
}

export async function rejectReferral(
  trx: Trx,
  input: { programId: string; id: string; merchantId: string; reason: string },
): Promise<ReferralView> {
  const r = await decide(trx, input.programId, input.id, input.merchantId, 'rejected', input.reason)
  await repo.transition(trx, r.id, ['review'], { status: 'rejected' })
  return viewOf(trx, input.programId, r.id)
}
