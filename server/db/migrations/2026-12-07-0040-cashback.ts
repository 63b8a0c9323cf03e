import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

/**
 * Cashback programs (issue 18). A program's mode is fixed at creation: in `cashback` mode the
 * ledger unit is the cent, so the same ledger, pending period and FIFO expiry serve both modes.
 * The pending period stays in points_rules.pending_days; a cashback credit's validity is counted
 * in days (points_rules.expiry_days), points' in months (expiry_months) — at most one is set.
 * Redemptions may now be of a chosen amount instead of a reward (reward_id null, amount_cents).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('programs')
    .addColumn('mode', 'text', (c) => c.notNull().defaultTo('points').check(sql`mode in ('points', 'cashback')`))
    .execute()
  await db.schema
    .alterTable('points_rules')
    .addColumn('expiry_days', 'integer', (c) => c.check(sql`expiry_days > 0`))
    .execute()
  await db.schema
    .createTable('cashback_rules')
    .addColumn('program_id', 'uuid', (c) => c.primaryKey().references('programs.id').onDelete('cascade'))
    // Basis points of the eligible amount: 1000 = 10 %.
    .addColumn('percent_bp', 'integer', (c) => c.notNull().check(sql`percent_bp between 1 and 10000`))
    .addColumn('minimum_order_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('earn_on_program_coupon_orders', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // The "any amount" redemption: always on in cashback mode (cents_per_point 1), an option in points mode.
  await db.schema
    .createTable('amount_redemption_rules')
    .addColumn('program_id', 'uuid', (c) => c.primaryKey().references('programs.id').onDelete('cascade'))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('cents_per_point', 'integer', (c) => c.notNull().defaultTo(1).check(sql`cents_per_point > 0`))
    .addColumn('min_redemption_cents', 'bigint', (c) => c.notNull().defaultTo(100).check(sql`min_redemption_cents > 0`))
    .addColumn('max_redemption_cents', 'bigint')
    .addColumn('max_order_share_pct', 'integer', (c) =>
      c.notNull().defaultTo(100).check(sql`max_order_share_pct between 1 and 100`),
    )
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`alter table redemptions alter column reward_id drop not null`.execute(db)
  await db.schema.alterTable('redemptions').addColumn('amount_cents', 'bigint').execute()
  await sql`alter table redemptions add constraint redemptions_reward_or_amount
            check ((reward_id is null) = (reward_kind = 'amount'))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table redemptions drop constraint redemptions_reward_or_amount`.execute(db)
  await db.schema.alterTable('redemptions').dropColumn('amount_cents').execute()
  await db.schema.dropTable('amount_redemption_rules').execute()
  await db.schema.dropTable('cashback_rules').execute()
  await db.schema.alterTable('points_rules').dropColumn('expiry_days').execute()
  await db.schema.alterTable('programs').dropColumn('mode').execute()
}
