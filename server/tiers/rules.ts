import type { TierWindow } from '../../shared/api/tiers.ts'
import { addDays, addMonths, type Day } from '../lib/calendar.ts'

/**
 * Pure rules of VIP tiers (no I/O; property tests in rules.test.ts). The repository sums what
 * counts per member and window; everything that decides a tier, how long it is kept, which entry
 * reward is due and what an order earns under a tier is here.
 */

export interface TierLike {
  id: string
  name: string
  threshold: number
  /** Hundredths: 150 = × 1,5. */
  multiplierPct: number
  entryReward: number
  /** A reward whose coupon is given on entry (beside or instead of the bonus); null = none. */
  entryRewardId?: string | null
}

/**
 * The window's bounds on São Paulo day `today`. `current` counts from `currentFrom` (inclusive;
 * null = since ever); a calendar year also reads the year before (`previousFrom`), whose tier is
 * kept through this one. `currentKey`/`previousKey` name the windows in entry-reward keys.
 */
export interface WindowBounds {
  window: TierWindow
  currentFrom: Day | null
  previousFrom: Day | null
  currentKey: string
  previousKey: string | null
  /** Calendar year: the last day a tier reached in the current / previous year is kept. */
  keptFromCurrent: Day | null
  keptFromPrevious: Day | null
}

export function windowBounds(window: TierWindow, today: Day): WindowBounds {
  const year = Number(today.slice(0, 4))
  if (window === 'calendar_year')
    return {
      window,
      currentFrom: `${year}-01-01`,
      previousFrom: `${year - 1}-01-01`,
      currentKey: String(year),
      previousKey: String(year - 1),
      keptFromCurrent: `${year + 1}-12-31`,
      keptFromPrevious: `${year}-12-31`,
    }
  if (window === 'rolling_12m')
    // The last 12 months, today included. An entry reward is paid at most once per tier per
    // calendar year of entry: a member who slips out and back in within the year gets it once.
    return {
      window,
      currentFrom: addDays(addMonths(today, -12), 1),
      previousFrom: null,
      currentKey: `rolling:${year}`,
      previousKey: null,
      keptFromCurrent: null,
      keptFromPrevious: null,
    }
  return {
    window,
    currentFrom: null,
    previousFrom: null,
    currentKey: 'lifetime',
    previousKey: null,
    keptFromCurrent: null,
    keptFromPrevious: null,
  }
}

/** Tiers sorted by threshold, lowest first (thresholds are strictly increasing once validated). */
export const sortTiers = <T extends Pick<TierLike, 'threshold'>>(tiers: readonly T[]): T[] =>
  [...tiers].sort((a, b) => a.threshold - b.threshold)

/** The highest tier whose threshold `amount` reaches; null below the first. `tiers` sorted lowest first. */
export function tierFor<T extends Pick<TierLike, 'threshold'>>(amount: number, tiers: readonly T[]): T | null {
  let found: T | null = null
  for (const t of tiers) if (amount >= t.threshold) found = t
  return found
}

export interface Standing<T extends TierLike> {
  tier: T | null
  /** The window the tier was reached in (entry-reward key part); null without a tier. */
  reachedIn: string | null
  keptUntil: Day | null
  /** The next tier up and what the current window still lacks to reach it. */
  next: T | null
  missing: number
}

/**
 * Where a member stands: the tier of the best of the current window and (calendar year) the one
 * before — a tier is monotonic in the amount, so that is the higher of the two tiers. Only what
 * counts now (never the balance) goes in, so spending cannot drop a tier; a cancellation can.
 */
export function standing<T extends TierLike>(
  tiers: readonly T[],
  b: WindowBounds,
  current: number,
  previous: number,
): Standing<T> {
  const prev = b.previousKey === null ? 0 : previous
  const tier = tierFor(Math.max(current, prev), tiers)
  const fromCurrent = tier === null || current >= tier.threshold
  const next = tiers.find((t) => t.threshold > (tier?.threshold ?? 0)) ?? null
  return {
    tier,
    reachedIn: tier === null ? null : fromCurrent ? b.currentKey : b.previousKey,
    keptUntil: tier === null ? null : fromCurrent ? b.keptFromCurrent : b.keptFromPrevious,
    next,
    missing: next === null ? 0 : Math.max(0, next.threshold - current),
  }
}

/**
 * The entry reward due when a member moves from `from` to `to` (a bonus `amount`, 0 for none, and/or
 * a reward's coupon): only a rise (into a tier with a higher threshold) pays, once per tier and window — the ledger's idempotency key
 * `tier:<tierId>:<window>` makes a second evaluation, a drop and a return harmless.
 */
export function entryRewardDue<T extends TierLike>(
  from: Pick<TierLike, 'threshold'> | null,
  to: T | null,
  reachedIn: string | null,
): { tier: T; amount: number; rewardId: string | null; key: string } | null {
  const rewardId = to?.entryRewardId ?? null
  if (!to || reachedIn === null || (to.entryReward <= 0 && rewardId === null)) return null
  if (from && from.threshold >= to.threshold) return null
  return { tier: to, amount: Math.max(0, to.entryReward), rewardId, key: entryRewardKey(to.id, reachedIn) }
}

export const entryRewardKey = (tierId: string, window: string) => `tier:${tierId}:${window}`

/**
 * What an order earns under a campaign and a tier multiplier (both in hundredths, null = none):
 * the base (already whole: pointsFor and cashbackFor round down) times both, rounded down once,
 * so × 1,5 × 2 gives the same as × 3 and no step loses a fraction on its own.
 */
export function earnMultiplied(base: number, campaignPct: number | null, tierPct: number | null): number {
  if (base <= 0) return base
  const c = campaignPct ?? 100
  const t = tierPct ?? 100
  if (c === 100 && t === 100) return base
  return Math.floor((base * c * t) / 10_000)
}

/**
 * The first problem of a tier list (field path and message), or null: thresholds must rise from
 * one tier to the next and names must differ.
 */
export function tierListProblem(
  tiers: ReadonlyArray<{ name: string; threshold: number }>,
): { field: string; message: string } | null {
  const names = new Set<string>()
  for (let i = 0; i < tiers.length; i++) {
    const t = tiers[i]!
    const key = t.name.trim().toLowerCase()
    if (names.has(key)) return { field: `tiers.${i}.name`, message: 'tier names must differ' }
    names.add(key)
    if (i > 0 && t.threshold <= tiers[i - 1]!.threshold)
      return { field: `tiers.${i}.threshold`, message: 'thresholds must increase from one tier to the next' }
  }
  return null
}
