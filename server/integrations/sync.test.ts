import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { setSalesSource } from './service.ts'
import * as integrations from './repository.ts'
import { pointsFor } from '../orders/rules.ts'
import type { TestApp } from '../test/harness.ts'
import { connectStore, startLiTestApp, type ConnectedStore, type LiTestEnv } from '../test/li-store.ts'
import { LiError } from '../loja-integrada/client.ts'
import { findStatusByCodigo, manualClock, type LiSimulator, type SimStore } from '../li-simulator/index.ts'
import { runSync, advance, type Position } from './sync.ts'
import { reevaluateOrders, refreshStatusesIfStale, scheduleDueSyncs, updateOneOrder } from './workers.ts'
import { syncQueue } from '../loja-integrada/queues.ts'

// Delivered is final: the simulator's natural progressions never leave it except to a cancellation.
const AWARDING = ['pedido_entregue'].map((c) => findStatusByCodigo(c)!.id)

let t: TestApp
let sim: LiSimulator
const clock = manualClock('2025-03-14T13:00:00Z')

let env: LiTestEnv

before(async () => {
  env = await startLiTestApp({ sim: { clock }, config: { LI_TIMEOUT_MS: '1000' } })
  ;({ t, sim } = env)
})
after(() => env.close())

type Setup = ConnectedStore

/** A program connected to a freshly seeded store (same seed = same data), active, sales on. */
async function setup(
  opts: { seed?: number; customers?: number; orders?: number; salesOn?: boolean } = {},
): Promise<Setup> {
  return connectStore(t.deps, sim, {
    seed: { seed: opts.seed ?? 7, customers: opts.customers ?? 40, orders: opts.orders ?? 160 },
    awardingStatusIds: AWARDING,
    sales: (opts.salesOn ?? true) ? 'salesRegistration' : 'none',
  })
}

/** What the ledger must hold, computed from the store itself: points of orders in an awarding status now. */
function expectedBalances(store: SimStore): Map<string, number> {
  const out = new Map<string, number>()
  for (const c of store.customers) out.set(c.email.toLowerCase(), 0)
  for (const o of store.orders) {
    if (!AWARDING.includes(o.statusId)) continue
    const c = store.getCustomer(o.customerId)
    if (!c) continue
    const email = c.email.toLowerCase()
    out.set(email, (out.get(email) ?? 0) + pointsFor(o.subtotalCents - o.discountCents, 1))
  }
  return out
}

async function balances(programId: string): Promise<Map<string, number>> {
  const rows = await t.deps.db
    .selectFrom('members')
    .select(['email', 'balance'])
    .where('program_id', '=', programId)
    .execute()
  return new Map(rows.map((r) => [r.email, r.balance]))
}

async function ledgerKeys(programId: string): Promise<string[]> {
  const rows = await t.deps.db
    .selectFrom('ledger_entries')
    .select(['idempotency_key', 'amount'])
    .where('program_id', '=', programId)
    .orderBy('idempotency_key')
    .execute()
  return rows.map((r) => `${r.idempotency_key}=${r.amount}`)
}

/** Balances match the store, and the ledger agrees with the cached balances. */
async function assertMatchesStore(s: Setup) {
  assert.deepEqual(await balances(s.programId), expectedBalances(s.store))
  const { rows } = await sql<{ bad: number }>`
    select count(*)::int as bad from members m
    where m.program_id = ${s.programId}
      and m.balance <> coalesce((select sum(amount) from ledger_entries e where e.member_id = m.id), 0)`.execute(
    t.deps.db,
  )
  assert.equal(rows[0]!.bad, 0)
  const stored = await t.deps.db
    .selectFrom('orders')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('program_id', '=', s.programId)
    .executeTakeFirstOrThrow()
  assert.equal(Number(stored.n), s.store.orders.length)
}

const requestsFor = (s: Setup) => sim.requests.count((e) => e.storeId === s.store.id)

async function syncState(programId: string, resource: 'customers' | 'orders') {
  return (await integrations.findSyncStates(t.deps.db, programId)).find((r) => r.resource === resource)!
}

