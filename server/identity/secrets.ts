import { createHash, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

/**
 * The secrets of shopper identity: one-time codes and refresh tokens. Neither is ever stored,
 * logged or put in a job payload as is; only their hashes reach the database.
 */

/**
 * The key that hashes login codes, derived (HKDF) from the server's encryption key: no new
 * setting, and the derived key reveals nothing about the key that encrypts LI API keys.
 */
export function deriveCodeKey(encryptionKey: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'fidelis/login-code/v1', 32))
}

/** Six digits, uniformly drawn (randomInt has no modulo bias). */
export function newLoginCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0')
}

/**
 * HMAC-SHA256 of the code, bound to the program and the e-mail: a million possible codes would
 * fall to a plain hash in a second, and binding means a row copied to another shopper is useless.
 */
export function hashLoginCode(key: Uint8Array, programId: string, email: string, code: string): string {
  return createHmac('sha256', key).update(`${programId}\n${email}\n${code}`).digest('base64url')
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** 256 random bits; the prefix makes a leaked one recognisable by secret scanners. */
export function newRefreshToken(): string {
  return 'fwr_' + randomBytes(32).toString('base64url')
}

/** The key that derives a refresh token's successor (see successorRefreshToken), from the encryption key. */
export function deriveSuccessorKey(encryptionKey: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'fidelis/refresh-successor/v1', 32))
}

/**
 * The token that replaces `token` when it is rotated: an HMAC of it under a server key, so the
 * server can hand the same successor out again to a second tab that presents `token` moments
 * later (identity/sessions.ts refreshSession) without ever storing a token. Only the server can
 * compute it (the key never leaves it), and like a random token it carries 256 bits.
 */
export function successorRefreshToken(key: Uint8Array, token: string): string {
  return 'fwr_' + createHmac('sha256', key).update(token).digest('base64url')
}

/** A plain SHA-256 is enough for 256-bit random tokens: there is nothing to guess. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

/** Rate-limit keys hold a hash, not the address: the counters table is no list of shoppers. */
export function emailKey(email: string): string {
  return createHash('sha256').update(email).digest('base64url').slice(0, 22)
}
