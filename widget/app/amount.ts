import { t } from './i18n.ts'
import type { WidgetAmountRedemption } from './types.ts'

/**
 * The redeem screen's rules for a chosen amount, pure: what the shopper typed → cents, and the
 * refusal in words. The same bounds the server checks (server/cashback/rules.ts quoteAmount); the
 * server still has the last word.
 */

/** "25", "25,5", "R$ 1.234,56", "25.50" → cents; anything else null. A dot before 3 digits groups thousands. */
export function parseReais(text: string): number | null {
  let s = text.trim().replace(/^R\$/i, '').replace(/\s/g, '')
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s)) s = s.replace(/\./g, '')
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(s)
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null
}

/** 2340 → "23,40", for the input's first value. */
export const reaisText = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`

/** Why `cents` cannot become a coupon now, or null when it can. */
export function amountError(cents: number | null, a: WidgetAmountRedemption): string | null {
  if (cents === null || cents <= 0) return t.amount.invalid
  if (cents < a.minCents) return t.amount.low(t.money(a.minCents))
  if (cents > a.availableCents) return t.amount.balance(t.money(a.availableCents))
  if (cents % a.stepCents) return t.amount.step(t.money(a.stepCents))
  if (cents > a.maxCents) return t.amount.high(t.money(a.maxCents))
  return null
}
