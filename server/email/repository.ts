import { type Insertable, type Kysely, sql } from 'kysely'
import type { Executor, Trx } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import type { EmailOutboxTable, EmailStatus, EmailTables } from '../db/email-schema.ts'

// Until the e-mail tables are merged into `DB` (server/db/schema.ts), read them through this
// wider view of the same executor. A transaction stays the same transaction.
type EmailDb = Kysely<DB & EmailTables>
const e = (db: Executor) => db as unknown as EmailDb

/** Program name, colors and the store's site, for rendering. */
export const findBrand = (db: Executor, programId: string) =>
  e(db)
    .selectFrom('programs')
    .leftJoin('integrations', 'integrations.program_id', 'programs.id')
    .select([
      'programs.id',
      'programs.name',
      'programs.mode',
      'programs.primary_color',
      'programs.text_color',
      'integrations.site_url',
    ])
    .where('programs.id', '=', programId)
    .executeTakeFirst()

/** Member ids are checked against the program: a member of another program is not found. */
export const findMemberInProgram = (db: Executor, programId: string, memberId: number) =>
  e(db)
    .selectFrom('members')
    .select(['id'])
    .where('program_id', '=', programId)
    .where('id', '=', memberId)
    .executeTakeFirst()

/**
 * Inserts the row unless its dedupe key already exists in its program (then: undefined). Waits
 * for a concurrent writer of the same key and sees its row once it commits.
 */
export const insertOutbox = (trx: Trx, row: Insertable<EmailOutboxTable>) =>
  e(trx)
    .insertInto('email_outbox')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst()

/** `insertOutbox` for several rows: the ones written (a dedupe key already taken is skipped). */
export const insertOutboxMany = (trx: Trx, rows: Array<Insertable<EmailOutboxTable>>) =>
  rows.length === 0
    ? Promise.resolve([])
    : e(trx)
        .insertInto('email_outbox')
        .values(rows)
        .onConflict((oc) => oc.doNothing())
        .returningAll()
        .execute()

/** Rows already written under these dedupe keys of the program (null: the global e-mails). */
export const findByDedupeKeys = (db: Executor, programId: string | null, dedupeKeys: string[]) =>
  e(db)
    .selectFrom('email_outbox')
    .selectAll()
    .where((w) => (programId === null ? w('program_id', 'is', null) : w('program_id', '=', programId)))
    .where('dedupe_key', 'in', dedupeKeys)
    .execute()

/** The ids among `memberIds` that are members of the program. */
export async function findMembersInProgram(db: Executor, programId: string, memberIds: number[]): Promise<number[]> {
  const rows = await e(db)
    .selectFrom('members')
    .select(['id'])
    .where('program_id', '=', programId)
    .where('id', 'in', memberIds)
    .execute()
  return rows.map((r) => r.id)
}

export const findByDedupeKey = (db: Executor, programId: string | null, dedupeKey: string) =>
  e(db)
    .selectFrom('email_outbox')
    .selectAll()
    .where((w) => (programId === null ? w('program_id', 'is', null) : w('program_id', '=', programId)))
    .where('dedupe_key', '=', dedupeKey)
    .executeTakeFirst()

export const findOutbox = (db: Executor, id: number) =>
  e(db).selectFrom('email_outbox').selectAll().where('id', '=', id).executeTakeFirst()

/** A LIKE pattern that matches `text` literally, then anything. */
const prefixPattern = (text: string) => `${text.replace(/[\\%_]/g, (ch) => '\\' + ch)}%`

/**
 * A program's outbox, newest first, keyset-paged by id. Served by the indexes of migration
 * 2026-12-07-0012: `kind`, unsent `status`es and the recipient prefix each have one; `sent`, most
 * rows, reads the program's id index.
 */
export function listOutbox(
  db: Executor,
  programId: string,
  f: {
    kind?: string | undefined
    status?: EmailStatus | undefined
    to?: string | undefined
    beforeId?: number | undefined
    limit: number
  },
) {
  let q = e(db).selectFrom('email_outbox').selectAll().where('program_id', '=', programId)
  if (f.kind !== undefined) q = q.where('kind', '=', f.kind)
  if (f.status !== undefined) q = q.where('status', '=', f.status)
  if (f.to) q = q.where(sql`lower(to_address)`, 'like', prefixPattern(f.to.toLowerCase()))
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId)
  return q.orderBy('id', 'desc').limit(f.limit).execute()
}

