import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { deriveUnsubscribeKey, signUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe.ts'

const key = Buffer.alloc(32, 1)
const programId = '7d0c1f0e-2b3a-4c5d-8e9f-0a1b2c3d4e5f'
const claim = { programId, memberId: 42, scope: 'marketing' }

describe('unsubscribe tokens', () => {
  test('a token verifies to its claim, and is URL-safe as is', () => {
    const token = signUnsubscribeToken(key, claim)
    assert.deepEqual(verifyUnsubscribeToken(key, token), claim)
    assert.equal(encodeURIComponent(token), token)
    assert.deepEqual(verifyUnsubscribeToken(key, token, { programId }), claim)
  })

  test('a tampered token is rejected', () => {
    const token = signUnsubscribeToken(key, claim)
    const [v, p, , s, sig] = token.split('.') as [string, string, string, string, string]
    assert.equal(verifyUnsubscribeToken(key, [v, p, '43', s, sig].join('.')), null, 'other member')
    assert.equal(verifyUnsubscribeToken(key, [v, p, '42', 'welcome', sig].join('.')), null, 'other scope')
    assert.equal(verifyUnsubscribeToken(key, token.slice(0, -1)), null, 'truncated')
    assert.equal(verifyUnsubscribeToken(key, token + 'A'), null, 'extended')
    assert.equal(verifyUnsubscribeToken(key, ''), null)
    assert.equal(verifyUnsubscribeToken(key, 'u1.x.y.z.w'), null)
  })

  test('any change to any character is rejected (including base64url padding bits)', () => {
    const token = signUnsubscribeToken(key, claim)
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.'
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...alphabet), (i, c) => {
        fc.pre(token[i] !== c)
        const mutated = token.slice(0, i) + c + token.slice(i + 1)
        return verifyUnsubscribeToken(key, mutated) === null
      }),
      { numRuns: 2000 },
    )
  })

  test('a token of another program does not pass for this one', () => {
    const other = signUnsubscribeToken(key, { ...claim, programId: randomUUID() })
    assert.equal(verifyUnsubscribeToken(key, other, { programId }), null)
    // Swapping the program id inside a genuine token breaks its MAC.
    const swapped = signUnsubscribeToken(key, claim).replace(programId, randomUUID())
    assert.equal(verifyUnsubscribeToken(key, swapped), null)
  })

  test('a token signed with another key is rejected', () => {
    const token = signUnsubscribeToken(Buffer.alloc(32, 2), claim)
    assert.equal(verifyUnsubscribeToken(key, token), null)
  })

  test('round trip for any claim', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom('marketing', 'welcome', 'points_expiring'),
        (p, m, s) => {
          const c = { programId: p, memberId: m, scope: s }
          return JSON.stringify(verifyUnsubscribeToken(key, signUnsubscribeToken(key, c))) === JSON.stringify(c)
        },
      ),
    )
  })

  test('bad claims and short keys are refused at signing', () => {
    assert.throws(() => signUnsubscribeToken(key, { ...claim, programId: 'nope' }))
    assert.throws(() => signUnsubscribeToken(key, { ...claim, memberId: 0 }))
    assert.throws(() => signUnsubscribeToken(key, { ...claim, scope: 'Has.Dot' }))
    assert.throws(() => signUnsubscribeToken(Buffer.alloc(16), claim), /32 bytes/)
  })

  test('the derived key is stable, 32 bytes, and differs from its master', () => {
    const master = Buffer.alloc(32, 7)
    const a = deriveUnsubscribeKey(master)
    assert.equal(a.length, 32)
    assert.deepEqual(a, deriveUnsubscribeKey(master))
    assert.notDeepEqual(a, master)
    assert.notDeepEqual(a, deriveUnsubscribeKey(Buffer.alloc(32, 8)))
  })
})
