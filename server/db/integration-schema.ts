import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, Timestamp } from './columns.ts'

/**
 * Database types of the Loja Integrada integration: its settings, the store's order statuses,
 * the sync cursors and the orders read from LI or an ERP. Part of `DB` (schema.ts), which
 * re-exports them; repositories import them from there.
 */

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
  Record<
    | 'seen'
    | 'created'
    | 'updated'
    | 'awarded'
    | 'reversed'
    | 'held'
    | 'pages'
    | 'requests'
    | 'listingFallback'
    | 'repaged'
    | 'narrowed'
    | 'rateLimited',
    number
  >
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
  /** The LI coupon code the order used (from its detail or webhook); null when none or not read. */
  coupon_code: ColumnType<string | null, string | null | undefined, string | null>
}
