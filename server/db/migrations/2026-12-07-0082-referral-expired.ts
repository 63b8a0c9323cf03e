import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

/**
 * A referral whose friend never ordered while the coupon was valid becomes `expired` (the
 * minutely referral pass, a day after the coupon's last day). The status check of 0070 was
 * declared inline, so PostgreSQL named it `referrals_status_check`; it is replaced by one that
 * also admits 'expired'. `referrals_open_idx` keeps its statuses: an expired referral leaves the
 * pass's reading for good.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table referrals drop constraint referrals_status_check`.execute(db)
  await sql`alter table referrals add constraint referrals_status_check
            check (status in ('review', 'coupon_pending', 'coupon_sent', 'ordered', 'credited', 'capped',
                              'cancelled', 'rejected', 'coupon_failed', 'expired'))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  // Back to waiting for an order: the coupon's state in the store is unchanged either way.
  await sql`update referrals set status = 'coupon_sent' where status = 'expired'`.execute(db)
  await sql`alter table referrals drop constraint referrals_status_check`.execute(db)
  await sql`alter table referrals add constraint referrals_status_check
            check (status in ('review', 'coupon_pending', 'coupon_sent', 'ordered', 'credited', 'capped',
                              'cancelled', 'rejected', 'coupon_failed'))`.execute(db)
}
