// Fault switches: runtime-settable misbehaviour so clients can be tested against a hostile LI.
// Each fault matches by store (or all stores), optional path/method, lets `after` matching
// requests through, then affects the next `count` ones (default: until cleared).

export type FaultKind =
  /** 429 with LI's per-store body (code 633), regardless of the real limiter. */
  | 'rate_limit'
  /** 5xx (default 500) with Django's HTML error page. */
  | 'server_error'
  /** Answer normally after `delayMs` (default 2000). */
  | 'slow'
  /** Hang until the client aborts (in-process: the Request's signal) or `delayMs` passes (then 504). */
  | 'timeout'
  /** 200-ish answer whose JSON body is cut in half. */
  | 'malformed_json'
  /** The credential becomes invalid: this and every later request with it → 401. */
  | 'revoke_key'
  /** After each page of a pedido list, K orders appear before the served page (see drift.ts). */
  | 'offset_drift'
  /** Webhook deliveries are silently not sent. */
  | 'webhook_drop'
  /** Webhook deliveries are sent twice. */
  | 'webhook_duplicate'

export const FAULT_KINDS: readonly FaultKind[] = [
  'rate_limit',
  'server_error',
  'slow',
  'timeout',
  'malformed_json',
  'revoke_key',
  'offset_drift',
  'webhook_drop',
  'webhook_duplicate',
]

export interface FaultSpec {
  kind: FaultKind
  /** Store id or any credential of it; omitted = every store. */
  store?: string
  /** Requests (pages for offset_drift, deliveries for webhook_*) affected; omitted = until cleared. */
  count?: number
  /** Let this many matching requests through unaffected first. */
  after?: number
  /**
   * Only requests whose resource path (e.g. "/pedido/search", "/cupom/781001") contains this text
   * or matches this regex.
   */
  path?: string | RegExp
  /** Only this HTTP method. */
  method?: string
  /** slow: delay; timeout: give up after this long (default: the simulator's hangMs). */
  delayMs?: number
  /** server_error: status to answer (default 500). */
  status?: number
  /** revoke_key: the credential to revoke (default: the one the triggering request used). */
  credential?: string
  /** offset_drift: orders per page (default 1). */
  perPage?: number
  /**
   * offset_drift: "insert" (default) creates orders that sort before the served page (free
   * numeros below it, backdated data_modificacao for since_atualizado paging, or simply new
   * orders for descending sorts); "touch" edits orders already served so they move to the
   * end of a data_modificacao-ordered list (later pages shift back, a client skips items).
   */
  mode?: 'insert' | 'touch'
}

export interface ActiveFault {
  id: number
  spec: FaultSpec
  /** Resolved store id, or null for all stores. */
  storeId: string | null
  remaining: number
  passed: number
  hits: number
}

export interface FaultMatchContext {
  storeId: string | null
  resource: string
  method: string
}

export class FaultController {
  private faults: ActiveFault[] = []
  private nextId = 1
  private hangReleases = new Set<() => void>()

  constructor(private readonly resolveStore: (ref: string) => string | undefined) {}

  /** Activate a fault; returns its handle (use `clear(handle.id)` to remove it early). */
  inject(spec: FaultSpec): ActiveFault {
    if (!FAULT_KINDS.includes(spec.kind)) throw new Error(`unknown fault kind ${String(spec.kind)}`)
    let storeId: string | null = null
    if (spec.store !== undefined) {
      const resolved = this.resolveStore(spec.store)
      if (!resolved) throw new Error(`unknown store ${spec.store}`)
      storeId = resolved
    }
    const fault: ActiveFault = {
      id: this.nextId++,
      spec,
      storeId,
      remaining: spec.count ?? Infinity,
      passed: 0,
      hits: 0,
    }
    this.faults.push(fault)
    return fault
  }

  /** Remove one fault by id, all faults of a kind, or everything. */
  clear(which?: number | FaultKind): void {
    if (which === undefined) this.faults = []
    else this.faults = this.faults.filter((f) => (typeof which === 'number' ? f.id !== which : f.spec.kind !== which))
  }

  list(): ActiveFault[] {
    return [...this.faults]
  }

  /**
   * The first active fault of `kind` that applies to this request, consuming one use.
   * Matching faults still in their `after` allowance count this request as passed.
   */
  take(kind: FaultKind, ctx: FaultMatchContext): ActiveFault | undefined {
    for (const f of this.faults) {
      if (f.spec.kind !== kind || !this.matches(f, ctx)) continue
      if (f.passed < (f.spec.after ?? 0)) {
        f.passed++
        continue
      }
      f.hits++
      f.remaining--
      if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f)
      return f
    }
    return undefined
  }

  private matches(f: ActiveFault, ctx: FaultMatchContext): boolean {
    if (f.storeId !== null && f.storeId !== ctx.storeId) return false
    if (f.spec.method !== undefined && f.spec.method.toUpperCase() !== ctx.method.toUpperCase()) return false
    const p = f.spec.path
    if (p !== undefined && (typeof p === 'string' ? !ctx.resource.includes(p) : !p.test(ctx.resource))) return false
    return true
  }

  /** Registered by hanging requests so tests and close() can end them. */
  onRelease(release: () => void): () => void {
    this.hangReleases.add(release)
    return () => this.hangReleases.delete(release)
  }

  /** End every request hanging on a `timeout` fault (they answer 504). */
  releaseHangs(): void {
    for (const r of this.hangReleases) r()
    this.hangReleases.clear()
  }

  get hanging(): number {
    return this.hangReleases.size
  }
}
