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

export interface DB {
  merchants: MerchantsTable
  api_tokens: ApiTokensTable
  programs: ProgramsTable
  members: MembersTable
  ledger_entries: LedgerEntriesTable
  rate_limits: RateLimitsTable
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
