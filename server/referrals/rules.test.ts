import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import fc from 'fast-check'
import * as v from 'valibot'
import { ReferralCodeParam, ReferralSettings } from '../../shared/api/referrals.ts'
import {
  arrivalReasons,
  capReached,
  claimReasons,
  couponLapsed,
  creditAvailableOn,
  defaultSettings,
  editDistance,
  emailReason,
  fillShareText,
  generateReferralCode,
  normaliseEmail,
  normaliseName,
  orderedStep,
  placedWhileValid,
  referralLink,
  whatsappUrl,
} from './rules.ts'

/** The textbook full-matrix optimal string alignment distance, to check the early-exit one against. */
function osa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  return d[a.length]![b.length]!
}

const word = fc.stringMatching(/^[a-z0-9]{1,12}$/)
const address = fc.tuple(word, fc.constantFrom('gmail.com', 'loja.test', 'uol.com.br')).map(([l, d]) => `${l}@${d}`)

test('defaults pass the contract schema; the share text needs {link}', () => {
  for (const mode of ['points', 'cashback'] as const)
    assert.ok(v.safeParse(ReferralSettings, defaultSettings(mode)).success)
  assert.equal(defaultSettings('cashback').advocateReward, 2000)
  const bad = v.safeParse(ReferralSettings, { ...defaultSettings('points'), shareText: 'Sem link' })
  assert.equal(bad.success, false)
})

test('codes: 8 symbols of the unambiguous alphabet, accepted by the param schema', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (seed) => {
      let i = 0
      const code = generateReferralCode((n) => {
        const out = seed.slice(i, i + n)
        i += n
        return out.length === n ? out : randomBytes(n)
      })
      assert.equal(code.length, 8)
      assert.ok(v.safeParse(ReferralCodeParam, code.toLowerCase()).success, code)
      assert.doesNotMatch(code, /[01OILZSB258]/)
    }),
  )
})

test('e-mail normalisation: case, dots in the local part and +tags', () => {
  assert.equal(normaliseEmail(' Ana.Maria+promo@Gmail.com '), 'anamaria@gmail.com')
  assert.equal(normaliseEmail('a.b@googlemail.com'), 'ab@gmail.com')
  fc.assert(
    fc.property(address, word, (a, tag) => {
      const [local, domain] = a.split('@') as [string, string]
      const dotted = `${local.split('').join('.')}+${tag}@${domain.toUpperCase()}`
      assert.equal(normaliseEmail(dotted), normaliseEmail(a))
      assert.equal(normaliseEmail(normaliseEmail(a)), normaliseEmail(a), 'idempotent')
    }),
  )
})

test('edit distance: agrees with the full matrix, symmetric, capped early', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), (a, b) => {
      const full = osa(a, b)
      assert.equal(editDistance(a, b), full)
      assert.equal(editDistance(b, a), full)
      assert.equal(editDistance(a, b, 1), Math.min(full, 2))
    }),
  )
  assert.equal(editDistance('ana@loja.test', 'aan@loja.test'), 1, 'a swap is one edit')
})

test('self and near-copy e-mails', () => {
  assert.equal(emailReason('Ana@Loja.test', 'ana@loja.test'), 'self_email')
  assert.equal(emailReason('a.na+x@gmail.com', 'ana@gmail.com'), 'similar_email')
  assert.equal(emailReason('anna@gmail.com', 'ana@gmail.com'), 'similar_email')
  assert.equal(emailReason('nao@gmail.com', 'ana@gmail.com'), null)
  fc.assert(
    fc.property(address, fc.nat(20), fc.constantFrom('x', '.', 'q'), (a, at, ch) => {
      const [local, domain] = a.split('@') as [string, string]
      const i = at % (local.length + 1)
      // One inserted character in the local part is always caught (a dot is dropped by normalising).
      const copy = `${local.slice(0, i)}${ch}${local.slice(i)}@${domain}`
      assert.notEqual(emailReason(copy, a), null)
    }),
  )
  fc.assert(
    fc.property(address, address, (a, b) => {
      // Far apart after normalising: never held for the address.
      if (editDistance(normaliseEmail(a), normaliseEmail(b)) > 1) assert.equal(emailReason(a, b), null)
    }),
  )
})

test('claim reasons: each check alone, all together, the IP limit at its boundary', () => {
  const base = {
    friendEmail: 'bia@cliente.test',
    advocateEmail: 'ana@cliente.test',
    alreadyCustomer: false,
    ipClaimsThisWeek: 0,
    claimsPerIpPerWeek: 10,
  }
  assert.deepEqual(claimReasons(base), [])
  assert.deepEqual(claimReasons({ ...base, alreadyCustomer: true }), ['already_customer'])
  assert.deepEqual(claimReasons({ ...base, friendEmail: 'ana@cliente.test' }), ['self_email'])
  assert.deepEqual(claimReasons({ ...base, ipClaimsThisWeek: 9 }), [])
  assert.deepEqual(claimReasons({ ...base, ipClaimsThisWeek: 10 }), ['ip_limit'])
  assert.deepEqual(
    claimReasons({ ...base, alreadyCustomer: true, friendEmail: 'an.a@cliente.test', ipClaimsThisWeek: 11 }),
    ['already_customer', 'similar_email', 'ip_limit'],
  )
  fc.assert(
    fc.property(fc.nat(50), fc.integer({ min: 1, max: 50 }), (seen, limit) => {
      assert.equal(
        claimReasons({ ...base, ipClaimsThisWeek: seen, claimsPerIpPerWeek: limit }).includes('ip_limit'),
        seen >= limit,
      )
    }),
  )
})

