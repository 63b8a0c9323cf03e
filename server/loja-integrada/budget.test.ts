import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Database } from '../db/database.ts'
import { testDatabase } from '../test/database.ts'
import { limitScope } from './client.ts'
import {
  BUDGET_WINDOW_MS,
  pauseEveryStore,
  requestGate,
  sharedRequestGate,
  type BudgetSettings,
  type GateClock,
  type RequestGate,
  type RequestPriority,
} from './budget.ts'

let database: Database
before(async () => {
  database = await testDatabase()
})
after(() => database.close())

const LOTS = 1_000_000
const settings = (s: Partial<BudgetSettings> = {}): BudgetSettings => ({
  storePerMinute: LOTS,
  appPerMinute: LOTS,
  ipPerMinute: LOTS,
  egressId: 'egress-1',
  interactiveReservePercent: 20,
  ...s,
})

/** A clock that only moves when someone sleeps, plus a record of when each request went out. */
function fakeClock(start: number): GateClock & { sent: number[] } {
  let now = start
  return {
    sent: [],
    now: () => now,
    sleep: async (ms) => {
      now += ms
    },
  }
}

/**
 * Virtual time for concurrent tasks: time moves to the earliest sleeper only when every running
 * task sleeps (database round trips take no virtual time), so the interleaving is the budget's.
 */
function virtualClock(start: number) {
  let now = start
  let live = 0
  let seed = 7
  const timers: Array<{ at: number; wake: () => void }> = []
  const advance = () => {
    if (live === 0 || timers.length < live) return
    timers.sort((a, b) => a.at - b.at)
    const t = timers.shift()!
    now = Math.max(now, t.at)
    t.wake()
  }
  const clock: GateClock = {
    now: () => now,
    random: () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646,
    sleep: (ms) =>
      new Promise<void>((wake) => {
        timers.push({ at: now + ms, wake })
        advance()
      }),
  }
  const run = (tasks: Array<() => Promise<void>>) =>
    Promise.all(
      tasks.map(async (task) => {
        live++
        try {
          await task()
        } finally {
          live--
          advance()
        }
      }),
    )
  return { clock, run }
}

const maxInAnyMinute = (times: number[]) =>
  Math.max(...times.map((t0) => times.filter((t) => t >= t0 && t < t0 + 60_000).length))

test('two processes sharing a store never exceed the per-minute budget together', async () => {
  const clock = fakeClock(Date.UTC(2026, 0, 1))
  // Two gates on the same store = two processes (each with its own local tokens), one database.
  const a = requestGate(database.db, 'store-shared', settings({ storePerMinute: 70 }), clock)
  const b = requestGate(database.db, 'store-shared', settings({ storePerMinute: 70 }), clock)
  for (let i = 0; i < 200; i++) {
    await (i % 3 === 0 ? b : a)('bulk')
    clock.sent.push(clock.now())
  }
  assert.ok(maxInAnyMinute(clock.sent) <= 70, `max ${maxInAnyMinute(clock.sent)} in a minute`)
  // And the budget is used, not starved: bulk gets 8 of each window's 10 tokens.
  const windows = (clock.sent.at(-1)! - clock.sent[0]!) / BUDGET_WINDOW_MS
  assert.ok(windows <= 30, `took ${windows} windows`)
})

test('stores have separate budgets', async () => {
  const clock = fakeClock(Date.UTC(2026, 0, 2))
  const a = requestGate(database.db, 'store-a', settings({ storePerMinute: 7 }), clock)
  const b = requestGate(database.db, 'store-b', settings({ storePerMinute: 7 }), clock)
  await a()
  await b()
  assert.equal(clock.now(), Date.UTC(2026, 0, 2), 'one request each fits the first window')
  await a()
  assert.ok(clock.now() > Date.UTC(2026, 0, 2), 'the second waits for the next window')
})

test('the application and IP budgets are shared by every store and process; egresses are apart', async () => {
  const clock = fakeClock(Date.UTC(2026, 0, 3))
  const s = settings({ appPerMinute: 140, ipPerMinute: 70 })
  // Four processes: two per egress, each calling for other stores.
  const gates = [
    requestGate(database.db, 'app-1', s, clock),
    requestGate(database.db, 'app-2', s, clock),
    requestGate(database.db, 'app-3', { ...s, egressId: 'egress-2' }, clock),
    requestGate(database.db, 'app-4', { ...s, egressId: 'egress-2' }, clock),
  ]
  const sent: Record<string, number[]> = { 'egress-1': [], 'egress-2': [] }
  for (let i = 0; i < 400; i++) {
    const g = i % 4
    await gates[g]!(i % 5 === 0 ? 'interactive' : 'bulk')
    sent[g < 2 ? 'egress-1' : 'egress-2']!.push(clock.now())
  }
  const all = [...sent['egress-1']!, ...sent['egress-2']!].sort((x, y) => x - y)
  assert.ok(maxInAnyMinute(all) <= 140, `app: ${maxInAnyMinute(all)} in a minute`)
  for (const [egress, times] of Object.entries(sent))
    assert.ok(maxInAnyMinute(times) <= 70, `${egress}: ${maxInAnyMinute(times)} in a minute`)
})

test('a token is taken from every budget or from none: a spent app budget leaves the store untouched', async () => {
  const clock = fakeClock(Date.UTC(2026, 0, 4))
  const s = settings({ appPerMinute: 7, storePerMinute: 70 })
  await requestGate(database.db, 'atomic-1', s, clock)()
  const before = clock.now()
  const second = requestGate(database.db, 'atomic-2', s, clock)
  await second()
  assert.ok(clock.now() > before, 'the second store waited for the app budget')
  const rows = await database.db
    .selectFrom('rate_limits')
    .select(['window_start', 'count'])
    .where('key', '=', 'li:atomic-2')
    .orderBy('window_start')
    .execute()
  assert.deepEqual(
    rows.map((r) => r.count),
    [0, 1],
    'nothing taken from the store in the spent window, one in the next',
  )
})

