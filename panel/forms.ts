/**
 * Pure conversions between what a merchant types (pt-BR: "1,5", "R$ 10,00") and what the API
 * takes (numbers, integer cents, lists). `null` means "not a valid value"; `undefined`-free so
 * form state stays plain strings.
 */

/**
 * pt-BR thousands: "1.000" / "12.500.000" (a first group of 1–3 digits not starting with 0, then
 * groups of exactly three after each dot), optionally with a decimal comma. A leading 0 keeps the
 * dot a decimal point ("0.125"), as merchants also type decimals the English way.
 */
const THOUSANDS = /^-?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$/
const withoutThousands = (s: string) => (THOUSANDS.test(s) ? s.replace(/\./g, '') : s)

/** "1,5" / "1.5" / " 2 " / "1.000,5" → number; anything else → null. Empty → null. */
export function parseDecimal(text: string): number | null {
  const s = withoutThousands(text.trim().replace(/\s/g, ''))
  if (!/^-?\d+([.,]\d+)?$/.test(s)) return null
  return Number(s.replace(',', '.'))
}

/**
 * Whole numbers only, optional sign, pt-BR thousands dots allowed: "-50" → -50, "1.000" → 1000;
 * "1,5", "1.000,5" and "1.00" → null.
 */
export function parseInteger(text: string): number | null {
  const s = withoutThousands(text.trim().replace(/\s/g, '').replace(/^\+/, ''))
  if (!/^-?\d{1,12}$/.test(s)) return null
  return Number(s)
}

/**
 * "R$ 1.234,56", "10", "10,5", "10.50" → integer cents. A dot followed by exactly three digits is a
 * thousands separator (pt-BR); otherwise a dot or comma is the decimal mark.
 */
export function parseCents(text: string): number | null {
  let s = text
    .trim()
    .replace(/^R\$\s*/i, '')
    .replace(/\s/g, '')
  if (s === '') return null
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s)) s = s.replace(/\./g, '')
  const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s)
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'))
}

/** 1050 → "10,50" (for an input's value, without the currency sign). */
export function centsToInput(cents: number | null): string {
  if (cents === null) return ''
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`
}

/** 1.5 → "1,5" (for an input's value). */
export function decimalToInput(n: number): string {
  return String(n).replace('.', ',')
}

/** One item per line, comma or semicolon; trimmed, empty dropped, duplicates once, order kept. */
export function parseList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,;]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ]
}

/** Optional text field: blank → null. */
export function blankToNull(text: string): string | null {
  const s = text.trim()
  return s === '' ? null : s
}

/**
 * A numeric field for the API: blank → `blank` (null = "no limit"), a number → the number, and
 * garbage → the raw text, so the API refuses it by name and the error lands next to the field.
 */
export function numberOr<T>(text: string, parse: (s: string) => number | null, blank: T): number | T | string {
  if (text.trim() === '') return blank
  return parse(text) ?? text
}

/** The tag a store pastes into its pages. */
export function embedSnippet(serverOrigin: string, programKey: string): string {
  return `<script async src="${serverOrigin}/widget.js" data-program="${programKey}"></script>`
}
