import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

/**
 * The pending redemption is its own coupon job (couponQueue in server/redemptions/queues.ts, run
 * by server/jobs/row-queue.ts): workers claim the pending rows whose `next_attempt_at` has come,
 * in that order, and a claim moves it to
 * the end of the lease, so a claimed row leaves the index's due range until its lease lapses (a
 * dead worker's) or a retry sets it again. Rows pending at the upgrade are due at once; their
 * pg-boss jobs of the old 'redemption-coupon' queue are no longer worked.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table redemptions add column next_attempt_at timestamptz not null default now()`.execute(db)
  await sql`update redemptions set next_attempt_at = lease_until
            where status = 'pending' and lease_until > now()`.execute(db)
  await sql`create index redemptions_due_idx on redemptions (next_attempt_at, id) where status = 'pending'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index redemptions_due_idx`.execute(db)
  await sql`alter table redemptions drop column next_attempt_at`.execute(db)
}