/**
 * Claims a row for one send attempt: only a pending row, or one whose previous claim lapsed (its
 * worker died). The lease uses the database clock, which every process shares.
 */
export const claimForSending = (db: Executor, id: number, leaseSeconds: number) =>
  e(db)
    .updateTable('email_outbox')
    .set({
      status: 'sending',
      attempts: sql`attempts + 1`,
      locked_until: sql`now() + make_interval(secs => ${leaseSeconds})`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where((w) =>
      w.or([
        w('status', '=', 'pending'),
        w.and([w('status', '=', 'sending'), w('locked_until', '<', sql<Date>`now()`)]),
      ]),
    )
    .returningAll()
    .executeTakeFirst()

// A sensitive body is blanked in the same statement that closes the row.
const scrubbed = {
  text_body: sql<string | null>`case when sensitive then null else text_body end`,
  html_body: sql<string | null>`case when sensitive then null else html_body end`,
}

export const markSent = (db: Executor, id: number, messageId: string) =>
  e(db)
    .updateTable('email_outbox')
    .set({
      status: 'sent',
      message_id: messageId,
      sent_at: sql`now()`,
      locked_until: null,
      updated_at: sql`now()`,
      ...scrubbed,
    })
    .where('id', '=', id)
    .execute()

/** Back to pending after a transient failure; the job's retry claims it again. */
export const markRetry = (db: Executor, id: number, error: string) =>
  e(db)
    .updateTable('email_outbox')
    .set({ status: 'pending', last_error: error, locked_until: null, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute()

export const markFailed = (db: Executor, id: number, error: string) =>
  e(db)
    .updateTable('email_outbox')
    .set({ status: 'failed', last_error: error, locked_until: null, updated_at: sql`now()`, ...scrubbed })
    .where('id', '=', id)
    .where('status', '<>', 'sent')
    .execute()

/**
 * The sweep for sensitive rows whose job never ran to the end (lost queue, long outage): once
 * they expire, unsent ones are given up and every body is blanked. Returns rows touched.
 */
export async function scrubExpiredSensitive(db: Executor): Promise<number> {
  const res = await e(db)
    .updateTable('email_outbox')
    .set({
      status: sql`case when status in ('pending', 'sending') then 'failed' else status end`,
      last_error: sql`case when status in ('pending', 'sending') then 'expired before it could be sent'
        else last_error end`,
      text_body: null,
      html_body: null,
      locked_until: null,
      updated_at: sql`now()`,
    })
    .where('sensitive', '=', true)
    .where('text_body', 'is not', null)
    .where('expires_at', '<', sql<Date>`now()`)
    // A row mid-send keeps its body until its claim lapses.
    .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', sql<Date>`now()`)]))
    .executeTakeFirst()
  return Number(res.numUpdatedRows)
}

export const insertUnsubscribe = (db: Executor, programId: string, memberId: number, scope: string) =>
  e(db)
    .insertInto('email_unsubscribes')
    .values({ program_id: programId, member_id: memberId, scope })
    .onConflict((oc) => oc.doNothing())
    .execute()

/** The unsubscribe scopes, among `scopes`, each of these members holds. */
export async function unsubscribedScopes(
  db: Executor,
  programId: string,
  memberIds: number[],
  scopes: string[],
): Promise<Map<number, Set<string>>> {
  const rows = await e(db)
    .selectFrom('email_unsubscribes')
    .select(['member_id', 'scope'])
    .where('program_id', '=', programId)
    .where('member_id', 'in', [...new Set(memberIds)])
    .where('scope', 'in', scopes)
    .execute()
  const byMember = new Map<number, Set<string>>()
  for (const r of rows) byMember.set(r.member_id, (byMember.get(r.member_id) ?? new Set()).add(r.scope))
  return byMember
}

export async function isUnsubscribed(
  db: Executor,
  programId: string,
  memberId: number,
  scopes: string[],
): Promise<boolean> {
  const row = await e(db)
    .selectFrom('email_unsubscribes')
    .select('scope')
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .where('scope', 'in', scopes)
    .executeTakeFirst()
  return row !== undefined
}
