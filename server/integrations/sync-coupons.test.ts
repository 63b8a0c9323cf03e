import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { findStatusByCodigo, manualClock, type LiSimulator, type SimStore } from '../li-simulator/index.ts'
import { singleUseCouponInput } from '../li-simulator/coupons.ts'
import { holdCoupons } from '../members/service.ts'
import type { TestApp } from '../test/harness.ts'
import { connectStore, startLiTestApp, type LiTestEnv } from '../test/li-store.ts'
import { runSync } from './sync.ts'
import { updateOneOrder } from './workers.ts'

/** Which coupon an order used: read from the detail only for orders of members holding our coupon. */
const AWARDING = ['pedido_entregue'].map((c) => findStatusByCodigo(c)!.id)
const clock = manualClock('2025-03-14T13:00:00Z')
let env: LiTestEnv
let t: TestApp
let sim: LiSimulator
before(async () => {
  env = await startLiTestApp({ sim: { clock } })
  ;({ t, sim } = env)
})
after(() => env.close())

const detailGets = (store: SimStore) =>
  sim.requests.count((e) => e.storeId === store.id && /^\/pedido\/\d+$/.test(e.resource ?? ''))

async function storedCoupon(programId: string, numero: number) {
  const row = await t.deps.db
    .selectFrom('orders')
    .select('coupon_code')
    .where('program_id', '=', programId)
    .where('external_id', '=', String(numero))
    .executeTakeFirstOrThrow()
  return row.coupon_code
}

test('the sync learns the coupon of a coupon holder’s order, and reads no other detail', async () => {
  const s = await connectStore(t.deps, sim, {
    seed: { seed: 11, customers: 12, orders: 30 },
    awardingStatusIds: AWARDING,
    sales: 'salesRegistration',
  })
  assert.equal(await runSync(t.deps, s.programId), 'done')
  const [holder, other] = s.store.customers
  const member = await t.deps.db
    .selectFrom('members')
    .select('id')
    .where('program_id', '=', s.programId)
    .where('li_customer_id', '=', holder!.id)
    .executeTakeFirstOrThrow()
  await holdCoupons(t.deps.db, s.programId, [{ memberId: member.id, until: new Date('2026-01-01T00:00:00Z') }])
  s.store.insertCoupon(singleUseCouponInput('FIDABCDEFGHJKMNP'))
  s.store.insertCoupon(singleUseCouponInput('LOJA10'))
  clock.advance(60_000)
  const product = s.store.products[0]!.id
  const ours = s.store.createOrder({
    customerId: holder!.id,
    items: [{ productId: product }],
    couponCodigo: 'FIDABCDEFGHJKMNP',
  })
  const plain = s.store.createOrder({ customerId: holder!.id, items: [{ productId: product }] })
  const theirs = s.store.createOrder({ customerId: other!.id, items: [{ productId: product }], couponCodigo: 'LOJA10' })
  clock.advance(60_000)
  const before = detailGets(s.store)
  assert.equal(await runSync(t.deps, s.programId), 'done')
  assert.equal(detailGets(s.store) - before, 2, 'one detail per order of the holder, none for the others')
  assert.equal(await storedCoupon(s.programId, ours.numero), 'FIDABCDEFGHJKMNP')
  assert.equal(await storedCoupon(s.programId, plain.numero), null)
  assert.equal(await storedCoupon(s.programId, theirs.numero), null, 'not a holder: its detail is not read')

  // A later change of the order keeps the code without reading the detail again.
  s.store.touchOrder(ours.numero)
  clock.advance(60_000)
  const again = detailGets(s.store)
  assert.equal(await runSync(t.deps, s.programId), 'done')
  assert.equal(detailGets(s.store) - again, 1, 'only the holder’s order with no code yet is read again')
  assert.equal(await storedCoupon(s.programId, ours.numero), 'FIDABCDEFGHJKMNP')

  // A webhook's detail carries the coupon whoever placed the order.
  assert.equal(await updateOneOrder(t.deps, s.programId, theirs.numero), 'applied')
  assert.equal(await storedCoupon(s.programId, theirs.numero), 'LOJA10')
})
