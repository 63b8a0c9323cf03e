import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { harness } from './test-helpers.ts'

describe('authentication (reference §1)', () => {
  test('integrator header, personal token and query string all open the store', async () => {
    const h = harness()
    const { apiKey, personalToken } = h.seeded
    const app = h.sim.applicationKey
    assert.equal((await h.get('/v1/situacao', { authorization: `chave_api ${apiKey} aplicacao ${app}` })).status, 200)
    assert.equal((await h.get('/v1/situacao', { authorization: `Basic ${personalToken}` })).status, 200)
    assert.equal((await h.get(`/v1/situacao?chave_api=${apiKey}&chave_aplicacao=${app}&format=json`, {})).status, 200)
    const kinds = h.sim.requests.entries().map((e) => e.authKind)
    assert.deepEqual(kinds, ['chave_api', 'personal_token', 'query'])
    assert.ok(h.sim.requests.entries().every((e) => e.storeId === h.seeded.store.id))
  })

  test('bad, missing, mixed and malformed credentials answer 401 "Acesso negado"', async () => {
    const h = harness()
    const { apiKey, personalToken } = h.seeded
    const app = h.sim.applicationKey
    const cases: [string, Record<string, string>, string][] = [
      ['no credentials', {}, '/v1/situacao'],
      ['unknown store key', { authorization: `chave_api 0000000000aaaaaaaaaa aplicacao ${app}` }, '/v1/situacao'],
      [
        'wrong app key',
        { authorization: `chave_api ${apiKey} aplicacao 11111111-2222-4333-a444-555555555555` },
        '/v1/situacao',
      ],
      ['app key absent from header', { authorization: `chave_api ${apiKey}` }, '/v1/situacao'],
      [
        '"chave_aplicacao" word instead of "aplicacao"',
        { authorization: `chave_api ${apiKey} chave_aplicacao ${app}` },
        '/v1/situacao',
      ],
      ['double space', { authorization: `chave_api  ${apiKey} aplicacao ${app}` }, '/v1/situacao'],
      ['unknown personal token', { authorization: 'Basic not-a-token' }, '/v1/situacao'],
      [
        'base64-wrapped token',
        { authorization: `Basic ${Buffer.from(`:${personalToken}`).toString('base64')}` },
        '/v1/situacao',
      ],
      ['api key used as a personal token', { authorization: `Basic ${apiKey}` }, '/v1/situacao'],
      [
        'personal token used as chave_api',
        { authorization: `chave_api ${personalToken} aplicacao ${app}` },
        '/v1/situacao',
      ],
      ['Bearer scheme', { authorization: `Bearer ${personalToken}` }, '/v1/situacao'],
      ['query without app key', {}, `/v1/situacao?chave_api=${apiKey}`],
      ['query with wrong app key', {}, `/v1/situacao?chave_api=${apiKey}&chave_aplicacao=nope`],
      [
        'mixed header + query',
        { authorization: `Basic ${personalToken}` },
        `/v1/situacao?chave_api=${apiKey}&chave_aplicacao=${app}`,
      ],
    ]
    for (const [name, headers, path] of cases) {
      const r = await h.get(path, headers)
      assert.equal(r.status, 401, name)
      assert.deepEqual(r.body, { error_message: 'Acesso negado' }, name)
    }
    const kinds = h.sim.requests.entries().map((e) => e.authKind)
    assert.equal(kinds[0], 'none')
    assert.equal(kinds.at(-1), 'mixed')
    assert.ok(kinds.includes('malformed'))
    assert.ok(h.sim.requests.entries().every((e) => e.storeId === null && e.status === 401))
  })

  test('one store key never opens another store', async () => {
    const h = harness()
    const other = h.sim.seed({ seed: 99, customers: 3, orders: 5, storeId: 'outra' })
    const mine = await h.get('/v1/pedido/search?limit=50')
    const theirs = await h.get('/v1/pedido/search?limit=50', {
      authorization: `chave_api ${other.apiKey} aplicacao ${h.sim.applicationKey}`,
    })
    assert.equal(mine.body.meta.total_count, 120)
    assert.equal(theirs.body.meta.total_count, 5)
  })

  test('several application keys can be accepted; revoking one locks it out', async () => {
    const h = harness({ sim: { applicationKeys: ['app-a-0000', 'app-b-0000'] } })
    const k = h.seeded.apiKey
    assert.equal((await h.get('/v1/situacao', { authorization: `chave_api ${k} aplicacao app-b-0000` })).status, 200)
    h.sim.state.revokeCredential('app-b-0000')
    assert.equal((await h.get('/v1/situacao', { authorization: `chave_api ${k} aplicacao app-b-0000` })).status, 401)
    assert.equal((await h.get('/v1/situacao', { authorization: `chave_api ${k} aplicacao app-a-0000` })).status, 200)
  })

  test('credentials are masked in the request log', async () => {
    const h = harness()
    await h.get(`/api/v1/situacao/?chave_api=${h.seeded.apiKey}&chave_aplicacao=${h.sim.applicationKey}&limit=5`, {})
    const [e] = h.sim.requests.entries()
    assert.deepEqual(e?.query, { chave_api: '***', chave_aplicacao: '***', limit: '5' })
    assert.equal(e?.resource, '/situacao')
    assert.ok(!JSON.stringify(h.sim.requests.entries()).includes(h.seeded.apiKey))
  })
})

describe('paths (reference §0)', () => {
  test('both prefixes, with or without trailing slash, format=json ignored', async () => {
    const h = harness()
    const bodies = []
    for (const p of [
      '/v1/situacao',
      '/v1/situacao/',
      '/api/v1/situacao',
      '/api/v1/situacao/',
      '/api/v1/situacao/?format=json',
    ]) {
      const r = await h.get(p)
      assert.equal(r.status, 200, p)
      bodies.push(JSON.stringify(r.body.objects))
    }
    assert.equal(new Set(bodies).size, 1)
    for (const p of [
      '/v1/pedido/1001',
      '/v1/pedido/1001/',
      '/api/v1/pedido/1001',
      '/api/v1/pedido/1001/?format=json',
    ]) {
      assert.equal((await h.get(p)).status, 200, p)
    }
  })

  test('unknown paths are 404 with an empty body; other prefixes are not served', async () => {
    const h = harness()
    const r = await h.get('/v1/nada')
    assert.equal(r.status, 404)
    assert.equal(r.body, null)
    assert.equal((await h.get('/v2/pedido')).status, 404)
    assert.equal((await h.get('/v1/pedido/abc')).status, 404)
  })
})

describe('sim.fetch', () => {
  test('is a drop-in fetch for an LI client: any absolute URL, JSON in and out', async () => {
    const h = harness()
    const f: typeof fetch = h.sim.fetch // must type-check as the global fetch
    const res = await f(new URL('https://api.awsli.com.br/api/v1/pedido/1001/'), { headers: h.auth })
    assert.equal(res.status, 200)
    assert.equal(((await res.json()) as { numero: number }).numero, 1001)
    const req = new Request('https://api.awsli.com.br/v1/cupom', {
      method: 'POST',
      headers: { ...h.auth, 'content-type': 'application/json' },
      body: '{}',
    })
    assert.equal((await f(req)).status, 400)
  })
})
