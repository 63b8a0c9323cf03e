import { hkdfSync, randomUUID, webcrypto } from 'node:crypto'
import { decodeJwt, jwtVerify, SignJWT } from 'jose'
import type { Secrets } from '../config/secrets.ts'
import { singleFlight } from '../lib/serial.ts'

/**
 * Lifetime of a shopper's access token. Short: only redemptions check its session (endedSessions);
 * reads go on until it expires.
 */
export const ACCESS_TOKEN_SECONDS = 15 * 60
/** RFC 9068's type for JWT access tokens; checked on verify, so no other JWT of ours passes. */
const TYP = 'at+jwt'
/**
 * Clock skew allowed between the API process that signed a token and the one verifying it
 * (nbf/exp). Without it a token signed on a machine a second ahead is refused for that second.
 */
const CLOCK_TOLERANCE_SECONDS = 5

/** The `aud` of a shopper token: one program. A token of program A never opens program B. */
export const widgetAudience = (programId: string) => `fidelis-widget:${programId}`

/**
 * Widget keys are derived (HKDF) from each JWT_KEYS secret, under the same kid: no new setting,
 * rotation works the same way (prepend a key), and a panel token can never verify as a shopper
 * token (nor the reverse) whatever its claims say.
 */
export function deriveWidgetKey(secret: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'fidelis/widget-access/v1', 32))
}

interface CacheEntry {
  programId: string
  memberId: number
  /** exp in ms since the epoch. */
  expiresAt: number
}

export interface WidgetTokensOptions {
  /** Verified tokens kept in memory; 0 turns the cache off. */
  cacheSize?: number
  /** Clock in ms (tests move it). */
  now?: () => number
}

/**
 * Shopper access tokens: HS256 pinned, `kid` header (the first key signs, every key verifies),
 * issuer, audience = the program, subject = the member id, nbf/exp checked.
 *
 * Verified tokens are kept in a bounded LRU until their `exp`. Measured on the `me` route (see
 * server/bench/widget-api.ts): jose's verify on every request holds a Hono route to ~0.2 of a bare
 * route; a cache hit is one Map lookup. Only a token string that verified is cached, keyed by the
 * whole string, so a tampered token never hits; expiry is re-checked on every hit.
 */
export class WidgetTokens {
  private readonly keys: Array<{ kid: string; key: Promise<webcrypto.CryptoKey> }>
  private readonly cache = new Map<string, CacheEntry>()
  private readonly cacheSize: number
  private readonly now: () => number

  constructor(
    jwtKeys: Secrets['jwtKeys'],
    private readonly issuer: string,
    opts: WidgetTokensOptions = {},
  ) {
    if (jwtKeys.length === 0) throw new Error('at least one JWT key is needed')
    // CryptoKeys imported once: jose works on WebCrypto and would import a KeyObject or raw bytes
    // again on every sign and verify (about half the cost of verifying a token it has not seen).
    this.keys = jwtKeys.map((k) => ({
      kid: k.kid,
      key: webcrypto.subtle.importKey('raw', deriveWidgetKey(k.secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
        'sign',
        'verify',
      ]),
    }))
    this.cacheSize = opts.cacheSize ?? 50_000
    this.now = opts.now ?? Date.now
  }

  async sign(
    programId: string,
    memberId: number,
    sessionId: string,
    ttlSeconds = ACCESS_TOKEN_SECONDS,
  ): Promise<{ token: string; expiresAt: Date }> {
    const { kid, key } = this.keys[0]!
    const now = Math.floor(this.now() / 1000)
    const exp = now + ttlSeconds
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', kid, typ: TYP })
      // Unique per token: two issued in the same second for the same session still differ.
      .setJti(randomUUID())
      .setIssuer(this.issuer)
      .setAudience(widgetAudience(programId))
      .setSubject(String(memberId))
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(exp)
      .sign(await key)
    return { token, expiresAt: new Date(exp * 1000) }
  }

  /**
   * The member id of a token already verified for this program and not expired, or 0. The hot
   * path: no allocation, no promise.
   */
  cached(token: string, programId: string): number {
    const hit = this.cache.get(token)
    if (hit === undefined) return 0
    if (hit.programId !== programId || hit.expiresAt <= this.now()) return 0
    // LRU: move to the back, so the entries evicted first are the least recently used.
    this.cache.delete(token)
    this.cache.set(token, hit)
    return hit.memberId
  }

  /**
   * The member id if the token is genuine, for this program and current; otherwise 0. Requests
   * carrying the same token at once (a widget's parallel calls; the redeem bench sends three per
   * shopper together) share one verification instead of each missing the cache and paying
   * jose's WebCrypto HMAC (tens of microseconds of CPU each on Node 20, a thread-pool round trip).
   */
  verify(token: string, programId: string): Promise<number> {
    const fast = this.cached(token, programId)
    if (fast) return Promise.resolve(fast)
    if (token.length > 2048) return Promise.resolve(0)
    return this.verifying(`${programId} ${token}`, () => this.verifyUncached(token, programId))
  }

  private readonly verifying = singleFlight<number>()

  private async verifyUncached(token: string, programId: string): Promise<number> {
    try {
      const { payload } = await jwtVerify(
        token,
        (header) => {
          const found = this.keys.find((k) => k.kid === header.kid)
          if (!found) throw new Error('unknown kid')
          return found.key
        },
        {
          algorithms: ['HS256'],
          issuer: this.issuer,
          audience: widgetAudience(programId),
          typ: TYP,
          requiredClaims: ['sub', 'exp', 'nbf', 'iat'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(this.now()),
        },
      )
      const memberId = Number(payload.sub)
      if (!Number.isSafeInteger(memberId) || memberId < 1 || String(memberId) !== payload.sub) return 0
      const expiresAt = payload.exp! * 1000
      // The cache honours exp without the tolerance: it never extends a token's life.
      if (expiresAt <= this.now()) return 0
      this.remember(token, { programId, memberId, expiresAt })
      return memberId
    } catch {
      return 0
    }
  }

  /**
   * The session id (`sid`: the refresh-token family) of a token this process already verified
   * (requireShopper ran first); null if it carries none. Decoded, not verified again.
   */
  sessionOf(token: string): string | null {
    try {
      const sid = decodeJwt(token).sid
      return typeof sid === 'string' ? sid : null
    } catch {
      return null
    }
  }

  /** Drops every cached verification (tests; a key rotation restarts processes anyway). */
  clearCache(): void {
    this.cache.clear()
  }

  get cacheEntries(): number {
    return this.cache.size
  }

  private remember(token: string, entry: CacheEntry) {
    if (this.cacheSize <= 0) return
    if (this.cache.size >= this.cacheSize) {
      // Map iterates in insertion order and hits re-insert: the first key is the least recent.
      const oldest = this.cache.keys().next()
      if (!oldest.done) this.cache.delete(oldest.value)
    }
    this.cache.set(token, entry)
  }
}
