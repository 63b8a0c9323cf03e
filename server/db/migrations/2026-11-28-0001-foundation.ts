import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('merchants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('api_tokens_merchant_idx').on('api_tokens').column('merchant_id').execute()

  await db.schema
    .createTable('programs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('program_key', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('points_name', 'text', (c) => c.notNull().defaultTo('pontos'))
    .addColumn('earn_rate', 'numeric(10, 4)', (c) => c.notNull().defaultTo(1).check(sql`earn_rate >= 0`))
    .addColumn('primary_color', 'text', (c) => c.notNull().defaultTo('#5b21b6'))
    .addColumn('text_color', 'text', (c) => c.notNull().defaultTo('#ffffff'))
    .addColumn('joining_open', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('archived_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('programs_merchant_idx').on('programs').column('merchant_id').execute()

  await db.schema
    .createTable('members')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('cpf', 'text')
    .addColumn('birth_date', 'date')
    .addColumn('li_customer_id', 'bigint')
    .addColumn('balance', 'integer', (c) => c.notNull().defaultTo(0).check(sql`balance >= 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('members_program_email_key', ['program_id', 'email'])
    .execute()
  await sql`create unique index members_program_li_customer_key on members (program_id, li_customer_id)
            where li_customer_id is not null`.execute(db)
  // Admin search by name prefix or e-mail fragment; lower() so the index serves case-insensitive search.
  await sql`create index members_program_name_idx on members (program_id, lower(name) text_pattern_ops)`.execute(db)

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('member_id', 'bigint', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('earn', 'reverse', 'redeem', 'refund', 'expire', 'adjust', 'bonus')`),
    )
    .addColumn('amount', 'integer', (c) => c.notNull().check(sql`amount <> 0`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('order_ref', 'text')
    .addColumn('redemption_id', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('ledger_entries_program_key', ['program_id', 'idempotency_key'])
    .addCheckConstraint(
      'ledger_entries_sign',
      sql`(kind in ('earn', 'refund', 'bonus') and amount > 0)
       or (kind in ('reverse', 'redeem', 'expire') and amount < 0)
       or kind = 'adjust'`,
    )
    .execute()
  // History is read newest first per member; this index also serves sum(amount) checks.
  await db.schema
    .createIndex('ledger_entries_member_idx')
    .on('ledger_entries')
    .columns(['member_id', 'id desc'])
    .execute()

  // Fixed-window counters for login throttling, shared by every API process.
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limits_pkey', ['key', 'window_start'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['rate_limits', 'ledger_entries', 'members', 'programs', 'api_tokens', 'merchants']) {
    await db.schema.dropTable(t).execute()
  }
}