describe('sync: first import', () => {
  test('imports every customer and order and awards exactly the chosen statuses', async () => {
    const s = await setup()
    sim.requests.clear()
    assert.equal(await runSync(t.deps, s.programId), 'done')
    await assertMatchesStore(s)
    const members = await t.deps.db
      .selectFrom('members')
      .select('li_customer_id')
      .where('program_id', '=', s.programId)
      .execute()
    assert.equal(members.length, s.store.customers.length)
    const orders = await syncState(s.programId, 'orders')
    assert.equal(orders.run_started_at, null)
    assert.ok(orders.cursor, 'the cursor is the newest modification seen')
    assert.equal(orders.last_counts.seen, s.store.orders.length)
    assert.ok((orders.last_counts.awarded ?? 0) > 0)
    // Keyed pages of 50 orders and 100 customers: no request is wasted on a first import.
    assert.equal(requestsFor(s), Math.ceil(s.store.orders.length / 50) + Math.ceil(s.store.customers.length / 100))
  })

  test('a replay of the whole sync changes no balance and writes no entry', async () => {
    const s = await setup({ seed: 8 })
    await runSync(t.deps, s.programId)
    const before = { balances: await balances(s.programId), keys: await ledgerKeys(s.programId) }
    // Forget the cursors: the next run reads the whole store again.
    await t.deps.db.updateTable('sync_state').set({ cursor: null }).where('program_id', '=', s.programId).execute()
    assert.equal(await runSync(t.deps, s.programId), 'done')
    assert.deepEqual(await balances(s.programId), before.balances)
    assert.deepEqual(await ledgerKeys(s.programId), before.keys)
  })

  test('without sales registration orders are stored but earn nothing; turning it on awards them once', async () => {
    const s = await setup({ seed: 9, salesOn: false })
    await runSync(t.deps, s.programId)
    assert.deepEqual(await ledgerKeys(s.programId), [])
    await setSalesSource(t.deps, s.merchantId, s.programId, 'salesRegistration', true)
    await reevaluateOrders(t.deps, s.programId)
    await assertMatchesStore(s)
    const keys = await ledgerKeys(s.programId)
    await reevaluateOrders(t.deps, s.programId)
    assert.deepEqual(await ledgerKeys(s.programId), keys)
  })
})

describe('sync: incremental runs', () => {
  test('new orders, status changes, cancellations and new customers arrive; requests follow the changes, not the store', async () => {
    const s = await setup({ seed: 11, customers: 60, orders: 400 })
    await runSync(t.deps, s.programId)
    sim.requests.clear()
    clock.advance(60 * 60_000)
    sim.evolve(s.store.id, { newOrders: 6, statusChanges: 20, cancellations: 5, newCustomers: 4, customerChanges: 3 })
    assert.equal(await runSync(t.deps, s.programId), 'done')
    await assertMatchesStore(s)
    assert.ok(requestsFor(s) <= 4, `incremental run used ${requestsFor(s)} requests`)
    const orders = await syncState(s.programId, 'orders')
    assert.ok((orders.last_counts.seen ?? 0) >= 25 && (orders.last_counts.seen ?? 0) < 100)
  })

  test('delivered → cancelled → delivered: earn, reverse exactly what was earned, earn again — each once', async () => {
    const s = await setup({ seed: 12 })
    await runSync(t.deps, s.programId)
    const order = s.store.orders.find((o) => o.statusId === AWARDING[0])!
    for (const codigo of ['pedido_cancelado', 'pedido_entregue']) {
      clock.advance(60_000)
      s.store.setOrderStatus(order.numero, codigo)
      await runSync(t.deps, s.programId)
      await runSync(t.deps, s.programId) // a second run must not add anything
    }
    const rows = await t.deps.db
      .selectFrom('ledger_entries')
      .select(['kind', 'amount', 'idempotency_key'])
      .where('program_id', '=', s.programId)
      .where('order_ref', '=', `li:${order.numero}`)
      .orderBy('id')
      .execute()
    const points = pointsFor(order.subtotalCents - order.discountCents, 1)
    assert.deepEqual(
      rows.map((r) => [r.kind, r.amount]),
      [
        ['earn', points],
        ['reverse', -points],
        ['earn', points],
      ],
    )
    await assertMatchesStore(s)
  })

  test('an order whose customer is not a member yet is held, then earns when the customer sync enrols them', async () => {
    const s = await setup({ seed: 13 })
    let injected = false
    // Right after the customers pass, a brand-new customer buys: the orders pass sees an unknown customer.
    await runSync(t.deps, s.programId, {
      hooks: {
        afterCommit: (resource) => {
          if (resource !== 'customers' || injected) return
          injected = true
          const c = s.store.addCustomer({ nome: 'Nova Cliente', email: 'nova.cliente@exemplo.com.br' })
          const o = s.store.createOrder({
            customerId: c.id,
            items: [{ productId: s.store.products[0]!.id, quantity: 1, unitPriceCents: 15000 }],
            statusCodigo: 'pedido_entregue',
            paymentMethodId: 55,
            shippingMethodId: 1,
            shippingCents: 1000,
          })
          assert.ok(o)
        },
      },
    })
    const held = await t.deps.db
      .selectFrom('orders')
      .select(['external_id', 'member_id', 'award_state'])
      .where('program_id', '=', s.programId)
      .where('member_id', 'is', null)
      .execute()
    assert.equal(held.length, 1, 'held, not dropped')
    assert.equal(held[0]!.award_state, 'none')
    await runSync(t.deps, s.programId)
    await assertMatchesStore(s)
    assert.ok((await balances(s.programId)).get('nova.cliente@exemplo.com.br')! > 0)
  })

  test('a webhook-driven update applies one order now, enrolling its customer from the order detail', async () => {
    const s = await setup({ seed: 14 })
    await runSync(t.deps, s.programId)
    const c = s.store.addCustomer({ nome: 'Cliente Webhook', email: 'webhook@exemplo.com.br' })
    const o = s.store.createOrder({
      customerId: c.id,
      items: [{ productId: s.store.products[0]!.id, quantity: 2, unitPriceCents: 5000 }],
      statusCodigo: 'pedido_entregue',
      paymentMethodId: 55,
      shippingMethodId: 1,
      shippingCents: 0,
    })
    sim.requests.clear()
    assert.equal(await updateOneOrder(t.deps, s.programId, o.numero), 'applied')
    assert.equal(requestsFor(s), 1, 'one detail request, no list paging')
    assert.equal(
      (await balances(s.programId)).get('webhook@exemplo.com.br'),
      pointsFor(o.subtotalCents - o.discountCents, 1),
    )
    // The same update again (LI sends duplicates) and the next poll change nothing.
    await updateOneOrder(t.deps, s.programId, o.numero)
    await runSync(t.deps, s.programId)
    await assertMatchesStore(s)
  })
})

