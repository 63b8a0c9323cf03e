import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createTestApp, type TestApp } from '../test/harness.ts'

let t: TestApp
before(async () => {
  t = await createTestApp()
})
after(() => t.close())

test('every /panel path answers the same page, which names content-hashed, immutable assets', async () => {
  const home = await t.app.request('/panel')
  assert.equal(home.status, 200)
  assert.match(home.headers.get('content-type') ?? '', /text\/html/)
  assert.equal(home.headers.get('cache-control'), 'no-cache')
  assert.match(home.headers.get('content-security-policy') ?? '', /script-src 'self'/)
  const html = await home.text()
  assert.match(html, /<html lang="pt-BR">/)
  const deep = await t.app.request('/panel/participantes/12')
  assert.equal(await deep.text(), html)

  const etag = home.headers.get('etag')!
  assert.equal((await t.app.request('/panel', { headers: { 'if-none-match': etag } })).status, 304)

  const files = [...html.matchAll(/\/panel\/assets\/(app-[0-9a-f]{12}\.(?:js|css))/g)].map((m) => m[1]!)
  assert.equal(files.length, 2)
  for (const f of files) {
    const res = await t.app.request(`/panel/assets/${f}`)
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable')
    assert.match(res.headers.get('content-type') ?? '', f.endsWith('.css') ? /text\/css/ : /javascript/)
    assert.ok((await res.text()).length > 1000)
  }
  assert.equal((await t.app.request('/panel/assets/app-000000000000.js')).status, 404)
})
