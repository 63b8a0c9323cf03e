import type { Executor } from '../db/database.ts'
import { saoPauloDay, type Day } from '../lib/calendar.ts'
import { type Expiry, type ExpiringPoints, expiryKeyOf, expiryOf, upcomingExpiries } from './expiry.ts'
import * as repo from './repository.ts'

/** What the widget's `me` needs of a program's rules (kept on WidgetProgram, read every 10 s). */
export interface MePointsRules {
  expiryMonths: number | null
  /** A cashback program's validity in days (wins over months; at most one is set). */
  expiryDays: number | null
  pendingDays: number
}

/** Expiry days the widget shows. */
export const ME_EXPIRING_DAYS = 3

/** The `me` fragment of a program with neither expiry nor a pending period: no query at all. */
export const NO_LIFECYCLE_JSON = '"pendingPoints":0,"expiring":[]'

interface CachedExpiring {
  lastEntryId: number
  today: Day
  expiry: string
  json: string
}

/** Most members' expiring lists kept per process (one short string each). */
const MAX_CACHED = 100_000

/**
 * Per database (so test apps in one process never share), the members' `expiring` JSON keyed by
 * their newest entry id, the São Paulo day and the expiry setting: FIFO over the ledger only
 * changes when an entry is posted (append-only, posted under the member's lock — the same
 * argument as widget/history-cache.ts), and "what expires next" only when the day changes.
 */
const caches = new WeakMap<object, Map<number, CachedExpiring>>()

/**
 * `"pendingPoints":…,"expiring":[…]` for the widget's `me` (spliced into its JSON by
 * widget/service.ts meJson). Costs nothing when the program has neither rule on; otherwise at
 * most one indexed query (none when neither part below is needed): pending points
 * (orders_member_pending_idx) when a pending period is on, plus — only when the cached expiring
 * list is stale — the member's ledger facts (ledger_entries_member_idx), fetched in the same
 * round trip.
 */
export async function meLifecycleParts(
  db: Executor,
  programId: string,
  rules: MePointsRules,
  memberId: number,
  lastEntryId: number | null,
): Promise<{ pending: number; expiring: string }> {
  const expiry = expiryOf({ expiry_months: rules.expiryMonths, expiry_days: rules.expiryDays })
  if (!expiry && rules.pendingDays === 0) return { pending: 0, expiring: '[]' }
  const today = saoPauloDay(new Date())
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new Map()))
  let expiring: string | undefined
  if (!expiry || lastEntryId === null) expiring = '[]'
  else {
    const hit = cache.get(memberId)
    if (hit && hit.lastEntryId === lastEntryId && hit.today === today && hit.expiry === expiryKeyOf(expiry))
      expiring = hit.json
  }
  const { pending, facts } = await repo.meLifecycle(db, programId, memberId, {
    pending: rules.pendingDays > 0,
    facts: expiring === undefined,
  })
  if (expiring === undefined) {
    expiring = JSON.stringify(upcomingExpiries(facts!, expiry, today, { limit: ME_EXPIRING_DAYS }))
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!)
    cache.delete(memberId)
    cache.set(memberId, { lastEntryId: lastEntryId!, today, expiry: expiryKeyOf(expiry), json: expiring })
  }
  return { pending, expiring }
}

export async function meLifecycleJson(
  db: Executor,
  programId: string,
  rules: MePointsRules,
  memberId: number,
  lastEntryId: number | null,
): Promise<string> {
  const { pending, expiring } = await meLifecycleParts(db, programId, rules, memberId, lastEntryId)
  return `"pendingPoints":${pending},"expiring":${expiring}`
}

/**
 * The `cashback` object of a cashback program's `me` (shared/api/cashback.ts WidgetCashback):
 * the same pending total and FIFO expiry as above, in cents, plus what becomes available on which
 * day (one more indexed query, only while a pending period is on).
 */
export async function meCashbackJson(
  db: Executor,
  programId: string,
  rules: MePointsRules,
  memberId: number,
  balance: number,
  lastEntryId: number | null,
): Promise<string> {
  const { pending, expiring } = await meLifecycleParts(db, programId, rules, memberId, lastEntryId)
  const lots = pending > 0 ? await repo.pendingByDay(db, programId, memberId, ME_EXPIRING_DAYS) : []
  const exp = (JSON.parse(expiring) as ExpiringPoints[]).map((e) => ({ cents: e.points, on: e.on }))
  return JSON.stringify({
    availableCents: balance,
    pendingCents: pending,
    pending: lots.map((l) => ({ cents: l.amount, availableOn: l.day })),
    expiring: exp,
  })
}

/**
 * For the e-mails ("your points expire in 30 / 7 days"): per member, the points expiring from
 * today up to `today + withinDays` (São Paulo days), summed per expiry day, soonest first — the
 * same FIFO the daily job and the widget use. Members with nothing expiring are left out. One
 * query for the whole batch; call it with a few hundred members at a time.
 * The pure core is `upcomingExpiries` in ./expiry.ts (give it `withinDays`).
 */
export async function pointsExpiringWithin(
  db: Executor,
  programId: string,
  expiryMonths: Expiry,
  memberIds: number[],
  withinDays: number,
  today: Day = saoPauloDay(new Date()),
): Promise<Map<number, ExpiringPoints[]>> {
  const out = new Map<number, ExpiringPoints[]>()
  if (!expiryMonths || memberIds.length === 0) return out
  for (const [memberId, facts] of await repo.ledgerFacts(db, programId, memberIds)) {
    const list = upcomingExpiries(facts, expiryMonths, today, { withinDays })
    if (list.length) out.set(memberId, list)
  }
  return out
}