describe('sync: a kill at any point ends in the same ledger', () => {
  test('crash before and after each page commit, then resume', async () => {
    const reference = await setup({ seed: 21, customers: 120, orders: 260 })
    await runSync(t.deps, reference.programId)
    const expectedKeys = (await ledgerKeys(reference.programId)).map((k) => k.replace(/:[^:]*$/, ''))

    // Pages: 2 of customers, 6 of orders. Crash at several of them, inside and after the transaction.
    // ('orders', 1, 'batched') dies in a transaction holding several pages.
    for (const [resource, pageNo, when] of [
      ['customers', 1, 'before'],
      ['customers', 2, 'after'],
      ['orders', 1, 'before'],
      ['orders', 3, 'after'],
      ['orders', 6, 'before'],
      ['orders', 1, 'batched'],
    ] as const) {
      const s = await setup({ seed: 21, customers: 120, orders: 260 })
      let seen = 0
      const crash = (r: string) => {
        if (r === resource && ++seen === pageNo) throw new Error('killed')
      }
      // One page per transaction, so every page boundary is a place to die.
      const hooks = when === 'after' ? { afterCommit: crash } : { beforeCommit: crash }
      await assert.rejects(
        runSync(t.deps, s.programId, when === 'batched' ? { hooks } : { maxPagesPerCommit: 1, hooks }),
        /killed/,
      )
      assert.equal(await runSync(t.deps, s.programId), 'done', `resume after ${resource} page ${pageNo} ${when} commit`)
      await assertMatchesStore(s)
      assert.deepEqual(
        (await ledgerKeys(s.programId)).map((k) => k.replace(/:[^:]*$/, '')),
        expectedKeys,
      )
    }
  })

  test('a run stopped by its time budget continues from the next page', async () => {
    const s = await setup({ seed: 22, orders: 300 })
    assert.equal(await runSync(t.deps, s.programId, { deadline: 0 }), 'continue')
    // One page of customers completes that pass; the orders pass stops after its first page.
    const state = await syncState(s.programId, 'orders')
    assert.ok(state.run_started_at && state.run_next, 'position saved')
    let outcome
    do outcome = await runSync(t.deps, s.programId, { deadline: 0 })
    while (outcome === 'continue')
    assert.equal(outcome, 'done')
    await assertMatchesStore(s)
  })
})

