import assert from 'node:assert/strict'
import { after, before, describe, test, type TestContext } from 'node:test'
import { sql } from 'kysely'
import { saveIntegration, setActive, setSalesSource } from './service.ts'
import * as integrations from './repository.ts'
import { createProgram } from '../programs/service.ts'
import { pointsFor } from '../orders/rules.ts'
import { createTestApp, type TestApp } from '../test/harness.ts'
import {
  createLiSimulator,
  findStatusByCodigo,
  manualClock,
  type LiSimulator,
  type SimStore,
} from '../li-simulator/index.ts'
import { runSync, type SyncOptions } from './sync.ts'

/**
 * Issue 24: the order sync must not depend on the order LI lists orders in. Each case puts the
 * simulator in a mode measured on real stores (ListingQuirks, 429 bursts) and checks that the
 * members' balances equal the totals computed from the simulator's own orders.
 */

const AWARDING = ['pedido_entregue'].map((c) => findStatusByCodigo(c)!.id)
/** Deepest offset + limit this simulator accepts, so a few hundred orders already need narrowing. */
const SIM_MAX_OFFSET = 400

let t: TestApp
let sim: LiSimulator
const clock = manualClock('2025-06-02T12:00:00Z')
let stores = 0

before(async () => {
  sim = createLiSimulator({ clock, rateLimit: false, maxOffsetWindow: SIM_MAX_OFFSET })
  t = await createTestApp({
    liFetch: sim.fetch as typeof fetch,
    // Retries back off from 1 ms: a burst of 429s is waited out in milliseconds, not minutes.
    config: {
      LI_API_URL: 'http://li.test',
      LI_APP_KEY: sim.applicationKey,
      LI_REQUESTS_PER_MINUTE: '1000000',
      LI_TIMEOUT_MS: '1000',
      LI_RETRY_BASE_MS: '1',
    },
  })
})
after(async () => {
  await t.close()
  await sim.close()
})

interface Setup {
  programId: string
  store: SimStore
}

async function setup(opts: { seed: number; customers?: number; orders: number }): Promise<Setup> {
  const m = await t.merchant()
  const program = await createProgram(t.deps.db, m.id, {
    name: 'Clube',
    pointsName: 'pontos',
    earnRate: 1,
    primaryColor: '#000000',
    textColor: '#ffffff',
    joiningOpen: true,
  })
  const n = ++stores
  const seeded = sim.seed({
    seed: opts.seed,
    customers: opts.customers ?? 40,
    orders: opts.orders,
    storeId: `loja-order-${n}`,
    apiKey: `${process.pid.toString(16)}c${n.toString(16)}`.padStart(20, 'c'),
    personalToken: `${process.pid}-o-${n}`.padStart(40, 'd'),
  })
  await saveIntegration(t.deps, m.id, program.id, {
    apiKey: seeded.apiKey,
    credentialKind: 'chave_api',
    siteUrl: 'https://www.loja.test',
    couponValidityDays: 365,
    rewardAllowlist: [],
    awardingStatusIds: AWARDING,
  })
  await setSalesSource(t.deps, m.id, program.id, 'salesRegistration', true)
  await setActive(t.deps, m.id, program.id, true)
  return { programId: program.id, store: seeded.store }
}

