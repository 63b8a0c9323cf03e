import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, test } from 'node:test'
import { SignJWT } from 'jose'
import { JwtService } from '../auth/jwt.ts'
import { parseJwtKeys } from '../config/secrets.ts'
import { deriveWidgetKey, widgetAudience, WidgetTokens } from './tokens.ts'

const KEYS = parseJwtKeys('k1:widget-test-secret-widget-test-secret-01')
const ISSUER = 'fidelis'
const A = '11111111-1111-4111-8111-111111111111'
const B = '22222222-2222-4222-8222-222222222222'

function clock(start = Date.now()) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

/** A token built by hand with the real widget key, so single claims can be made wrong. */
async function craft(opts: {
  alg?: string
  key?: Uint8Array | import('node:crypto').KeyObject
  kid?: string | null
  typ?: string
  iss?: string
  aud?: string
  sub?: string
  nbf?: number
  exp?: number
  omit?: Array<'nbf' | 'exp' | 'iat' | 'sub'>
}) {
  const now = Math.floor(Date.now() / 1000)
  const header: Record<string, unknown> = { alg: opts.alg ?? 'HS256', typ: opts.typ ?? 'at+jwt' }
  if (opts.kid !== null) header.kid = opts.kid ?? 'k1'
  const jwt = new SignJWT({ sid: 'x' })
    .setProtectedHeader(header as any)
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? widgetAudience(A))
  if (!opts.omit?.includes('sub')) jwt.setSubject(opts.sub ?? '42')
  if (!opts.omit?.includes('iat')) jwt.setIssuedAt(now)
  if (!opts.omit?.includes('nbf')) jwt.setNotBefore(opts.nbf ?? now)
  if (!opts.omit?.includes('exp')) jwt.setExpirationTime(opts.exp ?? now + 600)
  return jwt.sign((opts.key ?? deriveWidgetKey(KEYS[0]!.secret)) as Uint8Array)
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')

