import type { LauncherCorner } from '../../shared/api/programs.ts'
import type { RedemptionStatus } from '../../shared/api/redemptions.ts'
import type { REWARD_KINDS } from '../../shared/api/rewards.ts'
import type { EmailTables } from './email-schema.ts'
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/**
 * Database types, written once from the migrations in ./migrations. Every repository imports its
 * row types from here; nothing else describes table shapes.
 */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>

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
  created_at: CreatedAt
}

export interface RateLimitsTable {
  key: string
  window_start: Date
  count: number
}

export interface IntegrationsTable {
  program_id: string
  credential_kind: 'chave_api' | 'personal_token'
  api_key_enc: string
  api_key_last4: string
  key_verified_at: Date | null
  credentials_rejected_at: Date | null
  site_url: string
  signup_url: string | null
  feed_url: string | null
  coupon_validity_days: Generated<number>
  reward_allowlist: Generated<string[]>
  awarding_status_ids: Generated<number[]>
  active: Generated<boolean>
  activated_at: Date | null
  sales_registration: Generated<boolean>
  erp_sales: Generated<boolean>
  webhook_token: string | null
  webhook_registered_at: Date | null
  statuses_fetched_at: Date | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface LiStatusesTable {
  program_id: string
  id: number
  code: string
  name: string
  approved: boolean
  cancelled: boolean
  final: boolean
}

export type SyncResource = 'customers' | 'orders'
/**
 * Counts of a sync run. Besides the applied rows: `listingFallback` (the orders listing failed
 * the numero-order checks, so the pass read it by time windows), `repaged` (a window shifted
 * while paged and was read again), `narrowed` (a window was halved to stay within LI's paging
 * limit), `rateLimited` (429s waited out).
 */
export type SyncCounts = Partial<
  Record<'seen' | 'created' | 'updated' | 'awarded' | 'reversed' | 'held' | 'pages' | 'requests' | 'listingFallback' | 'repaged' | 'narrowed' | 'rateLimited', number>
>

export interface SyncStateTable {
  program_id: string
  resource: SyncResource
  cursor: Date | null
  run_since: Date | null
  run_started_at: Date | null
  run_next: string | null
  run_total: number | null
  run_pass: Generated<number>
  run_counts: ColumnType<SyncCounts, SyncCounts | string | undefined, SyncCounts | string>
  last_run_started_at: Date | null
  last_run_finished_at: Date | null
  last_counts: ColumnType<SyncCounts, SyncCounts | string | undefined, SyncCounts | string>
  last_error: string | null
  last_error_at: Date | null
}

/** 'pending': the points wait out the program's pending period (points_rules.pending_days). */
export type AwardState = 'none' | 'pending' | 'awarded' | 'reversed'

export interface OrdersTable {
  program_id: string
  source: 'li' | 'erp'
  external_id: string
  li_customer_id: number | null
  customer_email: string | null
  member_id: number | null
  status_id: number | null
  status_code: string | null
  subtotal_cents: number
  shipping_cents: number
  discount_cents: number
  total_cents: number
  placed_at: Date
  source_updated_at: Date
  award_state: Generated<AwardState>
  award_cycle: Generated<number>
  points_awarded: Generated<number>
  points_reversed: Generated<number>
  created_at: CreatedAt
  updated_at: Timestamp
  /** Pending orders: the São Paulo day their points become spendable, and their earn entry's reason. */
  available_on: ColumnType<string | null, string | null | undefined, string | null>
  pending_reason: ColumnType<string | null, string | null | undefined, string | null>
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
  purpose: 'login' | 'join'
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

export type RewardKind = (typeof REWARD_KINDS)[number]

export interface RewardsTable {
  id: Generated<string>
  program_id: string
  kind: RewardKind
  source: 'manual' | 'feed'
  title: string
  description: string | null
  image_url: string | null
  points_cost: number
  /** The merchant chose points_cost by hand; feed imports leave it alone. */
  points_cost_override: Generated<boolean>
  value_cents: number | null
  percent: number | null
  feed_item_id: string | null
  price_cents: number | null
  sale_price_cents: number | null
  link: string | null
  /** The merchant's switch only; leaving the feed sets removed_from_feed_at instead. */
  active: Generated<boolean>
  total_stock: number | null
  issued_count: Generated<number>
  per_member_limit: number | null
  minimum_order_cents: number | null
  removed_from_feed_at: Date | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export type CouponType = 'fixo' | 'porcentagem' | 'frete_gratis'

export interface RedemptionsTable {
  id: Generated<number>
  program_id: string
  member_id: number
  reward_id: string
  idempotency_key: string
  status: RedemptionStatus
  points_cost: number
  reward_kind: RewardKind
  reward_title: string
  coupon_type: CouponType
  /** Cents for 'fixo', percent × 100 for 'porcentagem', 0 for 'frete_gratis'. */
  coupon_value: number
  minimum_order_cents: number | null
  coupon_code: string
  li_coupon_id: number | null
  /** 'YYYY-MM-DD', the São Paulo day sent as LI's validade. */
  valid_until_day: string | null
  expires_at: Date | null
  attempts: Generated<number>
  create_attempted_at: Date | null
  lease_until: Date | null
  failure_code: string | null
  failure_reason: string | null
  created_at: CreatedAt
  updated_at: Timestamp
  issued_at: Date | null
  failed_at: Date | null
  used_at: Date | null
  refunded_at: Date | null
  /**
   * Failed after a coupon POST may have reached LI: what the daily reconciliation then found in
   * the store (no such coupon; one it deactivated; one already used at checkout).
   */
  store_check: 'absent' | 'deactivated' | 'used' | null
  store_checked_at: Date | null
}

/** One line of an import report: `{ line, itemId?, message }` (message in pt-BR). */
export interface FeedReportEntry {
  line: number
  itemId?: string
  message: string
}

export interface FeedImportsTable {
  id: Generated<number>
  program_id: string
  trigger: 'manual' | 'schedule'
  feed_url: string | null
  status: 'running' | 'ok' | 'failed'
  started_at: CreatedAt
  finished_at: Date | null
  format: 'rss' | 'atom' | null
  bytes_read: Generated<number>
  items_seen: Generated<number>
  items_accepted: Generated<number>
  skipped_out_of_stock: Generated<number>
  skipped_not_allowed: Generated<number>
  skipped_invalid: Generated<number>
  error_count: Generated<number>
  warning_count: Generated<number>
  rewards_created: Generated<number>
  rewards_updated: Generated<number>
  rewards_removed: Generated<number>
  fatal_code: string | null
  fatal_message: string | null
  fatal_line: number | null
  errors: ColumnType<FeedReportEntry[], string | undefined, string>
  warnings: ColumnType<FeedReportEntry[], string | undefined, string>
  report: string | null
}

export interface FeedImportItemsTable {
  import_id: number
  feed_item_id: string
  title: string
  image_url: string | null
  link: string | null
  price_cents: number
  sale_price_cents: number | null
  points_cost: number
}

/** A program's points lifecycle (migration 0007); no row = defaults (all off). */
export interface PointsRulesTable {
  program_id: string
  /** null = points never expire. */
  expiry_months: number | null
  signup_bonus: Generated<number>
  birthday_bonus: Generated<number>
  pending_days: Generated<number>
  /** São Paulo days ('YYYY-MM-DD') the daily jobs finished. */
  expiry_checked_through: ColumnType<string | null, string | null | undefined, string | null>
  birthdays_checked_through: ColumnType<string | null, string | null | undefined, string | null>
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

export interface DB extends EmailTables {
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
