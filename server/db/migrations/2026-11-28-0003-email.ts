import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

export async function up(db: Kysely<any>): Promise<void> {
  // The outbox: one row per e-mail, written in the same transaction as the event that causes it;
  // a pg-boss job (enqueued in that transaction too) sends it.
  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // Null for e-mails that belong to no program (e.g. to a merchant, later).
    .addColumn('program_id', 'uuid', (c) => c.references('programs.id').onDelete('cascade'))
    // Set null, not cascade: the record that an e-mail went out outlives the member row.
    .addColumn('member_id', 'bigint', (c) => c.references('members.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category in ('transactional', 'marketing')`))
    // Why the shopper got it, in the words the e-mail's footer uses (design rule 7).
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('from_name', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    // Rendered at enqueue time. Null once a sensitive message (a login code) is sent or given up.
    .addColumn('text_body', 'text')
    .addColumn('html_body', 'text')
    .addColumn('headers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('sensitive', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('message_id', 'text')
    .addColumn('dedupe_key', 'text')
    // Not worth sending after this (a login code that has expired).
    .addColumn('expires_at', 'timestamptz')
    // A worker's claim while it talks to the SMTP server; a crashed worker's claim lapses.
    .addColumn('locked_until', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute()
  // The same logical e-mail is written once: per program, or globally for program-less mail
  // (two partial indexes rather than NULLS NOT DISTINCT, which needs PostgreSQL 15).
  await sql`create unique index email_outbox_program_dedupe_key on email_outbox (program_id, dedupe_key)
            where dedupe_key is not null and program_id is not null`.execute(db)
  await sql`create unique index email_outbox_global_dedupe_key on email_outbox (dedupe_key)
            where dedupe_key is not null and program_id is null`.execute(db)
  // Admin listing per program, newest first.
  await db.schema
    .createIndex('email_outbox_program_idx')
    .on('email_outbox')
    .columns(['program_id', 'id desc'])
    .execute()
  // "What did we send this member"; also serves the member delete's ON DELETE SET NULL.
  await sql`create index email_outbox_member_idx on email_outbox (member_id) where member_id is not null`.execute(db)
  // Sensitive bodies still stored: the sweep that blanks expired ones reads only these.
  await sql`create index email_outbox_sensitive_idx on email_outbox (expires_at)
            where sensitive and text_body is not null`.execute(db)

  // A member's "stop sending me these", per scope ('marketing' or one kind). Transactional mail
  // the shopper asks for (login codes) is never suppressed.
  await db.schema
    .createTable('email_unsubscribes')
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('member_id', 'bigint', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Member ids are unique across programs, so (member, scope) is the key and also serves the
    // member delete's cascade; queries still filter by program_id too (tenants are walls).
    .addPrimaryKeyConstraint('email_unsubscribes_pkey', ['member_id', 'scope'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_unsubscribes').execute()
  await db.schema.dropTable('email_outbox').execute()
}
