import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { findStatusByCodigo, type LiSimulator } from '../li-simulator/index.ts'
import { orderUpdateQueue } from '../loja-integrada/queues.ts'
import { eventually } from '../test/eventually.ts'
import type { TestApp } from '../test/harness.ts'
import { startLiTestApp, type LiTestEnv } from '../test/li-store.ts'

/**
 * The whole path through real parts: the admin API, pg-boss workers polling the database, the
 * LI client over the simulator, and the simulator's webhook delivered back into our app.
 */
let t: TestApp
let sim: LiSimulator

let env: LiTestEnv

before(async () => {
  env = await startLiTestApp({ work: true, config: { PUBLIC_URL: 'http://fidelis.test' } })
  ;({ t, sim } = env)
})
after(() => env.close())

/** The states of this order's webhook jobs (pg-boss's own table), oldest first. */
async function orderUpdateJobs(programId: string, numero: number): Promise<string[]> {
  const { rows } = await t.database.pool.query<{ state: string }>(
    'select state from pgboss.job where name = $1 and singleton_key = $2 order by created_on',
    [orderUpdateQueue.name, `${programId}:${numero}`],
  )
  return rows.map((r) => r.state)
}
const FINISHED = ['completed', 'failed', 'cancelled']

test('activate through the API: the worker imports the store, then a webhook brings a delivery in near real time', async () => {
  const m = await t.merchant()
  const seeded = sim.seed({ seed: 51, customers: 30, orders: 90, storeId: 'loja-workers' })
  const program = await t.request('POST', '/v1/programs', {
    token: m.token,
    body: {
      name: 'Clube',
      pointsName: 'pontos',
      earnRate: 1,
      primaryColor: '#000000',
      textColor: '#ffffff',
      joiningOpen: true,
    },
  })
  assert.equal(program.status, 201)
  const base = `/v1/programs/${program.body.id}/integrations/loja-integrada`
  const delivered = findStatusByCodigo('pedido_entregue')!.id
  const saved = await t.request('PUT', base, {
    token: m.token,
    body: { apiKey: seeded.apiKey, siteUrl: 'https://www.loja.test', awardingStatusIds: [delivered] },
  })
  assert.equal(saved.status, 200, JSON.stringify(saved.body))
  assert.equal(
    (await t.request('PUT', `${base}/sales-registration`, { token: m.token, body: { enabled: true } })).status,
    200,
  )
  const activated = await t.request('POST', `${base}/activate`, { token: m.token })
  assert.equal(activated.status, 200, JSON.stringify(activated.body))

  const status = await eventually('the first sync', async () => {
    const s = await t.request('GET', `${base}/sync`, { token: m.token })
    return s.body.orders.lastRunFinishedAt ? s.body : null
  })
  assert.equal(status.orders.lastCounts.seen, 90)
  assert.equal(status.orders.lastError, null)
  // Totals from the stored data, beside the last run: every customer, every order, and the points
  // the delivered orders earned (computed from the store itself).
  const delivered0 = findStatusByCodigo('pedido_entregue')!.id
  const earned = seeded.store.orders
    .filter((o) => o.statusId === delivered0 && seeded.store.getCustomer(o.customerId))
    .reduce((sum, o) => sum + Math.floor((o.subtotalCents - o.discountCents) / 100), 0)
  assert.ok(earned > 0)
  assert.deepEqual(status.totals, {
    customers: 30,
    orders: 90,
    pointsAwarded: earned,
    since: activated.body.integration.activatedAt,
  })
  // "Sincronizar agora" right after: the run reads nothing new, the totals stay.
  const finished = status.orders.lastRunFinishedAt
  assert.equal((await t.request('POST', `${base}/sync`, { token: m.token })).status, 202)
  const again = await eventually('the second sync', async () => {
    const s = await t.request('GET', `${base}/sync`, { token: m.token })
    return s.body.orders.lastRunFinishedAt !== finished && !s.body.orders.running ? s.body : null
  })
  assert.ok((again.orders.lastCounts.seen ?? 0) < 90, 'the last run alone no longer tells the totals')
  assert.deepEqual(again.totals, status.totals)
  const members = await t.request('GET', `/v1/programs/${program.body.id}/members?limit=100`, { token: m.token })
  assert.equal(members.status, 200)
  assert.equal(members.body.items.length, 30)

  // A shopper's order is delivered: LI calls our webhook, a job fetches the order and awards it.
  const order = seeded.store.orders.find(
    (o) => o.statusId !== delivered && findStatusByCodigo('pedido_cancelado')!.id !== o.statusId,
  )!
  const customer = seeded.store.getCustomer(order.customerId)!
  const before = await t.deps.db
    .selectFrom('members')
    .select('balance')
    .where('program_id', '=', program.body.id)
    .where('li_customer_id', '=', customer.id)
    .executeTakeFirstOrThrow()
  seeded.store.setOrderStatus(order.numero, 'pedido_entregue')
  await sim.webhooks.flush()
  const after = await eventually('the webhook-driven award', async () => {
    const row = await t.deps.db
      .selectFrom('members')
      .select('balance')
      .where('program_id', '=', program.body.id)
      .where('li_customer_id', '=', customer.id)
      .executeTakeFirstOrThrow()
    return row.balance > before.balance ? row : null
  })
  assert.equal(after.balance - before.balance, Math.floor((order.subtotalCents - order.discountCents) / 100))
  const totals = (await t.request('GET', `${base}/sync`, { token: m.token })).body.totals
  assert.equal(totals.pointsAwarded, earned + after.balance - before.balance)
  assert.equal(totals.orders, 90)
})

