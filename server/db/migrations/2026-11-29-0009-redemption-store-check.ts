import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

export async function up(db: Kysely<any>): Promise<void> {
  // A redemption can fail with its points given back after a POST of its coupon may have reached
  // Loja Integrada (an answer lost, then LI unreachable until the attempts ran out). The daily
  // reconciliation then looks for that coupon in the store once: what it found, and when.
  await db.schema
    .alterTable('redemptions')
    .addColumn('store_check', 'text', (c) => c.check(sql`store_check in ('absent', 'deactivated', 'used')`))
    .addColumn('store_checked_at', 'timestamptz')
    .execute()
  // The few failed redemptions still to look up; every other row stays out of this index.
  await sql`create index redemptions_store_check_idx on redemptions (program_id)
    where status = 'failed' and create_attempted_at is not null and store_checked_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index redemptions_store_check_idx`.execute(db)
  await db.schema.alterTable('redemptions').dropColumn('store_check').dropColumn('store_checked_at').execute()
}
