import type { Db } from '../db/database.ts'
import { liBudgetWaits } from '../lib/metrics.ts'
import { claimWindows, type WindowWant } from '../rate-limit/service.ts'

export const BUDGET_WINDOW_MS = 10_000

export interface GateClock {
  now(): number
  sleep(ms: number): Promise<void>
  /** 0 ≤ x < 1: spreads the waiters' retries over the start of the next window. */
  random?(): number
}

const realClock: GateClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  random: Math.random,
}

/**
 * Interactive work is what a person waits for (a redemption's coupon, an order a webhook
 * announced, a key being verified, a shopper's login look-up); bulk is what nobody waits for
 * (import and polling pages, reconciliation).
 */
export type RequestPriority = 'interactive' | 'bulk'
export type BudgetKind = 'store' | 'app' | 'ip'

/** The three LI limits a request counts against (reference §9), as we budget them. */
export interface BudgetSettings {
  /** Per store (LI: 100/min). */
  storePerMinute: number
  /** Per application key, the whole deployment (LI: 3,000/min). */
  appPerMinute: number
  /** Per calling IP (LI: 1,200/min): every process with the same `egressId` shares it. */
  ipPerMinute: number
  egressId: string
  /** Percent of every budget that bulk work leaves to interactive work. */
  interactiveReservePercent: number
}

/**
 * LI's request budgets kept in PostgreSQL, so every job and process shares them: the store's,
 * the application's (every store of the deployment) and the egress IP's (every process leaving
 * through it). A request takes one token from each, in one transaction (`claimWindows`): never
 * from one budget without the others.
 *
 * Counted in 10-second windows of limit/7: a sliding minute overlaps at most 7 such windows, so
 * we never exceed a limit in any 60 s however requests bunch up. When a window is spent the
 * caller waits for the next one instead of failing.
 *
 * Priorities (README, "Running many stores"): bulk requests may fill each window only up to
 * (100 − reserve) % of every budget; interactive ones may use all of it, so a coupon never waits
 * behind import pages — at worst for the next window, if interactive work alone spent the reserve.
 * Fairness between stores comes from the bulk side being thin: a store's sync is one job at a
 * time reading a page at a time, bulk tokens are claimed a few at a time, and the waiters of a
 * spent window retry at random moments of the first second of the next one, so each waiting
 * store gets about the same share of every window however many pages it has left.
 *
 * A 429 means someone else spent the quota (another app with the store's key, another process
 * behind the same IP): `pause` holds this process's requests back for the client's back-off — for
 * one store after a store 429, for every store after an app or IP 429 — so the waiting happens
 * here, shared, instead of each caller failing after its own retries.
 *
 * Bulk tokens are claimed a few at a time (doubling from one while a store keeps spending them, up
 * to a quarter of a store window and little of a shared one) so a fast sync does not pay a
 * database round trip per request; unused claimed tokens lapse with their window, which only ever
 * errs on the side of asking LI less. Interactive requests claim one per interactive caller
 * waiting at the gate (a batch of coupon jobs: one claim) and only they spend those tokens, so
 * no reserve token is carried over to bulk work.
 */
export type RequestGate = ((priority?: RequestPriority) => Promise<void>) & {
  /** Hold every request through this gate back for `ms` (from now; the longest pause wins). */
  pause(ms: number): void
}

export const perWindow = (perMinute: number) => Math.max(1, Math.floor(perMinute / 7))

/**
 * The most one class may hold of a window of `perMinute`: bulk work leaves `reservePercent` of it
 * (at most `reserveAtMost` tokens) to interactive work, which may use all of it.
 */
export function windowCap(
  perMinute: number,
  priority: RequestPriority,
  reservePercent: number,
  reserveAtMost = Number.POSITIVE_INFINITY,
): number {
  const all = perWindow(perMinute)
  if (priority === 'interactive') return all
  return Math.max(1, all - Math.min(reserveAtMost, Math.ceil((all * reservePercent) / 100)))
}

/**
 * A store's own window keeps one token back for its coupons and webhook orders, not a fifth: one
 * store's interactive work is a few requests a minute, and every token kept back from its import
 * makes its first import longer (at 90/min: 11 of 12 per window instead of 9 of 12, an import
 * ~22 % shorter than with the 20 % reserve). The shared app and IP windows keep the percentage:
 * many stores' coupons meet there.
 */
export const STORE_RESERVE_AT_MOST = 1

export const budgetKeys = (storeKey: string, s: BudgetSettings): Record<BudgetKind, string> => ({
  store: `li:${storeKey}`,
  app: 'li-app',
  ip: `li-ip:${s.egressId}`,
})

/** Pauses that hold every store of this process (an app or IP 429). */
const processPauses = new WeakMap<Db, { until: number }>()