test("a big store's import does not delay another store's coupon, and stores share the bulk budget fairly", async () => {
  const { clock, run } = virtualClock(Date.UTC(2026, 0, 5))
  // App budget 140/min: 20 tokens a window, 16 of them for bulk work. Requests take 50 ms each.
  const s = settings({ appPerMinute: 140 })
  const big = requestGate(database.db, 'fair-big', s, clock)
  const small = requestGate(database.db, 'fair-small', s, clock)
  const other = requestGate(database.db, 'fair-other', s, clock)
  const sent: number[] = []
  const finished: Record<string, number> = {}
  const pages =
    (name: string, gate: RequestGate, n: number, priority: RequestPriority = 'bulk') =>
    async () => {
      for (let i = 0; i < n; i++) {
        await gate(priority)
        sent.push(clock.now())
        await clock.sleep(50)
      }
      finished[name] = clock.now()
    }
  const couponWaits: number[] = []
  const coupons = async () => {
    for (let i = 0; i < 10; i++) {
      await clock.sleep(7_000) // a redemption now and then, while the imports run
      const asked = clock.now()
      await other('interactive')
      sent.push(clock.now())
      couponWaits.push(clock.now() - asked)
    }
  }
  const start = clock.now()
  await run([pages('big', big, 320), pages('small', small, 64), coupons])
  assert.ok(maxInAnyMinute(sent) <= 140, `${maxInAnyMinute(sent)} in a minute`)
  // The reserve is never used up by bulk work: a coupon goes out in the window it is asked in.
  assert.ok(
    couponWaits.every((w) => w === 0),
    `coupon waits ${couponWaits}`,
  )
  // Fair share: the small store gets about half of each window while both import (64 pages at
  // ~8 a window ≈ 8 windows), not what the big one leaves (it would finish after it, ~24 windows).
  const smallWindows = (finished.small! - start) / BUDGET_WINDOW_MS
  const bigWindows = (finished.big! - start) / BUDGET_WINDOW_MS
  assert.ok(smallWindows <= 12, `small store finished after ${smallWindows} windows (big: ${bigWindows})`)
  assert.ok(bigWindows > smallWindows)
})

test('clients of one store in one process share one gate, so per-job clients do not waste the budget', async () => {
  const s = settings({ storePerMinute: 90 })
  const a = sharedRequestGate(database.db, 'store-jobs', s)
  assert.equal(sharedRequestGate(database.db, 'store-jobs', s), a, 'the same gate for every client of the store')
  assert.notEqual(sharedRequestGate(database.db, 'another-store', s), a)
  // 90/min → 12 requests per 10 s window; bulk claims start at one token and double while the
  // store spends them (up to 3 here): 1 call takes 1 token, 3 take 1 + 2, 9 take 1 + 2 + 3 + 3.
  const gate = sharedRequestGate(database.db, 'store-jobs', s)
  const taken = async () => {
    const rows = await database.db
      .selectFrom('rate_limits')
      .select(['count'])
      .where('key', '=', 'li:store-jobs')
      .execute()
    return rows.reduce((sum, r) => sum + r.count, 0)
  }
  await gate('bulk')
  assert.equal(await taken(), 1, 'a one-page poll strands nothing')
  for (let i = 0; i < 8; i++) await gate('bulk')
  // A window boundary inside the loop restarts the doubling: never more than a chunk is left over.
  const total = await taken()
  assert.ok(total >= 9 && total <= 12, `9 requests took ${total} tokens`)
})

test("an app or IP 429 holds every store of the process back; LI's code names the budget", async () => {
  assert.deepEqual([{ code: 633 }, { code: 533 }, { code: 133 }, 'Limite', undefined].map(limitScope), [
    'store',
    'app',
    'ip',
    'unknown',
    'unknown',
  ])
  const clock = fakeClock(Date.UTC(2026, 0, 6))
  const a = requestGate(database.db, 'paused-a', settings(), clock)
  const b = requestGate(database.db, 'paused-b', settings(), clock)
  a.pause(3_000)
  await b()
  assert.equal(clock.now(), Date.UTC(2026, 0, 6), "a store's pause is its own")
  pauseEveryStore(database.db, 5_000, clock)
  await b()
  assert.ok(clock.now() >= Date.UTC(2026, 0, 6) + 5_000, 'every store waits out an app or IP 429')
})

test('interactive callers waiting together take their tokens in one claim, and only they spend them', async () => {
  const clock = fakeClock(Date.UTC(2026, 0, 9))
  let claims = 0
  // Counts the claim transactions (claimWindows opens one per claim).
  const db = new Proxy(database.db, {
    get(target, prop, receiver) {
      if (prop === 'transaction') claims++
      const value = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  const gate = requestGate(db, 'store-batch', settings({ storePerMinute: 700 }), clock)
  const taken = async () => {
    const rows = await database.db
      .selectFrom('rate_limits')
      .select(['count'])
      .where('key', '=', 'li:store-batch')
      .execute()
    return rows.reduce((sum, r) => sum + r.count, 0)
  }
  // A batch of 20 coupon jobs at once: the first claims alone, the 19 waiting behind it in one claim.
  await Promise.all(Array.from({ length: 20 }, () => gate('interactive')))
  assert.equal(await taken(), 20, 'exactly one token each, none held in reserve')
  assert.ok(claims <= 2, `${claims} claims for 20 requests`)
  // A bulk request afterwards claims its own tokens (its slow start may take a few).
  await gate('bulk')
  assert.ok((await taken()) > 20)
})