test('arrival reasons: first order, CPF, phone and name as the advocate', () => {
  const advocate = { email: 'ana@cliente.test', cpf: '123.456.789-09', name: 'Ana Souza', phone: '+55 (11) 98888-7777' }
  const buyer = { email: 'bia@cliente.test', cpf: null, name: 'Bia Lima', phone: null }
  const facts = { buyer, advocate, earlierOrder: false, placedBeforeClaim: false }
  assert.deepEqual(arrivalReasons(facts), [])
  assert.deepEqual(arrivalReasons({ ...facts, earlierOrder: true }), ['not_first_order'])
  assert.deepEqual(arrivalReasons({ ...facts, placedBeforeClaim: true }), ['not_first_order'])
  assert.deepEqual(arrivalReasons({ ...facts, buyer: { ...buyer, cpf: '12345678909' } }), ['same_cpf'])
  assert.deepEqual(arrivalReasons({ ...facts, buyer: { ...buyer, phone: '11988887777' } }), ['same_phone'])
  assert.deepEqual(arrivalReasons({ ...facts, buyer: { ...buyer, name: '  ANA   souza ' } }), ['same_name'])
  assert.deepEqual(arrivalReasons({ ...facts, buyer: { ...buyer, email: 'Ana@cliente.test' } }), ['self_email'])
  // Unknown data never counts as a match.
  assert.deepEqual(
    arrivalReasons({ ...facts, advocate: { email: 'ana@cliente.test', cpf: null, name: null, phone: null } }),
    [],
  )
  assert.equal(normaliseName('José  da Silva'), normaliseName('jose da silva'))
})

test('credit day, the ordered step and the monthly cap', () => {
  assert.equal(creditAvailableOn('2026-12-28', 7), '2027-01-04')
  assert.equal(creditAvailableOn('2026-12-28', 0), '2026-12-28')
  assert.equal(orderedStep('reverse', '2027-01-04', '2027-01-10'), 'cancel', 'a cancellation always wins')
  assert.equal(orderedStep('award', '2027-01-04', '2027-01-03'), 'wait')
  assert.equal(orderedStep('award', '2027-01-04', '2027-01-04'), 'credit')
  assert.equal(orderedStep('hold', '2027-01-04', '2027-01-10'), 'wait', 'no longer awarding: wait for it to return')
  fc.assert(
    fc.property(fc.nat(30), fc.integer({ min: 1, max: 30 }), (n, cap) => assert.equal(capReached(n, cap), n >= cap)),
  )
})

test("the coupon's lapse: a whole day after its last valid São Paulo day; orders placed by that day count", () => {
  // 2026-12-10 ends at 2026-12-11T03:00Z (São Paulo is UTC−3); it lapses a day after that.
  const end = Date.parse('2026-12-11T03:00:00Z')
  assert.equal(couponLapsed('2026-12-10', new Date(end - 60_000)), false, 'still valid')
  assert.equal(couponLapsed('2026-12-10', new Date(end + 86_400_000 - 60_000)), false, 'inside the margin')
  assert.equal(couponLapsed('2026-12-10', new Date(end + 86_400_000)), true)
  assert.equal(couponLapsed(null, new Date(end + 400 * 86_400_000)), false, 'no coupon day: never')
  assert.equal(placedWhileValid(new Date(end - 60_000), '2026-12-10'), true, 'its last minutes')
  assert.equal(placedWhileValid(new Date(end), '2026-12-10'), false, 'the next São Paulo day')
  assert.equal(placedWhileValid(new Date(end + 365 * 86_400_000), null), true)
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 3 * 365 * 86_400 }), (s) => {
      const now = new Date(end + s * 1000)
      // Lapsed implies every order placed a day before now is past the coupon's last day.
      return !couponLapsed('2026-12-10', now) || !placedWhileValid(new Date(now.getTime() - 86_400_000), '2026-12-10')
    }),
  )
})

test('share text, link and WhatsApp URL', () => {
  const text = fillShareText('Ganhe {valor} na {loja}: {link} ({link})', {
    link: 'https://loja.test/?indicacao=ACDE3467',
    valor: 'R$ 20,00',
    loja: 'Clube',
  })
  assert.equal(
    text,
    'Ganhe R$ 20,00 na Clube: https://loja.test/?indicacao=ACDE3467 (https://loja.test/?indicacao=ACDE3467)',
  )
  assert.equal(referralLink('https://loja.test/', 'ACDE3467'), 'https://loja.test/?indicacao=ACDE3467')
  assert.equal(referralLink('https://loja.test/?utm=x', 'ACDE3467'), 'https://loja.test/?utm=x&indicacao=ACDE3467')
  assert.equal(whatsappUrl('a b&c'), 'https://wa.me/?text=a%20b%26c')
})