export function requestGate(
  db: Db,
  storeKey: string,
  settings: BudgetSettings,
  clock: GateClock = realClock,
): RequestGate {
  const keys = budgetKeys(storeKey, settings)
  const kindOf = new Map(Object.entries(keys).map(([kind, key]) => [key, kind as BudgetKind]))
  const limits = (priority: RequestPriority): WindowWant[] => [
    {
      key: keys.store,
      limit: windowCap(settings.storePerMinute, priority, settings.interactiveReservePercent, STORE_RESERVE_AT_MOST),
    },
    { key: keys.app, limit: windowCap(settings.appPerMinute, priority, settings.interactiveReservePercent) },
    { key: keys.ip, limit: windowCap(settings.ipPerMinute, priority, settings.interactiveReservePercent) },
  ]
  const shared = Math.min(perWindow(settings.appPerMinute), perWindow(settings.ipPerMinute))
  const bulkChunk = Math.max(
    1,
    Math.min(25, Math.floor(perWindow(settings.storePerMinute) / 4), Math.floor(shared / 40)),
  )
  let processPause = processPauses.get(db)
  if (!processPause) processPauses.set(db, (processPause = { until: 0 }))
  const everyStore = processPause
  let tokens = 0
  let tokensWindow = -1
  let streak = 1
  let pausedUntil = 0
  // One claim in flight per gate; callers arriving meanwhile wait for it and share its tokens.
  // Without this, N concurrent coupon jobs each claimed at once, all updating the same
  // rate_limits rows (redeem bench, 100 jobs in flight: 639 claims for 1,000 requests instead
  // of 40, each waiting ~35 ms on the row's lock).
  let claiming: Promise<unknown> | null = null
  // Interactive callers inside the gate now, and tokens claimed for them. A claim for interactive
  // work takes one token per such caller (coupon jobs come in batches: one claim, not one each)
  // and only interactive callers spend those, so none is carried over to bulk work.
  let interactiveWaiting = 0
  let interactiveTokens = 0
  const gate = async (priority: RequestPriority = 'interactive') => {
    if (priority !== 'interactive') return pass(priority)
    interactiveWaiting++
    try {
      return await pass(priority)
    } finally {
      interactiveWaiting--
    }
  }
  const pass = async (priority: RequestPriority) => {
    for (;;) {
      const now = clock.now()
      const paused = Math.max(pausedUntil, everyStore.until)
      if (now < paused) {
        await clock.sleep(paused - now)
        continue
      }
      const start = Math.floor(now / BUDGET_WINDOW_MS) * BUDGET_WINDOW_MS
      if (tokensWindow === start && priority === 'interactive' && interactiveTokens > 0) {
        interactiveTokens--
        return
      }
      if (tokensWindow === start && tokens > 0) {
        tokens--
        return
      }
      if (claiming) {
        await claiming.catch(() => undefined) // its error is its caller's; this one claims again
        continue
      }
      // Slow start: a store that spent its last claim within this window claims twice as many
      // next time (up to bulkChunk); one that polls a page or two claims one or two, so hundreds
      // of polling stores do not each strand a chunk of the shared budgets every window.
      streak = tokensWindow === start ? Math.min(bulkChunk, streak * 2) : 1
      const want = priority === 'bulk' ? streak : Math.max(1, interactiveWaiting)
      const pending = claimWindows(db, new Date(start), limits(priority), want)
      claiming = pending
      let claim: Awaited<typeof pending>
      try {
        claim = await pending
      } finally {
        claiming = null
      }
      if (claim.granted > 0) {
        // Tokens of an older window are dropped: they no longer count in the database's window.
        if (tokensWindow !== start) interactiveTokens = tokens = 0
        tokensWindow = start
        if (priority === 'interactive') interactiveTokens += claim.granted - 1
        else tokens = claim.granted - 1
        return
      }
      for (const key of claim.short) liBudgetWaits.inc({ budget: kindOf.get(key) ?? 'store', priority })
      // Interactive waiters go first in the new window; bulk ones spread over its first second.
      const jitter = priority === 'interactive' ? 5 : 20 + Math.floor((clock.random?.() ?? 0.5) * 1000)
      await clock.sleep(start + BUDGET_WINDOW_MS - now + jitter)
    }
  }
  return Object.assign(gate, {
    pause(ms: number) {
      pausedUntil = Math.max(pausedUntil, clock.now() + ms)
    },
  })
}

/** After an app or IP 429: every store of this process waits `ms`. */
export function pauseEveryStore(db: Db, ms: number, clock: Pick<GateClock, 'now'> = realClock): void {
  let p = processPauses.get(db)
  if (!p) processPauses.set(db, (p = { until: 0 }))
  p.until = Math.max(p.until, clock.now() + ms)
}

const sharedGates = new WeakMap<Db, Map<string, RequestGate>>()

/**
 * The process's one gate per store (and budget): every LI client of this process for that store
 * draws on the same reserved tokens. A gate per client would reserve a chunk per job and use one
 * request of it — a coupon job would waste most of the store's budget.
 */
export function sharedRequestGate(db: Db, storeKey: string, settings: BudgetSettings): RequestGate {
  let byStore = sharedGates.get(db)
  if (!byStore) sharedGates.set(db, (byStore = new Map()))
  const s = settings
  const key = [storeKey, s.storePerMinute, s.appPerMinute, s.ipPerMinute, s.egressId, s.interactiveReservePercent].join(
    ':',
  )
  let gate = byStore.get(key)
  if (!gate) byStore.set(key, (gate = requestGate(db, storeKey, settings)))
  return gate
}
