import * as v from 'valibot'
import { type MemberTier, type TierPreview, TierRulesBody, type TierRulesView } from '../../shared/api/tiers.ts'
import type { Db, Executor, Trx } from '../db/database.ts'
import type { AppDeps } from '../deps.ts'
import type { Program } from '../db/schema.ts'
import { tierKeepText, tierNextText } from '../i18n/tiers.ts'
import { AppError } from '../lib/errors.ts'
import { type Day, saoPauloDay } from '../lib/calendar.ts'
import { findProgramById } from '../programs/service.ts'
import { evaluateTiers, instantBounds, loadSetup, toTierLike } from './evaluate.ts'
import { tiersApplyQueue } from './queues.ts'
import * as repo from './repository.ts'
import { sortTiers, standing, tierFor, tierListProblem, windowBounds } from './rules.ts'

export { evaluateTiers, loadSetup, type EvaluateCounts, type TierSetup } from './evaluate.ts'
export { earnMultiplied } from './rules.ts'

type ProgramLike = Pick<Program, 'id' | 'mode' | 'points_name'>

export async function getTierRules(db: Executor, programId: string): Promise<TierRulesView> {
  const rules = await repo.findRules(db, programId)
  const tiers = rules ? await repo.listTiers(db, programId) : []
  return {
    enabled: !!rules && tiers.length > 0,
    basis: rules?.basis ?? 'spend',
    window: rules?.period ?? 'lifetime',
    tiers: tiers.map((t) => {
      const { id, name, color, threshold, multiplierPct, entryReward } = toTierLike(t)
      return { id, name, color, threshold, multiplierPct, entryReward, entryRewardId: t.entry_reward_id }
    }),
    updatedAt: rules?.updated_at.toISOString() ?? null,
    reevaluating: !!rules?.pending_body,
  }
}

function checkBody(body: TierRulesBody) {
  const problem = tierListProblem(body.tiers)
  if (problem) throw new AppError('validation_failed', `${problem.field} ${problem.message}`, { field: problem.field })
}

/**
 * Up to this many members, saving re-evaluates them inside the PUT (the tiers bench: ~60,000
 * members/s on PostgreSQL, so well under a second); above, a job does it (`tiersApplyQueue`) and
 * the answer says `queued`, so a merchant's request never holds a transaction for seconds.
 */
export const INLINE_MAX_MEMBERS = 20_000

/**
 * Saves the tier rules and re-evaluates every member, granting nothing: a rules change moves
 * members between tiers without touching a balance (entry rewards are paid only when purchases
 * lift a member). Ids in the body keep their tiers (and the rewards already paid for them); tiers
 * missing from the body are deleted. A big program's body is kept for the tiers-apply job, which
 * applies it in one transaction; until then the current tiers stay in force.
 */
export async function saveTierRules(
  trx: Trx,
  deps: Pick<AppDeps, 'jobs'>,
  program: ProgramLike,
  body: TierRulesBody,
  inlineMax = INLINE_MAX_MEMBERS,
) {
  checkBody(body)
  await checkRewards(trx, program.id, body)
  if ((await repo.countMembers(trx, program.id)) > inlineMax) {
    await repo.savePending(trx, program.id, body, body.basis, body.window)
    await deps.jobs.enqueue(trx, tiersApplyQueue, { programId: program.id }, { key: program.id })
    return { rules: await getTierRules(trx, program.id), evaluated: 0, changed: 0, queued: true }
  }
  const counts = await applyRules(trx, program, body)
  return {
    rules: await getTierRules(trx, program.id),
    evaluated: counts.evaluated,
    changed: counts.changed,
    queued: false,
  }
}

async function applyRules(trx: Trx, program: ProgramLike, body: TierRulesBody) {
  await repo.saveRules(trx, program.id, body.basis, body.window)
  await repo.replaceTiers(trx, program.id, body.tiers)
  await repo.clearPending(trx, program.id)
  return evaluateTiers(trx, program, null, { grant: false })
}

/**
 * The tiers-apply job: the program's pending body, applied and everyone re-evaluated in one
 * transaction (granting nothing, like the PUT). Null when nothing is pending (an earlier job of
 * the program applied it). A reward deleted since the save is dropped from its tier.
 */
export async function applyPendingRules(db: Db, programId: string) {
  return db.transaction().execute(async (trx) => {
    const rules = await repo.lockRules(trx, programId)
    if (!rules?.pending_body) return null
    const program = await findProgramById(trx, programId)
    if (!program) return null
    const body = v.parse(TierRulesBody, rules.pending_body)
    const own = await repo.ownRewardIds(
      trx,
      programId,
      body.tiers.flatMap((t) => (t.entryRewardId ? [t.entryRewardId] : [])),
    )
    for (const t of body.tiers) if (t.entryRewardId && !own.has(t.entryRewardId)) t.entryRewardId = null
    return applyRules(trx, program, body)
  })
}

/** Each tier's coupon reward must be one of the program's rewards (named at its field). */
async function checkRewards(db: Executor, programId: string, body: TierRulesBody) {
  const named = body.tiers.flatMap((t) => (t.entryRewardId ? [t.entryRewardId] : []))
  const own = await repo.ownRewardIds(db, programId, named)
  const i = body.tiers.findIndex((t) => t.entryRewardId && !own.has(t.entryRewardId))
  if (i >= 0)
    throw new AppError('validation_failed', `tiers.${i}.entryRewardId is not a reward of this program`, {
      field: `tiers.${i}.entryRewardId`,
    })
}

