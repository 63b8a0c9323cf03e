/**
 * São Paulo wall-clock ↔ UTC instants, by the zone's real rules (Brazil observed DST until
 * 2019). Loja Integrada sends naive São Paulo date-times; the points calendar counts São Paulo days.
 */

const TZ = 'America/Sao_Paulo'

const partsFmt = new Intl.DateTimeFormat('en-US', {
  timeZone: TZ,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})

const offsetCache = new Map<number, number>()

/**
 * Offset of São Paulo from UTC at an instant, in ms (e.g. −3 h = −10,800,000). Zone offsets only
 * change on whole hours, so it is cached per UTC hour: Intl's formatToParts costs microseconds and
 * a sync converts two dates per order.
 */
function offsetAt(utcMs: number): number {
  const hour = Math.floor(utcMs / 3_600_000)
  const cached = offsetCache.get(hour)
  if (cached !== undefined) return cached
  const probe = hour * 3_600_000
  const p = Object.fromEntries(partsFmt.formatToParts(new Date(probe)).map((x) => [x.type, x.value]))
  const offset =
    Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) -
    probe
  if (offsetCache.size > 100_000) offsetCache.clear()
  offsetCache.set(hour, offset)
  return offset
}

/**
 * Naive São Paulo wall-clock → UTC instant. Uses the zone's real rules (Brazil observed DST until
 * 2019), so historical orders convert correctly. Accepts 'T' or space, optional fraction, date-only.
 * A string that already carries an offset or Z (webhooks) is parsed as such.
 */
export function naiveSaoPauloToDate(value: string): Date {
  const s = value.trim()
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(s)) return new Date(s)
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/.exec(s)
  if (!m) throw new Error(`not a Loja Integrada date-time: ${JSON.stringify(value)}`)
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3))
  const wall = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
    ms,
  )
  // Two passes settle the offset even across a DST change.
  let utc = wall - offsetAt(wall)
  utc = wall - offsetAt(utc)
  return new Date(utc)
}

/** UTC instant → naive São Paulo wall-clock 'YYYY-MM-DDTHH:MM:SS' (for since_* filters). */
export function dateToNaiveSaoPaulo(date: Date): string {
  const local = new Date(date.getTime() + offsetAt(date.getTime()))
  return local.toISOString().slice(0, 19)
}

/** UTC instant → São Paulo calendar date 'YYYY-MM-DD' (coupon validade). */
export function dateToSaoPauloDay(date: Date): string {
  return dateToNaiveSaoPaulo(date).slice(0, 10)
}
