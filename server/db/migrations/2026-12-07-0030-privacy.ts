import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

/**
 * LGPD rights (issue 22): the requests a shopper makes (in the widget, or to the store, which
 * registers them), the tombstones that keep an erased customer from being re-enrolled by a sync,
 * what the shopper agreed to at join, and a store's scheduled deletion of its program.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('privacy_requests')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    // The row stays after an erasure (the member row stays too, anonymised): it is the proof.
    .addColumn('member_id', 'bigint', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('access', 'portability', 'correction', 'erasure')`),
    )
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('open').check(sql`state in ('open', 'done', 'cancelled')`))
    // Where it came from: the shopper in the widget, or the store (panel, admin API) for a request
    // received by e-mail, phone or at the counter.
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('widget', 'panel', 'api')`))
    // The merchant's note; cleared by the erasure (it may name the shopper).
    .addColumn('note', 'text')
    // The requester's address, as evidence of a widget request; a keyed hash after an erasure.
    .addColumn('requester_ip', 'text')
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // LGPD art. 19 II: 15 days to answer.
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('done_at', 'timestamptz')
    .execute()
  await sql`create index privacy_requests_program_idx on privacy_requests (program_id, id desc)`.execute(db)
  await sql`create index privacy_requests_member_idx on privacy_requests (member_id)`.execute(db)

  // An erased customer: keyed hashes (HMAC-SHA256 under a server key) of the e-mail and LI id, so a
  // later sync can recognise them without the program holding either.
  await db.schema
    .createTable('member_tombstones')
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('email_hash', 'text', (c) => c.notNull())
    .addColumn('li_customer_hash', 'text')
    .addColumn('erased_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('member_tombstones_pkey', ['program_id', 'email_hash'])
    .execute()
  await sql`create index member_tombstones_li_idx on member_tombstones (program_id, li_customer_hash)
            where li_customer_hash is not null`.execute(db)

  await db.schema
    .alterTable('members')
    .addColumn('erased_at', 'timestamptz')
    // Which version of the program's privacy text the shopper accepted when joining in the widget, and when.
    .addColumn('terms_version', 'text')
    .addColumn('terms_accepted_at', 'timestamptz')
    .execute()

  // A store leaving: deletion asked for at, and the moment the purge job may remove every row.
  await db.schema
    .alterTable('programs')
    .addColumn('deletion_requested_at', 'timestamptz')
    .addColumn('purge_after', 'timestamptz')
    .execute()
  await sql`create index programs_purge_idx on programs (purge_after) where purge_after is not null`.execute(db)

  // The erasure is confirmed by an e-mail code, through the login code machinery.
  await sql`alter table login_codes drop constraint if exists login_codes_purpose_check`.execute(db)
  await sql`alter table login_codes add constraint login_codes_purpose_check
            check (purpose in ('login', 'join', 'erasure'))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table login_codes drop constraint if exists login_codes_purpose_check`.execute(db)
  await sql`alter table login_codes add constraint login_codes_purpose_check
            check (purpose in ('login', 'join'))`.execute(db)
  await sql`drop index programs_purge_idx`.execute(db)
  await db.schema.alterTable('programs').dropColumn('purge_after').dropColumn('deletion_requested_at').execute()
  await db.schema
    .alterTable('members')
    .dropColumn('terms_accepted_at')
    .dropColumn('terms_version')
    .dropColumn('erased_at')
    .execute()
  await db.schema.dropTable('member_tombstones').execute()
  await db.schema.dropTable('privacy_requests').execute()
}
