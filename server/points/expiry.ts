import type { LedgerKind } from '../db/schema.ts'
import { addDays, addMonths, saoPauloDay, type Day } from '../lib/calendar.ts'

/**
 * Points expiry as a pure function of a member's ledger (no I/O: tested directly, and reused by
 * the daily job, the widget's `me` and the e-mails).
 *
 * Every credit (earn, bonus, refund, positive adjust) is a *lot* earned on its São Paulo day, which
 * expires `expiryMonths` calendar months later (31/01 + 1 month = last day of February) — or, in a
 * cashback program, a number of days later (`Expiry`; the parameters keep their points name). Every
 * debit (redeem, reverse, expire, negative adjust) consumes the oldest lots first (FIFO), so a
 * redemption spends the points closest to expiring. Nothing about lots is stored: they are
 * recomputed from the entries, which are append-only, so no posting path (redemptions, orders,
 * adjustments) has to know about expiry.
 *
 * A refund of a redemption gives back the lots that redemption consumed, with their original
 * dates: letting a coupon lapse must not renew points (a refund as a fresh lot would turn
 * "redeem, let the coupon expire" into a way to keep points forever). Refunded points whose date
 * has already passed expire at the next daily run.
 *
 * `expire` entries are debits like the others: posted for exactly the remaining points of the
 * due lots, FIFO takes them from exactly those lots (due lots are the oldest), so once a lot has
 * expired it stays at zero and is never expired twice.
 */

/**
 * How long a credit lasts: calendar months (points: `expiry_months`), `{ days }` (a cashback
 * program's validity: `expiry_days`), or null = never.
 */
export type Expiry = number | { days: number } | null

/** A program's expiry from its rules row: days (cashback) win over months; at most one is ever set. */
export const expiryOf = (r: { expiry_months: number | null; expiry_days: number | null } | undefined): Expiry =>
  r?.expiry_days ? { days: r.expiry_days } : (r?.expiry_months ?? null)

/** The day a lot earned on `day` expires. */
export const addExpiry = (day: Day, e: Exclude<Expiry, null>): Day =>
  typeof e === 'number' ? addMonths(day, e) : addDays(day, e.days)

/** The earning day whose lots expire on `day` (the inverse of addExpiry, up to month-end clamping). */
export const subtractExpiry = (day: Day, e: Exclude<Expiry, null>): Day =>
  typeof e === 'number' ? addMonths(day, -e) : addDays(day, -e.days)

/** A stable text of an expiry, for cache keys. */
export const expiryKeyOf = (e: Expiry): string => (e === null ? '' : typeof e === 'number' ? `${e}m` : `${e.days}d`)

export interface LedgerFact {
  id: number
  kind: LedgerKind
  amount: number
  redemptionId: number | null
  createdAt: Date
}

export interface Lot {
  /** Stable name of the lot: the credit's entry id, plus `:n` for the parts of a refund. */
  key: string
  earnedOn: Day
  /** null when the program's points never expire. */
  expiresOn: Day | null
  remaining: number
}

export interface ExpiringPoints {
  points: number
  /** The São Paulo day the points expire: they can be spent until the day before. */
  on: Day
}

export interface DueExpiry extends ExpiringPoints {
  /** The first lot of the group (FIFO): with the member and day, it names the expire entry. */
  firstLot: string
}

/** The lots still holding points after every entry, oldest first (the order debits take them). */
export function pointLots(entries: readonly LedgerFact[], expiryMonths: Expiry): Lot[] {
  const lots: Lot[] = []
  // What each redemption's redeem entry took, lot by lot, so its refund can give the same back.
  const taken = new Map<number, Array<{ earnedOn: Day; amount: number }>>()
  const add = (lot: Lot) => {
    // Keep FIFO order: by earned day, then arrival. Refunded parts may land before newer lots.
    let i = lots.length
    while (i > 0 && lots[i - 1]!.earnedOn > lot.earnedOn) i--
    lots.splice(i, 0, lot)
  }
  const lot = (key: string, earnedOn: Day, remaining: number): Lot => ({
    key,
    earnedOn,
    expiresOn: expiryMonths ? addExpiry(earnedOn, expiryMonths) : null,
    remaining,
  })

  for (const e of [...entries].sort((a, b) => a.id - b.id)) {
    const day = saoPauloDay(e.createdAt)
    if (e.amount > 0) {
      let left = e.amount
      const parts = e.kind === 'refund' && e.redemptionId !== null ? taken.get(e.redemptionId) : undefined
      if (parts) {
        parts.forEach((p, i) => {
          const give = Math.min(p.amount, left)
          if (give > 0) add(lot(`${e.id}:${i}`, p.earnedOn, give))
          left -= give
        })
        taken.delete(e.redemptionId!)
      }
      if (left > 0) add(lot(String(e.id), day, left))
      continue
    }
    let need = -e.amount
    const took: Array<{ earnedOn: Day; amount: number }> = []
    while (need > 0 && lots.length) {
      const first = lots[0]!
      const use = Math.min(first.remaining, need)
      first.remaining -= use
      need -= use
      took.push({ earnedOn: first.earnedOn, amount: use })
      if (first.remaining === 0) lots.shift()
    }
    // A debit beyond every lot cannot happen (balances never go below zero); if old data has one,
    // the shortfall is simply ignored.
    if (e.kind === 'redeem' && e.redemptionId !== null) taken.set(e.redemptionId, took)
  }
  return lots
}

/** Lots due by `today` (their expiry day has come), grouped by expiry day: one expire entry each. */
export function dueExpiries(entries: readonly LedgerFact[], expiryMonths: Expiry, today: Day): DueExpiry[] {
  if (!expiryMonths) return []
  const out: DueExpiry[] = []
  for (const l of pointLots(entries, expiryMonths)) {
    if (l.expiresOn === null || l.expiresOn > today) break // FIFO order is expiry order
    const last = out[out.length - 1]
    if (last && last.on === l.expiresOn) last.points += l.remaining
    else out.push({ on: l.expiresOn, points: l.remaining, firstLot: l.key })
  }
  return out
}

/** Idempotency key of an expire entry: the member, the expiry day and the first lot it empties. */
export const expireKey = (memberId: number, due: DueExpiry) => `expire:${memberId}:${due.on}:${due.firstLot}`

/**
 * Points that will expire next, summed per expiry day, soonest first. Points already due but not
 * yet removed (the daily job runs just after midnight) are reported as expiring `today`.
 * `withinDays` keeps only days up to `today + withinDays` (e-mails: "expiring in the next 7
 * days"); `limit` keeps the first days only (the widget shows a few).
 */
export function upcomingExpiries(
  entries: readonly LedgerFact[],
  expiryMonths: Expiry,
  today: Day,
  opts: { withinDays?: number; limit?: number } = {},
): ExpiringPoints[] {
  if (!expiryMonths) return []
  const until = opts.withinDays === undefined ? null : addDays(today, opts.withinDays)
  const out: ExpiringPoints[] = []
  for (const l of pointLots(entries, expiryMonths)) {
    const on = l.expiresOn! < today ? today : l.expiresOn!
    if (until !== null && on > until) break
    const last = out[out.length - 1]
    if (last && last.on === on) last.points += l.remaining
    else {
      if (opts.limit !== undefined && out.length >= opts.limit) break
      out.push({ on, points: l.remaining })
    }
  }
  return out
}
