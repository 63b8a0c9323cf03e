import { addDays, birthdayIn, type Day } from '../lib/calendar.ts'

/** Pure rules of bonuses, campaigns and the pending period (expiry lives in expiry.ts). */

export interface CampaignLike {
  id: string
  name: string
  /** Hundredths: 200 = points × 2. */
  multiplierPct: number
  /** São Paulo days, both inclusive. */
  startsOn: Day
  endsOn: Day
}

/**
 * The campaign an order placed on `placedOn` (São Paulo day) earns under: the one with the
 * highest multiplier among those running that day (campaigns never stack); ties go to the one
 * that started first. The purchase day decides, not the day the order reached its awarding
 * status: the shopper bought during the campaign, and re-reading the order later must give the
 * same answer.
 */
export function campaignFor<C extends CampaignLike>(placedOn: Day, campaigns: readonly C[]): C | null {
  let best: C | null = null
  for (const c of campaigns) {
    if (placedOn < c.startsOn || placedOn > c.endsOn) continue
    if (
      !best ||
      c.multiplierPct > best.multiplierPct ||
      (c.multiplierPct === best.multiplierPct && c.startsOn < best.startsOn)
    )
      best = c
  }
  return best
}

/** Points under a campaign's multiplier, rounded down (integer maths: pct is in hundredths). */
export function multiplied(points: number, campaign: Pick<CampaignLike, 'multiplierPct'> | null): number {
  if (!campaign || points <= 0) return points
  return Math.floor((points * campaign.multiplierPct) / 100)
}

/**
 * The first São Paulo day an order's points can be spent, when it reached an awarding status on
 * `awardedOn` and the program holds points for `pendingDays` days (0 = at once).
 */
export const availableOn = (awardedOn: Day, pendingDays: number): Day => addDays(awardedOn, pendingDays)

/**
 * Birthdays of a member that fall in the São Paulo days `from`..`to` (inclusive), as
 * `{ day, year }` — one bonus per year, keyed by the year of the birthday. Only birthdays on or
 * after the day the member enrolled count: joining the day after one's birthday does not pay it.
 */
export function birthdaysBetween(
  birthDate: Day,
  enrolledOn: Day,
  from: Day,
  to: Day,
): Array<{ day: Day; year: number }> {
  const out: Array<{ day: Day; year: number }> = []
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    const day = birthdayIn(birthDate, year)
    if (day >= from && day <= to && day >= enrolledOn) out.push({ day, year })
  }
  return out
}

export const signupBonusKey = (memberId: number) => `bonus:signup:${memberId}`
export const birthdayBonusKey = (memberId: number, year: number) => `bonus:birthday:${memberId}:${year}`

/**
 * Names an order's ledger entries; the pending-period release (pending.ts) posts its earn under the
 * same key. Here rather than in orders/ so that points/ need not import the orders above it.
 */
export const idempotencyKey = (source: string, externalId: string, kind: string, cycle: number) =>
  `order:${source}:${externalId}:${kind}:${cycle}`
