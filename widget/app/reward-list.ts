import type { MemberReward } from './types.ts'

/** Rewards on the first screen of the "Prêmios" tab; "Ver mais" shows the rest. */
export const FIRST_SCREEN = 6

/**
 * What the member can redeem now first, then what is nearest (fewest points missing); the
 * server's order (cheapest first) breaks ties. A list of 52 feed products otherwise buries the
 * few the shopper can have today.
 */
export function orderRewards(items: readonly MemberReward[]): MemberReward[] {
  return items
    .map((r, i) => ({ r, i }))
    .sort(
      (a, b) => Number(b.r.affordable) - Number(a.r.affordable) || a.r.pointsMissing - b.r.pointsMissing || a.i - b.i,
    )
    .map((x) => x.r)
}
