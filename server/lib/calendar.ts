import { dateToSaoPauloDay, naiveSaoPauloToDate } from './sao-paulo-time.ts'

/**
 * São Paulo calendar days ('YYYY-MM-DD') for the points lifecycle. Every rule here (expiry dates,
 * birthdays, campaign dates, pending periods) is about the shopper's calendar, never UTC's: an
 * order at 22:30 in São Paulo on the 31st is on the 31st, although it is already the 1st in UTC.
 * Instants become days only through the zone's real rules (sao-paulo-time.ts), so the code stays right
 * should Brazil bring daylight saving back (it had it until 2019; tests cover 2018's changes).
 * Day arithmetic itself is zone-free: a calendar day is a calendar day.
 */

export type Day = string

/** The São Paulo calendar day of an instant. */
export const saoPauloDay = (instant: Date): Day => dateToSaoPauloDay(instant)

const parse = (day: Day) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) throw new RangeError(`not a day: ${day}`)
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) }
}

const format = (y: number, m: number, d: number): Day =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()

export function addDays(day: Day, n: number): Day {
  const { y, m, d } = parse(day)
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}

/** `n` calendar months later; a day the target month lacks becomes its last (31/01 + 1 → 28/02 or 29/02). */
export function addMonths(day: Day, n: number): Day {
  const { y, m, d } = parse(day)
  const index = y * 12 + (m - 1) + n
  const ty = Math.floor(index / 12)
  const tm = (index % 12) + 1
  return format(ty, tm, Math.min(d, daysInMonth(ty, tm)))
}

/**
 * The first instant of a São Paulo day. Not always 00:00: on a daylight-saving start (Brazil,
 * until 2018) the clocks jumped from 23:59:59 to 01:00, so that day began at 01:00 local.
 */
export function startOfSaoPauloDay(day: Day): Date {
  let t = naiveSaoPauloToDate(`${day}T00:00:00`)
  // A wall time that did not exist resolves to an instant of the day before: step into the day.
  while (saoPauloDay(t) < day) t = new Date(t.getTime() + 3_600_000)
  return t
}

/** 'dd/mm/aaaa', for pt-BR texts. */
export function brDay(day: Day): string {
  const { y, m, d } = parse(day)
  return `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`
}

/**
 * The day a birthday falls on in `year`; 29 February is celebrated on 28 February in years
 * without it (the shopper still gets one bonus a year).
 */
export function birthdayIn(birthDate: Day, year: number): Day {
  const { m, d } = parse(birthDate)
  return format(year, m, Math.min(d, daysInMonth(year, m)))
}
