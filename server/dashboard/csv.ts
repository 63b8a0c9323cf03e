/**
 * CSV the way spreadsheets in Brazil open it with a double click: UTF-8 with a byte-order mark
 * (without it Excel reads the bytes as Windows-1252 and "João" turns into "JoÃ£o"), `;` between
 * fields (pt-BR Excel takes `,` for the decimal separator), decimal comma, dates dd/mm/aaaa,
 * CRLF line ends (RFC 4180).
 */

export const BOM = '\ufeff'

/** A number already written pt-BR style ("1234,56"): never quoted nor defused like a text. */
export interface Num {
  num: string
}

export type Cell = string | number | Num | null

/** Money in cents as "1234,56" (no thousands dots: every spreadsheet reads it back as a number). */
export function csvMoney(cents: number | null): Num | null {
  if (cents === null) return null
  const abs = Math.abs(cents)
  return { num: `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}` }
}

/** A fraction as a percentage with one decimal: 0.125 → "12,5". */
export const csvPercent = (rate: number | null): Num | null =>
  rate === null ? null : { num: (Math.round(rate * 1000) / 10).toFixed(1).replace('.', ',') }

/** 'YYYY-MM-DD' → 'dd/mm/aaaa'. */
export const csvDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`

function cell(c: Cell): string {
  if (c === null) return ''
  if (typeof c === 'number') return String(c)
  if (typeof c === 'object') return c.num
  // A text a spreadsheet would run as a formula (a member named "=HYPERLINK(…)") gets a leading
  // apostrophe, the usual defence against CSV injection; numbers are written as numbers above.
  const text = /^[=+\-@\t\r]/.test(c) ? `'${c}` : c
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export const csvLine = (cells: readonly Cell[]) => `${cells.map(cell).join(';')}\r\n`

/** A whole small CSV: BOM, header, rows. */
export const csvDocument = (header: readonly string[], rows: readonly (readonly Cell[])[]) =>
  BOM + csvLine(header) + rows.map(csvLine).join('')
