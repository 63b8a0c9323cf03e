import assert from 'node:assert/strict'
import { test } from 'node:test'
import { csvDocument, csvMoney, csvPercent } from './csv.ts'
import { ledgerUnit, liabilityCents, periodOf, pointValue, weekIndexOf } from './rules.ts'

test('a period is whole São Paulo days ending today; weeks start on the Monday on or before it', () => {
  // 01:00 UTC on the 1st is still the 30th in São Paulo.
  const p = periodOf(365, new Date('2027-01-01T01:00:00Z'))
  assert.equal(p.to, '2026-12-31')
  assert.equal(p.from, '2026-01-01')
  assert.equal(p.prevTo, '2025-12-31')
  assert.equal(p.prevFrom, '2025-01-01')
  assert.equal(p.fromAt.toISOString(), '2026-01-01T03:00:00.000Z')
  assert.equal(p.toAt.toISOString(), '2027-01-01T03:00:00.000Z')
  assert.equal(p.weekStart, '2025-12-29')
  assert.equal(p.weeks, 53)
  assert.equal(weekIndexOf(p.weekStartAt, new Date('2026-01-05T03:00:00Z')), 1)
})

test('point value: median of fixed discounts, else products, else unknown; cashback is cents', () => {
  const fixed = (cost: number, cents: number) => ({
    kind: 'fixed_discount',
    points_cost: cost,
    value_cents: cents,
    price_cents: null,
    sale_price_cents: null,
  })
  const product = (cost: number, price: number, sale: number | null) => ({
    kind: 'product',
    points_cost: cost,
    value_cents: null,
    price_cents: price,
    sale_price_cents: sale,
  })
  // 2 and 4 cents a point: the median of two is their mean.
  assert.deepEqual(pointValue('points', [fixed(500, 1000), fixed(250, 1000), product(1, 99999, null)]), {
    milliCentsPerPoint: 3000,
    basis: 'fixed_discount',
    rewards: 2,
  })
  // Sale price first: 1500 cents for 1000 points.
  const products = pointValue('points', [product(1000, 2000, 1500)])
  assert.deepEqual(products, { milliCentsPerPoint: 1500, basis: 'product', rewards: 1 })
  assert.equal(liabilityCents(333, products), 500)
  const none = pointValue('points', [])
  assert.equal(liabilityCents(1000, none), null)
  assert.equal(liabilityCents(1234, pointValue('cents', [fixed(1, 1)])), 1234)
  assert.equal(ledgerUnit({ mode: 'cashback' }), 'cents')
  assert.equal(ledgerUnit({ mode: 'points' }), 'points')
})

test('CSV cells: decimal comma, negative money, quoting, formula defusing, BOM and CRLF', () => {
  assert.deepEqual(csvMoney(-5), { num: '-0,05' })
  assert.deepEqual(csvMoney(123456), { num: '1234,56' })
  assert.deepEqual(csvPercent(0.1234), { num: '12,3' })
  assert.equal(
    csvDocument(
      ['a', 'b'],
      [
        ['x;y', csvMoney(-100)],
        ['-1', null],
      ],
    ),
    '\ufeffa;b\r\n"x;y";-1,00\r\n\'-1;\r\n',
  )
})
