import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestApp, type TestApp } from '../test/harness.ts'
import { isUnsubscribed } from './repository.ts'
import { unsubscribeUrl } from './service.ts'
import { seedMember } from './test-support.ts'
import { deriveUnsubscribeKey, signUnsubscribeToken } from './unsubscribe.ts'

describe('e-mail routes: unsubscribe page (no login) and lifecycle settings', () => {
  let t: TestApp
  let programId: string
  let token: string
  let key: Buffer

  before(async () => {
    t = await createTestApp()
    key = deriveUnsubscribeKey(t.deps.secrets.encryptionKey)
    const m = await t.merchant()
    token = m.token
    const res = await t.request('POST', '/v1/programs', {
      token,
      body: { name: 'Clube Bella', primaryColor: '#0f766e' },
    })
    programId = res.body.id
  })
  after(() => t.close())

  const link = (memberId: number, scope: string) =>
    new URL(unsubscribeUrl('http://x', signUnsubscribeToken(key, { programId, memberId, scope })))
  const path = (u: URL) => u.pathname + u.search

  test('GET asks (a link scanner stops nothing); the per-kind link offers this kind or all', async () => {
    const memberId = await seedMember(t.database.db, programId, 'gi@cliente.test')
    const res = await t.app.request(path(link(memberId, 'points_earned')))
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer')
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/)
    const html = await res.text()
    assert.match(html, /<html lang="pt-BR">/)
    assert.ok(html.includes('E-mails do programa Clube Bella'))
    assert.ok(html.includes('Parar só os avisos de pontos ganhos'))
    assert.ok(html.includes('Parar todos os e-mails do programa'))
    assert.equal(await isUnsubscribed(t.database.db, programId, memberId, ['points_earned', 'marketing']), false)

    const post = await t.app.request(path(link(memberId, 'points_earned')), {
      method: 'POST',
      body: new URLSearchParams({ scope: 'this' }),
    })
    assert.equal(post.status, 200)
    assert.ok((await post.text()).includes('você não vai mais receber avisos de pontos ganhos'))
    assert.equal(await isUnsubscribed(t.database.db, programId, memberId, ['points_earned']), true)
    assert.equal(await isUnsubscribed(t.database.db, programId, memberId, ['marketing']), false)

    const all = await t.app.request(path(link(memberId, 'points_earned')), {
      method: 'POST',
      body: new URLSearchParams({ scope: 'all' }),
    })
    assert.equal(all.status, 200)
    assert.equal(await isUnsubscribed(t.database.db, programId, memberId, ['marketing']), true)
  })

  test('one-click POST (RFC 8058) applies the link, twice is fine; a forged token is a 400 page', async () => {
    const memberId = await seedMember(t.database.db, programId, 'li@cliente.test')
    for (let i = 0; i < 2; i++) {
      const res = await t.app.request(path(link(memberId, 'marketing')), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      })
      assert.equal(res.status, 200)
    }
    assert.equal(await isUnsubscribed(t.database.db, programId, memberId, ['marketing']), true)
    const forged = link(memberId, 'marketing')
    forged.searchParams.set('token', forged.searchParams.get('token')!.slice(0, -2) + 'AA')
    const bad = await t.app.request(path(forged), {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(bad.status, 400)
    assert.ok((await bad.text()).includes('Este link não é válido'))
    assert.equal((await t.app.request(path(forged))).status, 400)
  })

  test('settings: kill switch and kinds, scoped to the merchant', async () => {
    const base = `/v1/programs/${programId}/email-settings`
    assert.deepEqual((await t.request('GET', base, { token })).body, { enabled: true, disabledKinds: [] })
    const put = await t.request('PUT', base, {
      token,
      body: { enabled: false, disabledKinds: ['points_earned', 'points_earned'] },
    })
    assert.equal(put.status, 200)
    assert.deepEqual(put.body, { enabled: false, disabledKinds: ['points_earned'] })
    assert.deepEqual((await t.request('GET', base, { token })).body, {
      enabled: false,
      disabledKinds: ['points_earned'],
    })
    assert.equal((await t.request('PUT', base, { token, body: { disabledKinds: ['newsletter'] } })).status, 400)
    assert.equal((await t.request('PUT', base, { token, body: {} })).status, 400)
    const other = await t.merchant()
    assert.equal((await t.request('GET', base, { token: other.token })).status, 404)
    const list = await t.request('GET', `/v1/programs/${programId}/emails`, { token })
    assert.equal(list.status, 200)
    assert.ok(Array.isArray(list.body.items))
  })
})
