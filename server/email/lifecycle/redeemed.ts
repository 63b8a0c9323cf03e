import type { Trx } from '../../db/database.ts'
import { benefitText } from '../../i18n/benefit.ts'
import { emailDeps, type EmailDeps } from '../service.ts'
import { ptBR } from '../templates/pt-BR.ts'
import { gateCache, lifecycleGate, type Gate, type LifecycleDeps } from './gate.ts'
import { dayOf, redemptionPageFacts, type MemberRow } from './redemption-facts.ts'
import * as repo from './repository.ts'
import { perObject, serialByKey } from '../../lib/serial.ts'
import { PAGE, send, sendMany, type SendInput, type SendResult } from './send.ts'

// Reward redeemed: the coupon's e-mail, and its hourly catch-up.

/**
 * The redemption's coupon exists in the store (status `issued`): e-mail its code, value and
 * expiry, once per redemption. Called by the coupon job right after it marks the redemption
 * issued; never throws into it (the coupon is issued whatever happens to the e-mail) — a lost
 * e-mail is written by the hourly catch-up (`catchUpRedeemed`) instead. Resolves once written:
 * after a burst of coupon jobs in this process is through (DEFER_MAX_MS at most).
 *
 * Calls arriving within a few milliseconds of each other (coupon jobs run in batches) are
 * written together: one read of the redemptions, one gate and one members/outbox read per
 * program, one transaction. Measured on the redeem bench: 11 queries per redemption one by one
 * (the gate, the member and the outbox look-up each asked per e-mail), ~6 in a batch.
 */
export function onRedemptionIssued(deps: LifecycleDeps, redemptionId: number): Promise<void> {
  let batch = pending.get(deps.db)
  if (!batch) pending.set(deps.db, (batch = newBatch(deps)))
  batch.ids.add(redemptionId)
  if (batch.ids.size >= BATCH_MAX) batch.flush()
  return batch.done
}

/**
 * How long the first e-mail of a batch waits for others, and the most one batch writes. A batch
 * costs ~12 statements whatever its size; at 20 ms / 25 the redeem bench wrote 64 of them for
 * 1,000 coupons (a quarter of every statement of the run). The shopper already sees the coupon
 * in the widget; its e-mail leaving 50 ms later changes nothing for them.
 */
const BATCH_WAIT_MS = 50
const BATCH_MAX = 100
/**
 * The e-mails wait while this process's coupon jobs are busy (a burst of redemptions), this long
 * at most: the coupons go first (see jobs/interactive.ts), and a steady stream of them still
 * lets the e-mails out within seconds. Batches then write one after another, not all at once.
 */
const DEFER_MAX_MS = 5_000
interface Batch {
  ids: Set<number>
  done: Promise<void>
  flush(): void
}
const pending = new WeakMap<object, Batch>()
/** One batch written at a time per database. */
const inTurn = perObject((_db: object) => serialByKey())

function newBatch(deps: LifecycleDeps): Batch {
  let resolve!: () => void
  const batch: Batch = {
    ids: new Set(),
    done: new Promise<void>((r) => (resolve = r)),
    flush() {
      clearTimeout(timer)
      if (pending.get(deps.db) !== batch) return // flushed already
      pending.delete(deps.db)
      const ids = [...batch.ids]
      // Asked again at each batch's turn: a new burst starting while earlier batches are written
      // holds the rest back.
      void inTurn(deps.db)('redeemed', async () => {
        await deps.jobs.whenQuiet(DEFER_MAX_MS)
        await writeRedeemed(deps, ids)
      }).finally(resolve)
    },
  }
  const timer = setTimeout(() => batch.flush(), BATCH_WAIT_MS)
  return batch
}

