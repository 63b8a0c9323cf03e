import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { MemberReward } from './types.ts'
import { t } from './i18n.ts'
import { orderRewards } from './reward-list.ts'
import { conditions, couponName, couponNote } from './ui.tsx'

test('welcome wording is inclusive and reads right whatever the program’s name', () => {
  assert.equal(t.welcomeTitle('Clube Bella'), 'Boas-vindas ao programa Clube Bella')
  assert.equal(t.welcomeTitle('Rede Amiga'), 'Boas-vindas ao programa Rede Amiga')
  assert.equal(t.welcomeTitle('Programa Mais'), 'Boas-vindas ao Programa Mais')
})

test('counts follow pt-BR plural rules (Intl.PluralRules), verbs too', () => {
  assert.equal(t.points(1, 'ponto', 'pontos'), '1 ponto')
  assert.equal(t.points(2, 'ponto', 'pontos'), '2 pontos')
  assert.equal(t.points(1500, 'ponto', 'pontos'), '1.500 pontos')
  assert.equal(t.missing(1, '1 ponto'), 'Falta 1 ponto')
  assert.equal(t.missing(500, '500 pontos'), 'Faltam 500 pontos')
  assert.equal(t.expiring(1, '1 ponto', '03/12/2026'), '1 ponto vence em 03/12/2026')
  assert.equal(t.expiring(50, '50 pontos', '03/12/2026'), '50 pontos vencem em 03/12/2026')
  assert.equal(t.more(1), 'Ver mais 1 prêmio')
  assert.equal(t.more(46), 'Ver mais 46 prêmios')
  assert.equal(t.errors.fields(1), 'Corrija o campo destacado.')
  assert.equal(t.errors.fields(2), 'Corrija os 2 campos destacados.')
})

test('a reward’s conditions do not repeat its title ("Frete grátis" once)', () => {
  assert.equal(conditions({ title: 'Frete grátis', benefit: 'Frete grátis', minimumOrderCents: null }), '')
  assert.equal(
    conditions({ title: 'Frete grátis', benefit: 'Frete grátis', minimumOrderCents: 5000 }),
    `Pedido mínimo de ${t.money(5000)}`,
  )
  assert.equal(
    conditions({ title: 'Vale R$ 15', benefit: 'R$ 15,00 de desconto', minimumOrderCents: 10000 }),
    `R$ 15,00 de desconto · Pedido mínimo de ${t.money(10000)}`,
  )
})

test('rewards the member can redeem come first, then the nearest', () => {
  const r = (id: string, pointsCost: number, balance: number): MemberReward => ({
    id,
    kind: 'product',
    title: id,
    benefit: '',
    description: null,
    pointsCost,
    imageUrl: null,
    minimumOrderCents: null,
    affordable: balance >= pointsCost,
    pointsMissing: Math.max(0, pointsCost - balance),
  })
  const items = [r('far', 900, 100), r('near', 150, 100), r('a', 50, 100), r('b', 100, 100), r('mid', 400, 100)]
  assert.deepEqual(
    orderRewards(items).map((x) => x.id),
    ['a', 'b', 'near', 'mid', 'far'],
  )
})

test('a product coupon reads as the product, on the result and under Cupons', () => {
  const product = {
    rewardKind: 'product',
    title: 'Almofada Linho',
    benefit: 'R$ 106,90 de desconto',
    minimumOrderCents: 10690,
  }
  assert.equal(couponName(product), 'Ganhe Almofada Linho')
  assert.equal(couponNote(product), t.productNote)
  const coupon = { ...product, rewardKind: 'coupon', title: 'Vale R$ 10', benefit: 'R$ 10,00 de desconto' }
  assert.equal(couponName(coupon), 'Vale R$ 10')
  assert.equal(couponNote(coupon), conditions(coupon))
})
