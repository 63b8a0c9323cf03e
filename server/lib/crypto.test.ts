import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { decryptSecret, encryptSecret } from './crypto.ts'

test('round trip, fresh IV each time, bound to its context, tamper-evident', () => {
  const key = randomBytes(32)
  const a = encryptSecret(key, 'abcdef0123456789abcd', 'program-1')
  const b = encryptSecret(key, 'abcdef0123456789abcd', 'program-1')
  assert.notEqual(a, b)
  assert.ok(!a.includes('abcdef'))
  assert.equal(decryptSecret(key, a, 'program-1'), 'abcdef0123456789abcd')
  assert.throws(() => decryptSecret(key, a, 'program-2'))
  assert.throws(() => decryptSecret(randomBytes(32), a, 'program-1'))
  const raw = Buffer.from(a, 'base64')
  raw[raw.length - 1]! ^= 1
  assert.throws(() => decryptSecret(key, raw.toString('base64'), 'program-1'))
})