test('webhook faults: a duplicated delivery awards once; a dropped one is caught by the next poll', async () => {
  const m = await t.merchant()
  const seeded = sim.seed({ seed: 52, customers: 20, orders: 60, storeId: 'loja-workers-faults' })
  const program = await t.request('POST', '/v1/programs', {
    token: m.token,
    body: {
      name: 'Clube',
      pointsName: 'pontos',
      earnRate: 1,
      primaryColor: '#000000',
      textColor: '#ffffff',
      joiningOpen: true,
    },
  })
  const programId = program.body.id as string
  const base = `/v1/programs/${programId}/integrations/loja-integrada`
  const delivered = findStatusByCodigo('pedido_entregue')!.id
  const cancelled = findStatusByCodigo('pedido_cancelado')!.id
  await t.request('PUT', base, {
    token: m.token,
    body: { apiKey: seeded.apiKey, siteUrl: 'https://www.loja.test', awardingStatusIds: [delivered] },
  })
  await t.request('PUT', `${base}/sales-registration`, { token: m.token, body: { enabled: true } })
  await t.request('POST', `${base}/activate`, { token: m.token })
  await eventually(
    'the first sync',
    async () => (await t.request('GET', `${base}/sync`, { token: m.token })).body.orders.lastRunFinishedAt,
  )

  const pending = seeded.store.orders.filter((o) => o.statusId !== delivered && o.statusId !== cancelled)
  const balanceOf = async (liId: number) =>
    (
      await t.deps.db
        .selectFrom('members')
        .select('balance')
        .where('program_id', '=', programId)
        .where('li_customer_id', '=', liId)
        .executeTakeFirstOrThrow()
    ).balance
  const earnEntries = async (numero: number) =>
    (
      await t.deps.db
        .selectFrom('ledger_entries')
        .select('id')
        .where('program_id', '=', programId)
        .where('order_ref', '=', `li:${numero}`)
        .execute()
    ).length

  // Duplicate: LI sends the same change twice.
  const dup = pending[0]!
  sim.faults.inject({ kind: 'webhook_duplicate', store: seeded.store.id, count: 1 })
  seeded.store.setOrderStatus(dup.numero, 'pedido_entregue')
  await sim.webhooks.flush()
  assert.equal(
    sim.webhooks
      .deliveries()
      .filter((d) => d.storeId === seeded.store.id && d.numero === dup.numero && d.status !== null).length,
    2,
    'delivered twice',
  )
  // Both deliveries were answered (flush waits for them), so their jobs exist: wait until every
  // one of them has run, whether pg-boss kept one job for both or two.
  const jobStates = await eventually('the duplicated webhook jobs to finish', async () => {
    const states = await orderUpdateJobs(programId, dup.numero)
    return states.length > 0 && states.every((s) => FINISHED.includes(s)) && states
  })
  assert.ok(
    jobStates.every((s) => s === 'completed'),
    jobStates.join(),
  )
  assert.equal(await earnEntries(dup.numero), 1)

  // Drop: LI never calls; "sync now" (as the 15-minute schedule would) brings the points.
  const lost = pending.find((o) => o.customerId !== dup.customerId)!
  const before = await balanceOf(lost.customerId)
  sim.faults.inject({ kind: 'webhook_drop', store: seeded.store.id, count: 1 })
  seeded.store.setOrderStatus(lost.numero, 'pedido_entregue')
  await sim.webhooks.flush()
  // A delivered webhook queues its job before it is answered, and flush waits for the answers:
  // no job now means none will come.
  assert.equal(
    sim.webhooks
      .deliveries()
      .filter((d) => d.storeId === seeded.store.id && d.numero === lost.numero && d.status !== null).length,
    0,
    'dropped',
  )
  assert.deepEqual(await orderUpdateJobs(programId, lost.numero), [], 'nothing arrived by webhook')
  assert.equal(await balanceOf(lost.customerId), before)
  assert.equal((await t.request('POST', `${base}/sync`, { token: m.token })).status, 202)
  await eventually('the poll to catch the dropped change', async () => (await balanceOf(lost.customerId)) > before)
  assert.equal((await balanceOf(lost.customerId)) - before, Math.floor((lost.subtotalCents - lost.discountCents) / 100))
})
