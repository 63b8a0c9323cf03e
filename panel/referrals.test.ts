import assert from 'node:assert/strict'
import { test } from 'node:test'
import { REFERRAL_REASONS, REFERRAL_STATUSES, type ReferralSettings } from '../shared/api/referrals.ts'
import { t } from './i18n.ts'
import { exampleLink, referralBody, referralToForm, sharePreview, shareTextProblem } from './referrals.ts'
import { href, parseRoute } from './router.ts'

const defaults: ReferralSettings = {
  enabled: false,
  friendCouponCents: 2000,
  friendMinOrderCents: 10_000,
  advocateReward: 500,
  advocateMonthlyCap: 10,
  claimsPerIpPerWeek: 10,
  shareText: 'Oi! Ganhe {valor} na sua primeira compra na {loja}: {link}',
}

test('the referral form round-trips the settings: reais as typed, the reward in the program’s unit', () => {
  const points = referralToForm(defaults, 'points')
  assert.equal(points.friendCouponCents, '20,00')
  assert.equal(points.friendMinOrderCents, '100,00')
  assert.equal(points.advocateReward, '500')
  assert.deepEqual(referralBody(points, true, 'points'), { ...defaults, enabled: true })
  const cashback = referralToForm({ ...defaults, advocateReward: 1550 }, 'cashback')
  assert.equal(cashback.advocateReward, '15,50')
  assert.equal(referralBody({ ...cashback, advocateReward: 'R$ 1.000,00' }, false, 'cashback').advocateReward, 100_000)
})

test('what does not parse goes as typed, so the API names the field; a blank minimum is any order', () => {
  const form = { ...referralToForm(defaults, 'points'), friendCouponCents: 'vinte', advocateReward: '1,5' }
  const body = referralBody({ ...form, friendMinOrderCents: ' ', advocateMonthlyCap: '1.000' }, true, 'points')
  assert.equal(body.friendCouponCents, 'vinte')
  assert.equal(body.advocateReward, '1,5')
  assert.equal(body.friendMinOrderCents, 0)
  assert.equal(body.advocateMonthlyCap, 1000)
})

test('the WhatsApp preview fills the placeholders as the server does', () => {
  const link = exampleLink('https://www.loja.com.br/')
  assert.equal(link, 'https://www.loja.com.br/?indicacao=EXEMPLO7')
  assert.equal(exampleLink(null), 'https://sualoja.com.br?indicacao=EXEMPLO7')
  assert.equal(
    sharePreview(defaults.shareText, { couponText: '20,00', programName: 'Clube Bella', link }, t.money),
    `Oi! Ganhe ${t.money(2000)} na sua primeira compra na Clube Bella: ${link}`,
  )
  // While the coupon does not parse, {valor} stays visible rather than a wrong amount.
  assert.equal(sharePreview('{valor} {valor}', { couponText: 'x', programName: 'P', link }, t.money), '{valor} {valor}')
  assert.equal(shareTextProblem(''), 'empty')
  assert.equal(shareTextProblem('Sem link'), 'link')
  assert.equal(shareTextProblem(`{link}${'a'.repeat(500)}`), 'long')
  assert.equal(shareTextProblem('Veja {link}'), null)
})

test('every status and hold reason has pt-BR words, and the page has its address', () => {
  for (const s of REFERRAL_STATUSES) assert.ok(t.referrals.statuses[s])
  for (const r of REFERRAL_REASONS) assert.match(t.referrals.reasons[r], /\.$/)
  assert.equal(href({ name: 'referrals', list: 'review' }), '/panel/configuracoes/indicacoes')
  assert.equal(href({ name: 'referrals', list: 'all' }), '/panel/configuracoes/indicacoes?lista=todas')
  assert.deepEqual(parseRoute('/panel/configuracoes/indicacoes', '?lista=todas'), { name: 'referrals', list: 'all' })
  assert.deepEqual(parseRoute('/panel/configuracoes/indicacoes', '?lista=x'), { name: 'referrals', list: 'review' })
  assert.equal(t.referrals.length(1), '1 caractere de 500')
  assert.equal(t.referrals.length(58), '58 caracteres de 500')
})
