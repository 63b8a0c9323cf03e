import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { dueExpiries, type LedgerFact } from '../points/expiry.ts'
import {
  amountWindow,
  cashbackFor,
  largestAmountForOrder,
  minimumOrderForAmount,
  quoteAmount,
  type AmountSettings,
  type CashbackEarnRules,
} from './rules.ts'

const earnRules = fc.record<CashbackEarnRules>({
  percentBp: fc.integer({ min: 1, max: 10_000 }),
  minimumOrderCents: fc.integer({ min: 0, max: 100_000 }),
  earnOnProgramCouponOrders: fc.boolean(),
})
const settings = fc
  .record({
    centsPerPoint: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 500 })),
    minCents: fc.integer({ min: 1, max: 10_000 }),
    extra: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
    maxOrderSharePct: fc.integer({ min: 1, max: 100 }),
  })
  .map(
    (s): AmountSettings => ({
      centsPerPoint: s.centsPerPoint,
      minCents: s.minCents,
      maxCents: s.extra === null ? null : s.minCents + s.extra,
      maxOrderSharePct: s.maxOrderSharePct,
    }),
  )

test('the example store: 10 % of R$ 300,00 is R$ 30,00; nothing below R$ 299,00 or on a cashback order', () => {
  const rules = { percentBp: 1000, minimumOrderCents: 29_900, earnOnProgramCouponOrders: false }
  assert.equal(cashbackFor(30_000, rules, false), 3000)
  assert.equal(cashbackFor(29_899, rules, false), 0)
  assert.equal(cashbackFor(30_000, rules, true), 0, 'no cashback on an order paid with cashback')
  assert.equal(cashbackFor(30_000, { ...rules, earnOnProgramCouponOrders: true }, true), 3000)
  assert.equal(cashbackFor(12_345, { ...rules, minimumOrderCents: 0 }, false), 1234, 'rounded down to the cent')
})

test('cashback is a whole number of cents between 0 and the eligible amount, and grows with it', () => {
  fc.assert(
    fc.property(
      earnRules,
      fc.integer({ min: -10_000, max: 10_000_000 }),
      fc.nat(100_000),
      fc.boolean(),
      (r, a, d, c) => {
        const x = cashbackFor(a, r, c)
        assert.ok(Number.isInteger(x) && x >= 0 && x <= Math.max(0, a))
        assert.ok(cashbackFor(a + d, r, c) >= x || a < r.minimumOrderCents)
        if (a < r.minimumOrderCents || (c && !r.earnOnProgramCouponOrders)) assert.equal(x, 0)
      },
    ),
  )
})

test('the coupon minimum always enforces the cap, and is the smallest order that does', () => {
  assert.equal(minimumOrderForAmount(2500, 30), 8334, 'R$ 25,00 at 30 %: orders from R$ 83,34')
  assert.equal(minimumOrderForAmount(3000, 30), 10_000)
  assert.equal(minimumOrderForAmount(2500, 100), 2500)
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 100_000_000 }), fc.integer({ min: 1, max: 100 }), (amount, pct) => {
      const min = minimumOrderForAmount(amount, pct)
      assert.ok(Number.isInteger(min))
      // On any order the coupon accepts (total ≥ min), it is at most pct % of the order.
      assert.ok(amount * 100 <= min * pct, `${amount} ≤ ${pct} % of ${min}`)
      // One cent less would let it pay more than pct % of an order.
      assert.ok(amount * 100 > (min - 1) * pct)
      // And the largest coupon such an order takes covers the amount.
      assert.ok(largestAmountForOrder(min, pct) >= amount)
    }),
  )
})

test('a quote never debits more than the balance and stays within the program bounds', () => {
  fc.assert(
    fc.property(settings, fc.nat(1_000_000), fc.integer({ min: 1, max: 2_000_000 }), (s, balance, amount) => {
      const q = quoteAmount(amount, balance, s)
      if (!q.ok) return
      assert.ok(q.cost <= balance)
      assert.equal(q.cost * s.centsPerPoint, amount, 'points are charged exactly')
      assert.ok(amount >= s.minCents && (s.maxCents === null || amount <= s.maxCents))
      assert.equal(q.minimumOrderCents, minimumOrderForAmount(amount, s.maxOrderSharePct))
    }),
  )
})

