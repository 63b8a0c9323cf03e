import assert from 'node:assert/strict'
import { test } from 'node:test'
import { couponRetryDelayMs, MAX_COUPON_ATTEMPTS } from './rules.ts'

test('coupon retries wait 20 s doubling, about ten minutes over the attempts, never more than an hour', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map(couponRetryDelayMs), [20_000, 40_000, 80_000, 160_000, 320_000])
  let total = 0
  for (let a = 1; a < MAX_COUPON_ATTEMPTS; a++) total += couponRetryDelayMs(a)
  assert.ok(total >= 9 * 60_000 && total <= 11 * 60_000, `${total} ms from the first attempt to the last`)
  assert.equal(couponRetryDelayMs(40), 3_600_000)
})
