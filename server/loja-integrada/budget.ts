import type { Db } from '../db/database.ts'
import { incrementWindow } from '../rate-limit/repository.ts'

const WINDOW_MS = 10_000

/**
 * A per-store request budget kept in PostgreSQL, so every job and process shares it. Counted in
 * 10-second windows of limit/7: a sliding minute overlaps at most 7 such windows, so we never
 * exceed `perMinute` in any 60 s however requests bunch up. When a window is spent the caller
 * waits for the next one instead of failing. LI answers 429 above 100/min per store; the client
 * still backs off if that happens (another app sharing the store's key, say).
 */
export function requestGate(db: Db, storeKey: string, perMinute: number, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))) {
  const perWindow = Math.max(1, Math.floor(perMinute / 7))
  return async () => {
    for (;;) {
      const now = Date.now()
      const start = Math.floor(now / WINDOW_MS) * WINDOW_MS
      const used = await incrementWindow(db, `li:${storeKey}`, new Date(start))
      if (used <= perWindow) return
      await sleep(start + WINDOW_MS - now + 5)
    }
  }
}
