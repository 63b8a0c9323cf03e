import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { harness } from './test-helpers.ts'

const burst = async (h: ReturnType<typeof harness>, n: number, headers = h.auth) => {
  const statuses: number[] = []
  for (let i = 0; i < n; i++) statuses.push((await h.get('/v1/situacao', headers)).status)
  return statuses
}

describe('rate limit (reference §9: 100/min per store)', () => {
  test('the 101st request within a minute gets 429 + code 633, no Retry-After; the window slides', async () => {
    const h = harness({ sim: { rateLimit: {} } })
    assert.ok((await burst(h, 100)).every((s) => s === 200))
    const r = await h.get('/v1/situacao')
    assert.equal(r.status, 429)
    assert.deepEqual(r.body, { error_message: 'Limite de requisições excedido', code: 633 })
    assert.equal(r.res.headers.get('retry-after'), null)
    h.clock.advance(59_999)
    assert.equal((await h.get('/v1/situacao')).status, 429, 'still inside the window')
    h.clock.advance(1)
    assert.equal((await h.get('/v1/situacao')).status, 200, 'recovered after 60 s')
    assert.equal(
      h.sim.requests.count((e) => e.status === 429),
      2,
    )
  })

  test('sliding, not fixed: only requests older than 60 s free their slots', async () => {
    const h = harness({ sim: { rateLimit: {} } })
    await burst(h, 50)
    h.clock.advance(30_000)
    await burst(h, 50)
    h.clock.advance(30_000) // the first 50 are now exactly 60 s old
    const s = await burst(h, 51)
    assert.deepEqual(s.slice(0, 50), Array(50).fill(200))
    assert.equal(s[50], 429)
  })

  test('the budget is per store: keys of one store share it, other stores are unaffected, 401s do not count', async () => {
    const h = harness({ sim: { rateLimit: {} } })
    const other = h.sim.seed({ seed: 5, customers: 2, orders: 2, storeId: 'outra' })
    await burst(h, 2, {})
    await burst(h, 60)
    await burst(h, 40, { authorization: `Basic ${h.seeded.personalToken}` })
    assert.equal((await h.get('/v1/situacao')).status, 429)
    assert.equal((await h.get('/v1/situacao', { authorization: `Basic ${other.personalToken}` })).status, 200)
  })

  test('Retry-After can be switched on; the limit is configurable and can be turned off', async () => {
    const h = harness({ sim: { rateLimit: { retryAfter: true, perStore: 3 } } })
    await burst(h, 3)
    h.clock.advance(20_000)
    const r = await h.get('/v1/situacao')
    assert.equal(r.status, 429)
    assert.equal(r.res.headers.get('retry-after'), '40')
    h.sim.rateLimit.configure({ enabled: false })
    assert.ok((await burst(h, 10)).every((s) => s === 200))
    const off = harness({ sim: { rateLimit: false } })
    assert.ok((await burst(off, 150)).every((s) => s === 200))
  })

  test('per-application limit (code 533) spans stores sharing a chave_aplicacao', async () => {
    const h = harness({ sim: { rateLimit: { perApplication: 5 } } })
    const other = h.sim.seed({ seed: 5, customers: 2, orders: 2, storeId: 'outra' })
    await burst(h, 3)
    await burst(h, 2, { authorization: `chave_api ${other.apiKey} aplicacao ${h.sim.applicationKey}` })
    const r = await h.get('/v1/situacao')
    assert.equal(r.status, 429)
    assert.equal(r.body.code, 533)
    assert.equal(
      (await h.get('/v1/situacao', { authorization: `Basic ${h.seeded.personalToken}` })).status,
      200,
      'no application key involved',
    )
  })
})

describe('per-IP limit (reference §9: 1,200/min per calling IP, code 133) and violation counts', () => {
  test('the IP limit spans stores and keys; addresses announced in the configured header are apart', async () => {
    const h = harness({ sim: { rateLimit: { perIp: 4, ipHeader: 'x-egress' } } })
    const other = h.sim.seed({ seed: 5, customers: 2, orders: 2, storeId: 'outra' })
    const fromA = { ...h.auth, 'x-egress': 'a' }
    const otherFromA = { authorization: `Basic ${other.personalToken}`, 'x-egress': 'a' }
    assert.deepEqual([...(await burst(h, 2, fromA)), ...(await burst(h, 2, otherFromA))], [200, 200, 200, 200])
    const r = await h.get('/v1/situacao', otherFromA)
    assert.equal(r.status, 429)
    assert.equal(r.body.code, 133)
    assert.equal((await h.get('/v1/situacao', { ...h.auth, 'x-egress': 'b' })).status, 200, 'another address')
    h.clock.advance(60_000)
    assert.equal((await h.get('/v1/situacao', fromA)).status, 200, 'the window slides')
    assert.deepEqual(h.sim.rateLimit.violations, { store: 0, application: 0, ip: 1 })
  })

  test('without the header the socket address counts (in-process requests are loopback)', async () => {
    const h = harness({ sim: { rateLimit: { perIp: 3 } } })
    const other = h.sim.seed({ seed: 5, customers: 2, orders: 2, storeId: 'outra' })
    await burst(h, 2)
    await burst(h, 1, { authorization: `Basic ${other.personalToken}` })
    assert.equal((await h.get('/v1/situacao', { ...h.auth, 'x-egress': 'ignored' })).status, 429)
  })

  test('every refusal is counted by the limit it names; the control API reports and resets them', async () => {
    const h = harness({ sim: { rateLimit: { perStore: 2, perApplication: 3 } } })
    const other = h.sim.seed({ seed: 5, customers: 2, orders: 2, storeId: 'outra' })
    await burst(h, 3) // third: store limit
    await burst(h, 2, { authorization: `chave_api ${other.apiKey} aplicacao ${h.sim.applicationKey}` }) // 2nd: app
    const res = await h.sim.app.request('/__sim/rate-limit/violations')
    assert.deepEqual(await res.json(), { store: 1, application: 1, ip: 0 })
    await h.sim.app.request('/__sim/rate-limit/windows', { method: 'DELETE' })
    assert.deepEqual(h.sim.rateLimit.violations, { store: 0, application: 0, ip: 0 })
  })
})
