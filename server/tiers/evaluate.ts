import type { Executor, Trx } from '../db/database.ts'
import type { Program, TierRow } from '../db/schema.ts'
import { tierReasons } from '../i18n/tiers.ts'
import { findEntriesByKeys, postEntries, type EntryInput } from '../ledger/service.ts'
import { saoPauloDay, startOfSaoPauloDay, type Day } from '../lib/calendar.ts'
import { emitMany, type WebhookEventInput } from '../webhooks/outbox/service.ts'
import * as repo from './repository.ts'
import { entryRewardDue, standing, type TierLike, type WindowBounds, windowBounds } from './rules.ts'
import type { TierBasis, TierWindow } from '../../shared/api/tiers.ts'

export interface TierSetup {
  basis: TierBasis
  window: TierWindow
  /** Lowest threshold first. */
  tiers: SetupTier[]
}

export type SetupTier = TierLike & { color: string }

export const toTierLike = (t: TierRow): SetupTier => ({
  id: t.id,
  name: t.name,
  color: t.color,
  threshold: Number(t.threshold),
  multiplierPct: t.multiplier_pct,
  entryReward: t.entry_reward,
  entryRewardId: t.entry_reward_id,
})

/** The program's tier set-up, or null when it has none. */
export async function loadSetup(db: Executor, programId: string): Promise<TierSetup | null> {
  const rules = await repo.findRules(db, programId)
  if (!rules) return null
  const tiers = (await repo.listTiers(db, programId)).map(toTierLike)
  if (tiers.length === 0) return null
  return { basis: rules.basis, window: rules.period, tiers }
}

/** The window's São Paulo days as instants, for the orders' `placed_at`. */
export function instantBounds(b: WindowBounds) {
  return {
    currentFrom: b.currentFrom === null ? null : startOfSaoPauloDay(b.currentFrom),
    previousFrom: b.previousFrom === null ? null : startOfSaoPauloDay(b.previousFrom),
  }
}

export interface EvaluateCounts {
  evaluated: number
  changed: number
  /** Entry bonuses posted. */
  rewards: number
  /** Entry coupons recorded for the redemptions' worker to hand over. */
  coupons: number
}

export interface EvaluateOptions {
  /**
   * Pay entry rewards to members who rise into a tier. False after a rules change: saving the
   * rules re-evaluates everyone without touching a balance (issue 19).
   */
  grant: boolean
  today?: Day
}

/**
 * Brings the standing of `memberIds` (null = every member) to what their orders say now:
 * state-based, like the order sync. Two grouped reads (amounts, stored standings), then one write
 * of the standings that differ; entry bonuses go through the ledger's idempotency keys and entry
 * coupons through the grants' unique key, so evaluating twice, or concurrently, pays once. Runs inside the caller's transaction.
 */
export async function evaluateTiers(
  trx: Trx,
  program: Pick<Program, 'id' | 'mode'>,
  memberIds: readonly number[] | null,
  opts: EvaluateOptions,
  setup?: TierSetup | null,
): Promise<EvaluateCounts> {
  const counts: EvaluateCounts = { evaluated: 0, changed: 0, rewards: 0, coupons: 0 }
  if (memberIds !== null && memberIds.length === 0) return counts
  const s = setup === undefined ? await loadSetup(trx, program.id) : setup
  if (!s) return counts
  const ids = memberIds === null ? null : [...new Set(memberIds)].sort((a, b) => a - b)
  const b = windowBounds(s.window, opts.today ?? saoPauloDay(new Date()))
  const [amounts, stored] = await Promise.all([
    repo.qualifyingAmounts(trx, program.id, s.basis, instantBounds(b), ids),
    repo.storedStandings(trx, program.id, ids),
  ])
  const byId = new Map(s.tiers.map((t) => [t.id, t]))
  const before = new Map(stored.map((r) => [Number(r.member_id), r]))
  const now = new Map(amounts.map((a) => [a.member_id, a]))
  const writes: repo.StandingWrite[] = []
  const gone: number[] = []
  const entries: EntryInput[] = []
  const events: WebhookEventInput[] = []
  const grants: repo.GrantWrite[] = []
  for (const memberId of new Set([...before.keys(), ...now.keys()])) {
    counts.evaluated++
    const q = now.get(memberId) ?? { current: 0, previous: 0 }
    const st = standing(s.tiers, b, q.current, q.previous)
    const old = before.get(memberId)
    const oldTier = old?.tier_id ? (byId.get(old.tier_id) ?? null) : null
    const tierId = st.tier?.id ?? null
    const same =
      old !== undefined &&
      old.tier_id === tierId &&
      Number(old.qualifying) === q.current &&
      Number(old.previous_qualifying) === q.previous &&
      old.kept_until === st.keptUntil
    if (same) continue
    if (tierId === null && q.current === 0 && q.previous === 0) {
      if (old) gone.push(memberId)
    } else {
      writes.push({
        memberId,
        tierId,
        qualifying: q.current,
        previousQualifying: q.previous,
        keptUntil: st.keptUntil,
      })
    }
    if ((old?.tier_id ?? null) === tierId) continue
    counts.changed++
    events.push({
      type: 'tier.changed',
      data: { memberId, fromTierId: old?.tier_id ?? null, toTierId: tierId, toTier: st.tier?.name ?? null },
    })
    const due = opts.grant ? entryRewardDue(oldTier, st.tier, st.reachedIn) : null
    if (due?.rewardId)
      grants.push({ memberId, tierId: due.tier.id, tierName: due.tier.name, rewardId: due.rewardId, key: due.key })
    if (due && due.amount > 0)
      entries.push({
        memberId,
        kind: 'bonus',
        amount: due.amount,
        reason: tierReasons.entryReward(due.tier.name, program.mode),
        idempotencyKey: due.key,
      })
  }
  await repo.upsertStandings(trx, program.id, writes)
  await repo.deleteStandings(trx, program.id, gone)
  if (entries.length) {
    // A reward is paid once per tier and window: keys already in the ledger are skipped here
    // rather than re-posted, because the merchant may have changed the reward's amount since,
    // and the same key with another amount is an idempotency conflict that would fail the
    // whole order batch.
    const paid = new Set(
      (
        await findEntriesByKeys(
          trx,
          program.id,
          entries.map((e) => e.idempotencyKey),
        )
      ).map((e) => e.idempotency_key),
    )
    const fresh = entries.filter((e) => !paid.has(e.idempotencyKey))
    if (fresh.length) counts.rewards = (await postEntries(trx, program.id, fresh)).filter((p) => p.created).length
  }
  // A coupon is recorded here, in the evaluation's transaction, and created by the redemptions'
  // worker (server/redemptions/tier-gifts.ts) through the exactly-once coupon path: tiers sit
  // below redemptions. The unique key makes a second evaluation, a drop and a return record nothing.
  counts.coupons = await repo.insertGrants(trx, program.id, grants)
  if (events.length) await emitMany(trx, program.id, events)
  return counts
}