/** The state-based totals: points of every order in an awarding status now, per customer e-mail. */
function expectedBalances(store: SimStore): Map<string, number> {
  const out = new Map<string, number>()
  for (const c of store.customers) out.set(c.email.toLowerCase(), 0)
  for (const o of store.orders) {
    if (!AWARDING.includes(o.statusId)) continue
    const email = store.getCustomer(o.customerId)!.email.toLowerCase()
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

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0)

/** Balances equal the store's totals, the ledger agrees with them, and every order is stored. */
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

const orderRequests = (s: Setup) =>
  sim.requests.count((e) => e.storeId === s.store.id && e.resource === '/pedido/search')

async function ordersState(programId: string) {
  return (await integrations.findSyncStates(t.deps.db, programId)).find((r) => r.resource === 'orders')!
}

/**
 * A run that cannot loop for ever: before the fix a store ignoring since_numero re-read one page
 * until the job's time ran out. The deadline turns that into a 'continue' the test rejects.
 */
async function boundedSync(s: Setup, opts: SyncOptions = {}) {
  return runSync(t.deps, s.programId, { deadline: Date.now() + 20_000, ...opts })
}

/** The figures the issue asks for, printed with the test output. */
async function report(tc: TestContext, s: Setup, requests: number) {
  const got = sum(await balances(s.programId))
  const want = sum(expectedBalances(s.store))
  tc.diagnostic(
    `${tc.name}: balances ${got} / expected ${want}; ${Math.round((requests / (s.store.orders.length / 1000)) * 10) / 10} order-list requests per 1,000 orders`,
  )
}

describe('order sync whatever the listing order (issue 24)', () => {
  test('a store listing by numero: an incremental run reads every change and new order, and so does the next', async (tc) => {
    const s = await setup({ seed: 51, orders: 300 })
    assert.equal(await boundedSync(s), 'done')
    s.store.listing = { order: 'numero' }
    // About 70 changes spread over 70 minutes, plus 12 new orders: in numero order the last item
    // of a page is not the latest change, so a cursor taken from it skips what is listed later.
    for (let i = 0; i < 7; i++) {
      clock.advance(10 * 60_000)
      sim.evolve(s.store.id, { statusChanges: 8, cancellations: 1, newOrders: i < 6 ? 2 : 0 })
    }
    sim.requests.clear()
    assert.equal(await boundedSync(s), 'done')
    await assertMatchesStore(s)
    const requests = orderRequests(s)
    clock.advance(60_000)
    assert.equal(await boundedSync(s), 'done')
    await assertMatchesStore(s)
    await report(tc, s, requests)
  })

  test('a store ignoring since_numero: the first import ends, switches mode once and says so', async (tc) => {
    const s = await setup({ seed: 52, orders: 300 })
    s.store.listing = { ignoreSinceNumero: true }
    sim.requests.clear()
    assert.equal(await boundedSync(s), 'done')
    await assertMatchesStore(s)
    const state = await ordersState(s.programId)
    assert.equal(state.last_counts.listingFallback, 1, 'the mode switch is in the status')
    assert.ok((state.last_counts.seen ?? 0) <= 2 * s.store.orders.length, `seen ${state.last_counts.seen}`)
    // Two numero pages (the second brings nothing new), then the 300 orders by window.
    assert.ok(orderRequests(s) <= 2 + Math.ceil(300 / 50) + 1, `${orderRequests(s)} requests`)
    await report(tc, s, orderRequests(s))
  })

  test('ignoring since_numero on a store longer than LI lets us page: narrowed by creation date, nothing skipped', async (tc) => {
    const s = await setup({ seed: 53, orders: 700 })
    s.store.listing = { ignoreSinceNumero: true }
    sim.requests.clear()
    assert.equal(await boundedSync(s, { maxOffset: SIM_MAX_OFFSET }), 'done')
    await assertMatchesStore(s)
    const state = await ordersState(s.programId)
    assert.equal(state.last_counts.listingFallback, 1)
    assert.ok((state.last_counts.narrowed ?? 0) >= 1, 'the listing was narrowed')
    assert.equal(
      sim.requests.count((e) => e.storeId === s.store.id && e.status === 400),
      0,
      'no request past the offset limit',
    )
    await report(tc, s, orderRequests(s))
  })

  test('orders changing while a long pass pages a change-ordered listing: paged again, then nothing is lost', async (tc) => {
    const s = await setup({ seed: 54, orders: 400 })
    assert.equal(await boundedSync(s), 'done')
    clock.advance(60 * 60_000)
    sim.evolve(s.store.id, { statusChanges: 220 })
    // Each page served flips 3 orders already read (they jump to the end, later offsets shift
    // back) and takes 4 simulated minutes: the pass lasts longer than the cursor's overlap.
    s.store.listing = { changesPerPage: 3, clockStepMs: 4 * 60_000 }
    sim.requests.clear()
    assert.equal(await boundedSync(s), 'done')
    const requests = orderRequests(s)
    const repaged = (await ordersState(s.programId)).last_counts.repaged ?? 0
    s.store.listing = {}
    // Orders flipped during the pass changed after the pass began: the next run reads them.
    clock.advance(60_000)
    assert.equal(await boundedSync(s), 'done')
    await assertMatchesStore(s)
    assert.ok(repaged >= 1, 'the shifted listing was paged again')
    await report(tc, s, requests)
  })

  test('a burst of 30 429s is waited out inside the budget: the job does not fail and the status says so', async (tc) => {
    const s = await setup({ seed: 55, orders: 300 })
    sim.faults.inject({ kind: 'rate_limit', store: s.store.id, count: 30, after: 2 })
    sim.requests.clear()
    assert.equal(await boundedSync(s), 'done')
    await assertMatchesStore(s)
    const states = await integrations.findSyncStates(t.deps.db, s.programId)
    assert.equal(
      states.reduce((n, r) => n + (r.last_counts.rateLimited ?? 0), 0),
      30,
    )
    assert.ok(
      states.every((r) => r.last_error === null),
      'no error shown',
    )
    await report(tc, s, orderRequests(s))
  })
})
