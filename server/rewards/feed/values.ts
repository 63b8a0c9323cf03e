import type { Field } from './elements.ts'
import type { Availability } from './types.ts'

// Reading the values of an item's fields: which spelling wins, availability, URLs, sale windows.

/** The Google field unless it is empty, then the RSS/Atom core one: both spellings are valid. */
export function preferFilled(google: Field | undefined, core: Field | undefined): Field | undefined {
  if (google && (google.tooLong || google.value.trim() !== '')) return google
  return core ?? google
}

export function normalizeAvailability(raw: string): Availability | 'out_of_stock' | null {
  // Google's own RSS example writes "in stock"; the attribute spec writes in_stock.
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
  switch (value) {
    case 'in_stock':
    case 'preorder':
    case 'backorder':
      return value
    case 'out_of_stock':
      return value
    default:
      return null
  }
}

export function isHttpUrl(value: string): boolean {
  if (value.length > 2000) return false
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

// `YYYY-MM-DDThh:mm[:ss][Z|±hh[:]mm]`, the format of Google's examples
// ("2025-11-28T00:00-0300/2025-12-01T23:59-0300").
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})$/

export function parseSaleWindow(raw: string): { start: string; end: string } | null {
  const parts = raw.trim().split('/')
  if (parts.length !== 2) return null
  const [start, end] = parts.map(parseTimestamp)
  if (start == null || end == null || start > end) return null
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() }
}

function parseTimestamp(raw: string): number | null {
  const match = TIMESTAMP.exec(raw.trim())
  if (!match) return null
  const [, local = '', zone = ''] = match
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`
  const time = Date.parse(`${local}${offset}`)
  return Number.isNaN(time) ? null : time
}

/** Whether `now` (epoch ms) falls inside a parsed sale window, both ends inclusive. */
export function saleWindowCovers(window: { start: string; end: string }, now: number): boolean {
  const start = Date.parse(window.start)
  const end = Date.parse(window.end)
  return !(now < start || now > end)
}
