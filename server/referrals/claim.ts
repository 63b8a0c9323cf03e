import { randomBytes } from 'node:crypto'
import type { Executor, Trx } from '../db/database.ts'
import { findMemberByEmail } from '../members/service.ts'
import { hasOrderFromEmail } from '../orders/service.ts'
import { consume, type Limit } from '../rate-limit/service.ts'
import { generateCouponCode } from '../redemptions/rules.ts'
import type { Jobs } from '../jobs/jobs.ts'
import type { Db } from '../db/database.ts'
import * as repo from './repository.ts'
import { referralCouponQueue } from './queues.ts'
import { claimReasons, normaliseEmail } from './rules.ts'
import { liveReferrals, unknownCode } from './settings.ts'

/**
 * The ordinary per-IP request limit of a public form (as login and join): refuses with 429. It is
 * looser than `claimsPerIpPerWeek`, which never refuses: claims past it wait for review.
 */
export const CLAIM_LIMITS: Limit[] = [
  { max: 5, windowSeconds: 60 },
  { max: 30, windowSeconds: 3600 },
]

const WEEK_MS = 7 * 86_400_000

/**
 * A friend's claim of the coupon behind a referral link. The answer is the same whatever
 * happens (coupon on its way, held for review, already claimed): nobody learns from it whether an
 * address is a customer. One referral per normalised e-mail per program: the unique key makes a
 * second claim, even a concurrent one, write nothing.
 */
export async function claimReferral(
  deps: { db: Db; jobs: Pick<Jobs, 'enqueue'> },
  input: { programId: string; code: string; email: string; ip: string | null; now?: Date },
): Promise<void> {
  if (input.ip) await consume(deps.db, `referral-claim:ip:${input.ip}`, CLAIM_LIMITS)
  const now = input.now ?? new Date()
  await deps.db.transaction().execute(async (trx) => {
    if (input.ip) await repo.lockIpClaims(trx, input.programId, input.ip)
    const live = await liveReferrals(trx, input.programId)
    if (!live) throw unknownCode()
    const advocate = await repo.findAdvocateByCode(trx, input.programId, input.code)
    if (!advocate || advocate.erased_at) throw unknownCode()
    const email = input.email.trim().toLowerCase()
    const reasons = claimReasons({
      friendEmail: email,
      advocateEmail: advocate.email,
      alreadyCustomer: await isCustomer(trx, input.programId, email),
      ipClaimsThisWeek: input.ip
        ? await repo.countIpClaimsSince(trx, input.programId, input.ip, new Date(now.getTime() - WEEK_MS))
        : 0,
      claimsPerIpPerWeek: live.settings.claimsPerIpPerWeek,
    })
    const held = reasons.length > 0
    const row = await repo.insertReferral(trx, {
      program_id: input.programId,
      advocate_member_id: advocate.id,
      friend_email: email,
      friend_email_key: normaliseEmail(email),
      claim_ip: input.ip,
      status: held ? 'review' : 'coupon_pending',
      reasons,
      held_at: held ? 'claim' : null,
      // Fixed before any call to LI (redemptions' rule): a retried job sends the same code.
      coupon_code: held ? null : generateCouponCode(randomBytes),
      coupon_cents: live.settings.friendCouponCents,
      coupon_min_order_cents: live.settings.friendMinOrderCents,
    })
    if (row && !held) await enqueueCoupon(trx, deps.jobs, row.id)
  })
}

/** A member or any order of the program with this address: not a new customer. */
async function isCustomer(trx: Trx, programId: string, email: string): Promise<boolean> {
  return (
    (await findMemberByEmail(trx, programId, email)) !== undefined || (await hasOrderFromEmail(trx, programId, email))
  )
}

export const enqueueCoupon = (trx: Executor, jobs: Pick<Jobs, 'enqueue'>, referralId: string) =>
  jobs.enqueue(trx, referralCouponQueue, { referralId }, { key: referralId })
