import assert from 'node:assert/strict'
import { test } from 'node:test'
import { amountError, parseReais, reaisText } from './amount.ts'
import { t } from './i18n.ts'
import type { WidgetAmountRedemption } from './types.ts'

const window = (over: Partial<WidgetAmountRedemption> = {}): WidgetAmountRedemption => ({
  availableCents: 2340,
  minCents: 1000,
  maxCents: 2340,
  stepCents: 1,
  centsPerPoint: null,
  maxOrderSharePct: 30,
  maxCentsMinimumOrderCents: 7800,
  ...over,
})

test('what a shopper types in reais becomes cents; anything else is refused', () => {
  assert.equal(parseReais('25'), 2500)
  assert.equal(parseReais('25,5'), 2550)
  assert.equal(parseReais(' R$ 25,00 '), 2500)
  assert.equal(parseReais('25.50'), 2550)
  assert.equal(parseReais('1.234,56'), 123456)
  assert.equal(parseReais('1.234'), 123400)
  for (const bad of ['', 'abc', '25,555', '-5', '2,5,0']) assert.equal(parseReais(bad), null, bad)
  assert.equal(reaisText(2340), '23,40')
  assert.equal(reaisText(5), '0,05')
})

test('an amount outside the balance or the program’s bounds is refused in pt-BR, saying the bound', () => {
  assert.equal(amountError(2000, window()), null)
  assert.equal(amountError(null, window()), t.amount.invalid)
  assert.equal(amountError(0, window()), t.amount.invalid)
  assert.equal(amountError(999, window()), `O valor mínimo é ${t.money(1000)}.`)
  assert.equal(amountError(2500, window()), `Seu saldo é ${t.money(2340)}: escolha até esse valor.`)
  assert.equal(amountError(2300, window({ maxCents: 2000 })), `O máximo por cupom é ${t.money(2000)}.`)
  // Points at R$ 0,05 each: only whole points.
  const points = window({ stepCents: 5, centsPerPoint: 5, maxCents: 2340 - (2340 % 5) })
  assert.equal(amountError(2003, points), `Escolha um múltiplo de ${t.money(5)} (o valor de 1 ponto).`)
  assert.equal(amountError(2005, points), null)
})

test('cashback words agree with the amount (pt-BR: below 2 reais takes the singular)', () => {
  assert.equal(`${t.money(2340)} ${t.available(23.4)}`, `R$\u00a023,40 disponíveis`)
  assert.equal(t.available(1), 'disponível')
  assert.equal(t.availableOn(12.3, t.money(1230), '14/12/2026'), `${t.money(1230)} ficam disponíveis em 14/12/2026`)
  assert.equal(t.availableOn(1, t.money(100), '14/12/2026'), `${t.money(100)} fica disponível em 14/12/2026`)
  assert.equal(t.expiring(5, t.money(500), '10/01/2027'), `${t.money(500)} vencem em 10/01/2027`)
  assert.equal(t.amount.use(t.money(2500)), `Usar R$\u00a025,00`)
})
