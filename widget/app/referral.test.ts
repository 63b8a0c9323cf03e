import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { REFERRAL_CODE_ALPHABET } from '../../shared/api/referrals.ts'
import { t } from './i18n.ts'
import { referralTexts as r } from './i18n-referral.ts'
import { codeFromSearch, loadKept, nextKept, parseKept, REFERRAL_DAYS, referralKey, saveKept } from './referral.ts'

const DAY = 86_400_000
const now = Date.UTC(2026, 11, 7, 12)

test('the code is read from the link, upper-cased, and only when shaped like a code', () => {
  assert.equal(codeFromSearch('?indicacao=ACDEFGH3'), 'ACDEFGH3')
  assert.equal(codeFromSearch('?utm_source=wa&indicacao=acdefgh3'), 'ACDEFGH3')
  assert.equal(codeFromSearch('?indicacao=%20ACDEFGH3%20'), 'ACDEFGH3')
  assert.equal(codeFromSearch(''), null)
  assert.equal(codeFromSearch('?indicacao='), null)
  assert.equal(codeFromSearch('?indicacao=ACDEFGH'), null, 'too short')
  assert.equal(codeFromSearch('?indicacao=ACDEFGH0'), null, 'a look-alike the alphabet leaves out')
  assert.equal(codeFromSearch('?indicacao=<script>'), null)
})

test('every code the server can make is read back (the alphabet of shared/api/referrals.ts)', () => {
  const symbol = fc.constantFrom(...REFERRAL_CODE_ALPHABET.split(''))
  fc.assert(
    fc.property(fc.array(symbol, { minLength: 8, maxLength: 8 }), (chars) => {
      const code = chars.join('')
      assert.equal(codeFromSearch(`?indicacao=${code.toLowerCase()}`), code)
    }),
  )
})

test('a code is kept 30 days from the last time the link was opened, then forgotten', () => {
  const kept = nextKept(null, 'ACDEFGH3', now)!
  assert.deepEqual(kept, { code: 'ACDEFGH3', until: now + REFERRAL_DAYS * DAY })
  // Another page of the store, no code in its URL: the same code, the same expiry.
  assert.deepEqual(nextKept(kept, null, now + 5 * DAY), kept)
  assert.deepEqual(parseKept(JSON.stringify(kept), now + 29 * DAY), kept)
  assert.equal(parseKept(JSON.stringify(kept), now + 30 * DAY), null)
  // The link opened again restarts the 30 days and keeps the marks; another link replaces it.
  const claimed = { ...kept, claimed: true }
  assert.deepEqual(nextKept(claimed, 'ACDEFGH3', now + 10 * DAY), { ...claimed, until: now + 40 * DAY })
  assert.deepEqual(nextKept(claimed, 'QQQQQQQQ', now + 10 * DAY), { code: 'QQQQQQQQ', until: now + 40 * DAY })
})

test('an unreadable or foreign stored value reads as nothing kept', () => {
  assert.equal(parseKept(null, now), null)
  assert.equal(parseKept('{', now), null)
  assert.equal(parseKept('"ACDEFGH3"', now), null)
  assert.equal(parseKept(JSON.stringify({ code: 'ACDEFGH3' }), now), null)
})

test('storage is keyed by program, and a refusing storage loses nothing but the code', () => {
  const map = new Map<string, string>()
  const storage = {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  }
  saveKept(storage, 'pk1', { code: 'ACDEFGH3', until: now + DAY })
  assert.ok(map.has(referralKey('pk1')))
  assert.equal(loadKept(storage, 'pk2', now), null)
  assert.deepEqual(loadKept(storage, 'pk1', now), { code: 'ACDEFGH3', until: now + DAY })
  saveKept(storage, 'pk1', null)
  assert.equal(map.size, 0)
  const refusing = {
    getItem: () => {
      throw new Error('SecurityError')
    },
    setItem: () => {
      throw new Error('QuotaExceededError')
    },
    removeItem: () => undefined,
  }
  assert.equal(loadKept(refusing, 'pk1', now), null)
  assert.doesNotThrow(() => saveKept(refusing, 'pk1', { code: 'ACDEFGH3', until: now }))
})

test('main.tsx looks for the same parameter and key as this module', async () => {
  const fs = await import('node:fs')
  const main = fs.readFileSync(new URL('./main.tsx', import.meta.url), 'utf8')
  assert.match(main, /includes\('indicacao='\)/)
  assert.ok(main.includes('`fidelis:${ctx.programKey}:referral`'))
  assert.equal(referralKey('X'), 'fidelis:X:referral')
  const loader = fs.readFileSync(new URL('../loader.ts', import.meta.url), 'utf8')
  assert.match(loader, /includes\('indicacao='\)/)
})

test('referral texts: real plurals, amounts as formatted, inclusive wording', () => {
  assert.equal(r.counts(0, 0), 'Você ainda não indicou ninguém.')
  assert.equal(r.counts(1, 0), '1 pessoa indicada · nenhuma compra confirmada ainda')
  assert.equal(r.counts(1, 1), '1 pessoa indicada · 1 compra confirmada')
  assert.equal(r.counts(3, 2), '3 pessoas indicadas · 2 compras confirmadas')
  assert.equal(r.offerTitle(t.money(2000)), 'Ganhe R$\u00a020,00 na primeira compra')
  assert.equal(
    r.friendGets(t.money(2000), t.money(10_000)),
    'Quem você indicar ganha R$\u00a020,00 de desconto na primeira compra, em pedidos a partir de R$\u00a0100,00.',
  )
  assert.equal(
    r.friendGets(t.money(2000), null),
    'Quem você indicar ganha R$\u00a020,00 de desconto na primeira compra.',
  )
  assert.equal(r.entryHint(t.points(1, 'ponto', 'pontos')), '1 ponto por indicação')
  assert.equal(r.entryHint(t.points(500, 'ponto', 'pontos')), '500 pontos por indicação')
  assert.equal(r.entryHint(r.cashback(t.money(1500))), 'R$\u00a015,00 de cashback por indicação')
  assert.equal(
    r.sent('ana@exemplo.com.br'),
    'Enviamos seu cupom para ana@exemplo.com.br: confira sua caixa de entrada.',
  )
})
