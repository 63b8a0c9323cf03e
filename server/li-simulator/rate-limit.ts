// LI's documented limits (reference §9): 100 requests/minute per store (code 633), 3,000
// per application key (code 533) and 1,200 per calling IP (code 133). Window semantics are undocumented; we use a sliding 60 s
// log (the strictest reasonable reading): a request is allowed when fewer than `limit`
// accepted requests happened in the last windowMs. Rejected requests do not count, so a
// client that waits out the window always recovers.

export interface RateLimitConfig {
  enabled: boolean
  /** Per store (all its chave_api keys and tokens share it). Default 100. */
  perStore: number
  /** Per application key (chave_aplicacao); null = not enforced. Default 3000. */
  perApplication: number | null
  /** Per client address (every credential and store calling from it); null = not enforced. Default 1200. */
  perIp: number | null
  /**
   * Take the client address from this request header instead of the socket (tests and benchmarks
   * simulate several egress IPs from one machine; Fidelis sends it with LI_EGRESS_HEADER). Default null.
   */
  ipHeader: string | null
  /** Default 60_000. */
  windowMs: number
  /** Send `Retry-After` (seconds) on 429. LI documents none, so default false. */
  retryAfter: boolean
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = {
  enabled: true,
  perStore: 100,
  perApplication: 3000,
  perIp: 1200,
  ipHeader: null,
  windowMs: 60_000,
  retryAfter: false,
}

export type LimitCode = 633 | 533 | 133
export type RateDecision = { ok: true } | { ok: false; code: LimitCode; retryAfterSec: number }

/** 429s answered per limit since the start (or the last reset): what a test or bench checks. */
export interface Violations {
  store: number
  application: number
  ip: number
}

const SCOPE: Record<LimitCode, keyof Violations> = { 633: 'store', 533: 'application', 133: 'ip' }

export class RateLimiter {
  config: RateLimitConfig
  private windows = new Map<string, number[]>()
  violations: Violations = { store: 0, application: 0, ip: 0 }

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
    this.violations = { store: 0, application: 0, ip: 0 }
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

  /**
   * Check and, when allowed, record one request for the store, the application (if any) and the
   * client address (if known). The IP is checked first: LI cannot know the store before it has
   * accepted the connection. A refusal counts one violation of the limit it names.
   */
  hit(storeId: string, applicationKey: string | null, nowMs: number, ip: string | null = null): RateDecision {
    const decision = this.decide(storeId, applicationKey, nowMs, ip)
    if (!decision.ok) this.violations[SCOPE[decision.code]]++
    return decision
  }

  private decide(storeId: string, applicationKey: string | null, nowMs: number, ip: string | null): RateDecision {
    if (!this.config.enabled) return { ok: true }
    const retry = (w: number[]) => Math.max(1, Math.ceil(((w[0] ?? nowMs) + this.config.windowMs - nowMs) / 1000))
    let ipWindow: number[] | null = null
    if (ip !== null && this.config.perIp !== null) {
      ipWindow = this.prune(`i:${ip}`, nowMs)
      if (ipWindow.length >= this.config.perIp) return { ok: false, code: 133, retryAfterSec: retry(ipWindow) }
    }
    const storeWindow = this.prune(`s:${storeId}`, nowMs)
    if (storeWindow.length >= this.config.perStore) return { ok: false, code: 633, retryAfterSec: retry(storeWindow) }
    let appWindow: number[] | null = null
    if (applicationKey !== null && this.config.perApplication !== null) {
      appWindow = this.prune(`a:${applicationKey}`, nowMs)
      if (appWindow.length >= this.config.perApplication)
        return { ok: false, code: 533, retryAfterSec: retry(appWindow) }
    }
    ipWindow?.push(nowMs)
    storeWindow.push(nowMs)
    appWindow?.push(nowMs)
    return { ok: true }
  }

  /** Requests counted in the current window for a store. */
  used(storeId: string, nowMs: number): number {
    return this.prune(`s:${storeId}`, nowMs).length
  }
}
