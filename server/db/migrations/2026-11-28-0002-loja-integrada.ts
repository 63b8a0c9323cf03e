import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('integrations')
    .addColumn('program_id', 'uuid', (c) => c.primaryKey().references('programs.id').onDelete('cascade'))
    .addColumn('credential_kind', 'text', (c) =>
      c.notNull().check(sql`credential_kind in ('chave_api', 'personal_token')`),
    )
    // AES-256-GCM: base64 of iv | tag | ciphertext. Never selected into API responses.
    .addColumn('api_key_enc', 'text', (c) => c.notNull())
    .addColumn('api_key_last4', 'text', (c) => c.notNull())
    .addColumn('key_verified_at', 'timestamptz')
    .addColumn('credentials_rejected_at', 'timestamptz')
    .addColumn('site_url', 'text', (c) => c.notNull())
    .addColumn('signup_url', 'text')
    .addColumn('feed_url', 'text')
    .addColumn('coupon_validity_days', 'integer', (c) =>
      c.notNull().defaultTo(365).check(sql`coupon_validity_days between 1 and 3650`),
    )
    .addColumn('reward_allowlist', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('awarding_status_ids', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('activated_at', 'timestamptz')
    .addColumn('sales_registration', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('erp_sales', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('webhook_token', 'text')
    .addColumn('webhook_registered_at', 'timestamptz')
    .addColumn('statuses_fetched_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('integrations_one_sales_source', sql`not (sales_registration and erp_sales)`)
    .execute()

  await db.schema
    .createTable('li_statuses')
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('approved', 'boolean', (c) => c.notNull())
    .addColumn('cancelled', 'boolean', (c) => c.notNull())
    .addColumn('final', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('li_statuses_pkey', ['program_id', 'id'])
    .execute()

  // One row per program and resource ('customers', 'orders'): the cursor and the run in progress.
  await db.schema
    .createTable('sync_state')
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('resource', 'text', (c) => c.notNull().check(sql`resource in ('customers', 'orders')`))
    .addColumn('cursor', 'timestamptz')
    .addColumn('run_since', 'timestamptz')
    .addColumn('run_started_at', 'timestamptz')
    .addColumn('run_next', 'text')
    .addColumn('run_total', 'integer')
    .addColumn('run_pass', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_counts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('last_run_started_at', 'timestamptz')
    .addColumn('last_run_finished_at', 'timestamptz')
    .addColumn('last_counts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'timestamptz')
    .addPrimaryKeyConstraint('sync_state_pkey', ['program_id', 'resource'])
    .execute()

  // The last known state of every sale (LI order or ERP sale) and what it has earned.
  await db.schema
    .createTable('orders')
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('li', 'erp')`))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('li_customer_id', 'bigint')
    .addColumn('customer_email', 'text')
    .addColumn('member_id', 'bigint', (c) => c.references('members.id').onDelete('set null'))
    .addColumn('status_id', 'integer')
    .addColumn('status_code', 'text')
    .addColumn('subtotal_cents', 'bigint', (c) => c.notNull())
    .addColumn('shipping_cents', 'bigint', (c) => c.notNull())
    .addColumn('discount_cents', 'bigint', (c) => c.notNull())
    .addColumn('total_cents', 'bigint', (c) => c.notNull())
    .addColumn('placed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('source_updated_at', 'timestamptz', (c) => c.notNull())
    // 'none' | 'awarded' | 'reversed': where the order stands in the ledger.
    .addColumn('award_state', 'text', (c) =>
      c.notNull().defaultTo('none').check(sql`award_state in ('none', 'awarded', 'reversed')`),
    )
    .addColumn('award_cycle', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('points_awarded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('points_reversed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('orders_pkey', ['program_id', 'source', 'external_id'])
    .execute()
  // A member's balance changes with every batch of orders that earns: room on each page lets
  // PostgreSQL update the row in place (HOT) instead of touching all four member indexes.
  await sql`alter table members set (fillfactor = 85)`.execute(db)
  // Orders waiting for their customer to become a member.
  await sql`create index orders_held_idx on orders (program_id, li_customer_id) where member_id is null`.execute(db)
  await sql`create index orders_member_idx on orders (member_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['orders', 'sync_state', 'li_statuses', 'integrations']) await db.schema.dropTable(t).execute()
}
