import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { clientForKey } from '../loja-integrada/connection.ts'
import { LiError } from '../loja-integrada/client.ts'
import { syncQueue } from '../loja-integrada/queues.ts'
import { createTestApp, type TestApp } from '../test/harness.ts'
import { startLiTestApp, type LiTestEnv } from '../test/li-store.ts'

const TOKEN = 'metrics-token-for-tests'
let env: LiTestEnv
let t: TestApp
before(async () => {
  env = await startLiTestApp({ config: { METRICS_TOKEN: TOKEN }, sim: { rateLimit: { perStore: 1 } } })
  t = env.t
})
after(() => env.close())

const scrape = async (token = TOKEN) => {
  const res = await t.app.request('/metrics', { headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() }
}

/** The value of one series in the text format, 0 when absent. */
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '))
  return line ? Number(line.slice(series.length + 1)) : 0
}

test('no METRICS_TOKEN: /metrics does not exist; a wrong or missing token answers 401', async () => {
  const plain = await createTestApp()
  try {
    assert.equal((await plain.app.request('/metrics', { headers: { authorization: 'Bearer x' } })).status, 404)
  } finally {
    await plain.close()
  }
  assert.equal((await t.app.request('/metrics')).status, 401)
  assert.equal((await scrape('wrong-token-for-tests-xx')).status, 401)
  const ok = await scrape()
  assert.equal(ok.status, 200)
  assert.match(ok.type ?? '', /^text\/plain; version=0\.0\.4/)
})

test('HTTP latency is labelled by route pattern, never by the raw path', async () => {
  const id = '00000000-0000-4000-8000-000000000001'
  await t.request('GET', `/v1/programs/${id}/members`)
  await t.request('GET', '/health')
  await t.request('GET', '/no/such/path')
  const { text } = await scrape()
  const pattern = 'fidelis_http_request_duration_seconds_count{route="/v1/programs/:programId/members",method="GET",'
  assert.ok(text.includes(pattern), 'the members route by its pattern')
  assert.ok(!text.includes(id), 'no raw id in any label')
  assert.ok(text.includes('route="/health"'))
  assert.ok(text.includes('route="unmatched"'))
})

test('job queue depth and age by queue', async () => {
  const programId = '00000000-0000-4000-8000-000000000002'
  await t.deps.jobs.enqueue(t.deps.db, syncQueue, { programId })
  const { text } = await scrape()
  assert.ok(value(text, 'fidelis_job_queue_waiting{queue="li-sync"}') >= 1, 'the queued sync is counted')
  assert.ok(text.includes('fidelis_job_queue_oldest_seconds{queue="li-sync"}'))
  assert.ok(text.includes('fidelis_job_queue_active{queue="email-send"} 0'), 'every registered queue, idle ones at 0')
})

test('LI requests by priority and 429s by the budget LI named; sync lag and e-mails are exported', async () => {
  const seeded = env.sim.seed({ seed: 3, customers: 1, orders: 1, storeId: 'metrics-store' })
  const before = await scrape()
  const client = clientForKey(t.deps, '00000000-0000-4000-8000-000000000003', {
    kind: 'personal_token',
    token: seeded.personalToken,
  })
  await client.verify()
  await assert.rejects(client.verify(), (e) => e instanceof LiError && e.kind === 'rate_limited')
  const { text } = await scrape()
  const delta = (series: string) => value(text, series) - value(before.text, series)
  assert.equal(delta('fidelis_li_requests_total{priority="interactive",outcome="2xx"}'), 1)
  assert.ok(delta('fidelis_li_requests_total{priority="interactive",outcome="429"}') >= 2)
  assert.ok(delta('fidelis_li_rate_limited_total{budget="store"}') >= 2)
  for (const name of ['fidelis_sync_lag_seconds', 'fidelis_emails_total', 'fidelis_li_budget_waits_total'])
    assert.ok(text.includes(`# TYPE ${name}`), name)
})
