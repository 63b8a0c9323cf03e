import { randomBytes } from 'node:crypto'
import type { RedeemBody, RedemptionView } from '../../shared/api/redemptions.ts'
import type { Executor, Trx } from '../db/database.ts'
import type { NewRedemption, Redemption, Reward } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { AppError, notFound } from '../lib/errors.ts'
import { reasons } from '../i18n/reasons.ts'
import { coalesceByKey, perObject, serialByKey } from '../lib/serial.ts'
import { findBalances, lockBalances, postNewEntries } from '../ledger/service.ts'
import { FactsChanged, programFacts, type ProgramFacts } from './facts.ts'
import { couponQueue } from './queues.ts'
import * as repo from './repository.ts'
import { couponSpec, generateCouponCode } from './rules.ts'
import { toRedemptionView } from './views.ts'
import { redemptionEvent } from './events.ts'
import { emitMany } from '../webhooks/outbox/service.ts'

const outOfStock = () => new AppError('out_of_stock', 'This reward is out of stock', { field: 'rewardId' })

export interface RedeemResult {
  redemption: Redemption
  /** False when the idempotency key was seen before: `redemption` is the first one, as it is now. */
  created: boolean
}

/**
 * Exactly once per idempotency key (design rule 3), in one transaction: lock the member (every
 * redemption of one member is serialised behind this lock, so balance, limit and replay checks
 * cannot race), check, debit, create the pending redemption (its own coupon job, due at once:
 * see couponQueue) and claim a unit of stock — all or nothing. The coupon is created by the job,
 * never inside the shopper's request: LI may be slow or down, and the debit must not wait for it.
 *
 * Redemptions of one program arriving together share that transaction (group commit, see
 * `lockedBatch`): each is still decided on its own member's locked row, and one that cannot be
 * written with the others (out of stock, a database error) is tried again alone.
 */
export async function redeem(
  deps: Pick<AppDeps, 'db' | 'jobs'>,
  programId: string,
  memberId: number,
  body: RedeemBody,
): Promise<RedeemResult> {
  // The same key already in flight here (a double click, a retry sent before the first answer):
  // its answer is this one's, as the stored row would be once it commits, without a turn of its
  // own. Across processes the stored key decides, as below. A first attempt that failed stored
  // nothing: this one is then decided afresh.
  const sameKey = `${programId}:${memberId}:${body.idempotencyKey}`
  const inFlight = keysInFlight(deps.db)
  const first = inFlight.get(sameKey)
  if (first) {
    const earlier = await first.then(
      (r) => r,
      () => undefined,
    )
    if (earlier) return replayOf(earlier.redemption, body)
  }
  const attempt = decide(deps, programId, memberId, body)
  if (!inFlight.has(sameKey)) {
    inFlight.set(sameKey, attempt)
    const forget = () => {
      if (inFlight.get(sameKey) === attempt) inFlight.delete(sameKey)
    }
    attempt.then(forget, forget)
  }
  return attempt
}

/** Per database (tests run several in one process), like the batches below. */
const keysInFlight = perObject((_db: Executor) => new Map<string, Promise<RedeemResult>>())

async function decide(
  deps: Pick<AppDeps, 'db' | 'jobs'>,
  programId: string,
  memberId: number,
  body: RedeemBody,
): Promise<RedeemResult> {
  // Read before the transaction, so no connection is held waiting for it.
  let facts = programFacts(deps.db, programId, body.rewardId)
  facts.catch(() => undefined) // awaited below; a rejection is thrown there
  // One member's requests are queued here before they take a pooled connection. Their
  // transactions serialise on the member's row lock anyway; without this each waiter held a
  // connection while blocked (redeem bench, 3 requests per member, pool of 10: a fifth of the
  // pg_stat_activity samples were `Lock: transactionid/tuple` on the members lock, and requests
  // of other members queued behind them for a connection). The row lock stays the guarantee
  // across processes. It also keeps two attempts of one member out of one batch.
  const result = await perMember(`${programId}:${memberId}`, async (queued) => {
    const batches = batchersOf(deps)
    for (let tries = 1; ; tries++) {
      const attempt: Attempt = { memberId, body, known: await facts }
      // An attempt that waited behind another of the member's has probably lost the points to it:
      // a look at the committed rows answers it without the lock. A first attempt is most likely
      // accepted; it goes to the lock at once (the peek was a statement in front of every debit).
      if (queued) {
        const early = answerUnlocked(await batches.peek(programId, attempt), attempt)
        if (early) return early
      }
      try {
        return unwrap(await batches.locked(programId, attempt))
      } catch (err) {
        // Decided on remembered facts that no longer hold: decide again on fresh ones.
        if (!(err instanceof FactsChanged)) throw err
        if (tries >= 3) throw err.answer
        facts = programFacts(deps.db, programId, body.rewardId, { fresh: true })
      }
    }
  })
  if (result.created) deps.jobs.wake(couponQueue)
  return result
}

