import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

/**
 * A tier's entry reward may also be a reward's coupon (issue 19). `tiers.entry_reward_id` names
 * the program's reward. Reaching the tier writes a row of `tier_reward_grants` in the evaluation's
 * transaction, unique per member and key (`tier:<tierId>:<window>`, as the bonus), so a grant is
 * recorded exactly once; the redemptions' worker turns each unhandled grant into a pending
 * redemption with its coupon job (`handled_at`, `redemption_id`). Such a redemption has a
 * `gift_reason` and costs nothing: no debit, no refund, no stock unit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tiers')
    .addColumn('entry_reward_id', 'uuid', (c) => c.references('rewards.id').onDelete('set null'))
    .execute()
  await db.schema
    .createTable('tier_reward_grants')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('member_id', 'bigint', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('tier_id', 'uuid', (c) => c.references('tiers.id').onDelete('set null'))
    .addColumn('tier_name', 'text', (c) => c.notNull())
    .addColumn('reward_id', 'uuid', (c) => c.references('rewards.id').onDelete('set null'))
    .addColumn('grant_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('handled_at', 'timestamptz')
    .addColumn('outcome', 'text', (c) =>
      c.check(sql`outcome in ('redemption', 'reward_unavailable', 'program_paused')`),
    )
    .addColumn('redemption_id', 'bigint', (c) => c.references('redemptions.id').onDelete('set null'))
    .addUniqueConstraint('tier_reward_grants_key', ['program_id', 'member_id', 'grant_key'])
    .execute()
  // The worker's poll reads only grants still to hand over.
  await sql`create index tier_reward_grants_todo_idx on tier_reward_grants (id) where handled_at is null`.execute(db)
  await db.schema.alterTable('redemptions').addColumn('gift_reason', 'text').execute()
  // Only a gift costs nothing; a bought coupon still costs something.
  await sql`alter table redemptions drop constraint redemptions_points_cost_check`.execute(db)
  await sql`alter table redemptions add constraint redemptions_points_cost_check
            check (points_cost > 0 or (points_cost = 0 and gift_reason is not null))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from redemptions where gift_reason is not null`.execute(db)
  await sql`alter table redemptions drop constraint redemptions_points_cost_check`.execute(db)
  await sql`alter table redemptions add constraint redemptions_points_cost_check check (points_cost > 0)`.execute(db)
  await db.schema.alterTable('redemptions').dropColumn('gift_reason').execute()
  await db.schema.dropTable('tier_reward_grants').execute()
  await db.schema.alterTable('tiers').dropColumn('entry_reward_id').execute()
}
