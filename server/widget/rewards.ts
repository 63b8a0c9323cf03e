import type { MemberRewards, RewardSummary } from '../../shared/api/widget.ts'
import type { Executor } from '../db/database.ts'
import type { Reward } from '../db/schema.ts'
import { benefitText } from '../i18n/benefit.ts'
import { couponSpec } from '../redemptions/rules.ts'
import { listAvailableRewards } from '../rewards/service.ts'

/** Rewards shown in the public config before login (cheapest first). */
const CONFIG_REWARDS = 12

/** A reward as the widget shows it; null for one that cannot become a coupon (a product without a price). */
function toSummary(r: Reward): RewardSummary | null {
  let spec
  try {
    spec = couponSpec(r)
  } catch {
    return null
  }
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    benefit: benefitText(spec),
    description: r.description,
    pointsCost: r.points_cost,
    imageUrl: r.image_url,
    minimumOrderCents: spec.minimumOrderCents,
  }
}

const summaries = (rows: Reward[]) => rows.map(toSummary).filter((s): s is RewardSummary => s !== null)

/** The program's redeemable rewards for the public config (cached with it, see WidgetPrograms). */
export async function rewardsSummary(
  db: Executor,
  programId: string,
): Promise<{ count: number; items: RewardSummary[] }> {
  const items = summaries(await listAvailableRewards(db, programId))
  return { count: items.length, items: items.slice(0, CONFIG_REWARDS) }
}

/** The program's rewards with `affordable`/`pointsMissing` computed against the member's balance. */
export async function rewardsForMember(db: Executor, programId: string, balance: number): Promise<MemberRewards> {
  const items = summaries(await listAvailableRewards(db, programId)).map((s) => ({
    ...s,
    affordable: balance >= s.pointsCost,
    pointsMissing: Math.max(0, s.pointsCost - balance),
  }))
  return { balance, items }
}
