import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestApp, type TestApp } from '../test/harness.ts'
import { inOneMinute } from '../test/windows.ts'
import { createMerchant } from './service.ts'

describe('merchants, sessions and API tokens', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp()
  })
  after(() => t.close())

  test('login returns a session that opens admin routes; wrong password does not', async () => {
    const m = await t.merchant('ana@loja.test')
    const me = await t.request('GET', '/v1/auth/me', { token: m.token })
    assert.equal(me.status, 200)
    assert.equal(me.body.email, 'ana@loja.test')

    const bad = await t.request('POST', '/v1/auth/login', {
      body: { email: 'ana@loja.test', password: 'nope nope nope' },
    })
    assert.equal(bad.status, 401)
    assert.equal(bad.body.error.code, 'unauthorized')
    const unknown = await t.request('POST', '/v1/auth/login', {
      body: { email: 'ghost@loja.test', password: 'whatever123' },
    })
    assert.equal(unknown.status, 401)
    assert.equal(unknown.body.error.message, bad.body.error.message, 'same answer for unknown e-mail')
  })

  test('e-mail is case-insensitive and unique', async () => {
    await createMerchant(t.database.db, { email: 'Caps@Loja.Test', password: 'long enough pw' })
    const login = await t.request('POST', '/v1/auth/login', {
      body: { email: 'caps@loja.test', password: 'long enough pw' },
    })
    assert.equal(login.status, 200)
    await assert.rejects(
      createMerchant(t.database.db, { email: 'caps@loja.TEST', password: 'long enough pw' }),
      /already exists/,
    )
  })

  test('admin routes require a valid bearer', async () => {
    assert.equal((await t.request('GET', '/v1/programs')).status, 401)
    assert.equal((await t.request('GET', '/v1/programs', { token: 'garbage' })).status, 401)
    assert.equal((await t.request('GET', '/v1/programs', { token: 'fid_notatoken' })).status, 401)
  })

  test('login is rate-limited per e-mail with Retry-After', async () => {
    await inOneMinute(async (attempt) => {
      const email = `limited${attempt}@loja.test`
      await createMerchant(t.database.db, { email, password: 'long enough pw' })
      const statuses: number[] = []
      let last: Awaited<ReturnType<TestApp['request']>> | undefined
      for (let i = 0; i < 7; i++) {
        last = await t.request('POST', '/v1/auth/login', { body: { email, password: 'wrong password' } })
        statuses.push(last.status)
      }
      assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401])
      assert.equal(last!.status, 429)
      assert.equal(last!.body.error.code, 'rate_limited')
      assert.ok(Number(last!.headers.get('retry-after')) >= 1)
      // Even the right password is refused while limited.
      const right = await t.request('POST', '/v1/auth/login', { body: { email, password: 'long enough pw' } })
      assert.equal(right.status, 429)
    })
  })

  test('login is rate-limited per IP across e-mails', async () => {
    await inOneMinute(async (attempt) => {
      // A fresh address per attempt: a run that straddled a minute left counts on the last one.
      const headers = { 'x-forwarded-for': `203.0.113.${9 + attempt}` }
      const statuses: number[] = []
      for (let i = 0; i < 11; i++) {
        const res = await t.request('POST', '/v1/auth/login', {
          headers,
          body: { email: `spray${attempt}-${i}@loja.test`, password: 'guess guess' },
        })
        statuses.push(res.status)
      }
      assert.equal(statuses.filter((s) => s === 401).length, 10)
      assert.equal(statuses[10], 429)
    })
  })

  test('API tokens: shown once, stored hashed, usable, listed with last use, revocable', async () => {
    const m = await t.merchant()
    const created = await t.request('POST', '/v1/api-tokens', { token: m.token, body: { name: 'ERP' } })
    assert.equal(created.status, 201)
    const secret: string = created.body.token
    assert.match(secret, /^fid_/)
    const stored = await t.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow()
    assert.notEqual(stored.token_hash, secret)
    assert.ok(!stored.token_hash.includes(secret.slice(4)))

    const viaToken = await t.request('GET', '/v1/auth/me', { token: secret })
    assert.equal(viaToken.status, 200)
    assert.equal(viaToken.body.id, m.id)

    const list = await t.request('GET', '/v1/api-tokens', { token: m.token })
    assert.equal(list.body.items.length, 1)
    assert.equal(list.body.items[0].token, undefined)
    assert.ok(list.body.items[0].lastUsedAt)
    assert.equal(list.body.items[0].prefix, secret.slice(0, 10))

    const revoked = await t.request('DELETE', `/v1/api-tokens/${created.body.id}`, { token: m.token })
    assert.equal(revoked.status, 200)
    assert.ok(revoked.body.revokedAt)
    assert.equal((await t.request('GET', '/v1/auth/me', { token: secret })).status, 401)

    const other = await t.merchant()
    const foreign = await t.request('DELETE', `/v1/api-tokens/${created.body.id}`, { token: other.token })
    assert.equal(foreign.status, 404)
  })

  test('passwords are stored as scrypt hashes', async () => {
    const m = await createMerchant(t.database.db, { email: 'hash@loja.test', password: 'plain text secret' })
    assert.match(m.password_hash, /^scrypt\$\d+\$8\$1\$/)
    assert.ok(!m.password_hash.includes('plain text secret'))
  })

  test('passwords, tokens and session JWTs never reach the logs', async () => {
    const m = await t.merchant('logs@loja.test')
    const created = await t.request('POST', '/v1/api-tokens', { token: m.token, body: { name: 'x' } })
    await t.request('GET', '/v1/auth/me', { token: created.body.token })
    const all = t.logLines.join('\n')
    assert.ok(!all.includes('correct horse battery'))
    assert.ok(!all.includes(m.token))
    assert.ok(!all.includes(created.body.token))
  })
})
