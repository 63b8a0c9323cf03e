import { randomBytes } from 'node:crypto'
import type { RedeemBody, RedemptionView } from '../../shared/api/redemptions.ts'
import type { Executor, Trx } from '../db/database.ts'
import type { Redemption, Reward } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { AppError, notFound } from '../lib/errors.ts'
import { reasons } from '../i18n/reasons.ts'
import { serialByKey, singleFlight } from '../lib/serial.ts'
import { findIntegration } from '../integrations/service.ts'
import { lockBalances, postEntries } from '../ledger/service.ts'
import { findReward } from '../rewards/service.ts'
import { couponQueue } from './queues.ts'
import * as repo from './repository.ts'
import { couponSpec, generateCouponCode } from './rules.ts'
import { toRedemptionView } from './views.ts'
import { redemptionEvent } from './events.ts'
import { emit } from '../webhooks/outbox/service.ts'

const outOfStock = () => new AppError('out_of_stock', 'This reward is out of stock', { field: 'rewardId' })
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

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
export async function redeem(
  deps: Pick<AppDeps, 'db' | 'jobs'>,
  programId: string,
  memberId: number,
  body: RedeemBody,
): Promise<RedeemResult> {
  // One member's requests are queued here before they take a pooled connection. Their
  // transactions serialise on the member's row lock anyway; without this each waiter held a
  // connection while blocked (redeem bench, 3 requests per member, pool of 10: a fifth of the
  // pg_stat_activity samples were `Lock: transactionid/tuple` on the members lock, and requests
  // of other members queued behind them for a connection). The row lock stays the guarantee
  // across processes.
  const facts = programFacts(deps.db, programId, body.rewardId)
  facts.catch(() => undefined) // awaited below; a rejection is thrown there
  const result = await perMember(`${programId}:${memberId}`, async () => {
    // Read before the transaction, so no connection is held waiting for it.
    const known = await facts
    return deps.db.transaction().execute((trx) => redeemLocked(deps, trx, programId, memberId, body, known))
  })
  if (result.created) deps.jobs.wake(couponQueue)
  return result
}

const perMember = serialByKey()

interface ProgramFacts {
  active: boolean
  reward: Reward | undefined
}

/**
 * Whether the program's connection is active, and the reward. Neither is locked (read committed,
 * as before, when they were read inside the transaction): the stock claim at the end rechecks the
 * reward is active and in stock. Concurrent redemptions of one reward share one read (redeem
 * bench: 2 of the ~13 queries of every request, asked by hundreds of requests at once).
 */
const readFacts = singleFlight<ProgramFacts>()
const programFacts = (db: Executor, programId: string, rewardId: string) =>
  readFacts(`${programId}:${rewardId}`, async () => {
    const [integration, reward] = await Promise.all([
      findIntegration(db, programId),
      UUID.test(rewardId) ? findReward(db, programId, rewardId) : undefined,
    ])
    return { active: !!integration?.active, reward }
  })

function replayOf(prior: Redemption, body: RedeemBody): RedeemResult {
  if (prior.reward_id !== body.rewardId) {
    throw new AppError('idempotency_conflict', 'This idempotency key was already used for another reward', {
      field: 'idempotencyKey',
    })
  }
  return { redemption: prior, created: false }
}

async function redeemLocked(
  deps: Pick<AppDeps, 'jobs'>,
  trx: Trx,
  programId: string,
  memberId: number,
  body: RedeemBody,
  { active, reward }: ProgramFacts,
): Promise<RedeemResult> {
  const balances = await lockBalances(trx, programId, [memberId])
  const balance = balances.get(memberId)
  if (balance === undefined) throw new AppError('unauthorized', 'This member no longer exists in the program')

  const prior = await repo.findByKey(trx, programId, memberId, body.idempotencyKey)
  if (prior) return replayOf(prior, body)

  // A paused program (store connection off, or never made) cannot create coupons: refuse before
  // any debit instead of taking the points and creating a coupon the merchant did not allow.
  if (!active) {
    throw new AppError('program_paused', 'The program is paused: its connection to the store is not active')
  }
  if (!reward) throw new AppError('not_found', 'Reward not found', { field: 'rewardId' })
  if (!reward.active || reward.removed_from_feed_at !== null) {
    throw new AppError('reward_unavailable', 'This reward is not available any more', { field: 'rewardId' })
  }
  // A reward that cannot be a coupon is refused before the balance and limit checks.
  couponSpec(reward)
  if (balance < reward.points_cost) {
    throw new AppError(
      'insufficient_points',
      `Not enough points: the balance is ${balance} and the reward costs ${reward.points_cost}`,
      {
        details: { balance, pointsCost: reward.points_cost },
      },
    )
  }
  if (
    reward.per_member_limit !== null &&
    (await repo.countHeld(trx, programId, memberId, reward.id)) >= reward.per_member_limit
  ) {
    throw new AppError('limit_reached', `Each member may redeem this reward ${reward.per_member_limit} time(s)`, {
      field: 'rewardId',
    })
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
    ...couponColumns(reward),
  })
  await postEntries(
    trx,
    programId,
    [
      {
        memberId,
        kind: 'redeem',
        amount: -reward.points_cost,
        reason: reasons.redeem(reward.title),
        idempotencyKey: `redemption:${redemption.id}`,
        redemptionId: redemption.id,
      },
    ],
    balances,
  )
  await emit(trx, programId, 'reward.redeemed', redemptionEvent(redemption))
  await deps.jobs.enqueue(trx, couponQueue, { redemptionId: redemption.id }, { key: String(redemption.id) })
  // Last, so the reward's row — shared by every member redeeming it — stays locked only from
  // here to the commit; taken first, it serialised whole transactions (measured: ~70/s).
  if (!(await repo.claimStock(trx, programId, reward.id))) throw outOfStock()
  return { redemption, created: true }
}

/**
 * What a redemption of `reward` records about its coupon, the code chosen here, before any call
 * to LI (design rule 3). Throws for a reward that cannot be a coupon.
 */
export function couponColumns(reward: Reward) {
  const spec = couponSpec(reward)
  return {
    reward_kind: reward.kind,
    reward_title: reward.title,
    coupon_type: spec.type,
    coupon_value: spec.value,
    minimum_order_cents: spec.minimumOrderCents,
    coupon_code: generateCouponCode(randomBytes),
  }
}

export async function listMemberRedemptions(
  db: Executor,
  programId: string,
  memberId: number,
  limit = 50,
): Promise<RedemptionView[]> {
  return (await repo.listForMember(db, programId, memberId, limit)).map(toRedemptionView)
}

export async function getMemberRedemption(
  db: Executor,
  programId: string,
  memberId: number,
  id: number,
): Promise<RedemptionView> {
  const r = await repo.findForProgram(db, programId, id)
  // Another member's redemption is "not found", exactly like one that does not exist.
  if (!r || r.member_id !== memberId) throw notFound('Redemption')
  return toRedemptionView(r)
}
