import { sql } from 'kysely'
import type { Executor, Trx } from '../db/database.ts'
import type { NewOrder } from '../db/schema.ts'
import { anyOf } from '../db/sql.ts'

/** Locks the stored rows of these orders (ordered, so concurrent batches cannot deadlock). */
export async function lockOrders(trx: Trx, programId: string, source: 'li' | 'erp', externalIds: string[]) {
  if (externalIds.length === 0) return []
  return trx
    .selectFrom('orders')
    .selectAll()
    .where('program_id', '=', programId)
    .where('source', '=', source)
    .where('external_id', '=', anyOf(externalIds, 'text'))
    .orderBy('external_id')
    .forUpdate()
    .execute()
}

/**
 * Writes the orders' new state in one statement. Columns travel as arrays through unnest(): a
 * thousand orders are 20 parameters instead of 20,000, which keeps a big sync page cheap to
 * build and send.
 */
export async function upsertOrders(trx: Trx, rows: NewOrder[]) {
  if (rows.length === 0) return
  const col = <T>(f: (r: NewOrder) => T) => rows.map(f)
  const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : d)
  await sql`
    insert into orders (program_id, source, external_id, li_customer_id, customer_email, member_id, status_id,
      status_code, subtotal_cents, shipping_cents, discount_cents, total_cents, placed_at, source_updated_at,
      award_state, award_cycle, points_awarded, points_reversed, available_on, pending_reason, coupon_code)
    select * from unnest(
      ${col((r) => r.program_id)}::uuid[], ${col((r) => r.source)}::text[], ${col((r) => r.external_id)}::text[],
      ${col((r) => r.li_customer_id ?? null)}::bigint[], ${col((r) => r.customer_email ?? null)}::text[],
      ${col((r) => r.member_id ?? null)}::bigint[],
      ${col((r) => r.status_id ?? null)}::integer[], ${col((r) => r.status_code ?? null)}::text[],
      ${col((r) => r.subtotal_cents)}::bigint[], ${col((r) => r.shipping_cents)}::bigint[],
      ${col((r) => r.discount_cents)}::bigint[], ${col((r) => r.total_cents)}::bigint[],
      ${col((r) => iso(r.placed_at))}::timestamptz[], ${col((r) => iso(r.source_updated_at))}::timestamptz[],
      ${col((r) => r.award_state ?? 'none')}::text[], ${col((r) => r.award_cycle ?? 0)}::integer[],
      ${col((r) => r.points_awarded ?? 0)}::integer[], ${col((r) => r.points_reversed ?? 0)}::integer[],
      ${col((r) => r.available_on ?? null)}::date[], ${col((r) => r.pending_reason ?? null)}::text[],
      ${col((r) => r.coupon_code ?? null)}::text[])
    on conflict (program_id, source, external_id) do update set
      li_customer_id = excluded.li_customer_id, customer_email = excluded.customer_email,
      member_id = excluded.member_id, status_id = excluded.status_id, status_code = excluded.status_code,
      subtotal_cents = excluded.subtotal_cents, shipping_cents = excluded.shipping_cents,
      discount_cents = excluded.discount_cents, total_cents = excluded.total_cents,
      placed_at = excluded.placed_at, source_updated_at = excluded.source_updated_at,
      award_state = excluded.award_state, award_cycle = excluded.award_cycle,
      points_awarded = excluded.points_awarded, points_reversed = excluded.points_reversed,
      available_on = excluded.available_on, pending_reason = excluded.pending_reason,
      coupon_code = excluded.coupon_code, updated_at = now()`.execute(trx)
}

/** External ids of orders waiting for a member with one of these LI customer ids. */
export async function heldOrderIds(db: Executor, programId: string, liCustomerIds: number[]) {
  if (liCustomerIds.length === 0) return []
  const rows = await db
    .selectFrom('orders')
    .select('external_id')
    .where('program_id', '=', programId)
    .where('source', '=', 'li')
    .where('member_id', 'is', null)
    .where('li_customer_id', '=', anyOf(liCustomerIds, 'bigint'))
    .execute()
  return rows.map((r) => r.external_id)
}

export async function listOrdersByIds(db: Executor, programId: string, source: 'li' | 'erp', externalIds: string[]) {
  if (externalIds.length === 0) return []
  return db
    .selectFrom('orders')
    .selectAll()
    .where('program_id', '=', programId)
    .where('source', '=', source)
    .where('external_id', '=', anyOf(externalIds, 'text'))
    .execute()
}

/** Every LI order id of a program, in pages (re-evaluation after a rules change). */
export async function orderIdsPage(
  db: Executor,
  programId: string,
  source: 'li' | 'erp',
  afterId: string | null,
  limit: number,
) {
  let q = db.selectFrom('orders').select('external_id').where('program_id', '=', programId).where('source', '=', source)
  if (afterId !== null) q = q.where('external_id', '>', afterId)
  return (await q.orderBy('external_id').limit(limit).execute()).map((r) => r.external_id)
}

/** How many orders of one source are stored: an index-only count on orders_pkey. */
export async function countOrders(db: Executor, programId: string, source: 'li' | 'erp'): Promise<number> {
  const row = await db
    .selectFrom('orders')
    .select(sql<string>`count(*)`.as('n'))
    .where('program_id', '=', programId)
    .where('source', '=', source)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Orders of these customers: by e-mail (compared lower-cased, orders_program_email_idx), LI
 * customer id or the coupon they used. What referrals (a feature above) read to find a referred
 * friend's first order without the orders feature knowing about referrals.
 */
export async function ordersOfCustomers(
  db: Executor,
  programId: string,
  by: { emails: string[]; liCustomerIds: number[]; couponCodes: string[] },
) {
  if (by.emails.length + by.liCustomerIds.length + by.couponCodes.length === 0) return []
  return db
    .selectFrom('orders')
    .select([
      'source',
      'external_id',
      'li_customer_id',
      'customer_email',
      'member_id',
      'status_id',
      'status_code',
      'placed_at',
      'source_updated_at',
      'coupon_code',
    ])
    .where('program_id', '=', programId)
    .where((eb) =>
      eb.or([
        ...(by.emails.length ? [eb(sql`lower(customer_email)`, '=', anyOf(by.emails, 'text'))] : []),
        ...(by.liCustomerIds.length ? [eb('li_customer_id', '=', anyOf(by.liCustomerIds, 'bigint'))] : []),
        ...(by.couponCodes.length ? [eb(sql`upper(coupon_code)`, '=', anyOf(by.couponCodes, 'text'))] : []),
      ]),
    )
    .execute()
}

/** Whether the program has an order from this e-mail (lower-cased). */
export async function hasOrderFromEmail(db: Executor, programId: string, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('orders')
    .select('external_id')
    .where('program_id', '=', programId)
    .where(sql`lower(customer_email)`, '=', email)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}
