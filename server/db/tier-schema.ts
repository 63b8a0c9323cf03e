import type { ColumnType, Generated, Selectable } from 'kysely'
import type { TierBasis, TierWindow } from '../../shared/api/tiers.ts'
import type { CreatedAt, Timestamp } from './columns.ts'

/** VIP tiers (migration 0060). */

export interface TierRulesTable {
  program_id: string
  basis: TierBasis
  period: TierWindow
  updated_at: Timestamp
  /** A saved rules body the tiers-apply job has not applied yet (migration 0081); a JSON string on write. */
  pending_body: ColumnType<unknown | null, string | null | undefined, string | null>
  pending_since: ColumnType<Date | null, Date | null | undefined, Date | null>
}

export interface TiersTable {
  id: Generated<string>
  program_id: string
  name: string
  color: string
  threshold: number
  multiplier_pct: Generated<number>
  entry_reward: Generated<number>
  /** A reward whose coupon is given on reaching the tier (migration 0080); null = none. */
  entry_reward_id: ColumnType<string | null, string | null | undefined, string | null>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface MemberTiersTable {
  program_id: string
  member_id: number
  tier_id: string | null
  qualifying: number
  previous_qualifying: number
  kept_until: ColumnType<string | null, string | null, string | null>
  evaluated_at: Timestamp
}

/** A reward's coupon due to a member for reaching a tier, until the redemptions' worker hands it over. */
export interface TierRewardGrantsTable {
  id: Generated<number>
  program_id: string
  member_id: number
  tier_id: string | null
  tier_name: string
  reward_id: string | null
  grant_key: string
  created_at: CreatedAt
  handled_at: Date | null
  outcome: 'redemption' | 'reward_unavailable' | 'program_paused' | null
  redemption_id: number | null
}

export interface TierTables {
  tier_rules: TierRulesTable
  tiers: TiersTable
  member_tiers: MemberTiersTable
  tier_reward_grants: TierRewardGrantsTable
}

export type TierRow = Selectable<TiersTable>
export type TierRulesRow = Selectable<TierRulesTable>
export type TierRewardGrant = Selectable<TierRewardGrantsTable>
