import type { ProgramMode } from '../../shared/api/cashback.ts'
import type { LauncherCorner } from '../../shared/api/programs.ts'
import type { EmailTables } from './email-schema.ts'
import type { WebhookTables } from './webhook-schema.ts'
import type { PrivacyTables } from './privacy-schema.ts'
import type { TierTables } from './tier-schema.ts'
import type { ReferralTables } from './referral-schema.ts'
import type { CreatedAt, Timestamp } from './columns.ts'
import type { FeedImportItemsTable, FeedImportsTable, RedemptionsTable, RewardsTable } from './rewards-schema.ts'
import type { IntegrationsTable, LiStatusesTable, OrdersTable, SyncStateTable } from './integration-schema.ts'
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/**
 * Database types, written once from the migrations in ./migrations. Every repository imports its
 * row types from here; nothing else describes table shapes. The tables of the LI integration
 * (integration-schema.ts), of the catalogue (rewards-schema.ts) and of e-mail (email-schema.ts)
 * are written in their own files and re-exported here, so `DB` stays the one database type.
 */

export type * from './integration-schema.ts'
export type * from './rewards-schema.ts'
export type * from './webhook-schema.ts'
export type * from './privacy-schema.ts'
export type * from './tier-schema.ts'
export type * from './referral-schema.ts'

