import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { TEST_JWT_KEYS } from '../test/harness.ts'
import { inOneMinute } from '../test/windows.ts'
import { parseJwtKeys } from '../config/secrets.ts'
import {
  latestCode,
  liveProgram,
  login,
  seedMember,
  startWidgetTestApp,
  type WidgetTestEnv,
} from '../widget/test-support.ts'
import { REFRESH_REUSE_GRACE_SECONDS } from './service.ts'
import { widgetAudience, WidgetTokens } from './tokens.ts'

describe('shopper identity: sessions, codes, limits', () => {
  let env: WidgetTestEnv
  const secrets: string[] = []
  before(async () => {
    env = await startWidgetTestApp()
  })
  after(() => env.close())

  const req = (...a: Parameters<WidgetTestEnv['t']['request']>) => env.t.request(...a)
  const remember = <T extends { accessToken: string; refreshToken: string }>(s: T) => {
    secrets.push(s.accessToken, s.refreshToken)
    return s
  }
  /** A new rate-limit window: tests of the attempt cap must not be stopped by the limiter first. */
  const newWindow = () => sql`delete from rate_limits`.execute(env.t.database.db)
  test('a token of program A is refused by program B; a refresh token too', async () => {
    const a = await liveProgram(env)
    const b = await liveProgram(env)
    await seedMember(env.t, a.programId, 'ana@cliente.test')
    await seedMember(env.t, b.programId, 'ana@cliente.test')
    const sa = remember(await login(env.t, a, 'ana@cliente.test'))
    assert.equal((await req('GET', `${a.base}/me`, { token: sa.accessToken })).status, 200)
    const cross = await req('GET', `${b.base}/me`, { token: sa.accessToken })
    assert.equal(cross.status, 401)
    assert.equal(cross.body.error.code, 'unauthorized')
    assert.match(cross.headers.get('www-authenticate') ?? '', /^Bearer/)
    assert.equal(
      (await req('POST', `${b.base}/session/refresh`, { body: { refreshToken: sa.refreshToken } })).status,
      401,
    )
    // The merchant's panel token opens no shopper route.
    assert.equal((await req('GET', `${a.base}/me`, { token: a.merchantToken })).status, 401)
  })

  test('tampered, expired, alg none and wrong-algorithm tokens are refused over HTTP', async () => {
    const p = await liveProgram(env)
    const memberId = await seedMember(env.t, p.programId, 'bia@cliente.test')
    const good = remember(await login(env.t, p, 'bia@cliente.test'))
    const [h, pl, s] = good.accessToken.split('.') as [string, string, string]
    const payload = JSON.parse(Buffer.from(pl, 'base64url').toString())
    const other = await seedMember(env.t, p.programId, 'outro@cliente.test')
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
    const tokens = new WidgetTokens(parseJwtKeys(TEST_JWT_KEYS), 'fidelis')
    const { SignJWT } = await import('jose')
    const { deriveWidgetKey } = await import('./tokens.ts')
    const key = deriveWidgetKey(parseJwtKeys(TEST_JWT_KEYS)[0]!.secret)
    const now = Math.floor(Date.now() / 1000)
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' })
      .setIssuer('fidelis')
      .setAudience(widgetAudience(p.programId))
      .setSubject(String(memberId))
      .setIssuedAt(now - 1000)
      .setNotBefore(now - 1000)
      .setExpirationTime(now - 100)
      .sign(key)
    const hs512 = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS512', kid: 'k1', typ: 'at+jwt' })
      .setIssuer('fidelis')
      .setAudience(widgetAudience(p.programId))
      .setSubject(String(memberId))
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 600)
      .sign(key)
    const bad = {
      'another member': `${h}.${b64({ ...payload, sub: String(other) })}.${s}`,
      'longer life': `${h}.${b64({ ...payload, exp: payload.exp + 86400 })}.${s}`,
      'bad signature': `${h}.${pl}.${s.slice(0, -2)}xx`,
      'alg none': `${b64({ alg: 'none', typ: 'at+jwt', kid: 'k1' })}.${pl}.`,
      expired,
      hs512,
    }
    for (const [what, token] of Object.entries(bad)) {
      const res = await req('GET', `${p.base}/me`, { token })
      assert.equal(res.status, 401, what)
    }
    for (const header of ['Basic abc', 'Bearer', 'Bearer ', good.accessToken]) {
      assert.equal((await req('GET', `${p.base}/me`, { headers: { authorization: header } })).status, 401, header)
    }
    assert.equal(
      (await req('GET', `${p.base}/me`, { headers: { authorization: `bearer ${good.accessToken}` } })).status,
      200,
    )
    // Control: a token the server did not issue but signed right is accepted (so the refusals above are about the defect).
    const minted = await tokens.sign(p.programId, memberId, 'x')
    assert.equal((await req('GET', `${p.base}/me`, { token: minted.token })).status, 200)
  })

  /** Ages the program's rotations past the reuse grace window, as if the clock had moved on. */
  const afterGraceWindow = (programId: string) =>
    sql`update refresh_tokens set rotated_at = rotated_at - make_interval(secs => ${REFRESH_REUSE_GRACE_SECONDS + 1})
      where program_id = ${programId} and rotated_at is not null`.execute(env.t.database.db)

  test('refresh rotates; a refresh token reused after the grace window revokes the whole family', async () => {
    const p = await liveProgram(env)
    await seedMember(env.t, p.programId, 'caio@cliente.test')
    const first = remember(await login(env.t, p, 'caio@cliente.test'))
    const r1 = await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: first.refreshToken } })
    assert.equal(r1.status, 200, JSON.stringify(r1.body))
    remember(r1.body)
    assert.notEqual(r1.body.refreshToken, first.refreshToken)
    assert.notEqual(r1.body.accessToken, first.accessToken)
    assert.equal((await req('GET', `${p.base}/me`, { token: r1.body.accessToken })).status, 200)
    const r2 = await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: r1.body.refreshToken } })
    assert.equal(r2.status, 200)
    remember(r2.body)

    // A second login (another device) is another family and survives.
    const otherDevice = remember(await login(env.t, p, 'caio@cliente.test'))

    // The first token again, well after it was rotated: someone holds a copy. Everything
    // descended from it dies.
    await afterGraceWindow(p.programId)
    const reuse = await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: first.refreshToken } })
    assert.equal(reuse.status, 401)
    assert.equal(reuse.body.error.field, 'refreshToken')
    assert.equal(
      (await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: r2.body.refreshToken } })).status,
      401,
      'the newest token of the family is revoked too',
    )
    const rows = await env.t.database.db
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('program_id', '=', p.programId)
      .execute()
    assert.equal(rows.filter((r) => r.revoked_at === null).length, 1, 'only the other device’s token is alive')
    assert.ok(
      rows.every((r) => !secrets.includes(r.token_hash)),
      'stored hashed',
    )
    assert.equal(
      (await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: otherDevice.refreshToken } })).status,
      200,
    )
    assert.ok(env.t.logLines.some((l) => l.includes('refresh token reused')))
  })

  test('concurrent refreshes of one token (two tabs): both succeed with the same successor; the family lives on', async () => {
    const p = await liveProgram(env)
    await seedMember(env.t, p.programId, 'duda@cliente.test')
    const s = remember(await login(env.t, p, 'duda@cliente.test'))
    const results = await Promise.all(
      [1, 2].map(() => req('POST', `${p.base}/session/refresh`, { body: { refreshToken: s.refreshToken } })),
    )
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200],
      JSON.stringify(results.map((r) => r.body)),
    )
    for (const r of results) remember(r.body)
    const [a, b] = results.map((r) => r.body)
    assert.equal(a.refreshToken, b.refreshToken, 'one successor: both tabs hold the same token')
    assert.notEqual(a.accessToken, b.accessToken)
    for (const r of [a, b]) assert.equal((await req('GET', `${p.base}/me`, { token: r.accessToken })).status, 200)
    const rows = await env.t.database.db
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('program_id', '=', p.programId)
      .execute()
    assert.equal(rows.length, 2, 'the login token and one successor, no sibling')
    assert.equal(rows.filter((r) => r.rotated_at === null && r.revoked_at === null).length, 1)

    // The shared successor rotates as usual; a tab that still presents the first token moments
    // later follows the chain to the live token.
    const next = remember(
      (await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: a.refreshToken } })).body,
    )
    const late = await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: s.refreshToken } })
    assert.equal(late.status, 200)
    remember(late.body)
    assert.equal(late.body.refreshToken, next.refreshToken)
    assert.ok(env.t.logLines.some((l) => l.includes('within the grace window')))
    assert.ok(!env.t.logLines.some((l) => l.includes('refresh token reused') && l.includes(p.programId)))

    // After the window the same presentation is a copy: the family is revoked.
    await afterGraceWindow(p.programId)
    assert.equal(
      (await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: s.refreshToken } })).status,
      401,
    )
    assert.equal(
      (await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: next.refreshToken } })).status,
      401,
      'the live token died with its family',
    )
  })

  test('the grace window never revives a session: a logged-out token stays dead', async () => {
    const p = await liveProgram(env)
    await seedMember(env.t, p.programId, 'edu@cliente.test')
    const s = remember(await login(env.t, p, 'edu@cliente.test'))
    const r1 = remember(
      (await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: s.refreshToken } })).body,
    )
    assert.equal((await req('POST', `${p.base}/logout`, { body: { refreshToken: r1.refreshToken } })).status, 200)
    assert.equal(
      (await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: s.refreshToken } })).status,
      401,
    )
    assert.equal(
      (await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: r1.refreshToken } })).status,
      401,
    )
  })

  test('logout revokes the session; it is idempotent and quiet about unknown tokens', async () => {
    const p = await liveProgram(env)
    await seedMember(env.t, p.programId, 'eva@cliente.test')
    const s = remember(await login(env.t, p, 'eva@cliente.test'))
    const r1 = remember(
      (await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: s.refreshToken } })).body,
    )
    assert.deepEqual((await req('POST', `${p.base}/logout`, { body: { refreshToken: r1.refreshToken } })).body, {
      ok: true,
    })
    assert.equal(
      (await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: r1.refreshToken } })).status,
      401,
    )
    assert.equal((await req('POST', `${p.base}/logout`, { body: { refreshToken: r1.refreshToken } })).status, 200)
    assert.equal(
      (await req('POST', `${p.base}/logout`, { body: { refreshToken: 'fwr_' + 'x'.repeat(43) } })).status,
      200,
    )
  })

  test('an expired refresh token is refused', async () => {
    const p = await liveProgram(env)
    await seedMember(env.t, p.programId, 'fabi@cliente.test')
    const s = remember(await login(env.t, p, 'fabi@cliente.test'))
    await env.t.database.db
      .updateTable('refresh_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('program_id', '=', p.programId)
      .execute()
    assert.equal(
      (await req('POST', `${p.base}/session/refresh`, { body: { refreshToken: s.refreshToken } })).status,
      401,
    )
  })

  test('code brute force: 5 wrong codes kill the code; the limiter stops guessing first', async () => {
    await inOneMinute(async () => {
      const p = await liveProgram(env)
      await seedMember(env.t, p.programId, 'gabi@cliente.test')
      await newWindow()
      assert.equal((await req('POST', `${p.base}/login`, { body: { email: 'gabi@cliente.test' } })).status, 202)
      const code = await latestCode(env.t, p.programId, 'gabi@cliente.test')
      const wrong = (n: number) => String((Number(code) + n) % 1_000_000).padStart(6, '0')
      for (let i = 1; i <= 5; i++) {
        const res = await req('POST', `${p.base}/login/verify`, {
          body: { email: 'gabi@cliente.test', code: wrong(i) },
        })
        assert.equal(res.status, 401, `attempt ${i}`)
        assert.equal(res.body.error.field, 'code')
      }
      // The sixth try in the minute: the per-e-mail limiter answers, whatever the code.
      const limited = await req('POST', `${p.base}/login/verify`, { body: { email: 'gabi@cliente.test', code } })
      assert.equal(limited.status, 429)
      assert.equal(limited.body.error.code, 'rate_limited')
      assert.ok(Number(limited.headers.get('retry-after')) >= 1)
      // Even in a new window the right code no longer works: 5 attempts per code.
      await newWindow()
      const row = await env.t.database.db
        .selectFrom('login_codes')
        .select('attempts')
        .where('program_id', '=', p.programId)
        .executeTakeFirstOrThrow()
      assert.equal(row.attempts, 5)
      assert.equal(
        (await req('POST', `${p.base}/login/verify`, { body: { email: 'gabi@cliente.test', code } })).status,
        401,
      )
      // A new code replaces the dead one (and resets its attempts).
      assert.equal((await req('POST', `${p.base}/login`, { body: { email: 'gabi@cliente.test' } })).status, 202)
      const fresh = await latestCode(env.t, p.programId, 'gabi@cliente.test')
      assert.equal(
        (await req('POST', `${p.base}/login/verify`, { body: { email: 'gabi@cliente.test', code: fresh } })).status,
        200,
      )
    })
  })

  test('a new code replaces the old one; an expired code fails; an unknown e-mail fails the same way', async () => {
    const p = await liveProgram(env)
    await seedMember(env.t, p.programId, 'hugo@cliente.test')
    await newWindow()
    await req('POST', `${p.base}/login`, { body: { email: 'hugo@cliente.test' } })
    const first = await latestCode(env.t, p.programId, 'hugo@cliente.test')
    let second = first
    // Codes are random: ask until the second differs (almost always at once).
    while (second === first) {
      await newWindow()
      await req('POST', `${p.base}/login`, { body: { email: 'hugo@cliente.test' } })
      second = await latestCode(env.t, p.programId, 'hugo@cliente.test')
    }
    assert.equal(
      (await req('POST', `${p.base}/login/verify`, { body: { email: 'hugo@cliente.test', code: first } })).status,
      401,
    )
    await env.t.database.db
      .updateTable('login_codes')
      .set({ expires_at: new Date(Date.now() - 1) })
      .where('program_id', '=', p.programId)
      .execute()
    assert.equal(
      (await req('POST', `${p.base}/login/verify`, { body: { email: 'hugo@cliente.test', code: second } })).status,
      401,
    )
    const unknown = await req('POST', `${p.base}/login/verify`, {
      body: { email: 'nobody@cliente.test', code: '123456' },
    })
    const wrong = await req('POST', `${p.base}/login/verify`, { body: { email: 'hugo@cliente.test', code: '000000' } })
    assert.equal(unknown.status, 401)
    assert.deepEqual(
      { ...unknown.body, requestId: '' },
      { ...wrong.body, requestId: '' },
      'no difference between an unknown e-mail and a wrong code',
    )
  })

  test('an unverified join form (with its CPF) does not outlive its code by more than an hour', async () => {
    const p = await liveProgram(env)
    p.addStoreCustomer('lia@cliente.test')
    await newWindow()
    await req('POST', `${p.base}/join`, {
      body: { email: 'lia@cliente.test', name: 'Lia', cpf: '52998224725', emailConsent: true },
    })
    const pending = await env.t.database.db
      .selectFrom('login_codes')
      .selectAll()
      .where('program_id', '=', p.programId)
      .executeTakeFirstOrThrow()
    assert.equal(pending.profile.cpf, '52998224725')
    await env.t.database.db
      .updateTable('login_codes')
      .set({ expires_at: new Date(Date.now() - 3600_000 - 1000) })
      .where('program_id', '=', p.programId)
      .execute()
    // Any later request for a code, in any program, sweeps it.
    const other = await liveProgram(env)
    await seedMember(env.t, other.programId, 'max@cliente.test')
    assert.equal((await req('POST', `${other.base}/login`, { body: { email: 'max@cliente.test' } })).status, 202)
    assert.equal(
      (
        await env.t.database.db
          .selectFrom('login_codes')
          .select('email')
          .where('program_id', '=', p.programId)
          .execute()
      ).length,
      0,
    )
  })

  test('rate limits: 5 a minute per IP and per e-mail on both steps, with Retry-After', async () => {
    await inOneMinute(async () => {
      const p = await liveProgram(env)
      await seedMember(env.t, p.programId, 'ivo@cliente.test')
      await newWindow()
      const ip = { 'x-forwarded-for': '203.0.113.77' }
      for (let i = 0; i < 5; i++) {
        const res = await req('POST', `${p.base}/login`, { headers: ip, body: { email: `probe${i}@cliente.test` } })
        assert.equal(res.status, 409, 'strangers: signup_required, still counted')
      }
      const sixth = await req('POST', `${p.base}/login`, { headers: ip, body: { email: 'ivo@cliente.test' } })
      assert.equal(sixth.status, 429)
      assert.match(sixth.headers.get('retry-after') ?? '', /^[1-9][0-9]*$/)
      assert.equal(typeof sixth.body.error.retryAfter, 'number')
      // Per e-mail, from many IPs (the harness gives each request its own).
      for (let i = 0; i < 5; i++)
        assert.equal((await req('POST', `${p.base}/login`, { body: { email: 'ivo@cliente.test' } })).status, 202)
      assert.equal(
        (await req('POST', `${p.base}/login`, { body: { email: 'IVO@cliente.test' } })).status,
        429,
        'the same address however written',
      )
      // Verify has its own buckets, per IP as well.
      await newWindow()
      for (let i = 0; i < 5; i++)
        await req('POST', `${p.base}/login/verify`, {
          headers: ip,
          body: { email: `x${i}@cliente.test`, code: '123456' },
        })
      assert.equal(
        (
          await req('POST', `${p.base}/login/verify`, {
            headers: ip,
            body: { email: 'ivo@cliente.test', code: '123456' },
          })
        ).status,
        429,
      )
      // The counters hold no address.
      const keys = (await env.t.database.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key)
      assert.ok(keys.length > 0 && keys.every((k) => !k.includes('@')), keys.join(' '))
    })
  })

  test('no log line carries a code, a token or an e-mail address', async () => {
    const p = await liveProgram(env)
    await seedMember(env.t, p.programId, 'jade@cliente.test')
    await newWindow()
    await req('POST', `${p.base}/login`, { body: { email: 'jade@cliente.test' } })
    const code = await latestCode(env.t, p.programId, 'jade@cliente.test')
    const s = remember(
      (await req('POST', `${p.base}/login/verify`, { body: { email: 'jade@cliente.test', code } })).body,
    )
    await req('GET', `${p.base}/me`, { token: s.accessToken })
    await req('POST', `${p.base}/login/verify`, { body: { email: 'jade@cliente.test', code } }) // a failure logs too
    const all = env.t.logLines.join('\n')
    assert.ok(env.t.logLines.some((l) => l.includes('"shopper logged in"')))
    assert.ok(
      env.t.logLines.some((l) => l.includes('"/v1/widget/')),
      'requests are logged (by path)',
    )
    assert.ok(!all.includes(code), 'code in logs')
    for (const secret of secrets) assert.ok(!all.includes(secret), 'token in logs')
    for (const secret of secrets) assert.ok(!all.includes(secret.slice(-20)), 'part of a token in logs')
    assert.ok(!/[a-z0-9.]+@cliente\.test/.test(all), 'e-mail address in logs')
  })
})
