import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

/**
 * The merchant's dashboard (server/dashboard/) reads every figure from aggregates over the
 * program's rows of one period and the period before (up to 2 × 365 days). Each aggregate reads
 * one index range instead of the whole table, which stores of every program share:
 *
 * - orders by placing time, carrying what the aggregate needs (index-only where the visibility map
 *   allows): the customer, the total and the status that says whether it was cancelled;
 * - ledger entries by the time what they record happened, with kind and amount;
 * - members by enrolment time (new per week) and by id (the members CSV's keyset pages); neither
 *   covers `balance`, which changes with every earn: an index on it would end HOT updates;
 * - redemptions by creation time (top rewards, coupons issued vs used).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index orders_program_placed_idx on orders (program_id, placed_at)
            include (member_id, li_customer_id, total_cents, status_id, status_code)`.execute(db)
  await sql`create index ledger_entries_program_occurred_idx on ledger_entries (program_id, occurred_at)
            include (kind, amount)`.execute(db)
  await sql`create index members_program_created_idx on members (program_id, created_at)`.execute(db)
  await sql`create index members_program_id_idx on members (program_id, id)`.execute(db)
  await sql`create index redemptions_program_created_idx on redemptions (program_id, created_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index redemptions_program_created_idx`.execute(db)
  await sql`drop index members_program_id_idx`.execute(db)
  await sql`drop index members_program_created_idx`.execute(db)
  await sql`drop index ledger_entries_program_occurred_idx`.execute(db)
  await sql`drop index orders_program_placed_idx`.execute(db)
}
