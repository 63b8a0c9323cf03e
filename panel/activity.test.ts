import assert from 'node:assert/strict'
import { test } from 'node:test'
import { emailFailure, emailKinds, emailStatuses, knownOr, redemptionStatuses } from './activity.ts'
import { t } from './i18n.ts'
import { href, parseRoute, section, type Route } from './router.ts'

test('Resgates and E-mails enviados: routes round-trip with their filters; unknown filter values are dropped', () => {
  const routes: Route[] = [
    { name: 'redemptions', status: '', q: '' },
    { name: 'redemptions', status: 'failed', q: 'FID7K' },
    { name: 'sent-emails', kind: '', status: '', q: '' },
    { name: 'sent-emails', kind: 'login_code', status: 'failed', q: 'ana@loja.com.br' },
  ]
  for (const r of routes) {
    const url = new URL(href(r), 'http://x')
    assert.deepEqual(parseRoute(url.pathname, url.search), r, href(r))
  }
  assert.equal(href({ name: 'redemptions', status: 'issued', q: '' }), '/panel/resgates?situacao=issued')
  assert.equal(
    href({ name: 'sent-emails', kind: 'welcome', status: '', q: 'a@b' }),
    '/panel/emails-enviados?tipo=welcome&q=a%40b',
  )
  assert.deepEqual(parseRoute('/panel/resgates', '?situacao=perdido'), { name: 'redemptions', status: '', q: '' })
  assert.deepEqual(parseRoute('/panel/emails-enviados', '?tipo=newsletter&situacao=sent'), {
    name: 'sent-emails',
    kind: '',
    status: 'sent',
    q: '',
  })
  assert.deepEqual(parseRoute('/panel/resgates/1'), { name: 'not-found' })
  assert.equal(section({ name: 'redemptions', status: '', q: '' }), 'redemptions')
  assert.equal(section({ name: 'sent-emails', kind: '', status: '', q: '' }), 'sent-emails')
  assert.equal(knownOr(['a', 'b'], 'b'), 'b')
  assert.equal(knownOr(['a', 'b'], null), '')
})

test('every status and kind has pt-BR words', () => {
  for (const s of redemptionStatuses) {
    assert.ok(t.activity.redemptions.statuses[s], s)
    assert.ok(t.members.redemptionStatuses[s], s)
  }
  for (const s of emailStatuses) assert.ok(t.activity.emails.statuses[s], s)
  for (const k of emailKinds) assert.ok(t.activity.emails.kinds[k], k)
})

test("a failed e-mail's reason, by the mail server's answer", () => {
  assert.equal(emailFailure('expired before it could be sent'), 'expired')
  assert.equal(emailFailure('body missing'), 'missing')
  assert.equal(
    emailFailure("EENVELOPE: Can't send mail - all recipients were rejected: 550 5.1.1 <x@y> unknown"),
    'refused',
  )
  assert.equal(emailFailure('550 5.1.1 mailbox unavailable'), 'refused')
  assert.equal(emailFailure('EAUTH: Invalid login: 535 5.7.8 Authentication failed'), 'auth')
  assert.equal(emailFailure('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:2525'), 'unreachable')
  assert.equal(emailFailure('ETIMEDOUT: Connection timeout'), 'unreachable')
  assert.equal(emailFailure('something odd'), 'other')
  for (const f of ['expired', 'refused', 'unreachable', 'auth', 'missing', 'other']) {
    assert.ok(t.activity.emails.failures[f], f)
  }
})
