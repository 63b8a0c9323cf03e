import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { harness, parse } from './test-helpers.ts'

const nextTick = () => new Promise((r) => setImmediate(r))

describe('fault switches', () => {
  test('rate_limit: the next N requests get 429/633, then normal service', async () => {
    const h = harness()
    h.sim.faults.inject({ kind: 'rate_limit', count: 2 })
    const s = []
    for (let i = 0; i < 3; i++) s.push(await h.get('/v1/situacao'))
    assert.deepEqual(
      s.map((r) => r.status),
      [429, 429, 200],
    )
    assert.deepEqual(s[0]!.body, { error_message: 'Limite de requisições excedido', code: 633 })
    assert.deepEqual(
      h.sim.requests.entries().map((e) => e.fault),
      ['rate_limit', 'rate_limit', null],
    )
    assert.equal(h.sim.faults.list().length, 0, 'exhausted faults disappear')
  })

  test('server_error: HTML 5xx (status configurable), scoped by path and store', async () => {
    const h = harness()
    const other = h.sim.seed({ seed: 3, customers: 2, orders: 2, storeId: 'outra' })
    h.sim.faults.inject({ kind: 'server_error', status: 503, path: '/pedido', store: h.seeded.apiKey })
    assert.equal((await h.get('/v1/situacao')).status, 200, 'other path')
    assert.equal(
      (await h.get('/v1/pedido/search', { authorization: `Basic ${other.personalToken}` })).status,
      200,
      'other store',
    )
    const r = await h.get('/v1/pedido/search')
    assert.equal(r.status, 503)
    assert.match(r.res.headers.get('content-type') ?? '', /text\/html/)
    assert.equal((await h.get('/v1/pedido/1001')).status, 503, 'until cleared')
    h.sim.faults.clear('server_error')
    assert.equal((await h.get('/v1/pedido/1001')).status, 200)
  })

  test('slow: answers normally after the configured delay (injected sleep)', async () => {
    const delays: number[] = []
    const h = harness({ sim: { sleep: async (ms) => void delays.push(ms) } })
    h.sim.faults.inject({ kind: 'slow', delayMs: 1500, count: 1, after: 1 })
    assert.equal((await h.get('/v1/situacao')).status, 200)
    assert.deepEqual(delays, [])
    const r = await h.get('/v1/situacao')
    assert.equal(r.status, 200)
    assert.equal(r.body.meta.total_count, 15)
    assert.deepEqual(delays, [1500])
  })

  test('timeout: hangs until the client aborts, which rejects like fetch', async () => {
    const h = harness()
    h.sim.faults.inject({ kind: 'timeout', count: 2 })
    const url = 'http://api.awsli.com.br/api/v1/pedido/search'
    const ac = new AbortController()
    const pending = h.sim.fetch(url, { headers: h.auth, signal: ac.signal })
    while (h.sim.faults.hanging === 0) await nextTick()
    ac.abort()
    await assert.rejects(pending, { name: 'AbortError' })
    // Through app.request directly, the abort surfaces as a rejection too.
    const ac2 = new AbortController()
    const direct = h.sim.app.request(new Request(url, { headers: h.auth, signal: ac2.signal }))
    while (h.sim.faults.hanging === 0) await nextTick()
    ac2.abort()
    await assert.rejects(Promise.resolve(direct), { name: 'AbortError' })
    assert.deepEqual(
      h.sim.requests.entries().map((e) => [e.fault, e.status]),
      [
        ['timeout', 499],
        ['timeout', 499],
      ],
    )
    assert.equal((await h.get('/v1/pedido/search')).status, 200)
  })

  test('timeout: without an abort it ends with 504 after the cap or on close()', async () => {
    const instant = harness({ sim: { sleep: async () => undefined } })
    instant.sim.faults.inject({ kind: 'timeout', count: 1 })
    assert.equal((await instant.get('/v1/situacao')).status, 504)

    const h = harness()
    h.sim.faults.inject({ kind: 'timeout', count: 1 })
    const pending = h.sim.fetch('/v1/situacao', { headers: h.auth })
    while (h.sim.faults.hanging === 0) await nextTick()
    h.sim.close()
    assert.equal((await pending).status, 504)
  })

  test('malformed_json: a truncated body for the next N answers', async () => {
    const h = harness()
    h.sim.faults.inject({ kind: 'malformed_json', count: 1 })
    const res = await h.sim.app.request('/v1/pedido/search', { headers: h.auth })
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /application\/json/)
    const text = await res.text()
    assert.throws(() => JSON.parse(text), SyntaxError)
    assert.ok(text.startsWith('{"meta"'))
    assert.equal(typeof (await parse(await h.sim.app.request('/v1/pedido/search', { headers: h.auth }))), 'object')
  })

  test('revoke_key: after N requests the key is invalid for good (401), other credentials still work', async () => {
    const h = harness()
    h.sim.faults.inject({ kind: 'revoke_key', after: 2, count: 1 })
    const s = []
    for (let i = 0; i < 4; i++) s.push((await h.get('/v1/situacao')).status)
    assert.deepEqual(s, [200, 200, 401, 401])
    assert.equal(h.sim.state.resolveCredential(h.seeded.apiKey, 'api_key'), undefined)
    assert.equal((await h.get('/v1/situacao', { authorization: `Basic ${h.seeded.personalToken}` })).status, 200)
    // Direct revocation works too.
    h.sim.state.revokeCredential(h.seeded.personalToken)
    assert.equal((await h.get('/v1/situacao', { authorization: `Basic ${h.seeded.personalToken}` })).status, 401)
  })

  test('offset_drift (insert, numero order): orders appear before the served page, so a naive pager sees repeats', async () => {
    const h = harness({ orders: 60 })
    const store = h.seeded.store
    const original = new Set(store.orders.map((o) => o.numero))
    const originalMax = Math.max(...original)
    h.sim.faults.inject({ kind: 'offset_drift', perPage: 2, path: '/pedido/search' })
    const seen: number[] = []
    let path: string | null = '/v1/pedido/search?limit=10'
    while (path) {
      const r = await h.get(path)
      seen.push(...r.body.objects.map((o: any) => o.numero))
      path = r.body.meta.next
    }
    h.sim.faults.clear()
    const inserted = store.orders.filter((o) => !original.has(o.numero))
    assert.ok(inserted.length > 0)
    assert.ok(
      inserted.every((o) => o.numero < originalMax),
      'drifted orders take free numeros in the middle, not at the end',
    )
    assert.ok(seen.length > new Set(seen).size, 'later pages repeat orders the client already had')
    assert.deepEqual(new Set(seen), original, 'the inserted ones all sorted before a page already served')
  })

  test('offset_drift (insert, since_atualizado order): late writes land behind the cursor and are missed', async () => {
    const h = harness({ orders: 80 })
    const store = h.seeded.store
    const since = '2025-02-01T00:00:00'
    h.sim.faults.inject({ kind: 'offset_drift', perPage: 1, count: 3 })
    const seen = new Set<number>()
    let path: string | null = `/v1/pedido/search?since_atualizado=${since}&limit=10`
    while (path) {
      const r = await h.get(path)
      for (const o of r.body.objects) seen.add(o.numero)
      path = r.body.meta.next
    }
    const all = (await h.get(`/v1/pedido/search?since_atualizado=${since}&limit=50`)).body.meta.total_count
    const missed = store.orders.filter(
      (o) => !seen.has(o.numero) && o.modifiedUs >= Date.parse('2025-02-01T03:00:00Z') * 1000,
    )
    assert.equal(missed.length, 3, 'the 3 drifted orders were never served')
    assert.equal(seen.size + 3, all)
  })

  test('offset_drift (touch): served orders jump to the end of a since_atualizado list, so a pager skips others', async () => {
    const h = harness({ orders: 80 })
    const since = '2025-02-01T00:00:00'
    const original = new Set<number>(
      (await h.get(`/v1/pedido/search?since_atualizado=${since}&limit=50`)).body.objects.map((o: any) => o.numero),
    )
    const firstTotal = (await h.get(`/v1/pedido/search?since_atualizado=${since}&limit=1`)).body.meta.total_count
    h.sim.faults.inject({ kind: 'offset_drift', mode: 'touch', perPage: 2, count: 2 })
    const seen: number[] = []
    let path: string | null = `/v1/pedido/search?since_atualizado=${since}&limit=10`
    while (path) {
      const r = await h.get(path)
      seen.push(...r.body.objects.map((o: any) => o.numero))
      path = r.body.meta.next
    }
    assert.equal(
      (await h.get(`/v1/pedido/search?since_atualizado=${since}&limit=1`)).body.meta.total_count,
      firstTotal,
      'no new orders',
    )
    const seenSet = new Set(seen)
    assert.ok(seen.length > seenSet.size, 'touched orders come around again')
    assert.ok(original.size > 0)
    assert.ok(
      [...h.seeded.store.orders]
        .filter((o) => o.modifiedUs >= Date.parse('2025-02-01T03:00:00Z') * 1000)
        .some((o) => !seenSet.has(o.numero)),
      'some order was skipped',
    )
  })
})
