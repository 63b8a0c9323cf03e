import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_CASHBACK_RULES } from '../shared/api/cashback.ts'
import { addDays, amountBody, cashbackBody, cashbackExample, cashbackToForm, percentToBp } from './cashback.ts'
import { t } from './i18n.ts'

const rules = { ...DEFAULT_CASHBACK_RULES, updatedAt: null }
const nbsp = (s: string) => s.replace(/ /g, '\u00a0')

test('the live example reads the issue’s sentence for 10 %, 4 days, 30 days, 30 % of an order', () => {
  const form = {
    ...cashbackToForm(rules),
    percentBp: '10',
    pendingDays: '4',
    expires: 'days' as const,
    validityDays: '31',
    maxOrderSharePct: '30',
    minRedemptionCents: '10,00',
  }
  const ex = cashbackExample(form, '2026-12-07')!
  assert.deepEqual(ex, {
    orderCents: 30_000,
    earnedCents: 3000,
    from: '2026-12-11',
    until: '2027-01-10',
    minimumOrderCents: 10_000,
    minRedemptionCents: null,
  })
  assert.equal(
    t.cashback.example(ex.orderCents, ex.earnedCents, ex.from, ex.until, ex.minimumOrderCents),
    `Numa compra de ${nbsp('R$ 300,00')}, quem compra ganha ${nbsp('R$ 30,00')}, que pode usar a partir de 11/12 ` +
      `até 10/01, em pedidos a partir de ${nbsp('R$ 100,00')}.`,
  )
})

test('the example follows every rule as typed, and waits for numbers it can use', () => {
  const base = cashbackToForm(rules)
  // Never expires, at once, the whole order, a purchase below the minimum order is raised to it.
  const ex = cashbackExample(
    { ...base, percentBp: '7,5', minimumOrderCents: '400,00', pendingDays: '0' },
    '2026-12-31',
  )!
  assert.equal(ex.orderCents, 40_000)
  assert.equal(ex.earnedCents, 3000)
  assert.equal(ex.from, '2026-12-31')
  assert.equal(ex.until, null)
  assert.equal(ex.minimumOrderCents, 3000)
  // A credit below the minimum redemption says when the balance can be used.
  assert.equal(
    cashbackExample({ ...base, percentBp: '1', minRedemptionCents: '10,00' }, '2026-12-07')!.minRedemptionCents,
    1000,
  )
  for (const bad of [{ percentBp: 'dez' }, { percentBp: '0' }, { pendingDays: '-1' }, { maxOrderSharePct: '0' }])
    assert.equal(cashbackExample({ ...base, ...bad }, '2026-12-07'), null, JSON.stringify(bad))
  assert.equal(cashbackExample({ ...base, expires: 'days', validityDays: '' }, '2026-12-07'), null)
})

test('the form’s body: cents and basis points, garbage as typed so the API names the field', () => {
  assert.equal(percentToBp('10'), 1000)
  assert.equal(percentToBp('7,25'), 725)
  assert.equal(percentToBp('7,255'), null)
  const body = cashbackBody(
    { ...cashbackToForm(rules), percentBp: 'x', minimumOrderCents: '', maxRedemptionCents: '', pendingDays: '8' },
    true,
  )
  assert.deepEqual(body, {
    percentBp: 'x',
    minimumOrderCents: 0,
    pendingDays: 8,
    validityDays: null,
    earnOnProgramCouponOrders: true,
    maxOrderSharePct: 100,
    minRedemptionCents: 100,
    maxRedemptionCents: null,
  })
  assert.deepEqual(
    amountBody(
      { centsPerPoint: '0,05', maxOrderSharePct: '30', minRedemptionCents: '5', maxRedemptionCents: '' },
      true,
    ),
    { enabled: true, centsPerPoint: 5, maxOrderSharePct: 30, minRedemptionCents: 500, maxRedemptionCents: null },
  )
  assert.equal(addDays('2026-12-31', 1), '2027-01-01')
})

test('balances read in the program’s unit: reais for cashback, its points otherwise', () => {
  const cashback = { mode: 'cashback', pointsName: 'pontos' }
  assert.equal(t.inUnit(2340, cashback), nbsp('R$ 23,40'))
  assert.equal(t.signedInUnit(1230, cashback), `+${nbsp('R$ 12,30')}`)
  assert.equal(t.inUnit(1500, { mode: 'points', pointsName: 'pontos' }), '1.500 pontos')
  assert.equal(t.signedInUnit(-50, { mode: 'points' }), '-50')
})