test("the widget's window offers only amounts a quote accepts", () => {
  fc.assert(
    fc.property(settings, fc.nat(1_000_000), (s, balance) => {
      const w = amountWindow(balance, s)
      assert.equal(w.availableCents, balance * s.centsPerPoint)
      assert.equal(w.maxCents % w.stepCents, 0)
      assert.ok(w.maxCents <= w.availableCents)
      if (w.maxCents > 0) {
        assert.ok(quoteAmount(w.maxCents, balance, s).ok, 'the largest offered amount is accepted')
        assert.equal(quoteAmount(w.maxCents + w.stepCents, balance, s).ok, false, 'and it is the largest')
      } else assert.equal(quoteAmount(s.minCents, balance, s).ok && s.minCents % s.centsPerPoint === 0, false)
    }),
  )
})

/**
 * A cashback wallet driven by the rules: orders earn, cancellations reverse what they earned (never
 * below zero), quotes spend, failed coupons refund. Credits − debits is the balance, in cents, and
 * it is never negative.
 */
test('credits − debits = balance in cents, never negative, whatever happens in whatever order', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('order' as const), eligible: fc.integer({ min: 0, max: 500_000 }), c: fc.boolean() }),
    fc.record({ kind: fc.constant('cancel' as const), i: fc.nat(50) }),
    fc.record({ kind: fc.constant('spend' as const), amount: fc.integer({ min: 1, max: 200_000 }) }),
    fc.record({ kind: fc.constant('refund' as const), i: fc.nat(50) }),
  )
  fc.assert(
    fc.property(earnRules, settings, fc.array(op, { maxLength: 60 }), (rules, s0, ops) => {
      const s = { ...s0, centsPerPoint: 1 } // cashback: the unit is the cent
      const entries: number[] = []
      const orders: Array<{ earned: number; reversed: boolean }> = []
      const spends: Array<{ cost: number; refunded: boolean }> = []
      let balance = 0
      const post = (amount: number) => {
        entries.push(amount)
        balance += amount
      }
      for (const o of ops) {
        if (o.kind === 'order') {
          const earned = cashbackFor(o.eligible, rules, o.c)
          if (earned > 0) post(earned)
          orders.push({ earned, reversed: false })
        } else if (o.kind === 'cancel') {
          const order = orders[o.i % Math.max(1, orders.length)]
          if (!order || order.reversed) continue
          order.reversed = true
          const take = Math.min(order.earned, balance) // orders/service.ts: reversals never overdraw
          if (take > 0) post(-take)
        } else if (o.kind === 'spend') {
          const q = quoteAmount(o.amount, balance, s)
          if (q.ok) {
            post(-q.cost)
            spends.push({ cost: q.cost, refunded: false })
          }
        } else {
          const sp = spends[o.i % Math.max(1, spends.length)]
          if (!sp || sp.refunded) continue
          sp.refunded = true
          post(sp.cost)
        }
        assert.ok(balance >= 0, 'never negative')
      }
      const credits = entries.filter((e) => e > 0).reduce((a, b) => a + b, 0)
      const debits = -entries.filter((e) => e < 0).reduce((a, b) => a + b, 0)
      assert.equal(credits - debits, balance)
    }),
  )
})

test('cashback validity in days: each credit is its own lot, expiring FIFO that many days later', () => {
  const at = (day: string) => new Date(`${day}T15:00:00Z`)
  const facts: LedgerFact[] = [
    { id: 1, kind: 'earn', amount: 3000, redemptionId: null, createdAt: at('2026-12-11') },
    { id: 2, kind: 'earn', amount: 1000, redemptionId: null, createdAt: at('2026-12-20') },
    { id: 3, kind: 'redeem', amount: -2500, redemptionId: 9, createdAt: at('2026-12-21') },
  ]
  assert.deepEqual(dueExpiries(facts, { days: 30 }, '2027-01-09'), [])
  // 11/12 + 30 days = 10/01: what is left of the first lot (R$ 5,00) expires then, not the later one.
  assert.deepEqual(
    dueExpiries(facts, { days: 30 }, '2027-01-10').map((d) => [d.on, d.points]),
    [['2027-01-10', 500]],
  )
  assert.deepEqual(
    dueExpiries(facts, { days: 30 }, '2027-01-19').map((d) => [d.on, d.points]),
    [
      ['2027-01-10', 500],
      ['2027-01-19', 1000],
    ],
  )
})
