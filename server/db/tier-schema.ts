import type { ColumnType, Generated, Selectable } from 'kysely'
import type { TierBasis, TierWindow } from '../../shared/api/tiers.ts'
import type { CreatedAt, Timestamp } from './columns.ts'

/** VIP tiers (migration 0060). */

export interface TierRulesTable {
  program_id: string
  basis: TierBasis
  period: TierWindow
  updated_at: Timestamp
}

export interface TiersTable {
  id: Generated<string>
  program_id: string
  name: string
  color: string
  threshold: number
  multiplier_pct: Generated<number>
  entry_reward: Generated<number>
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

export interface TierTables {
  tier_rules: TierRulesTable
  tiers: TiersTable
  member_tiers: MemberTiersTable
}

export type TierRow = Selectable<TiersTable>
export type TierRulesRow = Selectable<TierRulesTable>
