import { feedMessages as m } from './messages.ts'

export type PriceResult = { ok: true; cents: number } | { ok: false; message: string }

/** R$ 99.999.999,99: far above any retail product, and keeps cents a safe integer. */
const MAX_INTEGER_DIGITS = 8

// Google's format is "<number> <ISO 4217 code>" with a dot as decimal separator ("129.90 BRL",
// "4999 JPY"). We also accept what is unambiguous: no space or several spaces before the code,
// a lowercase code, one decimal digit ("129.9 BRL"). Everything else (comma decimals, thousands
// separators, three decimals, currency first) is rejected rather than guessed, because a wrong
// guess would silently price a reward 100× off.
const PRICE = /^(\d+)(?:\.(\d{1,2}))?\s*([A-Za-z]{3})$/
const NUMBER_ONLY = /^\d+(?:[.,]\d+)?$/

/** Parses a `g:price`/`g:sale_price` value into integer cents of BRL. `field` names it in messages. */
export function parsePrice(raw: string, field: string): PriceResult {
  const value = raw.trim()
  const match = PRICE.exec(value)
  if (!match) {
    if (NUMBER_ONLY.test(value)) return { ok: false, message: m.priceMissingCurrency(field, value) }
    return { ok: false, message: m.priceMalformed(field, value) }
  }
  const [, integer = '', decimals = '', currency = ''] = match
  if (currency.toUpperCase() !== 'BRL')
    return { ok: false, message: m.currencyNotSupported(field, currency.toUpperCase()) }
  const significant = integer.replace(/^0+(?=\d)/, '')
  if (significant.length > MAX_INTEGER_DIGITS) return { ok: false, message: m.priceTooHigh(field) }
  // Integer arithmetic on the digit strings: never round-trip money through a float.
  const cents = Number(significant) * 100 + Number(decimals.padEnd(2, '0'))
  if (cents <= 0) return { ok: false, message: m.priceNotPositive(field) }
  return { ok: true, cents }
}