const perMember = serialByKey()

interface Attempt {
  memberId: number
  body: RedeemBody
  known: ProgramFacts
}

type Outcome = { ok: RedeemResult } | { error: unknown }
const unwrap = (o: Outcome): RedeemResult => {
  if ('error' in o) throw o.error
  return o.ok
}

interface Peeked {
  prior: Redemption | undefined
  balance: number | undefined
}

/**
 * Per database: the unlocked reads of the attempts that arrive together (one statement for
 * their keys, one for their balances) and their locked transaction. On the redeem bench every
 * statement is a round trip whose cost is mostly the socket's (a third of the CPU), so a
 * thousand shoppers at once cost a few dozen transactions instead of a thousand.
 */
const batchersOf = perObject((deps: Pick<AppDeps, 'db' | 'jobs'>) => ({
  peek: coalesceByKey(async (programId, attempts: Attempt[]): Promise<Peeked[]> => {
    const [priors, balances] = await Promise.all([
      repo.findByKeys(
        deps.db,
        programId,
        attempts.map((a) => ({ memberId: a.memberId, key: a.body.idempotencyKey })),
      ),
      findBalances(
        deps.db,
        programId,
        attempts.map((a) => a.memberId),
      ),
    ])
    const byKey = new Map(priors.map((r) => [`${r.member_id}:${r.idempotency_key}`, r]))
    return attempts.map((a) => ({
      prior: byKey.get(`${a.memberId}:${a.body.idempotencyKey}`),
      balance: balances.get(a.memberId),
    }))
  }),
  locked: coalesceByKey((programId, attempts: Attempt[]) =>
    deps.db.transaction().execute((trx) => lockedBatch(trx, programId, attempts)),
  ),
}))

/**
 * Replays and refusals answered from committed rows, without a transaction or a lock: a key seen
 * before (its redemption committed, so it is final) and a balance already short of the cost are
 * answers the locked path would give too, as of a moment ago (a refusal is not stored: a retry
 * is decided afresh). Asked only for an attempt queued behind another of the same member's (see
 * `decide`): on the redeem bench, the second key of each shopper ends here. Undefined: decide
 * under the member's lock.
 */
function answerUnlocked({ prior, balance }: Peeked, { body, known }: Attempt): RedeemResult | undefined {
  if (balance === undefined) return undefined // not in the program (any more): the locked path says so
  if (prior) return replayOf(prior, body)
  const { active, reward } = known
  if (!active || !reward?.active || reward.removed_from_feed_at !== null) return undefined
  if (balance !== undefined && balance < reward.points_cost) throw insufficientPoints(balance, reward.points_cost)
  return undefined
}

const insufficientPoints = (balance: number, pointsCost: number) =>
  new AppError(
    'insufficient_points',
    `Not enough points: the balance is ${balance} and the reward costs ${pointsCost}`,
    {
      details: { balance, pointsCost },
    },
  )

function replayOf(prior: Redemption, body: RedeemBody): RedeemResult {
  if (prior.reward_id !== body.rewardId) {
    throw new AppError('idempotency_conflict', 'This idempotency key was already used for another reward', {
      field: 'idempotencyKey',
    })
  }
  return { redemption: prior, created: false }
}

/**
 * The locked part for attempts of one program, in the caller's transaction: lock their members,
 * then decide each on its own locked balance, keys and limits — a refusal is that attempt's
 * answer and does not stop the others — and write the accepted ones together. Throws (the whole
 * transaction rolls back, and `coalesce` tries each attempt again alone) only when they cannot
 * be written together: not enough stock left for all of them, or a database error.
 */
