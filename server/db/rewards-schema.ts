import type { RedemptionKind, RedemptionStatus } from '../../shared/api/redemptions.ts'
import type { REWARD_KINDS } from '../../shared/api/rewards.ts'
import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, Timestamp } from './columns.ts'

/**
 * Database types of the catalogue: rewards, their redemptions (coupons), and the feed imports
 * that fill the catalogue. Part of `DB` (schema.ts), which re-exports them; repositories import
 * them from there.
 */

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
  /** null for a redemption of a chosen amount (reward_kind 'amount', migration 0040). */
  reward_id: string | null
  idempotency_key: string
  status: RedemptionStatus
  /** In the ledger unit: points, or cents in a cashback program. */
  points_cost: number
  reward_kind: RedemptionKind
  reward_title: string
  coupon_type: CouponType
  /** Cents for 'fixo', percent × 100 for 'porcentagem', 0 for 'frete_gratis'. */
  coupon_value: number
  minimum_order_cents: number | null
  /** The chosen value of an 'amount' redemption, in cents (= coupon_value); null for rewards. */
  amount_cents: ColumnType<number | null, number | null | undefined, never>
  coupon_code: string
  li_coupon_id: number | null
  /** 'YYYY-MM-DD', the São Paulo day sent as LI's validade. */
  valid_until_day: string | null
  expires_at: Date | null
  attempts: Generated<number>
  create_attempted_at: Date | null
  lease_until: Date | null
  /** When a worker may claim it (pending only): now, a retry's time, or the end of its lease. */
  next_attempt_at: Generated<Date>
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
  /**
   * Set on a coupon given, not bought (a tier's entry reward, migration 0080), pt-BR for the
   * shopper: nothing was debited, so nothing is refunded and no stock unit was taken.
   */
  gift_reason: ColumnType<string | null, string | null | undefined, string | null>
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
