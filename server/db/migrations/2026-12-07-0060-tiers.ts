import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

/**
 * VIP tiers (issue 19). `tier_rules` holds a program's basis and window (`period`: "window" is a
 * reserved word), `tiers` its 2 to 5 tiers, `member_tiers` each evaluated member's standing — the
 * amounts that counted and the tier they gave — so `me`, the member view and the tier filter are
 * one indexed read, and an evaluation writes only the members whose standing changed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tier_rules')
    .addColumn('program_id', 'uuid', (c) => c.primaryKey().references('programs.id').onDelete('cascade'))
    .addColumn('basis', 'text', (c) => c.notNull().check(sql`basis in ('spend', 'earned')`))
    .addColumn('period', 'text', (c) => c.notNull().check(sql`period in ('lifetime', 'calendar_year', 'rolling_12m')`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('tiers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('tier_rules.program_id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('threshold', 'bigint', (c) => c.notNull().check(sql`threshold > 0`))
    .addColumn('multiplier_pct', 'integer', (c) =>
      c.notNull().defaultTo(100).check(sql`multiplier_pct between 100 and 1000`),
    )
    .addColumn('entry_reward', 'integer', (c) => c.notNull().defaultTo(0).check(sql`entry_reward >= 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index tiers_program_idx on tiers (program_id, threshold)`.execute(db)
  await db.schema
    .createTable('member_tiers')
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('member_id', 'bigint', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('tier_id', 'uuid', (c) => c.references('tiers.id').onDelete('set null'))
    .addColumn('qualifying', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('previous_qualifying', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('kept_until', 'date')
    .addColumn('evaluated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('member_tiers_pkey', ['program_id', 'member_id'])
    .execute()
  // Members filtered by tier (admin list, newest first) and the preview's counts.
  await sql`create index member_tiers_tier_idx on member_tiers (program_id, tier_id, member_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('member_tiers').execute()
  await db.schema.dropTable('tiers').execute()
  await db.schema.dropTable('tier_rules').execute()
}
