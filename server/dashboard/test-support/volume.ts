import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'

/**
 * A store of any size for the dashboard benchmark and the browser test, written with a few
 * set-based statements (generate_series) instead of row by row: `members` members (store
 * customers 1…members), orders of `1.25 × members` customers over the last 365 days before `now`
 * (the customers past `members` are not members), 1 in 20 cancelled, an earn per member order, a
 * redemption every 40 members (half of their coupons used on an order), some expiries, and the
 * rewards that give points a value. Spread is deterministic (modular arithmetic, no random()), so
 * two runs build the same store.
 */
export async function seedVolume(db: Db, programId: string, opts: { orders: number; members: number; now: Date }) {
  const { orders, members, now } = opts
  const customers = Math.max(1, Math.round(members * 1.25))
  await db
    .insertInto('li_statuses')
    .values([
      {
        program_id: programId,
        id: 2,
        code: 'pedido_pago',
        name: 'Pedido Pago',
        approved: true,
        cancelled: false,
        final: false,
      },
      {
        program_id: programId,
        id: 8,
        code: 'pedido_cancelado',
        name: 'Cancelado',
        approved: false,
        cancelled: true,
        final: true,
      },
    ])
    .onConflict((oc) => oc.doNothing())
    .execute()
  const reward = await db
    .insertInto('rewards')
    .values([
      {
        program_id: programId,
        kind: 'fixed_discount',
        source: 'manual',
        title: 'R$ 10 de desconto',
        points_cost: 500,
        value_cents: 1000,
      },
      {
        program_id: programId,
        kind: 'fixed_discount',
        source: 'manual',
        title: 'R$ 25 de desconto',
        points_cost: 1000,
        value_cents: 2500,
      },
      {
        program_id: programId,
        kind: 'free_shipping',
        source: 'manual',
        title: 'Frete grátis',
        points_cost: 300,
        value_cents: null,
      },
    ])
    .returning(['id', 'title', 'points_cost'])
    .execute()

  // Members join over the last 400 days, more of them lately (the power bends the spread).
  await sql`
    insert into members (program_id, email, name, li_customer_id, created_at)
    select ${programId}, 'cliente' || g || '@loja.test', 'Cliente ' || g, g,
           ${now}::timestamptz - (400 * power(((g * 7919) % ${members}) / ${members}::float8, 1.6)) * interval '1 day'
             - ((g * 613) % 86400) * interval '1 second'
    from generate_series(1, ${members}) g`.execute(db)
  const first = await sql<{
    id: number
  }>`select min(id)::int as id from members where program_id = ${programId}`.execute(db)
  const base = first.rows[0]!.id - 1

  await sql`
    insert into orders (program_id, source, external_id, li_customer_id, customer_email, member_id, status_id, status_code,
                        subtotal_cents, shipping_cents, discount_cents, total_cents, placed_at, source_updated_at)
    select ${programId}, 'li', 'b' || g, c, 'cliente' || c || '@loja.test',
           case when c <= ${members} then ${base} + c end,
           case when g % 20 = 0 then 8 else 2 end,
           case when g % 20 = 0 then 'pedido_cancelado' else 'pedido_pago' end,
           t, 0, 0, t, at, at
    from (
      select g, 1 + (g * 7) % ${customers} as c, 2000 + (g * 3571) % 28000 as t,
             ${now}::timestamptz - ((g * 13) % 365) * interval '1 day' - ((g * 977) % 86400) * interval '1 second' as at
      from generate_series(1, ${orders}) g
    ) s`.execute(db)

  // One earn per member order (1 point per real), written when the order was placed; a
  // cancelled order's earn is reversed the next day.
  await sql`
    insert into ledger_entries (program_id, member_id, kind, amount, reason, idempotency_key, order_ref, created_at, occurred_at)
    select program_id, member_id, 'earn', total_cents / 100, 'Compra', 'earn:' || external_id, external_id, placed_at, placed_at
    from orders where program_id = ${programId} and member_id is not null`.execute(db)
  await sql`
    insert into ledger_entries (program_id, member_id, kind, amount, reason, idempotency_key, order_ref, created_at, occurred_at)
    select program_id, member_id, 'reverse', -(total_cents / 100), 'Cancelado', 'reverse:' || external_id, external_id,
           placed_at + interval '1 day', placed_at + interval '1 day'
    from orders where program_id = ${programId} and member_id is not null and status_id = 8`.execute(db)

  // A redemption every 40 members, of one of the two coupons, 10 days after they joined (or now).
  const [r10, r25] = reward
  await sql`
    insert into redemptions (program_id, member_id, reward_id, idempotency_key, status, points_cost, reward_kind,
                             reward_title, coupon_type, coupon_value, coupon_code, li_coupon_id, expires_at, created_at,
                             issued_at)
    select ${programId}, ${base} + g, case when g % 80 = 0 then ${r25!.id}::uuid else ${r10!.id}::uuid end,
           'bench:' || g, 'issued', case when g % 80 = 0 then 1000 else 500 end, 'fixed_discount',
           case when g % 80 = 0 then ${r25!.title} else ${r10!.title} end, 'fixo',
           case when g % 80 = 0 then 2500 else 1000 end, 'FIDB' || g, g, ${now}::timestamptz + interval '30 days', at, at
    from (
      select g, least(m.created_at + interval '10 days', ${now}::timestamptz - interval '1 hour') as at
      from generate_series(40, ${members}, 40) g join members m on m.id = ${base} + g
    ) s`.execute(db)
  await sql`
    insert into ledger_entries (program_id, member_id, kind, amount, reason, idempotency_key, redemption_id, created_at,
                                occurred_at)
    select program_id, member_id, 'redeem', -points_cost, 'Resgate', 'redeem:' || id, id, created_at, created_at
    from redemptions where program_id = ${programId} and idempotency_key like 'bench:%'`.execute(db)
  // Every other coupon shows up on an order (the next number: multiples of 20 are cancelled).
  await sql`
    update orders o set coupon_code = r.coupon_code
    from redemptions r
    where o.program_id = ${programId} and r.program_id = ${programId} and r.li_coupon_id % 80 = 0
      and o.program_id = r.program_id and o.external_id = 'b' || (r.li_coupon_id + 1)`.execute(db)
  // Expiries: 10 points of every 25th member, 200 days ago.
  await sql`
    insert into ledger_entries (program_id, member_id, kind, amount, reason, idempotency_key, created_at, occurred_at)
    select ${programId}, ${base} + g, 'expire', -10, 'Expirou', 'expire:' || g,
           ${now}::timestamptz - interval '200 days', ${now}::timestamptz - interval '200 days'
    from generate_series(25, ${members}, 25) g`.execute(db)
  // The cached balance, for all members in one statement: the sum of the entries, held at 0 for
  // the few whose seeded redemptions outran their orders (nothing here checks a balance).
  await sql`
    update members m set balance = greatest(0, s.total)
    from (select member_id, sum(amount) as total from ledger_entries where program_id = ${programId} group by member_id) s
    where m.id = s.member_id`.execute(db)
}
