import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

/**
 * The panel's "E-mails enviados" filters. The outbox grows by every welcome and daily digest, so a
 * program holds millions of rows within months, and a filter read from the program's id index
 * alone would walk all of them to fill a page of rare matches (the failed ones a merchant looks
 * for). Each filter gets an index that yields its rows directly; `sent`, nearly every row, still
 * reads the id index (email_outbox_program_idx), where matches are dense.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index email_outbox_program_kind_idx on email_outbox (program_id, kind, id desc)`.execute(db)
  // Partial: only rows not yet sent (pending, sending, failed), a small share of the table.
  await sql`create index email_outbox_program_unsent_idx on email_outbox (program_id, status, id desc)
            where status <> 'sent'`.execute(db)
  // Recipient search is a prefix of the lowercased address (a whole address is one too).
  await sql`create index email_outbox_program_to_idx on email_outbox (program_id, lower(to_address) text_pattern_ops)`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index email_outbox_program_to_idx`.execute(db)
  await sql`drop index email_outbox_program_unsent_idx`.execute(db)
  await sql`drop index email_outbox_program_kind_idx`.execute(db)
}
