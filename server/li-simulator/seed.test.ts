import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import { createLiSimulator } from './app.ts'
import { couponJson, customerDetail, orderDetail, productDetail } from './render.ts'
import type { SimStore } from './store.ts'
import { harness, NOW } from './test-helpers.ts'
import { manualClock, US_PER_DAY } from './time.ts'

function fingerprint(store: SimStore): string {
  const hash = createHash('sha256')
  for (const o of store.orders) hash.update(JSON.stringify(orderDetail(store, o)))
  for (const c of store.customers) hash.update(JSON.stringify(customerDetail(store, c)))
  for (const p of store.products) hash.update(JSON.stringify(productDetail(p)))
  for (const c of store.coupons) hash.update(JSON.stringify(couponJson(c)))
  return hash.digest('hex')
}

const fresh = (seed: number, customers = 40, orders = 150) => {
  const sim = createLiSimulator({ clock: manualClock(NOW), rateLimit: false })
  return { sim, seeded: sim.seed({ seed, customers, orders }) }
}

describe('seeding', () => {
  test('same seed → identical store (keys, customers, orders, products, coupons); another seed differs', () => {
    const a = fresh(7)
    const b = fresh(7)
    const c = fresh(8)
    assert.equal(a.seeded.apiKey, b.seeded.apiKey)
    assert.match(a.seeded.apiKey, /^[0-9a-f]{20}$/)
    assert.equal(a.seeded.personalToken, b.seeded.personalToken)
    assert.equal(fingerprint(a.seeded.store), fingerprint(b.seeded.store))
    assert.notEqual(fingerprint(a.seeded.store), fingerprint(c.seeded.store))
    assert.notEqual(a.seeded.apiKey, c.seeded.apiKey)
  })

  test('re-seeding a store id replaces it', () => {
    const a = fresh(7)
    const again = a.sim.seed({ seed: 7, customers: 40, orders: 150 })
    assert.equal(a.sim.state.stores.size, 1)
    assert.equal(fingerprint(again.store), fingerprint(fresh(7).seeded.store))
  })

  test('20,000 orders and 10,000 customers: consistent data spread over statuses and the last 90 days', async () => {
    const { sim, seeded } = fresh(11, 10_000, 20_000)
    const store = seeded.store
    assert.equal(store.orders.length, 20_000)
    assert.equal(store.customers.length, 10_000)
    const now = Date.parse(NOW) * 1000
    const statuses = new Set<number>()
    let prev = 0
    for (const o of store.orders) {
      assert.ok(o.numero > prev)
      prev = o.numero
      assert.ok(o.createdUs >= now - 90 * US_PER_DAY && o.createdUs <= now)
      assert.ok(o.modifiedUs >= o.createdUs && o.modifiedUs <= now)
      const customer = store.getCustomer(o.customerId)
      assert.ok(customer && customer.createdUs <= o.createdUs)
      assert.equal(o.subtotalCents + o.shippingCents - o.discountCents, o.totalCents)
      assert.ok(o.totalCents >= 0)
      statuses.add(o.statusId)
    }
    assert.ok(statuses.size >= 12, `statuses used: ${statuses.size}`)
    const auth = { authorization: `chave_api ${seeded.apiKey} aplicacao ${sim.applicationKey}` }
    const r = await sim.app.request('/api/v1/pedido/search/?limit=50&offset=9950', { headers: auth })
    const body = (await r.json()) as any
    assert.equal(body.meta.total_count, 20_000)
    assert.equal(body.objects.length, 50)
  })
})

describe('evolve', () => {
  test('is deterministic and does what it says', () => {
    const run = () => {
      const h = harness({ orders: 200 })
      h.clock.advance(3_600_000)
      const result = h.sim.evolve(h.seeded.store.id, {
        newCustomers: 2,
        newOrders: 5,
        statusChanges: 6,
        cancellations: 3,
        customerChanges: 2,
      })
      return { h, result }
    }
    const a = run()
    const b = run()
    assert.deepEqual(a.result, b.result)
    assert.equal(fingerprint(a.h.seeded.store), fingerprint(b.h.seeded.store))

    const { h, result } = a
    const store = h.seeded.store
    const nowUs = h.clock.now().getTime() * 1000
    assert.equal(result.newCustomers.length, 2)
    assert.equal(result.createdOrders.length, 5)
    assert.equal(result.statusChanges.length, 6)
    assert.equal(result.cancelled.length, 3)
    for (const n of result.createdOrders) assert.ok(store.getOrder(n)!.createdUs >= nowUs)
    for (const { numero, from, to } of result.statusChanges) {
      const o = store.getOrder(numero)!
      assert.notEqual(from, to)
      assert.ok(o.modifiedUs >= nowUs)
      const hist = store.history(o)
      assert.equal(hist.at(-1)!.previousId !== null, true)
    }
    for (const n of result.cancelled) assert.equal(store.getOrder(n)!.statusId, 8)
    for (const id of result.changedCustomers) assert.ok(store.getCustomer(id)!.modifiedUs >= nowUs)
  })

  test('successive evolve calls differ (the default seed follows the data version)', () => {
    const h = harness()
    const r1 = h.sim.evolve(h.seeded.store.id, { statusChanges: 3 })
    const r2 = h.sim.evolve(h.seeded.store.id, { statusChanges: 3 })
    assert.notDeepEqual(
      r1.statusChanges.map((c) => c.numero),
      r2.statusChanges.map((c) => c.numero),
    )
  })
})
