import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { PAYMENT_METHODS } from './catalog.ts'
import type { OrderFilter, OrderSortField, SimOrder } from './store.ts'
import { collectAll, harness } from './test-helpers.ts'
import { US_PER_DAY } from './time.ts'

describe('order/customer queries', () => {
  test('indexed range queries agree with a brute-force filter + sort (property)', () => {
    const h = harness({ orders: 300, customers: 60 })
    const store = h.seeded.store
    h.sim.evolve(store.id, { newOrders: 10, statusChanges: 20 })
    const now = h.clock.now().getTime() * 1000
    const numeros = store.orders.map((o) => o.numero)
    const time = fc.option(
      fc.integer({ min: 0, max: 100 }).map((d) => now - d * US_PER_DAY),
      { nil: undefined },
    )
    const filterArb = fc.record({
      sinceNumero: fc.option(fc.constantFrom(...numeros), { nil: undefined }),
      sinceAtualizado: time,
      sinceCriado: time,
      untilCriado: time,
      situacaoId: fc.option(fc.constantFrom(4, 8, 14, 2), { nil: undefined }),
      pagamentoId: fc.option(fc.constantFrom(...PAYMENT_METHODS.map((m) => m.id)), { nil: undefined }),
    })
    const sortArb = fc.record({
      field: fc.constantFrom<OrderSortField>('numero', 'data_modificacao', 'data_criacao', 'id'),
      desc: fc.boolean(),
    })
    const key: Record<OrderSortField, (o: SimOrder) => number> = {
      numero: (o) => o.numero,
      id: (o) => o.id,
      data_criacao: (o) => o.createdUs,
      data_modificacao: (o) => o.modifiedUs,
    }
    fc.assert(
      fc.property(filterArb, sortArb, (filter: OrderFilter, sort) => {
        const got = store.queryOrders(filter, sort)
        const f = filter
        const expected = store.orders
          .filter(
            (o) =>
              (f.sinceNumero === undefined || o.numero >= f.sinceNumero) &&
              (f.sinceAtualizado === undefined || o.modifiedUs >= f.sinceAtualizado) &&
              (f.sinceCriado === undefined || o.createdUs >= f.sinceCriado) &&
              (f.untilCriado === undefined || o.createdUs < f.untilCriado) &&
              (f.situacaoId === undefined || o.statusId === f.situacaoId) &&
              (f.pagamentoId === undefined || PAYMENT_METHODS[o.paymentIdx]?.id === f.pagamentoId),
          )
          .sort((a, b) => (sort.desc ? -1 : 1) * (key[sort.field](a) - key[sort.field](b) || a.numero - b.numero))
        assert.equal(got.length, expected.length)
        assert.deepEqual(
          got.slice(0, got.length).map((o) => o.numero),
          expected.map((o) => o.numero),
        )
        assert.deepEqual(
          got.slice(3, 8).map((o) => o.numero),
          expected.slice(3, 8).map((o) => o.numero),
        )
      }),
      { numRuns: 300 },
    )
  })

  test('deep offsets fail, keyset cursors work: a full import by since_numero and by since_atualizado', async () => {
    const h = harness({ orders: 1500, customers: 100, sim: { maxOffsetWindow: 500 } })
    const store = h.seeded.store
    // Plain offset paging hits the wall.
    await assert.rejects(collectAll(h, '/v1/pedido/search?limit=50'), /→ 400/)

    const byNumero = new Set<number>()
    let since = 0
    for (;;) {
      const r = await h.get(`/v1/pedido/search?since_numero=${since}&limit=50`)
      if (r.body.objects.length === 0) break
      for (const o of r.body.objects) byNumero.add(o.numero)
      since = r.body.objects.at(-1).numero + 1
    }
    assert.equal(byNumero.size, store.orders.length)

    // Inclusive since_atualizado cursor (microseconds accepted): overlap of one, deduplicated.
    const byModified = new Set<number>()
    let cursor = '2000-01-01'
    for (;;) {
      const r = await h.get(`/v1/pedido/search?since_atualizado=${cursor}&limit=50`)
      const fresh = r.body.objects.filter((o: any) => !byModified.has(o.numero))
      if (fresh.length === 0) break
      for (const o of fresh) byModified.add(o.numero)
      cursor = r.body.objects.at(-1).data_modificacao
    }
    assert.equal(byModified.size, store.orders.length)
  })

  test('customer search ranges agree with brute force in both directions', async () => {
    const h = harness({ customers: 150 })
    const store = h.seeded.store
    const lo = h.clock.now().getTime() * 1000 - 200 * US_PER_DAY
    const hi = h.clock.now().getTime() * 1000 - 20 * US_PER_DAY
    for (const desc of [false, true]) {
      for (const field of ['data_modificacao', 'data_criacao', 'id'] as const) {
        const got = store.queryCustomers(
          { sinceAtualizado: lo, untilAtualizado: hi, sinceCriado: lo - 100 * US_PER_DAY },
          { field, desc },
        )
        const k =
          field === 'id'
            ? (c: any) => c.id
            : field === 'data_criacao'
              ? (c: any) => c.createdUs
              : (c: any) => c.modifiedUs
        const expected = store.customers
          .filter((c) => c.modifiedUs >= lo && c.modifiedUs < hi && c.createdUs >= lo - 100 * US_PER_DAY)
          .sort((a, b) => (desc ? -1 : 1) * (k(a) - k(b) || a.id - b.id))
        assert.deepEqual(
          got.slice().map((c) => c.id),
          expected.map((c) => c.id),
          `${field} ${desc}`,
        )
      }
    }
  })
})
