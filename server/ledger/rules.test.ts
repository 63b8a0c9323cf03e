import assert from 'node:assert/strict'
import { test } from 'node:test'
import { applyToBalances, validateEntry, type EntryInput } from './rules.ts'

const base: EntryInput = { memberId: 1, kind: 'earn', amount: 10, reason: 'Compra #1', idempotencyKey: 'k' }

test('sign rules per kind', () => {
  assert.doesNotThrow(() => validateEntry(base))
  assert.throws(() => validateEntry({ ...base, amount: -10 }), /must add points/)
  assert.throws(() => validateEntry({ ...base, kind: 'redeem', amount: 10 }), /must remove points/)
  assert.doesNotThrow(() => validateEntry({ ...base, kind: 'adjust', amount: -3 }))
  assert.throws(() => validateEntry({ ...base, amount: 0 }), /non-zero/)
  assert.throws(() => validateEntry({ ...base, amount: 1.5 }), /whole number/)
  assert.throws(() => validateEntry({ ...base, reason: '  ' }), /reason/)
  assert.throws(() => validateEntry({ ...base, idempotencyKey: '' }), /idempotencyKey/)
})

test('balances never go below zero, in order', () => {
  const start = new Map([[1, 5]])
  assert.equal(
    applyToBalances(start, [
      { memberId: 1, amount: 10 },
      { memberId: 1, amount: -15 },
    ]).get(1),
    0,
  )
  assert.throws(
    () =>
      applyToBalances(start, [
        { memberId: 1, amount: -15 },
        { memberId: 1, amount: 10 },
      ]),
    /Not enough points/,
  )
  assert.equal(start.get(1), 5, 'input map untouched')
})
