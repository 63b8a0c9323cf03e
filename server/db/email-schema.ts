import type { ColumnType, Generated, Selectable } from 'kysely'
import type { CreatedAt, Timestamp } from './columns.ts'

/**
 * Database types of the e-mail tables (migration 2026-11-28-0003-email), in the style of
 * schema.ts. They live in their own file until they are merged into `DB` there; the e-mail
 * repository reads through `Kysely<DB & EmailTables>` meanwhile.
 */

export const EMAIL_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const
export type EmailStatus = (typeof EMAIL_STATUSES)[number]

/** Transactional: asked for or needed by the shopper (no unsubscribe). Marketing: everything else. */
export type EmailCategory = 'transactional' | 'marketing'

export type EmailHeaders = Record<string, string>

export interface EmailOutboxTable {
  id: Generated<number>
  program_id: string | null
  member_id: number | null
  /** Which template wrote it ('login_code', 'welcome', …); text so rows of newer releases still load. */
  kind: string
  category: EmailCategory
  /** Why the shopper got it, as the footer says it (pt-BR). */
  reason: string
  to_address: string
  /** Display name of the From header (the program's name); the address comes from MAIL_FROM. */
  from_name: string | null
  subject: string
  /** Null once a sensitive message has been sent or given up. */
  text_body: string | null
  html_body: string | null
  /** Extra headers (List-Unsubscribe, …), written as a JSON string. */
  headers: ColumnType<EmailHeaders, string | undefined, string>
  /** Holds a secret (a login code): bodies are blanked once it is sent or expires. */
  sensitive: Generated<boolean>
  status: Generated<EmailStatus>
  attempts: Generated<number>
  last_error: string | null
  message_id: string | null
  dedupe_key: string | null
  expires_at: Date | null
  locked_until: Date | null
  created_at: CreatedAt
  updated_at: Timestamp
  sent_at: Date | null
}

export interface EmailUnsubscribesTable {
  program_id: string
  member_id: number
  /** 'marketing' (every non-essential e-mail of the program) or one kind. */
  scope: string
  created_at: CreatedAt
}

/** Lifecycle e-mails (migration 2026-11-29-0008-lifecycle-emails): per-program switches. */
export interface LifecycleEmailSettingsTable {
  program_id: string
  /** The merchant's kill switch for every lifecycle e-mail of the program. */
  enabled: Generated<boolean>
  disabled_kinds: ColumnType<string[], string[] | undefined, string[]>
  welcome_next_slot_at: Date | null
  welcome_backfill_for: Date | null
  updated_at: Timestamp
}

export type WelcomeStatus = 'pending' | 'queued' | 'skipped'

/** One per member, ever: the durable "welcome e-mail pending / queued / skipped" marker. */
export interface LifecycleWelcomesTable {
  member_id: number
  program_id: string
  priority: Generated<number>
  status: Generated<WelcomeStatus>
  skip_reason: string | null
  outbox_id: number | null
  created_at: CreatedAt
  decided_at: Date | null
}

export interface EmailTables {
  email_outbox: EmailOutboxTable
  email_unsubscribes: EmailUnsubscribesTable
  lifecycle_email_settings: LifecycleEmailSettingsTable
  lifecycle_welcomes: LifecycleWelcomesTable
}

export type EmailOutboxRow = Selectable<EmailOutboxTable>
