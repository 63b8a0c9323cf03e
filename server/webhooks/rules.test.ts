import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  DISABLE_AFTER_MS,
  MAX_RETRY_DELAY_MS,
  messageId,
  newSecret,
  nextAttemptAt,
  shouldDisable,
  stampUnit,
} from './rules.ts'

const start = new Date('2026-12-07T12:00:00Z')
const after = (ms: number) => new Date(start.getTime() + ms)

test('retries double from the base, capped, and stop after 24 hours', () => {
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => nextAttemptAt(start, n, start, 10_000)!.getTime() - start.getTime()),
    [10_000, 20_000, 40_000, 80_000],
  )
  assert.equal(nextAttemptAt(start, 30, start, 10_000)!.getTime() - start.getTime(), MAX_RETRY_DELAY_MS)
  assert.equal(nextAttemptAt(start, 14, after(20 * 3600_000), 10_000), null, 'past the 24-hour window')
  // The whole schedule with the default base: about fifteen attempts within the day.
  let now = start
  let attempts = 1
  for (
    let next = nextAttemptAt(start, attempts, now, 10_000);
    next;
    next = nextAttemptAt(start, attempts, now, 10_000)
  ) {
    now = next
    attempts++
  }
  assert.ok(attempts >= 12 && attempts <= 16, String(attempts))
  assert.ok(now.getTime() - start.getTime() <= 24 * 3600_000)
})

test('an endpoint is turned off after 3 days of failures, not before', () => {
  assert.equal(shouldDisable(null, after(10 * DISABLE_AFTER_MS)), false)
  assert.equal(shouldDisable(start, after(DISABLE_AFTER_MS - 1)), false)
  assert.equal(shouldDisable(start, after(DISABLE_AFTER_MS)), true)
})

test('secrets and message ids follow Standard Webhooks', () => {
  const s = newSecret()
  assert.match(s, /^whsec_[A-Za-z0-9+/]{43}=$/)
  assert.equal(Buffer.from(s.slice(6), 'base64').length, 32)
  assert.notEqual(newSecret(), s)
  assert.equal(messageId(42), 'msg_42')
})

test("amounts carry the program's unit: cents in a cashback program", () => {
  const data = { memberId: 1, amount: 80, unit: 'points', lots: [{ amount: 80, unit: 'points', expiresOn: 'x' }] }
  assert.deepEqual(stampUnit(data, 'cents'), {
    memberId: 1,
    amount: 80,
    unit: 'cents',
    lots: [{ amount: 80, unit: 'cents', expiresOn: 'x' }],
  })
  assert.deepEqual(stampUnit({ memberId: 2 }, 'cents'), { memberId: 2 })
})
