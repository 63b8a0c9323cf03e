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

  const files = [...html.matchAll(/\/panel\/assets\/((?:app|chunk)-[0-9A-Z]{8}\.(?:js|css))/g)].map((m) => m[1]!)
  assert.deepEqual(
    files.map((f) => f.replace(/-.*\./, '.')),
    ['app.css', 'chunk.js', 'app.js'],
  )
  for (const f of files) {
    const res = await t.app.request(`/panel/assets/${f}`)
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable')
    assert.match(res.headers.get('content-type') ?? '', f.endsWith('.css') ? /text\/css/ : /javascript/)
    assert.ok((await res.text()).length > 1000)
  }
  assert.equal((await t.app.request('/panel/assets/app-000000000000.js')).status, 404)
})

test('the charting library is in a chunk of its own, which the page does not load', async () => {
  const html = await (await t.app.request('/panel')).text()
  const loaded = [...html.matchAll(/\/panel\/assets\/([^"]+\.js)/g)].map((m) => m[1]!)
  const code = async (f: string) => (await t.app.request(`/panel/assets/${f}`)).text()
  // uPlot's class names: in no script the page names…
  for (const f of loaded) assert.ok(!(await code(f)).includes('u-cursor-pt'), `${f} carries uPlot`)
  // …but in the one the app imports for the dashboard.
  const app = await code(loaded.find((f) => f.startsWith('app-'))!)
  const lazy = [...app.matchAll(/import\("\.\/(chunk-[0-9A-Z]{8}\.js)"\)/g)].map((m) => m[1]!)
  assert.equal(lazy.length, 1)
  assert.ok((await code(lazy[0]!)).includes('u-cursor-pt'))
})
