// Time handling for the LI simulator.
//
// LI sends naive ISO date-times with microseconds ("2025-03-14T10:22:31.418552") that
// practitioners read as America/Sao_Paulo wall-clock. Internally every instant is an integer
// count of microseconds since the Unix epoch (fits a double exactly until the year 2255), so
// ordering and filtering are plain number comparisons and only rendering touches time zones.

/** Microseconds since the Unix epoch. */
export type Micros = number

/** Source of "now"; injectable so tests move time instead of sleeping. */
export interface Clock {
  now(): Date
}

/** A clock that only moves when told to; the one tests should use. */
export interface ManualClock extends Clock {
  set(to: Date | string | number): void
  advance(ms: number): void
}

export function manualClock(start: Date | string | number = '2025-03-14T13:00:00Z'): ManualClock {
  let current = new Date(start).getTime()
  if (Number.isNaN(current)) throw new Error(`invalid clock start: ${String(start)}`)
  return {
    now: () => new Date(current),
    set(to) {
      const t = new Date(to).getTime()
      if (Number.isNaN(t)) throw new Error(`invalid clock time: ${String(to)}`)
      current = t
    },
    advance(ms) {
      current += ms
    },
  }
}

/**
 * Real time plus an adjustable offset: the standalone demo runs on wall-clock time but can
 * still be pushed forward (e.g. to leave a rate-limit window) through the control API.
 */
export function offsetClock(): ManualClock {
  let offset = 0
  return {
    now: () => new Date(Date.now() + offset),
    set(to) {
      const t = new Date(to).getTime()
      if (Number.isNaN(t)) throw new Error(`invalid clock time: ${String(to)}`)
      offset = t - Date.now()
    },
    advance(ms) {
      offset += ms
    },
  }
}

export const MS_PER_DAY = 86_400_000
export const US_PER_MS = 1000
export const US_PER_DAY = MS_PER_DAY * US_PER_MS

// Intl is the only place that knows Brazil's historical DST (abolished in 2019). Offsets can
// only change on hour boundaries, so they are memoised per UTC hour: rendering 50 orders with
// three dates each then costs a map lookup instead of 150 formatToParts calls.
const spFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Sao_Paulo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})
const offsetCache = new Map<number, number>()

/** São Paulo's offset from UTC in milliseconds (e.g. -10_800_000) at the given instant. */
export function saoPauloOffsetMs(utcMs: number): number {
  const hour = Math.floor(utcMs / 3_600_000)
  const cached = offsetCache.get(hour)
  if (cached !== undefined) return cached
  const probe = hour * 3_600_000
  const parts: Record<string, number> = {}
  for (const p of spFormatter.formatToParts(new Date(probe))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  }
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  )
  const offset = wall - probe
  if (offsetCache.size > 100_000) offsetCache.clear()
  offsetCache.set(hour, offset)
  return offset
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

function splitMicros(us: Micros): { ms: number; micro: number } {
  const ms = Math.floor(us / US_PER_MS)
  const secondStart = Math.floor(ms / 1000) * 1000
  const micro = us - secondStart * US_PER_MS // 0..999_999, sub-second part in µs
  return { ms, micro }
}

function isoBody(d: Date, micro: number): string {
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}` +
    `.${pad(micro, 6)}`
  )
}

/** LI REST form: São Paulo wall-clock, microseconds, no offset. */
export function formatNaive(us: Micros): string {
  const { ms, micro } = splitMicros(us)
  return isoBody(new Date(ms + saoPauloOffsetMs(ms)), micro)
}

/** Webhook top-level form: UTC with a trailing Z. */
export function formatUtcZ(us: Micros): string {
  const { ms, micro } = splitMicros(us)
  return `${isoBody(new Date(ms), micro)}Z`
}

/** Webhook nested form: São Paulo wall-clock with its explicit offset, e.g. "-03:00". */
export function formatWithOffset(us: Micros): string {
  const { ms, micro } = splitMicros(us)
  const offset = saoPauloOffsetMs(ms)
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset) / 60_000
  return `${isoBody(new Date(ms + offset), micro)}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`
}

/** "AAAA-MM-DD" in São Paulo. */
export function formatDateOnly(us: Micros): string {
  return formatNaive(us).slice(0, 10)
}

const DATE_TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/

export interface ParsedWallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  micro: number
  hasTime: boolean
  zone: string | undefined
}

export function parseWallClock(input: string): ParsedWallClock | null {
  const m = DATE_TIME_RE.exec(input.trim())
  if (!m) return null
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const parsed: ParsedWallClock = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: h === undefined ? 0 : Number(h),
    minute: mi === undefined ? 0 : Number(mi),
    second: s === undefined ? 0 : Number(s),
    micro: frac === undefined ? 0 : Number(frac.padEnd(6, '0')),
    hasTime: h !== undefined,
    zone,
  }
  if (parsed.month < 1 || parsed.month > 12 || parsed.day < 1 || parsed.hour > 23) return null
  if (parsed.minute > 59 || parsed.second > 59) return null
  const probe = new Date(Date.UTC(parsed.year, parsed.month - 1, parsed.day))
  if (probe.getUTCDate() !== parsed.day) return null // 2025-02-30 and friends
  return parsed
}

/**
 * Parse an LI filter value. Naive values (the documented form, date-only allowed) are
 * São Paulo wall-clock; an explicit Z/offset is honoured as a courtesy. Returns null when
 * the text is not a date.
 */
export function parseLiDateTime(input: string): Micros | null {
  const p = parseWallClock(input)
  if (!p) return null
  const wallMs = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  let utcMs: number
  if (p.zone !== undefined) {
    if (p.zone === 'Z') utcMs = wallMs
    else {
      const sign = p.zone.startsWith('-') ? -1 : 1
      const digits = p.zone.slice(1).replace(':', '')
      const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))
      utcMs = wallMs - sign * minutes * 60_000
    }
  } else {
    // Guess with the offset at the wall time read as UTC, then correct once: enough for
    // any zone whose offset changes by at most a few hours.
    utcMs = wallMs - saoPauloOffsetMs(wallMs)
    const second = wallMs - saoPauloOffsetMs(utcMs)
    if (second !== utcMs) utcMs = second
  }
  return utcMs * US_PER_MS + p.micro
}

/** Date → Micros */
export function toMicros(d: Date): Micros {
  return d.getTime() * US_PER_MS
}
