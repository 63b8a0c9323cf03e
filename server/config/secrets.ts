import { hkdfSync, randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Config } from './config.ts'

export interface Secrets {
  /** Signing keys by kid; `current` signs, every key verifies (rotation). */
  jwtKeys: Array<{ kid: string; secret: Uint8Array }>
  /** 32 bytes for AES-256-GCM encryption of LI API keys. */
  encryptionKey: Buffer
}

/**
 * Secrets come from config in production. In development (none configured) they are generated
 * once into DATA_DIR/secrets.json, so `npm start` needs nothing and restarts keep sessions valid.
 */
export async function loadSecrets(config: Pick<Config, 'jwtKeys' | 'encryptionKey' | 'dataDir'>): Promise<Secrets> {
  let generated: { jwtKey?: string; encryptionKey?: string } | undefined
  if (!config.jwtKeys || !config.encryptionKey) {
    const file = path.join(config.dataDir, 'secrets.json')
    try {
      generated = JSON.parse(await fs.readFile(file, 'utf8'))
    } catch {
      generated = { jwtKey: randomBytes(48).toString('base64url'), encryptionKey: randomBytes(32).toString('base64') }
      await fs.mkdir(config.dataDir, { recursive: true })
      await fs.writeFile(file, JSON.stringify(generated, null, 2), { mode: 0o600 })
    }
  }
  return {
    jwtKeys: config.jwtKeys
      ? parseJwtKeys(config.jwtKeys)
      : [{ kid: 'dev', secret: Buffer.from(generated!.jwtKey!, 'utf8') }],
    encryptionKey: parseEncryptionKey(config.encryptionKey ?? generated!.encryptionKey!),
  }
}

export function parseJwtKeys(raw: string): Secrets['jwtKeys'] {
  const keys = raw.split(',').map((pair) => {
    const i = pair.indexOf(':')
    const kid = pair.slice(0, i).trim()
    const secret = pair.slice(i + 1).trim()
    if (i <= 0 || !/^[A-Za-z0-9._-]{1,40}$/.test(kid))
      throw new Error('JWT_KEYS must be kid:secret pairs separated by commas')
    if (secret.length < 32) throw new Error(`JWT_KEYS secret for kid "${kid}" must be at least 32 characters`)
    return { kid, secret: Buffer.from(secret, 'utf8') }
  })
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new Error('JWT_KEYS has a repeated kid')
  return keys
}

function parseEncryptionKey(raw: string): Buffer {
  const key = Buffer.from(raw, 'base64')
  if (key.length !== 32) throw new Error('ENCRYPTION_KEY must be 32 bytes, base64-encoded')
  return key
}

const privacyKeys = new WeakMap<Buffer, Buffer>()

/**
 * The key of the privacy hashes (erasure tombstones, anonymised e-mails and IPs), derived (HKDF)
 * from the encryption key: no new setting to lose, and it reveals nothing about the key that
 * encrypts LI API keys. Rotating ENCRYPTION_KEY therefore forgets the tombstones (README,
 * "Privacidade (LGPD)").
 */
export function privacyKey(secrets: Pick<Secrets, 'encryptionKey'>): Buffer {
  let key = privacyKeys.get(secrets.encryptionKey)
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secrets.encryptionKey, Buffer.alloc(0), 'fidelis/privacy-hash/v1', 32))
    privacyKeys.set(secrets.encryptionKey, key)
  }
  return key
}
