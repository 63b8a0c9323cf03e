import { sql } from 'kysely'
import type { Executor, Trx } from '../db/database.ts'
import type { NewOrder } from '../db/schema.ts'

/** Locks the stored rows of these orders (ordered, so concurrent batches cannot deadlock). */
export async function lockOrders(trx: Trx, programId: string, source: 'li' | 'erp', externalIds: string[]) {
  if (externalIds.length === 0) return []
  return trx
    .selectFrom('orders')
    .selectAll()
    .where('program_id', '=', programId)
    .where('source', '=', source)
    .where('external_id', 'in', externalIds)
    .orderBy('external_id')
    .forUpdate()
    .execute()
}

/** Writes the orders' new state in one statement. */
export async function upsertOrders(trx: Trx, rows: NewOrder[]) {
  if (rows.length === 0) return
  await trx
    .insertInto('orders')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['program_id', 'source', 'external_id']).doUpdateSet((eb) => ({
        li_customer_id: eb.ref('excluded.li_customer_id'),
        customer_email: eb.ref('excluded.customer_email'),
        member_id: eb.ref('excluded.member_id'),
        status_id: eb.ref('excluded.status_id'),
        status_code: eb.ref('excluded.status_code'),
        subtotal_cents: eb.ref('excluded.subtotal_cents'),
        shipping_cents: eb.ref('excluded.shipping_cents'),
        discount_cents: eb.ref('excluded.discount_cents'),
        total_cents: eb.ref('excluded.total_cents'),
        placed_at: eb.ref('excluded.placed_at'),
        source_updated_at: eb.ref('excluded.source_updated_at'),
        award_state: eb.ref('excluded.award_state'),
        award_cycle: eb.ref('excluded.award_cycle'),
        points_awarded: eb.ref('excluded.points_awarded'),
        points_reversed: eb.ref('excluded.points_reversed'),
        updated_at: sql`now()`,
      })),
    )
    .execute()
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
    .where('li_customer_id', 'in', liCustomerIds)
    .execute()
  return rows.map((r) => r.external_id)
}

export async function listOrdersByIds(db: Executor, programId: string, source: 'li' | 'erp', externalIds: string[]) {
  if (externalIds.length === 0) return []
  return db.selectFrom('orders').selectAll().where('program_id', '=', programId).where('source', '=', source).where('external_id', 'in', externalIds).execute()
}

/** Every LI order id of a program, in pages (re-evaluation after a rules change). */
export async function orderIdsPage(db: Executor, programId: string, source: 'li' | 'erp', afterId: string | null, limit: number) {
  let q = db.selectFrom('orders').select('external_id').where('program_id', '=', programId).where('source', '=', source)
  if (afterId !== null) q = q.where('external_id', '>', afterId)
  return (await q.orderBy('external_id').limit(limit).execute()).map((r) => r.external_id)
}