describe('sync: LI faults', () => {
  for (const fault of [
    { kind: 'rate_limit', count: 2 },
    { kind: 'server_error', count: 2 },
    { kind: 'server_error', count: 1, status: 503 },
    { kind: 'slow', count: 3, delayMs: 50 },
    { kind: 'timeout', count: 1 },
    { kind: 'malformed_json', count: 2 },
  ] as const) {
    test(`${fault.kind}${'status' in fault ? ` ${fault.status}` : ''}: retried, the sync completes with the right ledger`, async () => {
      const s = await setup({ seed: 31 })
      sim.faults.inject({ ...fault, store: s.store.id, after: 2 })
      assert.equal(await runSync(t.deps, s.programId), 'done')
      await assertMatchesStore(s)
      const failed = sim.requests.count((e) => e.storeId === s.store.id && e.fault === fault.kind)
      assert.ok(failed >= 1, 'the fault happened')
    })
  }

  test('LI down for good: the run fails with the error recorded, keeps its place and finishes once LI is back', async () => {
    const s = await setup({ seed: 32 })
    sim.faults.inject({ kind: 'server_error', store: s.store.id, after: 1 })
    await assert.rejects(
      runSync(t.deps, s.programId),
      (err: unknown) => err instanceof LiError && err.kind === 'unavailable',
    )
    const state = await syncState(s.programId, 'orders')
    assert.match(state.last_error ?? '', /unavailable/)
    assert.ok(state.run_next, 'position kept for the retry')
    sim.faults.clear()
    assert.equal(await runSync(t.deps, s.programId), 'done')
    await assertMatchesStore(s)
    assert.equal((await syncState(s.programId, 'orders')).last_error, null)
  })

  test('a revoked key marks the integration "credentials rejected" and stops its jobs', async () => {
    const s = await setup({ seed: 33 })
    sim.faults.inject({ kind: 'revoke_key', store: s.store.id, after: 1, count: 1 })
    assert.equal(await runSync(t.deps, s.programId), 'credentials_rejected')
    const integration = (await integrations.findIntegration(t.deps.db, s.programId))!
    assert.ok(integration.credentials_rejected_at)
    sim.requests.clear()
    assert.equal(await runSync(t.deps, s.programId), 'skipped')
    assert.equal(sim.requests.count(), 0, 'never retried with a rejected key')
    await sql`delete from pgboss.job where name = ${syncQueue.name} and data->>'programId' = ${s.programId}`.execute(
      t.deps.db,
    )
    await scheduleDueSyncs(t.deps)
    const queued = await sql<{
      n: number
    }>`select count(*)::int as n from pgboss.job where name = ${syncQueue.name} and data->>'programId' = ${s.programId}`.execute(
      t.deps.db,
    )
    assert.equal(queued.rows[0]!.n, 0)
  })

  for (const mode of ['insert', 'touch'] as const) {
    test(`offset drift (${mode}) while paging loses no order`, async () => {
      const s = await setup({ seed: 34, orders: 300 })
      await runSync(t.deps, s.programId)
      clock.advance(60_000)
      sim.evolve(s.store.id, { statusChanges: 120 })
      // From the second page on, i.e. among the fresh changes: a late-visible write is stamped a
      // moment before pages being read now, well inside the overlap window (the first page starts
      // at the window's far edge, where a write would be ten minutes late).
      sim.faults.inject({
        kind: 'offset_drift',
        store: s.store.id,
        mode,
        count: 2,
        perPage: 2,
        path: '/pedido/search',
        after: 1,
      })
      await runSync(t.deps, s.programId)
      assert.equal(
        sim.requests.count((e) => e.storeId === s.store.id && e.fault === 'offset_drift'),
        2,
      )
      // Late-visible writes land inside the overlap window: the next run picks them up.
      await runSync(t.deps, s.programId)
      await assertMatchesStore(s)
    })
  }
})

