/**
 * Pure conversions at the Loja Integrada edge. LI sends money as decimal strings ("129.90") and
 * date-times as naive São Paulo wall-clock ("2025-03-14T10:22:31.418552"); inside Fidelis money
 * is integer cents and time is UTC instants. Nothing outside the LI client sees LI's shapes.
 */

// LI's naive wall-clock is São Paulo's: the zone conversions are generic and live in server/lib.
export { dateToNaiveSaoPaulo, dateToSaoPauloDay, naiveSaoPauloToDate } from '../lib/sao-paulo-time.ts'

/** "129.90" | "129.9" | "129" | 129.9 → 12990. Throws on anything that is not a plain decimal. */
export function decimalToCents(value: string | number | null | undefined): number {
  if (value === null || value === undefined || value === '') return 0
  const s = typeof value === 'number' ? value.toFixed(2) : value.trim()
  const m = /^(-)?(\d+)(?:\.(\d{1,}))?$/.exec(s)
  if (!m) throw new Error(`not a decimal amount: ${JSON.stringify(value)}`)
  const frac = (m[3] ?? '').padEnd(3, '0')
  // Round half up on the third decimal (LI sends two; be tolerant of more).
  const cents = Number(m[2]) * 100 + Number(frac.slice(0, 2)) + (Number(frac[2]) >= 5 ? 1 : 0)
  return m[1] ? -cents : cents
}

export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** "/api/v1/cliente/5550123" | {id: 5550123, …} → 5550123; null when absent. */
export function resourceId(
  ref: string | { id?: number | string; resource_uri?: string } | null | undefined,
): number | null {
  if (ref === null || ref === undefined) return null
  if (typeof ref === 'object') {
    if (ref.id !== undefined && ref.id !== null) return Number(ref.id)
    return ref.resource_uri ? resourceId(ref.resource_uri) : null
  }
  const m = /\/(\d+)\/?$/.exec(ref)
  return m ? Number(m[1]) : null
}
