import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { LedgerKind } from '../../db/schema.ts'

/**
 * A small store whose every dashboard figure was worked out by hand (dashboard.test.ts lists
 * them), seeded straight into the tables for a program: three members, member and non-member
 * orders (two cancelled ways, one ERP sale cancelled), every ledger kind, redemptions used,
 * unused and failed, rewards with and without a value in reais. Dates are at 15:00 UTC (12:00 in
 * São Paulo), for a dashboard asked on NOW.
 */
export const NOW = new Date('2026-12-07T15:00:00Z')
const at = (day: string) => new Date(`${day}T15:00:00Z`)

export async function seedHandStore(db: Db, programId: string) {
  const member = async (email: string, name: string, day: string) =>
    (
      await db
        .insertInto('members')
        .values({ program_id: programId, email, name, created_at: at(day) })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const A = await member('ana@cliente.test', 'Ana Souza', '2026-10-01')
  const B = await member('bia@cliente.test', 'Bia; "Bê" Lima', '2026-11-20')
  const C = await member('caio@cliente.test', '=Caio', '2026-10-20')

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
      {
        program_id: programId,
        id: 9,
        code: 'cancelamento_solicitado',
        name: 'Cancelamento solicitado',
        approved: false,
        cancelled: true,
        final: false,
      },
    ])
    .execute()

  let n = 0
  const order = async (o: {
    day: string
    total: number
    member?: number
    li?: number
    email?: string
    status?: number
    code?: string
    source?: 'li' | 'erp'
    coupon?: string
  }) => {
    const id = String(++n)
    await db
      .insertInto('orders')
      .values({
        program_id: programId,
        source: o.source ?? 'li',
        external_id: id,
        member_id: o.member ?? null,
        li_customer_id: o.li ?? null,
        customer_email: o.email ?? null,
        status_id: o.source === 'erp' ? null : (o.status ?? 2),
        status_code:
          o.code ?? (o.status === 8 ? 'pedido_cancelado' : o.status === 9 ? 'cancelamento_solicitado' : 'pedido_pago'),
        subtotal_cents: o.total,
        shipping_cents: 0,
        discount_cents: 0,
        total_cents: o.total,
        placed_at: at(o.day),
        source_updated_at: at(o.day),
      })
      .execute()
    if (o.coupon)
      await sql`update orders set coupon_code = ${o.coupon} where program_id = ${programId} and external_id = ${id}`.execute(
        db,
      )
  }
  // This period (08/11–07/12/2026).
  await order({ day: '2026-11-10', total: 10000, member: A, li: 101 })
  await order({ day: '2026-11-25', total: 5000, member: A, li: 101, coupon: 'FIDCOUPON1' })
  await order({ day: '2026-11-21', total: 8000, member: B, li: 102 })
  await order({ day: '2026-11-22', total: 3000, member: B, li: 102, status: 8 })
  await order({ day: '2026-11-12', total: 4000, li: 501 })
  await order({ day: '2026-12-01', total: 6000, li: 501 })
  await order({ day: '2026-12-05', total: 2000, email: 'guest@x.test', status: 9 })
  await order({ day: '2026-12-06', total: 1000, li: 502, coupon: 'NOTOURS' })
  await order({ day: '2026-11-15', total: 7000, member: C, email: 'caio@cliente.test', source: 'erp', code: 'reverse' })
  await order({ day: '2026-12-02', total: 2500, member: C, email: 'caio@cliente.test', source: 'erp', code: 'award' })
  // The previous period (09/10–07/11/2026), and before it.
  await order({ day: '2026-10-15', total: 20000, member: A, li: 101 })
  await order({ day: '2026-11-01', total: 3000, li: 501 })
  await order({ day: '2026-09-01', total: 99999, member: A, li: 101 })

  let k = 0
  const entries: Array<[number, LedgerKind, number, string]> = [
    [A, 'bonus', 50, '2026-10-01'],
    [A, 'earn', 200, '2026-10-15'],
    [A, 'earn', 100, '2026-11-10'],
    [A, 'redeem', -150, '2026-11-24'],
    [A, 'earn', 50, '2026-11-25'],
    [A, 'expire', -20, '2026-12-01'],
    [A, 'adjust', -10, '2026-12-03'],
    [B, 'earn', 80, '2026-11-21'],
    [B, 'earn', 30, '2026-11-22'],
    [B, 'reverse', -30, '2026-11-23'],
    [B, 'adjust', 10, '2026-11-26'],
    [B, 'redeem', -100, '2026-11-27'],
    [B, 'refund', 100, '2026-11-28'],
    [B, 'redeem', -10, '2026-12-01'],
    [C, 'earn', 40, '2026-10-20'],
    [C, 'redeem', -5, '2026-10-21'],
    [C, 'earn', 70, '2026-11-15'],
    [C, 'reverse', -70, '2026-11-16'],
    [C, 'earn', 25, '2026-12-02'],
  ]
  await db
    .insertInto('ledger_entries')
    .values(
      entries.map(([member_id, kind, amount, day]) => ({
        program_id: programId,
        member_id,
        kind,
        amount,
        reason: kind,
        idempotency_key: `hand:${++k}`,
        created_at: at(day),
        occurred_at: at(day),
      })),
    )
    .execute()
  for (const [id, balance] of [
    [A, 220],
    [B, 80],
    [C, 60],
  ] as const)
    await db.updateTable('members').set({ balance }).where('id', '=', id).execute()

  const reward = async (title: string, kind: string, cost: number, value: number | null, active = true) =>
    (
      await db
        .insertInto('rewards')
        .values({
          program_id: programId,
          kind: kind as 'fixed_discount',
          source: 'manual',
          title,
          points_cost: cost,
          value_cents: kind === 'fixed_discount' ? value : null,
          percent: kind === 'percent_discount' ? value : null,
          active,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const r10 = await reward('R$ 10 de desconto', 'fixed_discount', 500, 1000)
  const r30 = await reward('R$ 30 de desconto', 'fixed_discount', 1000, 3000)
  const r5 = await reward('R$ 5 de desconto', 'fixed_discount', 100, 500)
  await reward('10% de desconto', 'percent_discount', 10, 10)
  await reward('R$ 100 por 1 ponto (desligado)', 'fixed_discount', 1, 10000, false)

  const redemption = async (
    memberId: number,
    rewardId: string,
    title: string,
    cost: number,
    day: string,
    status: 'issued' | 'used' | 'failed',
    code: string,
  ) =>
    db
      .insertInto('redemptions')
      .values({
        program_id: programId,
        member_id: memberId,
        reward_id: rewardId,
        idempotency_key: code,
        status,
        points_cost: cost,
        reward_kind: 'fixed_discount',
        reward_title: title,
        coupon_type: 'fixo',
        coupon_value: 1000,
        coupon_code: code,
        created_at: at(day),
        issued_at: status === 'failed' ? null : at(day),
        li_coupon_id: status === 'failed' ? null : 9000 + cost,
        expires_at: status === 'failed' ? null : at('2027-01-31'),
        used_at: status === 'used' ? at(day) : null,
        failed_at: status === 'failed' ? at(day) : null,
      })
      .execute()
  await redemption(A, r10, 'R$ 10 de desconto', 150, '2026-11-24', 'issued', 'FIDCOUPON1')
  await redemption(B, r30, 'R$ 30 de desconto', 100, '2026-11-27', 'failed', 'FIDCOUPON2')
  await redemption(C, r10, 'R$ 10 de desconto', 5, '2026-10-21', 'used', 'FIDCOUPON3')
  await redemption(B, r5, 'R$ 5 de desconto', 10, '2026-12-01', 'issued', 'FIDCOUPON4')
  return { A, B, C }
}
