import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { parsePrice } from './price.ts'

const cents = (raw: string) => {
  const result = parsePrice(raw, 'g:price')
  return result.ok ? result.cents : result.message
}

describe('parsePrice', () => {
  it('reads the formats of the reference', () => {
    assert.equal(cents('129.90 BRL'), 12990)
    assert.equal(cents('15.00 BRL'), 1500)
    assert.equal(cents('4999 BRL'), 499900)
    assert.equal(cents('0.01 BRL'), 1)
  })

  it('accepts unambiguous variants: one decimal, no or extra space, lowercase code, padding', () => {
    assert.equal(cents('129.9 BRL'), 12990)
    assert.equal(cents('129.90BRL'), 12990)
    assert.equal(cents('  129.90   brl \n'), 12990)
    assert.equal(cents('0129.90 BRL'), 12990)
  })

  it('rejects other currencies', () => {
    assert.match(String(cents('15.00 USD')), /USD: apenas preços em reais/)
    assert.match(String(cents('4999 jpy')), /JPY/)
  })

  it('rejects what it would have to guess', () => {
    for (const raw of [
      '129,90 BRL',
      '1,299.90 BRL',
      '1.299,90 BRL',
      '129.900 BRL',
      'BRL 129.90',
      'R$ 129,90',
      '-5.00 BRL',
      '+5.00 BRL',
      '1e3 BRL',
      '.50 BRL',
      '5. BRL',
      'abc',
      '',
    ])
      assert.match(String(cents(raw)), /formato inválido/, raw)
    assert.match(String(cents('129.90')), /sem moeda/)
    assert.match(String(cents('129,90')), /sem moeda/)
  })

  it('rejects zero and absurd amounts', () => {
    assert.match(String(cents('0.00 BRL')), /maior que zero/)
    assert.match(String(cents('100000000.00 BRL')), /acima do limite/)
    assert.equal(cents('99999999.99 BRL'), 9_999_999_999)
  })

  it('round-trips any amount in cents exactly (no float rounding)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_999_999_999 }), (value) => {
        const text = `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')} BRL`
        assert.equal(cents(text), value)
      }),
    )
  })
})