/**
 * Entry coupons still to hand over, locked for the caller's transaction (the redemptions' worker,
 * above this feature, turns each into a redemption and marks it handled in the same transaction).
 */
export const lockPendingGrants = (trx: Trx, limit: number) => repo.lockPendingGrants(trx, limit)
export const markGrantHandled = repo.markGrantHandled
export type { TierRewardGrant } from '../db/schema.ts'

export async function deleteTierRules(trx: Trx, programId: string): Promise<void> {
  await repo.deleteRules(trx, programId)
}

/** How many members would land in each tier of `body` if it were saved now (nothing is written). */
export async function previewTiers(db: Executor, programId: string, body: TierRulesBody): Promise<TierPreview> {
  checkBody(body)
  const tiers = sortTiers(body.tiers.map((t, i) => ({ ...t, i })))
  const b = windowBounds(body.window, saoPauloDay(new Date()))
  const amounts = await repo.qualifyingAmounts(db, programId, body.basis, instantBounds(b), null)
  const counts = new Map<number, number>()
  for (const a of amounts) {
    const t = tierFor(Math.max(a.current, b.previousKey === null ? 0 : a.previous), tiers)
    if (t) counts.set(t.i, (counts.get(t.i) ?? 0) + 1)
  }
  const inTiers = [...counts.values()].reduce((x, y) => x + y, 0)
  return {
    tiers: tiers.map((t) => ({ name: t.name, members: counts.get(t.i) ?? 0 })),
    noTier: Math.max(0, (await repo.countMembers(db, programId)) - inTiers),
  }
}

/** Does the program have tiers (the widget's `me` skips the look-up when not)? */
export async function hasTiers(db: Executor, programId: string): Promise<boolean> {
  return (await loadSetup(db, programId)) !== null
}

/** A member's standing as the widget and the admin member view show it; null without tiers. */
export async function memberTier(db: Executor, program: ProgramLike, memberId: number): Promise<MemberTier | null> {
  const setup = await loadSetup(db, program.id)
  if (!setup) return null
  const row = await repo.findStanding(db, program.id, memberId)
  const b = windowBounds(setup.window, saoPauloDay(new Date()))
  const current = row ? Number(row.qualifying) : 0
  const st = standing(setup.tiers, b, current, row ? Number(row.previous_qualifying) : 0)
  // The stored tier is what the last evaluation decided (the multiplier follows it); the window
  // may have moved since (a new day or year), so the next tier and kept-until are recomputed.
  const tier = row?.tier_id ? (setup.tiers.find((t) => t.id === row.tier_id) ?? null) : null
  const unit = setup.basis === 'spend' || program.mode === 'cashback' ? 'cents' : 'points'
  const badge = (t: { id: string; name: string; color: string }) => ({ id: t.id, name: t.name, color: t.color })
  const next = setup.tiers.find((t) => t.threshold > (tier?.threshold ?? 0)) ?? null
  const missing = next ? Math.max(0, next.threshold - current) : 0
  const keptUntil = tier ? (row?.kept_until ?? null) : null
  return {
    tier: tier ? badge(tier) : null,
    basis: setup.basis,
    window: setup.window,
    qualifying: current,
    unit,
    keptUntil,
    next: next ? { ...badge(next), missing } : null,
    nextText: next ? tierNextText(missing, unit, program.points_name, next.name) : null,
    keepText: tier && keptUntil && st.keptUntil !== null ? tierKeepText(tier.name, keptUntil) : null,
  }
}

/** The tier badge of each of these members who has one (the members list: one read per page). */
export async function tierBadgesOf(db: Executor, programId: string, memberIds: readonly number[]) {
  const out = new Map<number, { id: string; name: string; color: string }>()
  for (const r of await repo.badgesOf(db, programId, memberIds))
    out.set(Number(r.member_id), { id: r.id, name: r.name, color: r.color })
  return out
}

/**
 * The tier multipliers of these members (the order sync, once per batch): members without a
 * tier or at × 1 are absent. A program without tiers answers from one primary-key probe.
 */
export async function tierMultipliers(
  db: Executor,
  programId: string,
  memberIds: readonly number[],
): Promise<Map<number, { pct: number; name: string }>> {
  const out = new Map<number, { pct: number; name: string }>()
  if (memberIds.length === 0) return out
  for (const r of await repo.multipliersOf(db, programId, [...new Set(memberIds)]))
    out.set(Number(r.member_id), { pct: r.multiplier_pct, name: r.name })
  return out
}

/** Every program with tiers, each in its own transaction (the daily job: rolling windows move, pending orders land). */
export async function evaluateAllPrograms(db: Db, today?: Day) {
  const totals = { programs: 0, evaluated: 0, changed: 0, rewards: 0, coupons: 0 }
  for (const programId of await repo.programsWithTiers(db)) {
    const c = await db.transaction().execute(async (trx) => {
      const program = await findProgramById(trx, programId)
      if (!program || program.archived_at || program.purge_after) return null
      return evaluateTiers(trx, program, null, { grant: true, ...(today ? { today } : {}) })
    })
    if (!c) continue
    totals.programs++
    totals.evaluated += c.evaluated
    totals.changed += c.changed
    totals.rewards += c.rewards
    totals.coupons += c.coupons
  }
  return totals
}
