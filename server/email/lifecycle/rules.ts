import { addDays, saoPauloDay, startOfSaoPauloDay, type Day } from '../../lib/calendar.ts'
import { ptBR } from '../templates/pt-BR.ts'

/** Pure rules of the lifecycle e-mails: no I/O, tested directly (rules.test.ts). */

// ---- the welcome drip ----------------------------------------------------------------------------

/** How far ahead one drip run schedules sends: the run's own period (the cron runs every minute). */
export const DRIP_HORIZON_MS = 60_000

export interface SlotPlan {
  /** Send times of the e-mails to queue now, evenly spaced, none before `now`. */
  slots: Date[]
  /** Where the next run continues (persisted with the queued rows). */
  nextSlot: Date
}

/** Whole milliseconds between two sends, rounded up: float drift could fit one send too many in a minute. */
export const slotSpacingMs = (perMinute: number) => Math.ceil(60_000 / perMinute)

/**
 * Paces welcome e-mails at `perMinute`: one send every 60/perMinute seconds, continuing from the
 * persisted `nextSlot` so the spacing holds across runs, processes and restarts. A run schedules
 * only the slots inside its horizon [now, now + horizon): running again before the horizon has
 * passed finds no free slot, and a run that comes late (a restart) starts at `now` instead of
 * catching up — a pause never turns into a burst.
 */
export function planSlots(input: {
  nextSlot: Date | null
  now: Date
  perMinute: number
  pending: number
  horizonMs?: number
}): SlotPlan {
  const spacing = slotSpacingMs(input.perMinute)
  const end = input.now.getTime() + (input.horizonMs ?? DRIP_HORIZON_MS)
  let t = Math.max(input.nextSlot?.getTime() ?? 0, input.now.getTime())
  const slots: Date[] = []
  while (slots.length < input.pending && t < end) {
    slots.push(new Date(t))
    t += spacing
  }
  return { slots, nextSlot: slots.length ? new Date(t) : (input.nextSlot ?? input.now) }
}

// ---- São Paulo days ------------------------------------------------------------------------------

/** The instants [start, end) of a São Paulo day (23, 24 or 25 hours long when DST existed). */
export function dayBounds(day: Day): { start: Date; end: Date } {
  return { start: startOfSaoPauloDay(day), end: startOfSaoPauloDay(addDays(day, 1)) }
}

/** São Paulo hour of an instant (0–23). */
export function saoPauloHour(now: Date): number {
  return Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Sao_Paulo', hour: '2-digit', hourCycle: 'h23' }).format(now),
  )
}

/** Lifecycle e-mails other than welcomes go out in daytime, São Paulo: nobody wants one at 3 a.m. */
export const SEND_FROM_HOUR = 8

/**
 * The São Paulo days whose "points earned" digest is due at `now`: yesterday's, from 08:00 —
 * plus the day before, so a day missed whole (an outage) is still sent. Nothing at night. Today's
 * entries wait for tomorrow: one digest per member per day, covering the whole day.
 */
export function digestDays(now: Date): Day[] {
  const today = saoPauloDay(now)
  if (saoPauloHour(now) < SEND_FROM_HOUR) return []
  return [addDays(today, -2), addDays(today, -1)]
}

/** Whole days from `from` to `to` (both São Paulo calendar days). */
export function daysBetween(from: Day, to: Day): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

// ---- points earned -------------------------------------------------------------------------------

export interface CreditFact {
  id: number
  kind: string
  amount: number
  reason: string
  orderRef: string | null
  createdAt: Date
  /** When it happened: for an order's earn, when the order was placed (ledger occurred_at). */
  occurredAt: Date
}

/** An earn is about a purchase; one whose order was placed longer ago than this is history. */
export const HISTORY_AFTER_DAYS = 30

export interface DigestInput {
  day: Day
  credits: CreditFact[]
  /** Points taken back the same day per order ref (a cancellation right after the purchase). */
  reversedByRef: Map<string, number>
  /** When each order was placed (orders of `credits`), to leave out imported history. */
  placedAtByRef: Map<string, Date>
  /** Credits at or before this instant are already in what the member was told (the welcome's balance). */
  cutoff: Date | null
}

export interface Digest {
  total: number
  /** `orderDay`: the São Paulo day the order of a purchase's points was placed (the digest's day is when they came in). */
  lines: Array<{ text: string; points: number; orderDay?: Day }>
  /** pt-BR "why": the day and what earned, e.g. "pedidos nº 123, 124 e mais 2". */
  causes: string
}

