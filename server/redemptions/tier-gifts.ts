import type { Trx } from '../db/database.ts'
import type { AppDeps } from '../deps.ts'
import { tierReasons } from '../i18n/tiers.ts'
import { findIntegration } from '../integrations/service.ts'
import { findReward } from '../rewards/service.ts'
import { lockPendingGrants, markGrantHandled, type TierRewardGrant } from '../tiers/service.ts'
import { couponQueue } from './queues.ts'
import * as repo from './repository.ts'
import { couponColumns } from './redeem.ts'

/** How often each worker process hands over tier entry coupons (`handTierGifts`). */
export const TIER_GIFT_CHECK_SECONDS = 5
const BATCH = 100

/**
 * Turns the entry coupons VIP tiers recorded (server/tiers writes a grant in the evaluation's
 * transaction; it sits below this feature) into redemptions that cost nothing, through the same
 * exactly-once path as a bought coupon: a pending redemption with its code fixed up front (the
 * row is its coupon job, see couponQueue), committed in the same transaction as the grant is
 * marked handled. The redemption's idempotency key is the grant's (`tier:<tierId>:<window>`),
 * so even a grant handed over twice (it cannot be: the row is locked and marked) is one
 * redemption. Nothing was debited, so a coupon the store refuses fails without a refund
 * (`giveBack` skips gifts). A program whose connection is off, or a reward no longer offered,
 * gets no coupon (recorded on the grant). Returns how many grants were handled.
 */
export async function handTierGifts(deps: Pick<AppDeps, 'db' | 'jobs'>): Promise<number> {
  let total = 0
  for (;;) {
    const n = await deps.db.transaction().execute(async (trx) => {
      const grants = await lockPendingGrants(trx, BATCH)
      for (const g of grants) await handOver(trx, g)
      return grants.length
    })
    total += n
    if (n < BATCH) break
  }
  if (total) deps.jobs.wake(couponQueue)
  return total
}

async function handOver(trx: Trx, g: TierRewardGrant): Promise<void> {
  const prior = await repo.findByKey(trx, g.program_id, g.member_id, g.grant_key)
  if (prior) return markGrantHandled(trx, g.id, 'redemption', prior.id)
  if (!(await findIntegration(trx, g.program_id))?.active) return markGrantHandled(trx, g.id, 'program_paused', null)
  const reward = g.reward_id ? await findReward(trx, g.program_id, g.reward_id) : undefined
  if (!reward || !reward.active || reward.removed_from_feed_at !== null)
    return markGrantHandled(trx, g.id, 'reward_unavailable', null)
  const redemption = await repo.insertRedemption(trx, {
    program_id: g.program_id,
    member_id: g.member_id,
    reward_id: reward.id,
    idempotency_key: g.grant_key,
    status: 'pending',
    // A gift: outside the reward's price, stock and per-member limit, which are about buying it.
    points_cost: 0,
    ...couponColumns(reward),
    gift_reason: tierReasons.entryCoupon(g.tier_name),
  })
  await markGrantHandled(trx, g.id, 'redemption', redemption.id)
}
