import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'

/**
 * AES-256-GCM for secrets at rest (merchants' LI API keys). Output: base64 of iv(12) | tag(16) |
 * ciphertext. `context` (e.g. the program id) is bound as additional data, so a ciphertext copied
 * to another program's row does not decrypt.
 */
export function encryptSecret(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')
}

export function decryptSecret(key: Buffer, encoded: string, context: string): string {
  const raw = Buffer.from(encoded, 'base64')
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
  decipher.setAAD(Buffer.from(context, 'utf8'))
  decipher.setAuthTag(raw.subarray(12, 28))
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
}

/**
 * A keyed hash (HMAC-SHA256, base64url) for values that must be recognisable but not readable:
 * an erased shopper's e-mail and LI id. Unlike a plain hash, nobody without the server's key can
 * test a guessed address against it.
 */
export function keyedHash(key: Uint8Array, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('base64url')
}
