import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createApp } from '../app.ts'
import { createTestApp, type TestApp } from '../test/harness.ts'

describe('HTTP edge', () => {
  let t: TestApp
  let token: string
  before(async () => {
    t = await createTestApp()
    token = (await t.merchant()).token
  })
  after(() => t.close())

  test('health names the dialect', async () => {
    const res = await t.request('GET', '/health')
    assert.equal(res.status, 200)
    assert.deepEqual(res.body, { status: 'ok', database: process.env.DATABASE_URL ? 'postgres' : 'pglite' })
  })

  test("every route fits Hono's RegExpRouter (one ambiguous path would put every request on the slower trie router)", async () => {
    await t.request('GET', '/health')
    assert.equal(t.app.router.name, 'SmartRouter + RegExpRouter')
  })

  test('every response carries x-request-id, and a safe incoming one is echoed', async () => {
    const a = await t.request('GET', '/health')
    assert.match(a.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/)
    const b = await t.request('GET', '/health', { headers: { 'x-request-id': 'abc-123' } })
    assert.equal(b.headers.get('x-request-id'), 'abc-123')
    const c = await t.request('GET', '/health', { headers: { 'x-request-id': 'bad id<script>' } })
    assert.notEqual(c.headers.get('x-request-id'), 'bad id<script>')
  })

  test('over a real socket (Node response headers): request ids on answers and errors, CORS on widget routes', async () => {
    // Middleware headers go onto Node's ServerResponse there (setResponseHeader), not through Hono.
    const { serve } = await import('@hono/node-server')
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise((r) => server.once('listening', r))
    const base = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`
    try {
      const ok = await fetch(`${base}/health`, { headers: { 'x-request-id': 'sock-1' } })
      assert.equal(ok.headers.get('x-request-id'), 'sock-1')
      assert.equal(ok.headers.get('content-type'), 'application/json')
      const missing = await fetch(`${base}/v1/nothing-here`)
      const body = await missing.json()
      assert.equal(missing.status, 404)
      assert.equal(body.requestId, missing.headers.get('x-request-id'))
      const widget = await fetch(`${base}/v1/widget/unknown-key/me`, { headers: { origin: 'https://elsewhere.test' } })
      assert.equal(widget.status, 401)
      assert.equal(widget.headers.get('vary'), 'Origin')
      assert.equal(widget.headers.get('access-control-allow-origin'), null)
      assert.match(widget.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/)
    } finally {
      await new Promise((r) => server.close(r))
    }
  })

  test('unknown route: 404 JSON with requestId', async () => {
    const res = await t.request('GET', '/v1/nothing-here')
    assert.equal(res.status, 404)
    assert.equal(res.body.error.code, 'not_found')
    assert.equal(res.body.requestId, res.headers.get('x-request-id'))
  })

  test('GET / sends a browser to the panel; a client asking JSON only gets the JSON 404', async () => {
    const browser = await t.request('GET', '/', {
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    })
    assert.equal(browser.status, 302)
    assert.equal(browser.headers.get('location'), '/panel')
    // curl and fetch send */* (or nothing): the address leads to the panel too.
    assert.equal((await t.request('GET', '/')).headers.get('location'), '/panel')
    const api = await t.request('GET', '/', { headers: { accept: 'application/json' } })
    assert.equal(api.status, 404)
    assert.equal(api.body.error.code, 'not_found')
    const unknown = await t.request('GET', '/nothing-here', { headers: { accept: 'text/html' } })
    assert.equal(unknown.status, 404)
    assert.equal(unknown.body.error.code, 'not_found')
  })

  test('known path, wrong method: 405 with Allow', async () => {
    const res = await t.request('PUT', '/v1/programs', { token })
    assert.equal(res.status, 405)
    assert.equal(res.body.error.code, 'method_not_allowed')
    assert.match(res.headers.get('allow') ?? '', /GET/)
    const withId = await t.request('POST', '/v1/programs/6f1f8c4e-8a51-4a65-9d8b-6e0c3e0f7a11', { token })
    assert.equal(withId.status, 405)
  })

  test('malformed JSON: 400 malformed_json', async () => {
    const res = await t.request('POST', '/v1/programs', { token, body: '{"name": ' })
    assert.equal(res.status, 400)
    assert.equal(res.body.error.code, 'malformed_json')
  })

  test('wrong content type: 415', async () => {
    const res = await t.request('POST', '/v1/programs', {
      token,
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(res.status, 415)
    assert.equal(res.body.error.code, 'unsupported_media_type')
  })

  test('body over 1 MB: 413, declared or streamed', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) })
    const res = await t.request('POST', '/v1/programs', { token, body: big })
    assert.equal(res.status, 413)
    assert.equal(res.body.error.code, 'payload_too_large')
    // No Content-Length: a streamed body is counted as it arrives.
    const stream = new ReadableStream({
      start(ctrl) {
        for (let i = 0; i < 20; i++) ctrl.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)))
        ctrl.close()
      },
    })
    const raw = await t.app.request('/v1/programs', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    assert.equal(raw.status, 413)
  })

  test('validation errors name the field', async () => {
    const res = await t.request('POST', '/v1/programs', { token, body: { name: 'Loja', earnRate: 'much' } })
    assert.equal(res.status, 400)
    assert.equal(res.body.error.code, 'validation_failed')
    assert.equal(res.body.error.field, 'earnRate')
    const missing = await t.request('POST', '/v1/programs', { token, body: {} })
    assert.equal(missing.body.error.field, 'name')
    assert.match(missing.body.error.message, /name is required/)
    const badColor = await t.request('POST', '/v1/programs', { token, body: { name: 'x', primaryColor: 'red' } })
    assert.equal(badColor.body.error.field, 'primaryColor')
    assert.deepEqual(badColor.body.error.fields, [{ field: 'primaryColor', message: badColor.body.error.message }])
  })

  test('a refusal lists every refused field at once, each with its first rule; `field` stays the first', async () => {
    const res = await t.request('POST', '/v1/programs', {
      token,
      body: { name: 'x'.repeat(500), earnRate: 'much', primaryColor: 'red' },
    })
    assert.equal(res.status, 400)
    assert.equal(res.body.error.code, 'validation_failed')
    assert.equal(res.body.error.field, 'name')
    const fields = res.body.error.fields as Array<{ field: string; message: string }>
    assert.deepEqual(
      fields.map((f) => f.field),
      ['name', 'earnRate', 'primaryColor'],
    )
    assert.equal(fields[0]!.message, res.body.error.message)
    for (const f of fields) assert.ok(f.message.startsWith(`${f.field} `), f.message)
    // Empty login: both fields, not only the e-mail.
    const login = await t.request('POST', '/v1/auth/login', { body: { email: '', password: '' } })
    assert.equal(login.status, 400)
    assert.deepEqual(
      login.body.error.fields.map((f: { field: string }) => f.field),
      ['email', 'password'],
    )
    // Nothing named (the body is not an object): no list, as before.
    const bare = await t.request('POST', '/v1/programs', { token, body: 'x' })
    assert.equal(bare.status, 400)
    assert.equal(bare.body.error.fields, undefined)
    // The OpenAPI error schema documents the list.
    const doc = await t.request('GET', '/openapi.json')
    assert.ok(doc.body.components.schemas.Error.properties.error.properties.fields)
  })

  test('unexpected errors answer a bare 500 without a stack trace', async () => {
    const app = createApp(t.deps)
    app.get('/__boom', () => {
      throw new Error('secret internals')
    })
    const res = await app.request('/__boom')
    const body = await res.json()
    assert.equal(res.status, 500)
    assert.equal(body.error.code, 'internal')
    assert.doesNotMatch(JSON.stringify(body), /secret internals|at /)
  })

  test('OpenAPI 3.1 document lists every route with schemas; /docs is browsable', async () => {
    const res = await t.request('GET', '/openapi.json')
    assert.equal(res.status, 200)
    assert.equal(res.body.openapi, '3.1.0')
    const ops = res.body.paths['/v1/programs/{programId}/members/{memberId}/adjustments'].post
    assert.ok(ops.requestBody.content['application/json'].schema.properties.reason)
    assert.deepEqual(ops.security, [{ merchantBearer: [] }])
    assert.ok(res.body.paths['/v1/auth/login'].post)
    const docs = await t.app.request('/docs')
    assert.equal(docs.status, 200)
    assert.match(await docs.text(), /swagger-ui-bundle\.js/)
    const asset = await t.app.request('/docs/swagger-ui-bundle.js')
    assert.equal(asset.status, 200)
  })

  test('access log lines are JSON with the request id and without query strings', async () => {
    await t.request('GET', '/health?secret=abc', { headers: { 'x-request-id': 'log-check-1' } })
    const line = t.logLines.map((l) => JSON.parse(l)).find((l) => l.requestId === 'log-check-1' && l.msg === 'request')
    assert.ok(line)
    assert.equal(line.path, '/health')
    assert.ok(!t.logLines.some((l) => l.includes('secret=abc')))
  })
})
