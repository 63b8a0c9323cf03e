import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createLiSimulator } from './app.ts'
import { parse, NOW } from './test-helpers.ts'
import { manualClock } from './time.ts'

function setup() {
  const sim = createLiSimulator({ clock: manualClock(NOW), rateLimit: false })
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await sim.app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, body: await parse(res) }
  }
  return { sim, call }
}

describe('control API (/__sim)', () => {
  test('seed a store over HTTP and use its keys against the LI API', async () => {
    const { call } = setup()
    const created = await call('POST', '/__sim/stores', { seed: 5, customers: 10, orders: 25, storeId: 'demo' })
    assert.equal(created.status, 201)
    assert.equal(created.body.orders, 25)
    const auth = { authorization: `chave_api ${created.body.apiKey} aplicacao ${created.body.applicationKey}` }
    assert.equal((await call('GET', '/api/v1/pedido/search/', undefined, auth)).body.meta.total_count, 25)
    assert.equal((await call('GET', '/__sim/stores')).body[0].id, 'demo')
    assert.equal(
      (await call('GET', `/__sim/stores/${created.body.apiKey}`)).body.id,
      'demo',
      'stores resolve by key too',
    )
    assert.equal((await call('POST', '/__sim/stores', { customers: 1 })).status, 400)
  })

  test('evolve, order creation, status change, clock', async () => {
    const { call } = setup()
    await call('POST', '/__sim/stores', { seed: 5, customers: 10, orders: 25, storeId: 'demo' })
    const clock = await call('POST', '/__sim/clock', { advanceMs: 3_600_000 })
    assert.equal(clock.body.now, '2025-03-14T14:00:00.000Z')
    const ev = await call('POST', '/__sim/stores/demo/evolve', { newOrders: 2, statusChanges: 1 })
    assert.equal(ev.body.createdOrders.length, 2)
    const order = await call('POST', '/__sim/stores/demo/orders', { statusCodigo: 'pedido_pago' })
    assert.equal(order.status, 201)
    assert.equal(order.body.situacao.codigo, 'pedido_pago')
    const st = await call('POST', `/__sim/stores/demo/orders/${order.body.numero}/status`, {
      codigo: 'pedido_entregue',
    })
    assert.deepEqual(st.body, { changed: true, numero: order.body.numero, situacao: 'pedido_entregue' })
    assert.equal((await call('POST', '/__sim/stores/nope/evolve', {})).status, 400)
  })

  test('faults, request log, coupons dump and use', async () => {
    const { sim, call } = setup()
    const s = await call('POST', '/__sim/stores', { seed: 5, customers: 10, orders: 25, storeId: 'demo' })
    const auth = { authorization: `Basic ${s.body.personalToken}` }
    const f = await call('POST', '/__sim/faults', { kind: 'server_error', count: 1, store: 'demo' })
    assert.equal(f.status, 201)
    assert.equal((await call('GET', '/__sim/faults')).body[0].remaining, 1)
    assert.equal((await call('GET', '/v1/situacao', undefined, auth)).status, 500)
    assert.equal((await call('GET', '/v1/situacao', undefined, auth)).status, 200)
    assert.equal((await call('POST', '/__sim/faults', { kind: 'bogus' })).status, 400)
    await call('POST', '/__sim/faults', { kind: 'slow', delayMs: 1 })
    assert.equal((await call('DELETE', '/__sim/faults')).status, 204)
    assert.equal(sim.faults.list().length, 0)

    const log = await call('GET', '/__sim/requests?store=demo')
    assert.equal(log.body.count, 2, 'control calls are not logged')
    assert.deepEqual(
      log.body.entries.map((e: any) => e.status),
      [500, 200],
    )
    await call('DELETE', '/__sim/requests')
    assert.equal((await call('GET', '/__sim/requests')).body.total, 0)

    const coupons = await call('GET', '/__sim/stores/demo/coupons')
    assert.deepEqual(
      coupons.body.map((c: any) => c.codigo),
      ['BEMVINDO10', 'FRETEGRATIS', 'DESCONTO20'],
    )
    const numero = sim.state.requireStore('demo').orders.find((o) => o.couponId === null)!.numero
    const used = await call('POST', '/__sim/stores/demo/coupons/use', { codigo: 'BEMVINDO10', numero })
    assert.equal(used.body.quantidade_usada, coupons.body[0].quantidade_usada + 1)

    await call('PUT', '/__sim/rate-limit', { enabled: true, perStore: 1 })
    assert.equal((await call('GET', '/v1/situacao', undefined, auth)).status, 200)
    assert.equal((await call('GET', '/v1/situacao', undefined, auth)).status, 429)
    await call('DELETE', '/__sim/rate-limit/windows')
    assert.equal((await call('GET', '/v1/situacao', undefined, auth)).status, 200)

    assert.deepEqual((await call('POST', '/__sim/revoke', { credential: s.body.personalToken })).body, {
      revoked: true,
    })
    await call('PUT', '/__sim/rate-limit', { enabled: false })
    assert.equal((await call('GET', '/v1/situacao', undefined, auth)).status, 401)
  })
})