async function writeRedeemed(deps: LifecycleDeps, ids: number[]): Promise<void> {
  const email = emailDeps(deps)
  try {
    const gateOf = gateCache(deps.db, 'reward_redeemed')
    const open: Array<{ r: repo.RedemptionFacts; gate: Gate }> = []
    for (const r of await repo.findRedemptions(deps.db, ids)) {
      const gate = await gateOf(r.program_id)
      if (gate.open) open.push({ r, gate })
    }
    const keyOf = (r: repo.RedemptionFacts) => `reward_redeemed:${r.id}`
    const { done, members } = await redemptionPageFacts(
      deps.db,
      open.map((o) => o.r),
      keyOf,
    )
    const todo = open.filter(({ r }) => !done.has(keyOf(r)) && members.has(r.member_id))
    if (todo.length === 0) return
    await deps.db.transaction().execute(async (trx) => {
      const byProgram = new Map<string, Array<SendInput<'reward_redeemed'>>>()
      for (const { r, gate } of todo) {
        const input = redeemedInput(r, gate, members.get(r.member_id)!)
        if (input) byProgram.set(r.program_id, [...(byProgram.get(r.program_id) ?? []), input])
      }
      for (const inputs of byProgram.values()) await sendMany(trx, email, inputs)
    })
  } catch (err) {
    if (ids.length > 1) {
      // One bad row must not cost the others their e-mail: write them one by one.
      for (const id of ids) await writeRedeemed(deps, [id])
      return
    }
    deps.log.warn('reward redeemed e-mail not written; the hourly catch-up retries it', { redemptionId: ids[0], err })
  }
}

async function sendRedeemed(
  trx: Trx,
  email: EmailDeps,
  r: repo.RedemptionFacts,
  gate?: Gate,
  member?: MemberRow,
): Promise<SendResult | null> {
  if (r.status !== 'issued' || !r.valid_until_day) return null
  gate ??= await lifecycleGate(trx, r.program_id, 'reward_redeemed')
  if (!gate.open) return null
  member ??= (await repo.membersByIds(trx, r.program_id, [r.member_id]))[0]
  if (!member) return null
  const input = redeemedInput(r, gate, member)
  return input && send(trx, email, input)
}

/** The coupon e-mail of an issued redemption (null when it is not issued yet). */
function redeemedInput(r: repo.RedemptionFacts, gate: Gate, member: MemberRow): SendInput<'reward_redeemed'> | null {
  if (r.status !== 'issued' || !r.valid_until_day || !gate.open) return null
  return {
    programId: r.program_id,
    member,
    kind: 'reward_redeemed',
    data: {
      name: member.name,
      rewardTitle: r.reward_title,
      benefit: benefitText({ type: r.coupon_type, value: r.coupon_value }),
      couponCode: r.coupon_code,
      validUntil: dayOf(r.valid_until_day),
      minimumOrderCents: r.minimum_order_cents === null ? null : Number(r.minimum_order_cents),
      pointsSpent: r.points_cost,
      pointsName: gate.pointsName,
      mode: gate.mode,
      gift: r.gift_reason,
    },
    reason: r.gift_reason
      ? ptBR.rewardRedeemed.giftReason(r.reward_title, r.id)
      : gate.mode === 'cashback'
        ? ptBR.cashback.redeemed.reason(r.points_cost, r.id)
        : ptBR.rewardRedeemed.reason(r.reward_title, r.id),
    dedupeKey: `reward_redeemed:${r.id}`,
  }
}

/** Coupons issued in the last two days whose e-mail is missing (the coupon job's call failed). */
export async function catchUpRedeemed(deps: LifecycleDeps, now = new Date()): Promise<number> {
  const email = emailDeps(deps)
  const gateOf = gateCache(deps.db, 'reward_redeemed')
  let queued = 0
  for (let afterId = 0; ; ) {
    const rows = await repo.recentlyIssued(deps.db, new Date(now.getTime() - 2 * 86_400_000), afterId, PAGE)
    if (rows.length === 0) break
    afterId = rows[rows.length - 1]!.id
    const open: Array<{ r: repo.RedemptionFacts; gate: Gate }> = []
    for (const r of rows) {
      const gate = await gateOf(r.program_id)
      if (gate.open) open.push({ r, gate })
    }
    const keyOf = (r: repo.RedemptionFacts) => `reward_redeemed:${r.id}`
    const { done, members } = await redemptionPageFacts(
      deps.db,
      open.map((o) => o.r),
      keyOf,
    )
    for (const { r, gate } of open) {
      const member = members.get(r.member_id)
      if (done.has(keyOf(r)) || !member) continue
      const res = await deps.db.transaction().execute((trx) => sendRedeemed(trx, email, r, gate, member))
      if (res?.status === 'queued') queued++
    }
  }
  return queued
}
