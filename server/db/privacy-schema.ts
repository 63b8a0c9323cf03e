import type { ColumnType, Generated } from 'kysely'

/**
 * Database types of LGPD requests and erasure tombstones (migration 2026-12-07-0030-privacy).
 * Part of `DB` (schema.ts), which re-exports them; repositories import them from there.
 */

export type PrivacyRequestKind = 'access' | 'portability' | 'correction' | 'erasure'
export type PrivacyRequestState = 'open' | 'done' | 'cancelled'
export type PrivacyRequestChannel = 'widget' | 'panel' | 'api'

export interface PrivacyRequestsTable {
  id: Generated<number>
  program_id: string
  member_id: number
  kind: PrivacyRequestKind
  state: Generated<PrivacyRequestState>
  channel: PrivacyRequestChannel
  note: string | null
  requester_ip: string | null
  requested_at: ColumnType<Date, Date | string | undefined, Date | string>
  due_at: ColumnType<Date, Date | string, Date | string>
  done_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface MemberTombstonesTable {
  program_id: string
  email_hash: string
  li_customer_hash: string | null
  erased_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface PrivacyTables {
  privacy_requests: PrivacyRequestsTable
  member_tombstones: MemberTombstonesTable
}
