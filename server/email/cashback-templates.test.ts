import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderEmail, templates, type Brand, type TemplateDataMap } from './templates/index.ts'

/** The lifecycle e-mails read right in both modes: reais and "cashback" in one, points in the other. */
const brand: Brand = {
  programName: 'Clube Bella',
  siteUrl: 'https://www.bella.com.br/',
  primaryColor: '#0f766e',
  textColor: '#ffffff',
}

function render<K extends keyof TemplateDataMap>(kind: K, data: TemplateDataMap[K]) {
  const t = templates[kind]
  return renderEmail(t.content(data, brand), { brand, reason: t.defaultReason(brand), unsubscribeUrl: 'https://x/u' })
}

const base = { name: 'Ana', pointsName: 'pontos' }
const samples = (mode: 'points' | 'cashback') => ({
  welcome: render('welcome', { ...base, mode, points: 2340 }),
  earned: render('points_earned', {
    ...base,
    mode,
    day: '2026-12-03',
    total: 1230,
    lines: [{ text: 'Cashback da compra nº 123', points: 1230, orderDay: '2026-12-01' }],
    balance: 2340,
  }),
  redeemed: render('reward_redeemed', {
    ...base,
    mode,
    rewardTitle: 'R$ 25,00 de cashback',
    benefit: 'R$ 25,00 de desconto',
    couponCode: 'FIDABCDEFGHJKMNP',
    validUntil: '2027-01-10',
    minimumOrderCents: 8334,
    pointsSpent: 2500,
  }),
  expiring: render('points_expiring', {
    ...base,
    mode,
    windowDays: 7,
    lots: [
      { points: 500, day: '2026-12-09' },
      { points: 730, day: '2026-12-11' },
    ],
    balance: 2340,
  }),
  coupon: render('coupon_expiring', {
    ...base,
    mode,
    rewardTitle: 'R$ 25,00 de cashback',
    benefit: 'R$ 25,00 de desconto',
    couponCode: 'FIDABCDEFGHJKMNP',
    validUntil: '2027-01-10',
    daysLeft: 3,
  }),
})

test('cashback e-mails speak of reais and cashback, never of points', () => {
  const m = samples('cashback')
  assert.equal(m.earned.subject, 'Você ganhou R$ 12,30 de cashback')
  assert.match(m.earned.text, /Cashback da compra nº 123 \(pedido de 01\/12\/2026\): \+R\$ 12,30/)
  assert.match(m.earned.text, /Seu saldo de cashback agora: R\$ 23,40\./)
  assert.match(m.welcome.text, /uma parte do valor volta para você como cashback/)
  assert.match(m.welcome.text, /Seu saldo de cashback agora: R\$ 23,40\./)
  assert.match(m.redeemed.text, /Você usou R\$ 25,00 do seu cashback\./)
  assert.match(m.redeemed.text, /R\$ 83,34/, 'the minimum order that caps the share')
  assert.equal(m.expiring.subject, 'Seu cashback de R$ 12,30 vence nos próximos 7 dias')
  assert.match(m.expiring.text, /R\$ 5,00 em 09\/12\/2026/)
  assert.match(m.coupon.text, /volta para o seu saldo de cashback/)
  for (const [kind, r] of Object.entries(m)) {
    assert.doesNotMatch(`${r.subject}\n${r.text}`, /\bpontos\b/i, `${kind} says "pontos"`)
  }
})

test('points e-mails are unchanged', () => {
  const m = samples('points')
  assert.equal(m.earned.subject, 'Você ganhou 1.230 pontos')
  assert.match(m.welcome.text, /Seu saldo agora: 2.340 pontos\./)
  assert.match(m.redeemed.text, /Você trocou 2.500 pontos por R\$ 25,00 de cashback/)
  assert.equal(m.expiring.subject, '1.230 pontos vencem nos próximos 7 dias')
  assert.match(m.coupon.text, /seus pontos voltam para o saldo/)
  for (const r of Object.values(m)) assert.doesNotMatch(`${r.subject}\n${r.text}`, /cashback de|saldo de cashback/)
})
