import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Database } from '../db/database.ts'
import { testDatabase } from '../test/database.ts'
import { BUDGET_WINDOW_MS, requestGate, sharedRequestGate, type GateClock } from './budget.ts'

let database: Database
before(async () => {
  database = await testDatabase()
})
after(() => database.close())

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

const maxInAnyMinute = (times: number[]) =>
  Math.max(...times.map((t0) => times.filter((t) => t >= t0 && t < t0 + 60_000).length))

test('two processes sharing a store never exceed the per-minute budget together', async () => {
  const clock = fakeClock(Date.UTC(2026, 0, 1))
  // Two gates on the same store = two processes (each with its own local tokens), one database.
  const a = requestGate(database.db, 'store-shared', 70, clock)
  const b = requestGate(database.db, 'store-shared', 70, clock)
  for (let i = 0; i < 200; i++) {
    await (i % 3 === 0 ? b : a)()
    clock.sent.push(clock.now())
  }
  assert.ok(maxInAnyMinute(clock.sent) <= 70, `max ${maxInAnyMinute(clock.sent)} in a minute`)
  // And the budget is used, not starved: 200 requests need about 200 / 10 windows.
  const windows = (clock.sent.at(-1)! - clock.sent[0]!) / BUDGET_WINDOW_MS
  assert.ok(windows <= 25, `took ${windows} windows`)
})

test('stores have separate budgets', async () => {
  const clock = fakeClock(Date.UTC(2026, 0, 2))
  const a = requestGate(database.db, 'store-a', 7, clock)
  const b = requestGate(database.db, 'store-b', 7, clock)
  await a()
  await b()
  assert.equal(clock.now(), Date.UTC(2026, 0, 2), 'one request each fits the first window')
  await a()
  assert.ok(clock.now() > Date.UTC(2026, 0, 2), 'the second waits for the next window')
})

test('clients of one store in one process share one gate, so per-job clients do not waste the budget', async () => {
  const a = sharedRequestGate(database.db, 'store-jobs', 90)
  assert.equal(sharedRequestGate(database.db, 'store-jobs', 90), a, 'the same gate for every client of the store')
  assert.notEqual(sharedRequestGate(database.db, 'another-store', 90), a)
  // 90/min → 12 requests per 10 s window, reserved 3 at a time: 3 calls take one reservation
  // (two if they straddle a window boundary), never one each.
  for (let i = 0; i < 3; i++) await sharedRequestGate(database.db, 'store-jobs', 90)()
  const rows = await database.db
    .selectFrom('rate_limits')
    .select(['count'])
    .where('key', '=', 'li:store-jobs')
    .execute()
  assert.ok(rows.length <= 2 && rows.every((r) => r.count === 3), JSON.stringify(rows))
})