describe('sync: scheduling', () => {
  test('the scheduler queues due, active integrations only, and resumes interrupted runs', async () => {
    const s = await setup({ seed: 41 })
    const count = async () =>
      (
        await sql<{
          n: number
        }>`select count(*)::int as n from pgboss.job where name = ${syncQueue.name} and state = 'created' and data->>'programId' = ${s.programId}`.execute(
          t.deps.db,
        )
      ).rows[0]!.n
    await sql`delete from pgboss.job where name = ${syncQueue.name} and data->>'programId' = ${s.programId}`.execute(
      t.deps.db,
    )
    await scheduleDueSyncs(t.deps)
    assert.equal(await count(), 1, 'never synced: due')
    await runSync(t.deps, s.programId)
    await sql`delete from pgboss.job where name = ${syncQueue.name} and data->>'programId' = ${s.programId}`.execute(
      t.deps.db,
    )
    await scheduleDueSyncs(t.deps)
    assert.equal(await count(), 0, 'just synced: not due')
    await scheduleDueSyncs(t.deps, new Date(Date.now() + 16 * 60_000))
    assert.equal(await count(), 1, 'after the interval: due')
    await scheduleDueSyncs(t.deps, new Date(Date.now() + 16 * 60_000))
    assert.equal(await count(), 1, 'one queued sync per store at most')
  })
})

describe('store statuses', () => {
  test('refreshed once a day (they are also read whenever a key is saved)', async () => {
    const s = await setup({ seed: 42 })
    sim.requests.clear()
    await refreshStatusesIfStale(t.deps, s.programId)
    assert.equal(requestsFor(s), 0, 'fresh: read when the key was saved')
    const dayAgo = new Date(Date.now() - 25 * 3600_000)
    await t.deps.db
      .updateTable('integrations')
      .set({ statuses_fetched_at: dayAgo })
      .where('program_id', '=', s.programId)
      .execute()
    await t.deps.db
      .deleteFrom('li_statuses')
      .where('program_id', '=', s.programId)
      .where('id', '=', AWARDING[0]!)
      .execute()
    await refreshStatusesIfStale(t.deps, s.programId)
    assert.equal(requestsFor(s), 1)
    const statuses = await integrations.listStatuses(t.deps.db, s.programId)
    assert.ok(
      statuses.some((x) => x.id === AWARDING[0]),
      'the list is whole again',
    )
    assert.ok((await integrations.findIntegration(t.deps.db, s.programId))!.statuses_fetched_at! > dayAgo)
  })
})

describe('keyed paging', () => {
  const at = (s: string) => new Date(s)
  const order = (numero: number, updated: string) => ({ numero, updatedAt: at(updated) }) as never
  test('numero pages continue after the highest numero', () => {
    const pos: Position = { mode: 'numero', after: 0, maxSeen: null }
    const { next } = advance(pos, {
      items: [order(5, '2025-01-01T10:00:00Z'), order(9, '2025-01-02T10:00:00Z')],
      total: 10,
      next: '/x',
    })
    assert.deepEqual(next, {
      mode: 'numero',
      after: 9,
      maxSeen: '2025-01-02T10:00:00.000Z',
      liNow: null,
      total: 10,
      len: 2,
    })
    assert.equal(advance(pos, { items: [order(5, '2025-01-01T10:00:00Z')], total: 1, next: null }).next, null)
  })
  test('time pages anchor on the last second and skip what was read of it', () => {
    const pos: Position = { mode: 'time', since: null, skip: 0, maxSeen: null }
    const { next: p1 } = advance(pos, {
      items: [
        order(1, '2025-01-01T10:00:00.100Z'),
        order(2, '2025-01-01T10:00:05.200Z'),
        order(3, '2025-01-01T10:00:05.900Z'),
      ],
      total: 9,
      next: '/x',
    })
    assert.deepEqual(p1, {
      mode: 'time',
      since: '2025-01-01T10:00:05.000Z',
      skip: 2,
      maxSeen: '2025-01-01T10:00:05.900Z',
    })
    // A whole page inside the anchor second: skip grows, the anchor stays.
    const { next: p2 } = advance(p1!, {
      items: [order(4, '2025-01-01T10:00:05.950Z'), order(5, '2025-01-01T10:00:05.990Z')],
      total: 9,
      next: '/x',
    })
    assert.deepEqual(p2, {
      mode: 'time',
      since: '2025-01-01T10:00:05.000Z',
      skip: 4,
      maxSeen: '2025-01-01T10:00:05.990Z',
    })
  })
})
