import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { createTestApp, type TestApp } from '../test/harness.ts'
import { inOneMinute } from '../test/windows.ts'
import { createMerchant } from './service.ts'

/**
 * The first account of an empty server, made from the panel's login page instead of the CLI
 * (which would open the embedded database from a second process). Each test that needs an
 * empty server gets its own database.
 */
describe('first-account setup', () => {
  const apps: TestApp[] = []
  const fresh = async () => {
    const t = await createTestApp()
    apps.push(t)
    return t
  }
  after(async () => {
    for (const t of apps) await t.close()
  })
  const first = { email: 'Dona@Loja.test', name: 'Dona da Loja', password: 'uma senha longa' }
  const merchantCount = async (t: TestApp) =>
    Number(
      (
        await t.database.db
          .selectFrom('merchants')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  test('an empty server is open; the created account comes back logged in; then setup is closed', async () => {
    const t = await fresh()
    assert.deepEqual((await t.request('GET', '/v1/setup')).body, { firstAccountOpen: true })

    const created = await t.request('POST', '/v1/setup/first-merchant', { body: first })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.equal(created.body.merchant.email, 'dona@loja.test')
    assert.equal(created.body.merchant.name, 'Dona da Loja')
    assert.ok(Date.parse(created.body.expiresAt) > Date.now())

    // The session is a panel session like the login's: it opens the admin API.
    const me = await t.request('GET', '/v1/auth/me', { token: created.body.token })
    assert.equal(me.status, 200)
    assert.equal(me.body.id, created.body.merchant.id)
    const program = await t.request('POST', '/v1/programs', { token: created.body.token, body: { name: 'Clube' } })
    assert.equal(program.status, 201)
    // And the password works at the login.
    const login = await t.request('POST', '/v1/auth/login', {
      body: { email: 'dona@loja.test', password: first.password },
    })
    assert.equal(login.status, 200)

    assert.deepEqual((await t.request('GET', '/v1/setup')).body, { firstAccountOpen: false })
    const again = await t.request('POST', '/v1/setup/first-merchant', {
      body: { email: 'outra@loja.test', name: 'Outra', password: 'outra senha longa' },
    })
    assert.equal(again.status, 409)
    assert.equal(again.body.error.code, 'setup_closed')
    assert.match(again.body.error.message, /already exists/)
    assert.equal(await merchantCount(t), 1)
    // The logs never carry the password or the session.
    const logs = t.logLines.join('\n')
    assert.ok(!logs.includes(first.password))
    assert.ok(!logs.includes(created.body.token))
  })

  test('a merchant made another way (the CLI) closes it too', async () => {
    const t = await fresh()
    await createMerchant(t.database.db, { email: 'cli@loja.test', password: 'senha da automação' })
    assert.deepEqual((await t.request('GET', '/v1/setup')).body, { firstAccountOpen: false })
    const res = await t.request('POST', '/v1/setup/first-merchant', { body: first })
    assert.equal(res.status, 409)
    assert.equal(res.body.error.code, 'setup_closed')
  })

  test('concurrent creates: exactly one wins, the others are refused', async () => {
    const t = await fresh()
    // 20 at once: on PostgreSQL (a pool of 10) without the table lock, several got through.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.request('POST', '/v1/setup/first-merchant', {
          body: { email: `corrida${i}@loja.test`, name: `Pessoa ${i}`, password: 'uma senha longa' },
        }),
      ),
    )
    const statuses = results.map((r) => r.status).sort()
    assert.deepEqual(statuses, [201, ...Array(19).fill(409)], JSON.stringify(results.map((r) => r.body)))
    for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.error.code, 'setup_closed')
    assert.equal(await merchantCount(t), 1)
    const winner = results.find((r) => r.status === 201)!
    assert.equal((await t.request('GET', '/v1/auth/me', { token: winner.body.token })).status, 200)
  })

  test('bad input: 400 naming every refused field; nothing is created', async () => {
    const t = await fresh()
    const bad = await t.request('POST', '/v1/setup/first-merchant', {
      body: { email: 'não é e-mail', name: '   ', password: 'curta' },
    })
    assert.equal(bad.status, 400)
    assert.equal(bad.body.error.code, 'validation_failed')
    assert.deepEqual(
      bad.body.error.fields.map((f: { field: string }) => f.field),
      ['name', 'email', 'password'],
    )
    const password = bad.body.error.fields.find((f: { field: string }) => f.field === 'password')
    assert.match(password.message, /at least 10 characters/)

    const missing = await t.request('POST', '/v1/setup/first-merchant', { body: {} })
    assert.equal(missing.status, 400)
    assert.deepEqual(
      missing.body.error.fields.map((f: { field: string; message: string }) => [f.field, f.message]),
      [
        ['name', 'name is required'],
        ['email', 'email is required'],
        ['password', 'password is required'],
      ],
    )
    assert.equal(await merchantCount(t), 0)
    assert.deepEqual((await t.request('GET', '/v1/setup')).body, { firstAccountOpen: true })
  })

  test('rate-limited per IP like the login, with Retry-After', async () => {
    const t = await fresh()
    await createMerchant(t.database.db, { email: 'ja@loja.test', password: 'uma senha longa' })
    await inOneMinute(async (attempt) => {
      const headers = { 'x-forwarded-for': `198.51.100.${attempt}` }
      const statuses: number[] = []
      let last: Awaited<ReturnType<TestApp['request']>> | undefined
      for (let i = 0; i < 11; i++) {
        last = await t.request('POST', '/v1/setup/first-merchant', { headers, body: first })
        statuses.push(last.status)
      }
      assert.deepEqual(statuses.slice(0, 10), Array(10).fill(409))
      assert.equal(last!.status, 429)
      assert.equal(last!.body.error.code, 'rate_limited')
      assert.ok(Number(last!.headers.get('retry-after')) >= 1)
    })
  })

  test('the routes are documented in /openapi.json', async () => {
    const t = await fresh()
    const doc = (await t.request('GET', '/openapi.json')).body
    const status = doc.paths['/v1/setup'].get
    assert.match(status.summary, /first account/)
    assert.match(status.description, /firstAccountOpen/)
    const create = doc.paths['/v1/setup/first-merchant'].post
    assert.match(create.description, /409 `setup_closed`/)
    assert.deepEqual(create.security, [])
    assert.deepEqual(Object.keys(create.requestBody.content['application/json'].schema.properties).sort(), [
      'email',
      'name',
      'password',
    ])
  })
})
