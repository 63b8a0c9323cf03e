import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'

/**
 * Unsubscribe links that work without login: the token names the program, the member and the
 * scope ('marketing' or one kind), signed with HMAC-SHA256. No expiry, because e-mails are read
 * months later and an unsubscribe link must still work; rotating the key retires old links.
 *
 * Format: `u1.<programId>.<memberId>.<scope>.<base64url mac>`; every part is URL-safe as is.
 * The ids are not secret (the MAC is what matters) and a readable token is easy to support.
 */

export interface UnsubscribeClaim {
  programId: string
  memberId: number
  scope: string
}

const VERSION = 'u1'
// Domain separation: the same key could sign something else one day without the two colliding.
const CONTEXT = 'fidelis:email-unsubscribe:'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const SCOPE = /^[a-z][a-z0-9_]{0,39}$/
const MEMBER_ID = /^[1-9][0-9]{0,15}$/

/**
 * A key of its own for these tokens, derived from the server's encryption key (HKDF), so no new
 * setting is needed and a leaked unsubscribe key would reveal nothing about the other.
 */
export function deriveUnsubscribeKey(masterKey: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'fidelis/email-unsubscribe/v1', 32))
}

function assertKey(key: Uint8Array) {
  if (key.length < 32) throw new Error('unsubscribe key must be at least 32 bytes')
}

function mac(key: Uint8Array, payload: string): string {
  return createHmac('sha256', key)
    .update(CONTEXT + payload)
    .digest('base64url')
}

export function signUnsubscribeToken(key: Uint8Array, claim: UnsubscribeClaim): string {
  assertKey(key)
  if (!UUID.test(claim.programId)) throw new Error('programId must be a lower-case uuid')
  if (!Number.isSafeInteger(claim.memberId) || claim.memberId < 1)
    throw new Error('memberId must be a positive integer')
  if (!SCOPE.test(claim.scope)) throw new Error('scope must match [a-z][a-z0-9_]*')
  const payload = `${VERSION}.${claim.programId}.${claim.memberId}.${claim.scope}`
  return `${payload}.${mac(key, payload)}`
}

/**
 * The claim of a genuine token, or null. `expected` pins parts the caller already knows (e.g. the
 * program of the page the link leads to). The MAC is compared as text in constant time: comparing
 * decoded bytes would accept a changed last character (base64url's unused low bits).
 */
export function verifyUnsubscribeToken(
  key: Uint8Array,
  token: string,
  expected: Partial<UnsubscribeClaim> = {},
): UnsubscribeClaim | null {
  assertKey(key)
  if (typeof token !== 'string' || token.length > 200) return null
  const parts = token.split('.')
  if (parts.length !== 5) return null
  const [version, programId, memberId, scope, signature] = parts as [string, string, string, string, string]
  if (version !== VERSION || !UUID.test(programId) || !MEMBER_ID.test(memberId) || !SCOPE.test(scope)) return null
  const want = Buffer.from(mac(key, `${version}.${programId}.${memberId}.${scope}`))
  const got = Buffer.from(signature)
  if (got.length !== want.length || !timingSafeEqual(got, want)) return null
  const claim = { programId, memberId: Number(memberId), scope }
  if (expected.programId !== undefined && expected.programId !== claim.programId) return null
  if (expected.memberId !== undefined && expected.memberId !== claim.memberId) return null
  if (expected.scope !== undefined && expected.scope !== claim.scope) return null
  return claim
}
