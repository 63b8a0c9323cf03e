import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

export async function up(db: Kysely<any>): Promise<void> {
  // What the shopper said when joining through the widget. Null = never asked (enrolled by the
  // sync, an ERP sale or by hand): the lifecycle e-mails decide what null means for them.
  await db.schema
    .alterTable('members')
    .addColumn('email_consent', 'boolean')
    .addColumn('email_consent_at', 'timestamptz')
    // First time the shopper proved their e-mail in the widget (joined or logged in).
    .addColumn('joined_at', 'timestamptz')
    .execute()

  // One pending one-time code per shopper and program: a new code replaces the old one (the
  // primary key), so only the latest e-mail works. Keyed by e-mail, not member, because a store
  // customer who is not a member yet is enrolled only once the code proves the address.
  await db.schema
    .createTable('login_codes')
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    // Lower-case, trimmed, as members.email.
    .addColumn('email', 'text', (c) => c.notNull())
    // Set when the shopper is already a member; cascade: a deleted member's code dies with it.
    .addColumn('member_id', 'bigint', (c) => c.references('members.id').onDelete('cascade'))
    // Set when the shopper was found by a Loja Integrada customer search (enrolled at verify).
    .addColumn('li_customer_id', 'bigint')
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('login', 'join')`))
    // Name, CPF, birth date and e-mail consent typed in the join form (and what LI knew), applied
    // only once the code is verified; the row is deleted then.
    .addColumn('profile', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // HMAC-SHA256 of the code under a server key: a copy of this table does not reveal codes.
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('login_codes_pkey', ['program_id', 'email'])
    .execute()
  // Serves the member delete's cascade.
  await sql`create index login_codes_member_idx on login_codes (member_id) where member_id is not null`.execute(db)
  // Housekeeping of expired codes.
  await db.schema.createIndex('login_codes_expires_idx').on('login_codes').column('expires_at').execute()

  // Widget refresh tokens, stored as SHA-256 hashes (they are 256-bit random, so no key is
  // needed). Every login starts a family; each refresh marks its token rotated and adds the next
  // one to the family. Presenting a rotated token again means it was copied: the family dies.
  await db.schema
    .createTable('refresh_tokens')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('family_id', 'uuid', (c) => c.notNull())
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('member_id', 'bigint', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('rotated_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('refresh_tokens_family_idx').on('refresh_tokens').column('family_id').execute()
  await db.schema.createIndex('refresh_tokens_member_idx').on('refresh_tokens').column('member_id').execute()
  await db.schema.createIndex('refresh_tokens_expires_idx').on('refresh_tokens').column('expires_at').execute()

  // Origins (scheme://host[:port]) an admin allows to call the widget API besides the store's
  // own site (integrations.site_url), e.g. the store's lojaintegrada.com.br address.
  await db.schema
    .createTable('widget_origins')
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('widget_origins_pkey', ['program_id', 'origin'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('widget_origins').execute()
  await db.schema.dropTable('refresh_tokens').execute()
  await db.schema.dropTable('login_codes').execute()
  await db.schema
    .alterTable('members')
    .dropColumn('joined_at')
    .dropColumn('email_consent_at')
    .dropColumn('email_consent')
    .execute()
}
