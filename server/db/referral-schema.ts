import type { ColumnType, Generated, Selectable } from 'kysely'
import type { ReferralReason, ReferralStatus } from '../../shared/api/referrals.ts'
import type { CreatedAt, Timestamp } from './columns.ts'

/** Referrals (migration 0070). */

export interface ReferralSettingsTable {
  program_id: string
  enabled: boolean
  friend_coupon_cents: number
  friend_min_order_cents: number
  advocate_reward: number
  advocate_monthly_cap: number
  claims_per_ip_per_week: number
  share_text: string
  updated_at: Timestamp
}

export interface ReferralCodesTable {
  program_id: string
  member_id: number
  code: string
  created_at: CreatedAt
}

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>

export interface ReferralsTable {
  id: Generated<string>
  program_id: string
  advocate_member_id: number
  /** As the friend typed it (trimmed, lower case). */
  friend_email: string
  /** rules.ts normaliseEmail: one claim per key per program. */
  friend_email_key: string
  claim_ip: Nullable<string>
  status: ReferralStatus
  reasons: ColumnType<ReferralReason[], ReferralReason[] | undefined, ReferralReason[]>
  /** Where it was held for review: at the claim (no coupon yet) or at the order's arrival. */
  held_at: Nullable<'claim' | 'arrival'>
  /** Chosen before any call to LI and never changed (exactly-once, as redemptions). */
  coupon_code: Nullable<string>
  coupon_cents: number
  coupon_min_order_cents: number
  li_coupon_id: Nullable<number>
  coupon_valid_until: Nullable<string>
  coupon_attempts: Generated<number>
  coupon_attempted_at: Nullable<Date>
  lease_until: Nullable<Date>
  failure: Nullable<string>
  order_source: Nullable<'li' | 'erp'>
  order_external_id: Nullable<string>
  /** The arrival checks passed (or a merchant approved them) for that order. */
  order_checked_at: Nullable<Date>
  credit_available_on: Nullable<string>
  /** São Paulo month ('YYYY-MM') the credit (or the cap) was decided in. */
  credit_month: Nullable<string>
  credited_amount: Nullable<number>
  credited_at: Nullable<Date>
  claimed_at: ColumnType<Date, Date | string | undefined, never>
  updated_at: Timestamp
}

export interface ReferralDecisionsTable {
  id: Generated<number>
  referral_id: string
  program_id: string
  decision: 'approved' | 'rejected'
  reason: string | null
  merchant_id: string | null
  merchant_email: string
  created_at: CreatedAt
}

export interface ReferralTables {
  referral_settings: ReferralSettingsTable
  referral_codes: ReferralCodesTable
  referrals: ReferralsTable
  referral_decisions: ReferralDecisionsTable
}

export type ReferralRow = Selectable<ReferralsTable>
export type ReferralSettingsRow = Selectable<ReferralSettingsTable>
export type ReferralDecisionRow = Selectable<ReferralDecisionsTable>
