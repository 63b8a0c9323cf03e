import type { MemberRewards, RewardSummary } from '../../shared/api/widget.ts'
import type { Executor } from '../db/database.ts'

/**
 * HOOKS for the rewards issue. Rewards, redemptions and coupons do not exist yet; these answer
 * honestly with empty lists, and the routes' contract (shared/api/widget.ts) is already fixed.
 * The rewards issue replaces the bodies below and `redeem` in ./service.ts; routes stay as they are.
 */

/** The program's active rewards for the public config (shown before login). */
export async function rewardsSummary(_db: Executor, _programId: string): Promise<{ count: number; items: RewardSummary[] }> {
  return { count: 0, items: [] }
}

/** The program's rewards with `affordable`/`pointsMissing` computed against the member's balance. */
export async function rewardsForMember(_db: Executor, _programId: string, balance: number): Promise<MemberRewards> {
  return { balance, items: [] }
}