export interface MerchantsTable {
  id: Generated<string>
  email: string
  name: string
  password_hash: string
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface ApiTokensTable {
  id: Generated<string>
  merchant_id: string
  name: string
  token_hash: string
  /** First characters of the token, so a merchant can tell tokens apart. */
  prefix: string
  created_at: CreatedAt
  last_used_at: Date | null
  revoked_at: Date | null
}

export interface ProgramsTable {
  id: Generated<string>
  merchant_id: string
  program_key: string
  name: string
  /** Fixed at creation (migration 0040): in `cashback` the ledger unit is the cent. */
  mode: ColumnType<ProgramMode, ProgramMode | undefined, never>
  points_name: string
  /** Points per R$ 1,00 of (subtotal − discount); shipping excluded. */
  earn_rate: string
  primary_color: string
  text_color: string
  joining_open: Generated<boolean>
  /** Storefront launcher: the bottom corner and its distance (px, 0–200) from the side and the bottom. */
  launcher_corner: Generated<LauncherCorner>
  launcher_offset_x: Generated<number>
  launcher_offset_y: Generated<number>
  created_at: CreatedAt
  updated_at: Timestamp
  archived_at: Date | null
  /** The merchant asked to delete the program (migration 0030); undone by clearing both. */
  deletion_requested_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** From then on the purge job removes every row of the program. */
  purge_after: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface MembersTable {
  id: Generated<number>
  program_id: string
  email: string
  name: string | null
  cpf: string | null
  birth_date: string | null
  li_customer_id: number | null
  /** Cached sum of this member's ledger entries, written in the same transaction as each entry. */
  balance: Generated<number>
  /** Consent to e-mails given in the widget's join form; null = never asked. */
  email_consent: ColumnType<boolean | null, boolean | null | undefined, boolean | null>
  email_consent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** First time the shopper proved their e-mail in the widget. */
  joined_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** Anonymised by an LGPD erasure (migration 0030): e-mail and LI id replaced, the rest null. */
  erased_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** The version of the privacy text accepted at join in the widget (shared/api/privacy.ts), and when. */
  terms_version: ColumnType<string | null, string | null | undefined, string | null>
  terms_accepted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** Until when the member may pay with a coupon of ours: their orders' details are read for it. */
  coupon_held_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  created_at: CreatedAt
  updated_at: Timestamp
}

export const LEDGER_KINDS = ['earn', 'reverse', 'redeem', 'refund', 'expire', 'adjust', 'bonus'] as const
export type LedgerKind = (typeof LEDGER_KINDS)[number]

export interface LedgerEntriesTable {
  id: Generated<number>
  program_id: string
  member_id: number
  kind: LedgerKind
  amount: number
  reason: string
  idempotency_key: string
  order_ref: string | null
  redemption_id: number | null
  created_by: string | null
  /** When it was written. */
  created_at: CreatedAt
  /**
   * When what it records happened (migration 0011): an order's earn = the order's placing, its
   * reversal = the source's report of the change; anything else = created_at. Histories show and
   * sort by it.
   */
  occurred_at: ColumnType<Date, Date | string | undefined, never>
}

export interface RateLimitsTable {
  key: string
  window_start: Date
  count: number
}

/** What the join form said, kept with the pending code and applied once the code is verified. */
export interface LoginCodeProfile {
  name?: string | null
  cpf?: string | null
  birthDate?: string | null
  emailConsent?: boolean
}

export interface LoginCodesTable {
  program_id: string
  email: string
  member_id: number | null
  li_customer_id: number | null
  purpose: 'login' | 'join' | 'erasure'
  profile: ColumnType<LoginCodeProfile, string | undefined, string>
  code_hash: string
  attempts: Generated<number>
  expires_at: Date
  created_at: CreatedAt
}

export interface RefreshTokensTable {
  id: Generated<number>
  family_id: string
  program_id: string
  member_id: number
  token_hash: string
  expires_at: Date
  rotated_at: Date | null
  revoked_at: Date | null
  created_at: CreatedAt
}

export interface WidgetOriginsTable {
  program_id: string
  origin: string
  created_at: CreatedAt
}

/** A program's points lifecycle (migration 0007); no row = defaults (all off). */
export interface PointsRulesTable {
  program_id: string
  /** null = points never expire. */
  expiry_months: number | null
  signup_bonus: Generated<number>
  birthday_bonus: Generated<number>
  pending_days: Generated<number>
  /** Cashback validity (migration 0040): credits expire this many days after they were posted; null = see expiry_months. */
  expiry_days: ColumnType<number | null, number | null | undefined, number | null>
  /** São Paulo days ('YYYY-MM-DD') the daily jobs finished. */
  expiry_checked_through: ColumnType<string | null, string | null | undefined, string | null>
  birthdays_checked_through: ColumnType<string | null, string | null | undefined, string | null>
  updated_at: Timestamp
}

/** A cashback program's earning rules (migration 0040); no row = DEFAULT_CASHBACK_RULES. */
export interface CashbackRulesTable {
  program_id: string
  /** Basis points of the eligible amount: 1000 = 10 %. */
  percent_bp: number
  minimum_order_cents: Generated<number>
  earn_on_program_coupon_orders: Generated<boolean>
  updated_at: Timestamp
}

/** Redemption of a chosen amount (migration 0040): always on in cashback mode, an option in points mode. */
export interface AmountRedemptionRulesTable {
  program_id: string
  enabled: Generated<boolean>
  cents_per_point: Generated<number>
  min_redemption_cents: Generated<number>
  max_redemption_cents: number | null
  max_order_share_pct: Generated<number>
  updated_at: Timestamp
}

export interface CampaignsTable {
  id: Generated<string>
  program_id: string
  name: string
  /** Hundredths: 200 = points × 2. */
  multiplier_pct: number
  /** São Paulo days, both inclusive. */
  starts_on: ColumnType<string, string, string>
  ends_on: ColumnType<string, string, string>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface DB extends EmailTables, PrivacyTables, WebhookTables, TierTables, ReferralTables {
  merchants: MerchantsTable
  api_tokens: ApiTokensTable
  programs: ProgramsTable
  members: MembersTable
  ledger_entries: LedgerEntriesTable
  rate_limits: RateLimitsTable
  integrations: IntegrationsTable
  li_statuses: LiStatusesTable
  sync_state: SyncStateTable
  orders: OrdersTable
  login_codes: LoginCodesTable
  refresh_tokens: RefreshTokensTable
  widget_origins: WidgetOriginsTable
  rewards: RewardsTable
  feed_imports: FeedImportsTable
  feed_import_items: FeedImportItemsTable
  redemptions: RedemptionsTable
  points_rules: PointsRulesTable
  campaigns: CampaignsTable
  cashback_rules: CashbackRulesTable
  amount_redemption_rules: AmountRedemptionRulesTable
}

export type Merchant = Selectable<MerchantsTable>
export type NewMerchant = Insertable<MerchantsTable>
export type ApiToken = Selectable<ApiTokensTable>
export type Program = Selectable<ProgramsTable>
export type NewProgram = Insertable<ProgramsTable>
export type ProgramUpdate = Updateable<ProgramsTable>
export type Member = Selectable<MembersTable>
export type NewMember = Insertable<MembersTable>
export type LedgerEntry = Selectable<LedgerEntriesTable>
export type NewLedgerEntry = Insertable<LedgerEntriesTable>
export type Integration = Selectable<IntegrationsTable>
export type LiStatusRow = Selectable<LiStatusesTable>
export type SyncState = Selectable<SyncStateTable>
export type Order = Selectable<OrdersTable>
export type NewOrder = Insertable<OrdersTable>
export type LoginCode = Selectable<LoginCodesTable>
export type RefreshToken = Selectable<RefreshTokensTable>
export type Reward = Selectable<RewardsTable>
export type NewReward = Insertable<RewardsTable>
export type RewardUpdate = Updateable<RewardsTable>
export type FeedImport = Selectable<FeedImportsTable>
export type Redemption = Selectable<RedemptionsTable>
export type NewRedemption = Insertable<RedemptionsTable>
export type PointsRules = Selectable<PointsRulesTable>
export type Campaign = Selectable<CampaignsTable>
export type CashbackRulesRow = Selectable<CashbackRulesTable>
export type AmountRedemptionRulesRow = Selectable<AmountRedemptionRulesTable>