describe('widget access tokens', () => {
  test('a token opens its own program only, even once cached', async () => {
    const tokens = new WidgetTokens(KEYS, ISSUER)
    const { token, expiresAt } = await tokens.sign(A, 42, 'family-1')
    assert.ok(expiresAt.getTime() - Date.now() <= 15 * 60_000)
    assert.equal(tokens.cached(token, A), 0, 'not cached before the first verify')
    assert.equal(await tokens.verify(token, A), 42)
    assert.equal(tokens.cached(token, A), 42)
    assert.equal(await tokens.verify(token, B), 0)
    assert.equal(tokens.cached(token, B), 0)
    assert.equal(await new WidgetTokens(KEYS, ISSUER).verify(token, B), 0, 'uncached too')

    const [h, p, s] = token.split('.') as [string, string, string]
    const header = JSON.parse(Buffer.from(h, 'base64url').toString())
    assert.deepEqual(header, { alg: 'HS256', kid: 'k1', typ: 'at+jwt' })
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString())
    assert.equal(payload.iss, ISSUER)
    assert.equal(payload.aud, widgetAudience(A))
    assert.equal(payload.sub, '42')
    assert.equal(payload.exp - payload.iat, 900)
    assert.ok(payload.nbf && payload.sid === 'family-1')
    void s
  })

  test('one token verified at once by several requests: one answer each, the other program still refused', async () => {
    const tokens = new WidgetTokens(KEYS, ISSUER)
    const { token } = await tokens.sign(A, 7, 'family-2')
    const answers = await Promise.all([
      tokens.verify(token, A),
      tokens.verify(token, A),
      tokens.verify(token, B),
      tokens.verify(`${token}x`, A),
    ])
    assert.deepEqual(answers, [7, 7, 0, 0])
    assert.equal(tokens.cacheEntries, 1)
  })

  test('tampered tokens are refused (payload, signature, header)', async () => {
    const tokens = new WidgetTokens(KEYS, ISSUER)
    const { token } = await tokens.sign(A, 42, 'f')
    assert.equal(await tokens.verify(token, A), 42) // cached now: tampering must not ride on it
    const [h, p, s] = token.split('.') as [string, string, string]
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString())
    assert.equal(await tokens.verify(`${h}.${b64({ ...payload, sub: '43' })}.${s}`, A), 0)
    assert.equal(await tokens.verify(`${h}.${b64({ ...payload, aud: widgetAudience(B) })}.${s}`, B), 0)
    assert.equal(await tokens.verify(`${h}.${b64({ ...payload, exp: payload.exp + 3600 })}.${s}`, A), 0)
    const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11)
    assert.equal(await tokens.verify(`${h}.${p}.${flipped}`, A), 0)
    assert.equal(await tokens.verify(`${b64({ alg: 'HS256', kid: 'k1', typ: 'JWT' })}.${p}.${s}`, A), 0)
    for (const junk of ['', 'x', 'a.b.c', 'a.b', token + 'x', '.'.repeat(5000)])
      assert.equal(await tokens.verify(junk, A), 0, junk.slice(0, 20))
  })

  test('alg none and other algorithms are refused', async () => {
    const tokens = new WidgetTokens(KEYS, ISSUER)
    const { token } = await tokens.sign(A, 42, 'f')
    const payload = token.split('.')[1]!
    assert.equal(await tokens.verify(`${b64({ alg: 'none', kid: 'k1', typ: 'at+jwt' })}.${payload}.`, A), 0)
    assert.equal(await tokens.verify(`${b64({ alg: 'none', typ: 'at+jwt' })}.${payload}.`, A), 0)
    assert.equal(await tokens.verify(`${b64({ alg: 'NONE', kid: 'k1', typ: 'at+jwt' })}.${payload}.`, A), 0)
    // Same secret, another HMAC: the pinned algorithm refuses it.
    assert.equal(await tokens.verify(await craft({ alg: 'HS512' }), A), 0)
    assert.equal(await tokens.verify(await craft({ alg: 'HS384' }), A), 0)
    // An asymmetric token (the classic RS256/HS256 confusion).
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    assert.equal(await tokens.verify(await craft({ alg: 'RS256', key: privateKey }), A), 0)
    // Control: the same crafting with the right algorithm passes.
    assert.equal(await tokens.verify(await craft({}), A), 42)
  })

  test('issuer, audience, type, kid, subject and required claims are checked', async () => {
    const tokens = new WidgetTokens(KEYS, ISSUER)
    assert.equal(await tokens.verify(await craft({ iss: 'someone-else' }), A), 0)
    assert.equal(await tokens.verify(await craft({ aud: 'fidelis-panel' }), A), 0)
    assert.equal(await tokens.verify(await craft({ aud: A }), A), 0)
    assert.equal(await tokens.verify(await craft({ typ: 'JWT' }), A), 0)
    assert.equal(await tokens.verify(await craft({ kid: null }), A), 0)
    assert.equal(await tokens.verify(await craft({ kid: 'k9' }), A), 0)
    for (const sub of ['0', '-1', '4.2', 'abc', '042', '99999999999999999999'])
      assert.equal(await tokens.verify(await craft({ sub }), A), 0, sub)
    for (const omit of ['nbf', 'exp', 'iat', 'sub'] as const)
      assert.equal(await tokens.verify(await craft({ omit: [omit] }), A), 0, omit)
    // Signed with the raw JWT_KEYS secret (what panel tokens use) instead of the derived key.
    assert.equal(await tokens.verify(await craft({ key: KEYS[0]!.secret }), A), 0)
  })

  test('a panel session token never passes as a shopper token', async () => {
    const jwt = new JwtService(KEYS, ISSUER)
    const panel = await jwt.sign({ sub: '42', aud: widgetAudience(A) }, 600)
    assert.equal(await new WidgetTokens(KEYS, ISSUER).verify(panel.token, A), 0)
  })

  test('expiry and not-before, also for cached tokens', async () => {
    const c = clock()
    const tokens = new WidgetTokens(KEYS, ISSUER, { now: c.now })
    const { token } = await tokens.sign(A, 7, 'f', 60)
    assert.equal(await tokens.verify(token, A), 7)
    c.advance(59_000)
    assert.equal(tokens.cached(token, A), 7)
    c.advance(1_000)
    assert.equal(tokens.cached(token, A), 0, 'the cache honours exp')
    assert.equal(await tokens.verify(token, A), 0)
    assert.equal(await new WidgetTokens(KEYS, ISSUER, { now: c.now }).verify(token, A), 0, 'uncached: expired')

    const now = Math.floor(Date.now() / 1000)
    assert.equal(await new WidgetTokens(KEYS, ISSUER).verify(await craft({ exp: now - 1 }), A), 0)
    assert.equal(await new WidgetTokens(KEYS, ISSUER).verify(await craft({ nbf: now + 60 }), A), 0, 'not valid yet')
    assert.equal(
      await new WidgetTokens(KEYS, ISSUER).verify(await craft({ nbf: now + 2 }), A),
      42,
      'a little clock skew is tolerated',
    )
  })

  test('keys rotate: a new first key signs, the old one still verifies', async () => {
    const old = new WidgetTokens(KEYS, ISSUER)
    const { token } = await old.sign(A, 5, 'f')
    const rotated = new WidgetTokens(
      parseJwtKeys('k2:widget-test-secret-widget-test-secret-02,k1:widget-test-secret-widget-test-secret-01'),
      ISSUER,
    )
    assert.equal(await rotated.verify(token, A), 5)
    const fresh = await rotated.sign(A, 6, 'f')
    assert.equal(JSON.parse(Buffer.from(fresh.token.split('.')[0]!, 'base64url').toString()).kid, 'k2')
    assert.equal(await old.verify(fresh.token, A), 0, 'a process without k2 refuses it')
  })

  test('the cache is a bounded LRU', async () => {
    const tokens = new WidgetTokens(KEYS, ISSUER, { cacheSize: 2 })
    const t1 = (await tokens.sign(A, 1, 'f')).token
    const t2 = (await tokens.sign(A, 2, 'f')).token
    const t3 = (await tokens.sign(A, 3, 'f')).token
    await tokens.verify(t1, A)
    await tokens.verify(t2, A)
    assert.equal(tokens.cached(t1, A), 1) // t1 becomes the most recent
    await tokens.verify(t3, A)
    assert.equal(tokens.cacheEntries, 2)
    assert.equal(tokens.cached(t2, A), 0, 't2 was the least recently used')
    assert.equal(tokens.cached(t1, A), 1)
    assert.equal(tokens.cached(t3, A), 3)
    assert.equal(await tokens.verify(t2, A), 2, 'evicted tokens still verify the slow way')
    const off = new WidgetTokens(KEYS, ISSUER, { cacheSize: 0 })
    assert.equal(await off.verify(t1, A), 1)
    assert.equal(off.cacheEntries, 0)
  })
})
