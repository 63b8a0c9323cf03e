import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import {
  CodeSent,
  MemberRewards,
  WidgetConfig,
  WidgetMe,
  WidgetOriginsView,
  WidgetSession,
} from '../../shared/api/widget.ts'
import { postEntries } from '../ledger/service.ts'
import { loadWidgetProgram } from './programs.ts'
import { latestCode, liveProgram, login, seedMember, startWidgetTestApp, type WidgetTestEnv } from './test-support.ts'

describe('widget API', () => {
  let env: WidgetTestEnv
  before(async () => {
    env = await startWidgetTestApp()
  })
  after(() => env.close())

  const req = (...a: Parameters<WidgetTestEnv['t']['request']>) => env.t.request(...a)

  // ---- config -------------------------------------------------------------------------------

  test('config: public settings, no personal data, cacheable with ETag and 304', async () => {
    const p = await liveProgram(env, { name: 'Clube Bella' })
    await seedMember(env.t, p.programId, 'secret-member@cliente.test')
    const res = await req('GET', `${p.base}/config`)
    assert.equal(res.status, 200)
    const config = v.parse(WidgetConfig, res.body)
    assert.deepEqual(config, {
      programKey: p.programKey,
      name: 'Clube Bella',
      mode: 'points',
      amountRedemption: false,
      pointsName: 'pontos',
      primaryColor: '#0f766e',
      textColor: '#ffffff',
      joiningOpen: true,
      loginOpen: true,
      signupUrl: `${p.siteUrl}/conta/criar`,
      rewards: { count: 0, items: [] },
      launcherCorner: 'bottom-right',
      launcherOffsetX: 20,
      launcherOffsetY: 20,
      referrals: false,
    })
    assert.ok(!JSON.stringify(res.body).includes('@'), 'no e-mail addresses')
    assert.equal(res.headers.get('cache-control'), 'public, max-age=60')
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
    const etag = res.headers.get('etag')
    assert.match(etag ?? '', /^"[A-Za-z0-9_-]{27}"$/)
    assert.equal(res.headers.get('vary'), 'Origin')

    const again = await req('GET', `${p.base}/config`, { headers: { 'if-none-match': etag! } })
    assert.equal(again.status, 304)
    assert.equal(again.body, undefined)
    assert.equal(again.headers.get('etag'), etag)
    assert.equal(again.headers.get('cache-control'), 'public, max-age=60')
    assert.equal(
      (await req('GET', `${p.base}/config`, { headers: { 'if-none-match': `"other", W/${etag}` } })).status,
      304,
    )
    assert.equal((await req('GET', `${p.base}/config`, { headers: { 'if-none-match': '"other"' } })).status, 200)

    assert.equal((await req('GET', '/v1/widget/pk_nope/config')).status, 404)
    assert.equal((await req('GET', '/v1/widget/bad key!/config')).status, 400)
  })

  test('config: an inactive program says login is closed; the signup URL falls back to the site', async () => {
    const p = await liveProgram(env, { active: false, signupUrl: null, joiningOpen: false })
    const res = await req('GET', `${p.base}/config`)
    assert.equal(res.status, 200)
    assert.equal(res.body.loginOpen, false)
    assert.equal(res.body.joiningOpen, false)
    assert.equal(res.body.signupUrl, `${p.siteUrl}/`)
  })

  test("config: the launcher's corner and offsets are the merchant's, and a change changes the ETag", async () => {
    const p = await liveProgram(env)
    const before = await loadWidgetProgram(env.t.database.db, p.programKey)
    const patch = await req('PATCH', `/v1/programs/${p.programId}`, {
      token: p.merchantToken,
      body: { launcherCorner: 'bottom-left', launcherOffsetX: 8, launcherOffsetY: 96 },
    })
    assert.equal(patch.status, 200)
    const res = await req('GET', `${p.base}/config`)
    assert.equal(res.status, 200)
    const config = v.parse(WidgetConfig, res.body)
    assert.deepEqual([config.launcherCorner, config.launcherOffsetX, config.launcherOffsetY], ['bottom-left', 8, 96])
    // Browsers holding the config from before the change must not get a 304 for it.
    assert.notEqual(res.headers.get('etag'), before!.etag)
    assert.equal((await req('GET', `${p.base}/config`, { headers: { 'if-none-match': before!.etag } })).status, 200)
  })

  // ---- CORS ---------------------------------------------------------------------------------

  test('CORS: the store origin and admin origins get headers; others get none; preflight answered', async () => {
    const p = await liveProgram(env)
    const store = p.siteUrl
    const ok = await req('GET', `${p.base}/config`, { headers: { origin: store } })
    assert.equal(ok.headers.get('access-control-allow-origin'), store)
    assert.match(ok.headers.get('access-control-expose-headers') ?? '', /ETag/)
    assert.equal(ok.headers.get('access-control-allow-credentials'), null, 'tokens travel in headers, never cookies')

    const foreign = await req('GET', `${p.base}/config`, { headers: { origin: 'https://evil.example' } })
    assert.equal(foreign.status, 200)
    for (const [k] of foreign.headers) assert.ok(!k.startsWith('access-control-'), `foreign origin got ${k}`)
    assert.equal(foreign.headers.get('vary'), 'Origin')

    const preflight = await req('OPTIONS', `${p.base}/login`, {
      headers: {
        origin: store,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    assert.equal(preflight.status, 204)
    assert.equal(preflight.headers.get('access-control-allow-origin'), store)
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/)
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/i)
    assert.ok(Number(preflight.headers.get('access-control-max-age')) > 0)

    const foreignPreflight = await req('OPTIONS', `${p.base}/me`, {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    })
    assert.equal(foreignPreflight.status, 204)
    for (const [k] of foreignPreflight.headers)
      assert.ok(!k.startsWith('access-control-'), `foreign preflight got ${k}`)

    // The origin of one program is foreign to another.
    const other = await liveProgram(env)
    const cross = await req('GET', `${other.base}/config`, { headers: { origin: store } })
    assert.equal(cross.headers.get('access-control-allow-origin'), null)

    // Error answers carry the headers too: the widget must read 401/409/429 codes.
    const unauth = await req('GET', `${p.base}/me`, { headers: { origin: store } })
    assert.equal(unauth.status, 401)
    assert.equal(unauth.headers.get('access-control-allow-origin'), store)
    const signup = await req('POST', `${p.base}/login`, {
      headers: { origin: store },
      body: { email: 'stranger@cliente.test' },
    })
    assert.equal(signup.status, 409)
    assert.equal(signup.headers.get('access-control-allow-origin'), store)
  })

  test('admin origins: merchant-only, validated, applied at once to CORS', async () => {
    const p = await liveProgram(env)
    const path = `/v1/programs/${p.programId}/widget/origins`
    assert.equal((await req('GET', path)).status, 401)
    const intruder = await env.t.merchant()
    assert.equal((await req('GET', path, { token: intruder.token })).status, 404)
    assert.equal((await req('PUT', path, { token: intruder.token, body: { origins: [] } })).status, 404)

    const initial = await req('GET', path, { token: p.merchantToken })
    assert.equal(initial.status, 200)
    assert.deepEqual(v.parse(WidgetOriginsView, initial.body), { storeOrigin: p.siteUrl, origins: [] })

    const extra = 'https://bella.lojaintegrada.com.br'
    assert.equal(
      (await req('GET', `${p.base}/config`, { headers: { origin: extra } })).headers.get('access-control-allow-origin'),
      null,
    )
    const put = await req('PUT', path, {
      token: p.merchantToken,
      body: { origins: [`${extra}/`, 'http://localhost:3000', extra] },
    })
    assert.equal(put.status, 200, JSON.stringify(put.body))
    assert.deepEqual(put.body, { storeOrigin: p.siteUrl, origins: ['http://localhost:3000', extra] })
    assert.equal(
      (await req('GET', `${p.base}/config`, { headers: { origin: extra } })).headers.get('access-control-allow-origin'),
      extra,
    )
    assert.equal(
      (await req('GET', `${p.base}/config`, { headers: { origin: p.siteUrl } })).headers.get(
        'access-control-allow-origin',
      ),
      p.siteUrl,
    )

    for (const bad of [
      'https://loja.com.br/path',
      'ftp://loja.com.br',
      'https://*.loja.com.br',
      'not a url',
      'https://loja.com.br?x=1',
    ]) {
      const res = await req('PUT', path, { token: p.merchantToken, body: { origins: [bad] } })
      assert.equal(res.status, 400, bad)
      assert.equal(res.body.error.field, 'origins.0')
    }
    const cleared = await req('PUT', path, { token: p.merchantToken, body: { origins: [] } })
    assert.deepEqual(cleared.body.origins, [])
    assert.equal(
      (await req('GET', `${p.base}/config`, { headers: { origin: extra } })).headers.get('access-control-allow-origin'),
      null,
    )
  })

  // ---- login and join -----------------------------------------------------------------------

  test('a member logs in with the e-mailed code; the session opens `me`', async () => {
    const p = await liveProgram(env)
    const memberId = await seedMember(env.t, p.programId, 'ana@cliente.test', { name: 'Ana' })
    const start = await req('POST', `${p.base}/login`, { body: { email: '  Ana@Cliente.TEST ' } })
    assert.equal(start.status, 202)
    assert.deepEqual(v.parse(CodeSent, start.body), { sent: true, expiresInSeconds: 600, codeLength: 6 })

    const outbox = await env.t.database.db
      .selectFrom('email_outbox')
      .selectAll()
      .where('program_id', '=', p.programId)
      .execute()
    assert.equal(outbox.length, 1)
    assert.equal(outbox[0]!.member_id, memberId)
    assert.equal(outbox[0]!.kind, 'login_code')
    assert.equal(outbox[0]!.to_address, 'ana@cliente.test')
    const code = await latestCode(env.t, p.programId, 'ana@cliente.test')
    const stored = await env.t.database.db
      .selectFrom('login_codes')
      .selectAll()
      .where('program_id', '=', p.programId)
      .executeTakeFirstOrThrow()
    assert.ok(!stored.code_hash.includes(code), 'the code is stored hashed')
    assert.equal(stored.code_hash.length, 43)

    const verify = await req('POST', `${p.base}/login/verify`, { body: { email: 'ana@cliente.test', code } })
    assert.equal(verify.status, 200, JSON.stringify(verify.body))
    const session = v.parse(WidgetSession, verify.body)
    assert.equal(session.member.id, memberId)
    assert.equal(verify.headers.get('cache-control'), 'no-store')
    assert.ok(Date.parse(session.accessTokenExpiresAt) - Date.now() <= 15 * 60_000 + 1000)
    assert.ok(Date.parse(session.refreshTokenExpiresAt) - Date.now() > 29 * 24 * 3600_000)

    const again = await req('POST', `${p.base}/login/verify`, { body: { email: 'ana@cliente.test', code } })
    assert.equal(again.status, 401, 'a code works once')

    const me = await req('GET', `${p.base}/me`, { token: session.accessToken })
    assert.equal(me.status, 200, JSON.stringify(me.body))
    assert.equal(me.headers.get('cache-control'), 'no-store')
    const view = v.parse(WidgetMe, me.body)
    assert.deepEqual(view, {
      member: { id: memberId, name: 'Ana', email: 'ana@cliente.test' },
      mode: 'points',
      pointsName: 'pontos',
      balance: 0,
      pendingPoints: 0,
      expiring: [],
      history: [],
      coupons: [],
      cashback: null,
      amountRedemption: null,
      tier: null,
    })
    const row = await env.t.database.db
      .selectFrom('members')
      .select(['joined_at', 'email_consent'])
      .where('id', '=', memberId)
      .executeTakeFirstOrThrow()
    assert.ok(row.joined_at, 'the first login is recorded')
    assert.equal(row.email_consent, null, 'a login does not answer the consent question')
  })

  test('me: balance and the last 20 entries exactly as the admin history shows them', async () => {
    const p = await liveProgram(env)
    const memberId = await seedMember(env.t, p.programId, 'rich@cliente.test')
    const other = await seedMember(env.t, p.programId, 'other@cliente.test')
    await env.t.database.db.transaction().execute((trx) =>
      postEntries(trx, p.programId, [
        ...Array.from({ length: 25 }, (_, i) => ({
          memberId,
          kind: 'earn' as const,
          amount: 10 + i,
          reason: `Pontos da compra nº ${1000 + i}`,
          idempotencyKey: `e${i}`,
          orderRef: String(1000 + i),
        })),
        {
          memberId,
          kind: 'adjust' as const,
          amount: -5,
          reason: 'Ajuste: "aspas" e acentuação ção',
          idempotencyKey: 'adj',
        },
        { memberId: other, kind: 'earn' as const, amount: 999, reason: 'Outro', idempotencyKey: 'other' },
      ]),
    )
    const session = await login(env.t, p, 'rich@cliente.test')
    const me = await req('GET', `${p.base}/me`, { token: session.accessToken })
    assert.equal(me.status, 200)
    const view = v.parse(WidgetMe, me.body)
    const expectedBalance = Array.from({ length: 25 }, (_, i) => 10 + i).reduce((a, b) => a + b, 0) - 5
    assert.equal(view.balance, expectedBalance)
    assert.equal(view.history.length, 20)
    const admin = await req('GET', `/v1/programs/${p.programId}/members/${memberId}/ledger?limit=20`, {
      token: p.merchantToken,
    })
    assert.equal(admin.status, 200, JSON.stringify(admin.body))
    assert.deepEqual(view.history, admin.body.items)
    assert.equal(view.history[0]!.reason, 'Ajuste: "aspas" e acentuação ção')
  })

  test('me: a new entry or a changed profile shows at once; concurrent requests of two programs get their own data', async () => {
    const a = await liveProgram(env)
    const b = await liveProgram(env)
    const ana = await seedMember(env.t, a.programId, 'ana@cliente.test', { name: 'Ana' })
    const bia = await seedMember(env.t, b.programId, 'bia@cliente.test', { name: 'Bia' })
    const post = (programId: string, memberId: number, key: string, amount: number) =>
      env.t.database.db
        .transaction()
        .execute((trx) =>
          postEntries(trx, programId, [
            { memberId, kind: 'earn', amount, reason: `Compra ${key}`, idempotencyKey: key },
          ]),
        )
    await post(a.programId, ana, 'a1', 10)
    await post(b.programId, bia, 'b1', 70)
    const sa = await login(env.t, a, 'ana@cliente.test')
    const sb = await login(env.t, b, 'bia@cliente.test')
    const me = async (base: string, token: string) => {
      const res = await req('GET', `${base}/me`, { token })
      assert.equal(res.status, 200, JSON.stringify(res.body))
      return v.parse(WidgetMe, res.body)
    }
    assert.deepEqual(
      (await me(a.base, sa.accessToken)).history.map((e) => e.reason),
      ['Compra a1'],
    )

    await post(a.programId, ana, 'a2', 5)
    await env.t.database.db.updateTable('members').set({ name: 'Ana Maria' }).where('id', '=', ana).execute()
    const after = await me(a.base, sa.accessToken)
    assert.equal(after.balance, 15)
    assert.equal(after.member.name, 'Ana Maria')
    assert.deepEqual(
      after.history.map((e) => e.reason),
      ['Compra a2', 'Compra a1'],
    )

    // Requests in flight together are answered by one batched query; each gets its own member.
    const many = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? me(b.base, sb.accessToken) : me(a.base, sa.accessToken))),
    )
    for (const [i, view] of many.entries()) {
      if (i % 2) assert.deepEqual([view.member.email, view.balance, view.history.length], ['bia@cliente.test', 70, 1])
      else assert.deepEqual([view.member.email, view.balance, view.history.length], ['ana@cliente.test', 15, 2])
    }

    // A member deleted since the token was issued: the token opens nothing.
    await env.t.database.db.deleteFrom('members').where('id', '=', bia).execute()
    assert.equal((await req('GET', `${b.base}/me`, { token: sb.accessToken })).status, 401)
  })

  test('a store customer who is not a member joins: enrolled with the LI id, profile and consent', async () => {
    const p = await liveProgram(env)
    const liId = p.addStoreCustomer('Bia.Nova@Cliente.test', 'Beatriz Nova')
    const start = await req('POST', `${p.base}/join`, {
      body: {
        email: 'bia.nova@cliente.test',
        name: 'Bia',
        cpf: '529.982.247-25',
        birthDate: '1990-05-17',
        emailConsent: false,
      },
    })
    assert.equal(start.status, 202, JSON.stringify(start.body))
    // Nothing is enrolled before the code proves the address.
    assert.equal(
      (await env.t.database.db.selectFrom('members').select('id').where('program_id', '=', p.programId).execute())
        .length,
      0,
    )

    const code = await latestCode(env.t, p.programId, 'bia.nova@cliente.test')
    const verify = await req('POST', `${p.base}/login/verify`, { body: { email: 'bia.nova@cliente.test', code } })
    assert.equal(verify.status, 200, JSON.stringify(verify.body))
    const member = await env.t.database.db
      .selectFrom('members')
      .selectAll()
      .where('program_id', '=', p.programId)
      .executeTakeFirstOrThrow()
    assert.equal(member.id, verify.body.member.id)
    assert.equal(member.li_customer_id, liId)
    assert.equal(member.email, 'bia.nova@cliente.test')
    assert.equal(member.name, 'Bia')
    assert.equal(member.cpf, '52998224725')
    assert.equal(member.birth_date, '1990-05-17')
    assert.equal(member.email_consent, false)
    assert.ok(member.email_consent_at && member.joined_at)
    const unsub = await env.t.database.db
      .selectFrom('email_unsubscribes')
      .selectAll()
      .where('member_id', '=', member.id)
      .execute()
    assert.deepEqual(
      unsub.map((u) => u.scope),
      ['marketing'],
      'no consent = no marketing e-mails',
    )

    // Joining again with consent lifts it.
    await req('POST', `${p.base}/join`, {
      body: { email: 'bia.nova@cliente.test', name: 'Bia Nova', emailConsent: true },
    })
    const code2 = await latestCode(env.t, p.programId, 'bia.nova@cliente.test')
    assert.equal(
      (await req('POST', `${p.base}/login/verify`, { body: { email: 'bia.nova@cliente.test', code: code2 } })).status,
      200,
    )
    const after = await env.t.database.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow()
    assert.equal(after.email_consent, true)
    assert.equal(after.name, 'Bia Nova')
    assert.equal(after.cpf, '52998224725', 'fields left out stay')
    assert.equal(
      (
        await env.t.database.db
          .selectFrom('email_unsubscribes')
          .selectAll()
          .where('member_id', '=', member.id)
          .execute()
      ).length,
      0,
    )
  })

  test('e-mail first: a store customer asks with only the e-mail, then sends the join form with the code', async () => {
    const p = await liveProgram(env)
    const liId = p.addStoreCustomer('dora@cliente.test', 'Dora da Loja')
    // A stranger learns at the e-mail step that they must sign up, before typing anything else.
    const stranger = await req('POST', `${p.base}/login`, { body: { email: 'estranha@cliente.test' } })
    assert.equal(stranger.status, 409)
    assert.equal(stranger.body.error.code, 'signup_required')

    assert.equal((await req('POST', `${p.base}/login`, { body: { email: 'dora@cliente.test' } })).status, 202)
    const code = await latestCode(env.t, p.programId, 'dora@cliente.test')
    // A refused field of the form is named inside `join` and spends no try of the code.
    const invalid = async (join: Record<string, unknown>, field: string) => {
      const res = await req('POST', `${p.base}/login/verify`, {
        body: { email: 'dora@cliente.test', code, join: { name: 'Dora', emailConsent: false, ...join } },
      })
      assert.equal(res.status, 400, JSON.stringify(res.body))
      assert.equal(res.body.error.field, field)
    }
    await invalid({ cpf: '529.982.247-24' }, 'join.cpf')
    await invalid({ name: 'x'.repeat(201) }, 'join.name')
    await invalid({ birthDate: '2999-01-01' }, 'join.birthDate')
    const verify = await req('POST', `${p.base}/login/verify`, {
      body: {
        email: 'dora@cliente.test',
        code,
        join: { name: 'Dora Lima', cpf: '529.982.247-25', emailConsent: false },
      },
    })
    assert.equal(verify.status, 200, JSON.stringify(verify.body))
    const member = await env.t.database.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', verify.body.member.id)
      .executeTakeFirstOrThrow()
    assert.equal(member.li_customer_id, liId)
    assert.equal(member.name, 'Dora Lima', 'the form’s name over the store’s')
    assert.equal(member.cpf, '52998224725')
    assert.equal(member.email_consent, false)
    assert.ok(member.joined_at && member.email_consent_at)
    const unsub = await env.t.database.db
      .selectFrom('email_unsubscribes')
      .select('scope')
      .where('member_id', '=', member.id)
      .execute()
    assert.deepEqual(
      unsub.map((u) => u.scope),
      ['marketing'],
    )

    // A member who comes back the same way updates consent; what the form leaves out stays.
    assert.equal((await req('POST', `${p.base}/login`, { body: { email: 'dora@cliente.test' } })).status, 202)
    const again = await req('POST', `${p.base}/login/verify`, {
      body: {
        email: 'dora@cliente.test',
        code: await latestCode(env.t, p.programId, 'dora@cliente.test'),
        join: { name: 'Dora Lima', emailConsent: true },
      },
    })
    assert.equal(again.status, 200)
    const after = await env.t.database.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow()
    assert.equal(after.email_consent, true)
    assert.equal(after.cpf, '52998224725')
    assert.equal(
      (
        await env.t.database.db
          .selectFrom('email_unsubscribes')
          .select('scope')
          .where('member_id', '=', member.id)
          .execute()
      ).length,
      0,
    )
  })

  test('login of a store customer who is not a member yet enrols them too (joining open)', async () => {
    const p = await liveProgram(env)
    const liId = p.addStoreCustomer('caio@cliente.test', 'Caio Souza')
    const session = await login(env.t, p, 'caio@cliente.test')
    const member = await env.t.database.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', session.member.id)
      .executeTakeFirstOrThrow()
    assert.equal(member.li_customer_id, liId)
    assert.equal(member.name, 'Caio Souza', 'the store’s name for them')
    assert.equal(member.email_consent, null)
  })

  test('join validation: CPF check digits, birth date, consent required', async () => {
    const p = await liveProgram(env)
    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await req('POST', `${p.base}/join`, {
        body: { email: 'x@cliente.test', name: 'X', emailConsent: true, ...body },
      })
      assert.equal(res.status, 400, JSON.stringify(body))
      assert.equal(res.body.error.field, field)
    }
    await bad({ cpf: '529.982.247-24' }, 'cpf')
    await bad({ cpf: '111.111.111-11' }, 'cpf')
    await bad({ birthDate: '2999-01-01' }, 'birthDate')
    await bad({ birthDate: '1990-02-30' }, 'birthDate')
    await bad({ emailConsent: undefined }, 'emailConsent')
    await bad({ name: '  ' }, 'name')
    await bad({ email: 'nope' }, 'email')
  })

  test('signup_required: not a customer, joining closed, no integration, program not active', async () => {
    const expect409 = async (base: string, email: string, signupUrl: string | null) => {
      const res = await req('POST', `${base}/login`, { body: { email } })
      assert.equal(res.status, 409, JSON.stringify(res.body))
      assert.equal(res.body.error.code, 'signup_required')
      assert.equal(res.body.error.signupUrl, signupUrl)
      const join = await req('POST', `${base}/join`, { body: { email, name: 'Z', emailConsent: true } })
      assert.equal(join.status, 409)
      assert.equal(join.body.error.code, 'signup_required')
    }
    const open = await liveProgram(env)
    await expect409(open.base, 'stranger@cliente.test', `${open.siteUrl}/conta/criar`)

    const closed = await liveProgram(env, { joiningOpen: false })
    closed.addStoreCustomer('customer@cliente.test')
    await expect409(closed.base, 'customer@cliente.test', `${closed.siteUrl}/conta/criar`)
    // …but members still log in while joining is closed.
    await seedMember(env.t, closed.programId, 'member@cliente.test')
    assert.equal((await req('POST', `${closed.base}/login`, { body: { email: 'member@cliente.test' } })).status, 202)

    const none = await liveProgram(env, { integration: false })
    await seedMember(env.t, none.programId, 'member@cliente.test')
    await expect409(none.base, 'member@cliente.test', null)

    const inactive = await liveProgram(env, { active: false })
    await seedMember(env.t, inactive.programId, 'member@cliente.test')
    await expect409(inactive.base, 'member@cliente.test', `${inactive.siteUrl}/conta/criar`)
    const mail = await env.t.database.db
      .selectFrom('email_outbox')
      .select('id')
      .where('program_id', 'in', [open.programId, closed.programId, none.programId, inactive.programId])
      .execute()
    assert.equal(mail.length, 1, 'only the closed program’s member got a code; no e-mail before activation')
  })

  test('the store not answering is a 502, not a signup_required', async () => {
    const p = await liveProgram(env)
    // A refused key is not retried by the client, so the answer is immediate.
    env.sim.faults.inject({ kind: 'revoke_key', store: p.store.store.id })
    try {
      const res = await req('POST', `${p.base}/login`, { body: { email: 'who@cliente.test' } })
      assert.equal(res.status, 502, JSON.stringify(res.body))
      assert.equal(res.body.error.code, 'li_unavailable')
    } finally {
      env.sim.faults.clear()
    }
  })

  // ---- rewards and redemptions (their logic is tested in server/redemptions) ------------------

  test('rewards and redemptions: shopper auth and validation', async () => {
    const p = await liveProgram(env)
    await seedMember(env.t, p.programId, 'dora@cliente.test')
    const session = await login(env.t, p, 'dora@cliente.test')
    for (const [method, path] of [
      ['GET', 'rewards'],
      ['GET', 'redemptions'],
      ['POST', 'redemptions'],
    ] as const) {
      const res = await req(
        method,
        `${p.base}/${path}`,
        method === 'POST' ? { body: { rewardId: 'r1', idempotencyKey: 'click-0001' } } : {},
      )
      assert.equal(res.status, 401, `${method} ${path} without a token`)
    }
    const rewards = await req('GET', `${p.base}/rewards`, { token: session.accessToken })
    assert.equal(rewards.status, 200)
    assert.deepEqual(v.parse(MemberRewards, rewards.body), { balance: 0, items: [] })
    const list = await req('GET', `${p.base}/redemptions`, { token: session.accessToken })
    assert.deepEqual(list.body, { items: [] })
    const invalid = await req('POST', `${p.base}/redemptions`, { token: session.accessToken, body: { rewardId: 'r1' } })
    assert.equal(invalid.status, 400)
    assert.equal(invalid.body.error.field, 'idempotencyKey')
    const redeem = await req('POST', `${p.base}/redemptions`, {
      token: session.accessToken,
      body: { rewardId: 'r1', idempotencyKey: 'click-0001' },
    })
    assert.equal(redeem.status, 404)
    assert.equal(redeem.body.error.field, 'rewardId')
  })

  test('rewards: a feed product carries its picture from the feed', async () => {
    const p = await liveProgram(env)
    const email = 'foto@cliente.test'
    await seedMember(env.t, p.programId, email)
    await env.t.database.db
      .insertInto('rewards')
      .values({
        program_id: p.programId,
        kind: 'product',
        source: 'feed',
        title: 'Garrafa Térmica',
        feed_item_id: 'g-1',
        price_cents: 2190,
        points_cost: 219,
        image_url: 'https://cdn.loja.test/garrafa.jpg',
        link: 'https://loja.test/garrafa',
      })
      .execute()
    const session = await login(env.t, p, email)
    const res = await req('GET', `${p.base}/rewards`, { token: session.accessToken })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    const item = res.body.items.find((r: { title: string }) => r.title === 'Garrafa Térmica')
    assert.equal(item.kind, 'product')
    assert.equal(item.imageUrl, 'https://cdn.loja.test/garrafa.jpg')
  })

  test('the OpenAPI document lists the widget routes with their security', async () => {
    const doc = (await req('GET', '/openapi.json')).body
    assert.deepEqual(doc.paths['/v1/widget/{programKey}/me'].get.security, [{ shopperBearer: [] }])
    assert.deepEqual(doc.paths['/v1/widget/{programKey}/config'].get.security, [])
    assert.ok(doc.paths['/v1/widget/{programKey}/login/verify'].post)
    assert.ok(doc.paths['/v1/programs/{programId}/widget/origins'].put)
    assert.ok(doc.components.securitySchemes.shopperBearer)
  })
})
