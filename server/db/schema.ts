import type { EmailTables } from '../email/schema.ts'
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
export type SyncCounts = Partial<Record<'seen' | 'created' | 'updated' | 'awarded' | 'reversed' | 'held' | 'pages' | 'requests', number>>

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

export type AwardState = 'none' | 'awarded' | 'reversed'

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
