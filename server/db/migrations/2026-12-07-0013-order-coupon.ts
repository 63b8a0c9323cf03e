import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new file instead.

/**
 * Which coupon an order used. LI's order detail and webhook carry it (`cupom_desconto.codigo`,
 * reference §3.3) but the listing does not, so the sync reads a detail only for the orders that
 * may carry one of our coupons: those of a member holding an issued coupon (`coupon_held_until`,
 * set when a coupon is issued). Existing holders are backfilled from their issued coupons.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table orders add column coupon_code text`.execute(db)
  await sql`alter table members add column coupon_held_until timestamptz`.execute(db)
  await sql`
    update members m set coupon_held_until = h.until
    from (select member_id, max(coalesce(expires_at, now() + interval '365 days')) as until
          from redemptions where status in ('issued', 'used') group by member_id) h
    where h.member_id = m.id`.execute(db)
  // Program coupon revenue joins orders to redemptions by code (the dashboard, cashback rules).
  await sql`create index orders_program_coupon_idx on orders (program_id, coupon_code) where coupon_code is not null`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index orders_program_coupon_idx`.execute(db)
  await sql`alter table members drop column coupon_held_until`.execute(db)
  await sql`alter table orders drop column coupon_code`.execute(db)
}