/**
 * One member's digest of one day: earn and bonus entries, less what the same day reversed of the
 * same orders; earns for orders placed long before (the first import of a store's history) and
 * credits the welcome e-mail already reported are left out. Null when nothing is left to tell.
 */
export function composeDigest(input: DigestInput): Digest | null {
  const lines: Digest['lines'] = []
  const orders: string[] = []
  const others: string[] = []
  for (const c of [...input.credits].sort((a, b) => a.id - b.id)) {
    if (c.amount <= 0 || (c.kind !== 'earn' && c.kind !== 'bonus')) continue
    if (input.cutoff && c.createdAt.getTime() <= input.cutoff.getTime()) continue
    let points = c.amount
    if (c.orderRef) {
      const placed = input.placedAtByRef.get(c.orderRef)
      if (c.kind === 'earn' && placed && placed.getTime() < c.createdAt.getTime() - HISTORY_AFTER_DAYS * 86_400_000)
        continue
      const reversed = input.reversedByRef.get(c.orderRef) ?? 0
      const taken = Math.min(reversed, points)
      if (taken) input.reversedByRef.set(c.orderRef, reversed - taken)
      points -= taken
    }
    if (points <= 0) continue
    lines.push(
      c.orderRef && c.kind === 'earn'
        ? { text: c.reason, points, orderDay: saoPauloDay(c.occurredAt) }
        : { text: c.reason, points },
    )
    if (c.orderRef) orders.push(orderNumber(c.orderRef))
    else others.push(c.reason)
  }
  if (lines.length === 0) return null
  const total = lines.reduce((s, l) => s + l.points, 0)
  const t = ptBR.pointsEarned
  const parts: string[] = []
  if (orders.length) {
    const shown = [...new Set(orders)]
    parts.push(
      shown.length === 1
        ? t.order(shown[0]!)
        : t.orders(shown.slice(0, 3)) + (shown.length > 3 ? ` ${t.more(shown.length - 3)}` : ''),
    )
  }
  for (const o of [...new Set(others)].slice(0, 2)) parts.push(o.charAt(0).toLowerCase() + o.slice(1))
  return { total, lines, causes: parts.join('; ') }
}

/** 'li:123' → '123'; an ERP's 'erp:PED-9' → 'PED-9'. */
export function orderNumber(ref: string): string {
  const i = ref.indexOf(':')
  return i >= 0 ? ref.slice(i + 1) : ref
}

// ---- reminders -----------------------------------------------------------------------------------

/** A coupon is reminded about once, when it has at most this many days left… */
export const COUPON_REMIND_DAYS = 7
/**
 * …and was issued at least this many days before (a short coupon is not reminded right after the
 * redemption e-mail).
 */
export const COUPON_MIN_AGE_DAYS = 2

export function couponReminderDue(input: { issuedAt: Date; validUntil: Day; now: Date }): {
  due: boolean
  daysLeft: number
} {
  const today = saoPauloDay(input.now)
  const daysLeft = daysBetween(today, input.validUntil)
  const age = daysBetween(saoPauloDay(input.issuedAt), today)
  return { due: daysLeft >= 0 && daysLeft <= COUPON_REMIND_DAYS && age >= COUPON_MIN_AGE_DAYS, daysLeft }
}

/**
 * The two expiry notices. A notice lists the points expiring in its window — the 7-day one from
 * today, the 30-day one after those 7 days, so one lot is not announced twice on the same day —
 * and goes to one member at most once per `days`: with points earned every day, a lot enters the
 * window every day, and one e-mail a day would be spam.
 */
export const EXPIRY_NOTICES = [
  { days: 7, fromDay: 0 },
  { days: 30, fromDay: 8 },
] as const

export interface ExpiringLot {
  points: number
  /** São Paulo day the points expire. */
  on: Day
}

/** The lots of `upcoming` (soonest first) inside one notice's window. */
export function noticeLots(
  upcoming: readonly ExpiringLot[],
  notice: { days: number; fromDay: number },
  today: Day,
): ExpiringLot[] {
  const from = addDays(today, notice.fromDay)
  const to = addDays(today, notice.days)
  return upcoming.filter((l) => l.points > 0 && l.on >= from && l.on <= to)
}
