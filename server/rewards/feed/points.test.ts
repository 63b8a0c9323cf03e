import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { friendlyStep, proposePointsCost } from './points.ts'

describe('proposePointsCost', () => {
  it('costs the points earned by spending 10× the price, rounded up to a friendly step', () => {
    // R$ 129,90 at 1 point per real: R$ 1 299 of purchases → 1 299 points → 1 300.
    assert.equal(proposePointsCost(12990, 1), 1300)
    assert.equal(proposePointsCost(10000, 1), 1000)
    assert.equal(proposePointsCost(990, 1), 100) // 99 → 100 (step 5)
    assert.equal(proposePointsCost(1990, 1), 200) // 199 → 200 (step 10)
    assert.equal(proposePointsCost(49990, 2), 10000) // 9 998 → 10 000 (step 50)
    assert.equal(proposePointsCost(129990, 1), 13000) // 12 999 → 13 000 (step 100)
    assert.equal(proposePointsCost(1, 1), 5) // never free
  })

  it('follows the earn rate and the program factor', () => {
    assert.equal(proposePointsCost(12990, 2), 2600)
    assert.equal(proposePointsCost(12990, 0.5), 650)
    assert.equal(proposePointsCost(12990, 1, { spendMultiple: 20 }), 2600)
  })

  it('is not pushed a step up by float noise', () => {
    // 12 990 × 1.1 × 10 / 100 = 1 428.9000000000001 in floats; 10 000 × 1.1 × 10 / 100 = 1 100.0000000000002.
    assert.equal(proposePointsCost(12990, 1.1), 1450)
    assert.equal(proposePointsCost(10000, 1.1), 1100)
  })

  it('rejects invalid input', () => {
    assert.throws(() => proposePointsCost(0, 1), RangeError)
    assert.throws(() => proposePointsCost(10.5, 1), RangeError)
    assert.throws(() => proposePointsCost(1000, 0), RangeError)
    assert.throws(() => proposePointsCost(1000, Number.NaN), RangeError)
    assert.throws(() => proposePointsCost(1000, 1, { spendMultiple: -1 }), RangeError)
  })

  it('never asks less than the rule, at most one step more, a multiple of the step, monotonic in price', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.constantFrom(0.5, 1, 1.5, 2, 3, 10),
        (price, delta, rate) => {
          const cost = proposePointsCost(price, rate)
          const exact = (price * rate * 10) / 100
          assert.ok(cost >= exact - 1e-6)
          assert.ok(cost - exact < friendlyStep(Math.ceil(exact - 1e-6)) + 1e-6 || cost === 5)
          assert.equal(cost % 5, 0)
          assert.ok(proposePointsCost(price + delta, rate) >= cost)
        },
      ),
    )
  })
})