async function lockedBatch(trx: Trx, programId: string, attempts: Attempt[]): Promise<Outcome[]> {
  const balances = await lockBalances(
    trx,
    programId,
    attempts.map((a) => a.memberId),
  )
  const priors = new Map(
    (
      await repo.findByKeys(
        trx,
        programId,
        attempts.map((a) => ({ memberId: a.memberId, key: a.body.idempotencyKey })),
      )
    ).map((r) => [`${r.member_id}:${r.idempotency_key}`, r]),
  )
  const limited = attempts.filter((a) => a.known.reward?.per_member_limit != null)
  const held = await repo.countHeldMany(
    trx,
    programId,
    limited.map((a) => ({ memberId: a.memberId, rewardId: a.known.reward!.id })),
  )
  const outcomes: Outcome[] = []
  const accepted: Array<{ index: number; row: NewRedemption; reward: Reward }> = []
  attempts.forEach((a, index) => {
    try {
      const balance = balances.get(a.memberId)
      if (balance === undefined) throw new AppError('unauthorized', 'This member no longer exists in the program')
      const prior = priors.get(`${a.memberId}:${a.body.idempotencyKey}`)
      if (prior) {
        outcomes[index] = { ok: replayOf(prior, a.body) }
        return
      }
      const reward = checkAttempt(a, balance, held.get(`${a.memberId}:${a.known.reward?.id}`) ?? 0)
      accepted.push({ index, reward, row: pendingRedemption(programId, a, reward) })
    } catch (error) {
      outcomes[index] = { error }
    }
  })
  if (accepted.length === 0) return outcomes

  const inserted = await repo.insertRedemptions(
    trx,
    accepted.map((a) => a.row),
  )
  const byKey = new Map(inserted.map((r) => [`${r.member_id}:${r.idempotency_key}`, r]))
  const rows = accepted.map((a) => byKey.get(`${a.row.member_id}:${a.row.idempotency_key}`)!)
  // The keys name redemptions inserted just now: they cannot have been used, so the ledger's
  // look-up of used keys is skipped (postNewEntries; still safe if it were).
  await postNewEntries(
    trx,
    programId,
    rows.map((r, i) => ({
      memberId: r.member_id,
      kind: 'redeem' as const,
      amount: -r.points_cost,
      reason: reasons.redeem(accepted[i]!.reward.title),
      idempotencyKey: `redemption:${r.id}`,
      redemptionId: r.id,
    })),
    balances,
  )
  await emitMany(
    trx,
    programId,
    rows.map((r) => ({ type: 'reward.redeemed' as const, data: redemptionEvent(r) })),
  )
  // Last, so the reward's row — shared by every member redeeming it — stays locked only from
  // here to the commit; taken first, it serialised whole transactions (measured: ~70/s).
  const units = new Map<string, { n: number; reward: Reward; kept: boolean }>()
  for (const a of accepted) {
    const u = units.get(a.reward.id) ?? { n: 0, reward: a.reward, kept: false }
    u.n++
    // Attempts of one batch may hold facts of different ages: any kept one is checked.
    if (attempts[a.index]!.known.readAt !== undefined) u.kept = true
    units.set(a.reward.id, u)
  }
  for (const [rewardId, { n, reward, kept }] of units) {
    const now = await repo.claimStock(trx, programId, rewardId, n)
    if (!now) throw kept ? new FactsChanged(outOfStock()) : outOfStock()
    if (repo.REWARD_TERMS.some((k) => now[k] !== reward[k])) {
      throw new FactsChanged(
        new AppError('reward_unavailable', 'This reward changed while it was being redeemed; try again', {
          field: 'rewardId',
        }),
      )
    }
  }
  rows.forEach((redemption, i) => {
    outcomes[accepted[i]!.index] = { ok: { redemption, created: true } }
  })
  return outcomes
}

/** The checks of one attempt on its member's locked balance; the reward it redeems, or throws. */
function checkAttempt({ known }: Attempt, balance: number, held: number): Reward {
  const { active, reward } = known
  // A paused program (store connection off, or never made) cannot create coupons: refuse before
  // any debit instead of taking the points and creating a coupon the merchant did not allow.
  if (!active) {
    throw new AppError('program_paused', 'The program is paused: its connection to the store is not active')
  }
  if (!reward) throw new AppError('not_found', 'Reward not found', { field: 'rewardId' })
  if (!reward.active || reward.removed_from_feed_at !== null) {
    throw new AppError('reward_unavailable', 'This reward is not available any more', { field: 'rewardId' })
  }
  couponSpec(reward) // throws for a reward that cannot become a coupon
  if (balance < reward.points_cost) throw insufficientPoints(balance, reward.points_cost)
  if (reward.per_member_limit !== null && held >= reward.per_member_limit) {
    throw new AppError('limit_reached', `Each member may redeem this reward ${reward.per_member_limit} time(s)`, {
      field: 'rewardId',
    })
  }
  // Cheap early refusal on facts read just now; the claim at the end is the real check (kept
  // facts may count units given back since).
  if (known.readAt === undefined && reward.total_stock !== null && reward.issued_count >= reward.total_stock)
    throw outOfStock()
  return reward
}

function pendingRedemption(programId: string, { memberId, body }: Attempt, reward: Reward): NewRedemption {
  return {
    program_id: programId,
    member_id: memberId,
    reward_id: reward.id,
    idempotency_key: body.idempotencyKey,
    status: 'pending',
    points_cost: reward.points_cost,
    ...couponColumns(reward),
  }
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
