import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

export async function up(db: Kysely<any>): Promise<void> {
  // What points buy. Never deleted, only deactivated: redemptions will point at these rows.
  await db.schema
    .createTable('rewards')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('fixed_discount', 'percent_discount', 'free_shipping', 'product')`),
    )
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('manual', 'feed')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('image_url', 'text')
    .addColumn('points_cost', 'integer', (c) => c.notNull().check(sql`points_cost > 0`))
    // Set when the merchant chose points_cost by hand: feed imports then leave it alone.
    .addColumn('points_cost_override', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('value_cents', 'bigint', (c) => c.check(sql`value_cents > 0`))
    .addColumn('percent', 'integer', (c) => c.check(sql`percent between 1 and 100`))
    // Product fields: from the feed for feed rewards, optional for a product added by hand.
    .addColumn('feed_item_id', 'text')
    .addColumn('price_cents', 'bigint', (c) => c.check(sql`price_cents > 0`))
    .addColumn('sale_price_cents', 'bigint', (c) => c.check(sql`sale_price_cents > 0`))
    .addColumn('link', 'text')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    // null = unlimited. issued_count is what redemptions took; the check is the last guard
    // against overselling, as members.balance >= 0 is for points.
    .addColumn('total_stock', 'integer', (c) => c.check(sql`total_stock >= 0`))
    .addColumn('issued_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`issued_count >= 0`))
    .addColumn('per_member_limit', 'integer', (c) => c.check(sql`per_member_limit > 0`))
    .addColumn('minimum_order_cents', 'bigint', (c) => c.check(sql`minimum_order_cents > 0`))
    // Set when the item left the feed (or went out of stock, or out of the allowlist); cleared
    // when it comes back. Kept apart from `active`, which is only ever the merchant's choice.
    .addColumn('removed_from_feed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('rewards_stock_not_oversold', sql`total_stock is null or issued_count <= total_stock`)
    .addCheckConstraint(
      'rewards_kind_fields',
      sql`(kind = 'fixed_discount' and value_cents is not null and percent is null)
       or (kind = 'percent_discount' and percent is not null and value_cents is null)
       or (kind in ('free_shipping', 'product') and value_cents is null and percent is null)`,
    )
    // Feed rewards are products with an id from the feed; manual rewards never have one, so the
    // unique key below (NULLs are distinct) is exactly "one reward per feed item".
    .addCheckConstraint(
      'rewards_feed_source',
      sql`(source = 'feed' and kind = 'product' and feed_item_id is not null) or (source = 'manual' and feed_item_id is null)`,
    )
    .addUniqueConstraint('rewards_program_feed_item_key', ['program_id', 'feed_item_id'])
    .execute()
  // The admin list, alphabetical with keyset paging.
  await sql`create index rewards_program_title_idx on rewards (program_id, title, id)`.execute(db)

  // One row per feed import run: the counts and the merchant-readable report.
  await db.schema
    .createTable('feed_imports')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('manual', 'schedule')`))
    .addColumn('feed_url', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'ok', 'failed')`))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('format', 'text', (c) => c.check(sql`format in ('rss', 'atom')`))
    .addColumn('bytes_read', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('items_seen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_accepted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped_out_of_stock', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped_not_allowed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped_invalid', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('warning_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rewards_created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rewards_updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rewards_removed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fatal_code', 'text')
    .addColumn('fatal_message', 'text')
    .addColumn('fatal_line', 'integer')
    // The first errors/warnings with their line numbers: [{ line, itemId?, message }].
    .addColumn('errors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('warnings', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // The whole report as pt-BR text (formatImportReport plus what changed in the catalogue).
    .addColumn('report', 'text')
    .execute()
  await sql`create index feed_imports_program_idx on feed_imports (program_id, id desc)`.execute(db)

  // Accepted items of an import in progress. Items are streamed here in batches while the feed
  // downloads (memory stays flat, and no transaction is held open across the download); only a
  // feed that parsed to the end is applied to `rewards`, in one transaction. A failed import
  // deletes its rows, so the catalogue never sees half a feed.
  await db.schema
    .createTable('feed_import_items')
    .addColumn('import_id', 'bigint', (c) => c.notNull().references('feed_imports.id').onDelete('cascade'))
    .addColumn('feed_item_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('image_url', 'text')
    .addColumn('link', 'text')
    .addColumn('price_cents', 'bigint', (c) => c.notNull())
    .addColumn('sale_price_cents', 'bigint')
    // Proposed from the regular price and the earn rate when the import started.
    .addColumn('points_cost', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('feed_import_items_pkey', ['import_id', 'feed_item_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('feed_import_items').execute()
  await db.schema.dropTable('feed_imports').execute()
  await db.schema.dropTable('rewards').execute()
}
