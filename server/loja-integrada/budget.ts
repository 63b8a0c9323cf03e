import type { Db } from '../db/database.ts'
import { incrementWindow } from '../rate-limit/service.ts'

export const BUDGET_WINDOW_MS = 10_000

export interface GateClock {
  now(): number
  sleep(ms: number): Promise<void>
}

const realClock: GateClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }

/**
 * A per-store request budget kept in PostgreSQL, so every job and process shares it. Counted in
 * 10-second windows of limit/7: a sliding minute overlaps at most 7 such windows, so we never
 * exceed `perMinute` in any 60 s however requests bunch up. When a window is spent the caller
 * waits for the next one instead of failing. LI answers 429 above 100/min per store; the client
 * still backs off if that happens (another app sharing the store's key, say).
 *
 * A 429 means someone else is using the store's quota (another app with the same key): `pause`
 * holds every request of this process for that store back for the client's back-off, so the
 * waiting happens here, shared, instead of each caller failing after its own retries. (Another
 * process pauses when it meets its own 429.)
 *
 * Tokens are claimed a few at a time (a quarter of a window, at most 25) so a fast sync does not
 * pay a database round trip per request; unused claimed tokens lapse with their window, which
 * only ever errs on the side of asking LI less.
 */
export type RequestGate = (() => Promise<void>) & {
  /** Hold every request through this gate back for `ms` (from now; the longest pause wins). */
  pause(ms: number): void
}

export function requestGate(db: Db, storeKey: string, perMinute: number, clock: GateClock = realClock): RequestGate {
  const perWindow = Math.max(1, Math.floor(perMinute / 7))
  const chunk = Math.max(1, Math.min(25, Math.floor(perWindow / 4)))
  let tokens = 0
  let tokensWindow = -1
  let pausedUntil = 0
  // One claim in flight per gate; callers arriving meanwhile wait for it and share its tokens.
  // Without this, N concurrent coupon jobs each claimed a chunk at once, all updating the
  // store's one rate_limits row (redeem bench, 100 jobs in flight: 639 claims for 1,000
  // requests instead of 40, each waiting ~35 ms on that row's lock), and wasted what they
  // did not use.
  let claiming: Promise<void> | null = null
  let spentWindow = -1
  const gate = async () => {
    for (;;) {
      const now = clock.now()
      if (now < pausedUntil) {
        await clock.sleep(pausedUntil - now)
        continue
      }
      const start = Math.floor(now / BUDGET_WINDOW_MS) * BUDGET_WINDOW_MS
      if (tokensWindow === start && tokens > 0) {
        tokens--
        return
      }
      if (claiming) {
        await claiming.catch(() => undefined) // its error is its caller's; this one claims again
        continue
      }
      if (spentWindow !== start) {
        const claim = incrementWindow(db, `li:${storeKey}`, new Date(start), chunk).then((count) => {
          const granted = Math.min(chunk, perWindow - (count - chunk))
          if (granted > 0) [tokensWindow, tokens] = [start, granted]
          else spentWindow = start
        })
        claiming = claim
        try {
          await claim
        } finally {
          claiming = null
        }
        continue
      }
      await clock.sleep(start + BUDGET_WINDOW_MS - now + 5)
    }
  }
  return Object.assign(gate, {
    pause(ms: number) {
      pausedUntil = Math.max(pausedUntil, clock.now() + ms)
    },
  })
}

const sharedGates = new WeakMap<Db, Map<string, RequestGate>>()

/**
 * The process's one gate per store (and budget): every LI client of this process for that store
 * draws on the same reserved tokens. A gate per client would reserve a chunk per job and use one
 * request of it — a coupon job would waste most of the store's budget.
 */
export function sharedRequestGate(db: Db, storeKey: string, perMinute: number): RequestGate {
  let byStore = sharedGates.get(db)
  if (!byStore) sharedGates.set(db, (byStore = new Map()))
  const key = `${storeKey}:${perMinute}`
  let gate = byStore.get(key)
  if (!gate) byStore.set(key, (gate = requestGate(db, storeKey, perMinute)))
  return gate
}
