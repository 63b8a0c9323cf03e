// LI's documented limits (reference §9): 100 requests/minute per store (code 633) and 3,000
// per application key (code 533). Window semantics are undocumented; we use a sliding 60 s
// log (the strictest reasonable reading): a request is allowed when fewer than `limit`
// accepted requests happened in the last windowMs. Rejected requests do not count, so a
// client that waits out the window always recovers.

export interface RateLimitConfig {
  enabled: boolean
  /** Per store (all its chave_api keys and tokens share it). Default 100. */
  perStore: number
  /** Per application key (chave_aplicacao); null = not enforced. Default 3000. */
  perApplication: number | null
  /** Default 60_000. */
  windowMs: number
  /** Send `Retry-After` (seconds) on 429. LI documents none, so default false. */
  retryAfter: boolean
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = {
  enabled: true,
  perStore: 100,
  perApplication: 3000,
  windowMs: 60_000,
  retryAfter: false,
}

export type RateDecision = { ok: true } | { ok: false; code: 633 | 533; retryAfterSec: number }

export class RateLimiter {
  config: RateLimitConfig
  private windows = new Map<string, number[]>()

  constructor(config: Partial<RateLimitConfig> | false | undefined) {
    this.config = config === false ? { ...DEFAULT_RATE_LIMIT, enabled: false } : { ...DEFAULT_RATE_LIMIT, ...config }
  }

  configure(patch: Partial<RateLimitConfig>): RateLimitConfig {
    this.config = { ...this.config, ...patch }
    return this.config
  }

  /** Forget every window (e.g. between test phases). */
  reset(): void {
    this.windows.clear()
  }

  private prune(key: string, nowMs: number): number[] {
    let w = this.windows.get(key)
    if (!w) {
      w = []
      this.windows.set(key, w)
    }
    const cutoff = nowMs - this.config.windowMs
    let drop = 0
    while (drop < w.length && (w[drop] ?? 0) <= cutoff) drop++
    if (drop > 0) w.splice(0, drop)
    return w
  }

  /** Check and, when allowed, record one request for the store (and application, if any). */
  hit(storeId: string, applicationKey: string | null, nowMs: number): RateDecision {
    if (!this.config.enabled) return { ok: true }
    const storeWindow = this.prune(`s:${storeId}`, nowMs)
    const retry = (w: number[]) => Math.max(1, Math.ceil(((w[0] ?? nowMs) + this.config.windowMs - nowMs) / 1000))
    if (storeWindow.length >= this.config.perStore) return { ok: false, code: 633, retryAfterSec: retry(storeWindow) }
    let appWindow: number[] | null = null
    if (applicationKey !== null && this.config.perApplication !== null) {
      appWindow = this.prune(`a:${applicationKey}`, nowMs)
      if (appWindow.length >= this.config.perApplication)
        return { ok: false, code: 533, retryAfterSec: retry(appWindow) }
    }
    storeWindow.push(nowMs)
    appWindow?.push(nowMs)
    return { ok: true }
  }

  /** Requests counted in the current window for a store. */
  used(storeId: string, nowMs: number): number {
    return this.prune(`s:${storeId}`, nowMs).length
  }
}
