// Every LI API request the simulator received, for assertions and request-count benchmarks.
// Credentials are masked: the log may be printed by tests, and secrets never go to logs.

export type AuthKind =
  /** Authorization: chave_api K aplicacao A */
  | 'chave_api'
  /** ?chave_api=K&chave_aplicacao=A */
  | 'query'
  /** Authorization: Basic TOKEN */
  | 'personal_token'
  /** No credentials at all. */
  | 'none'
  /** Header and query credentials in one request. */
  | 'mixed'
  /** An Authorization header in no known form, or half a query pair. */
  | 'malformed'

export interface RequestLogEntry {
  seq: number
  /** Simulator clock time (ISO, UTC). */
  at: string
  method: string
  /** As received, e.g. "/api/v1/pedido/search/". */
  path: string
  /** Canonical resource path without prefix/trailing slash, e.g. "/pedido/search"; null for non-API paths. */
  resource: string | null
  /** Query parameters; credential values masked as "***". */
  query: Record<string, string>
  authKind: AuthKind
  /** The store the credentials resolved to (null when auth failed). */
  storeId: string | null
  /** Final HTTP status; 0 while in flight; 499 when the client aborted. */
  status: number
  /** Fault kind applied to this request, if any. */
  fault: string | null
}

export class RequestLog {
  private items: RequestLogEntry[] = []
  private seq = 0
  /** Requests received since the last clear (not capped by `limit`). */
  total = 0

  constructor(private readonly limit: number) {}

  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const full = { ...entry, seq: ++this.seq }
    this.items.push(full)
    this.total++
    // Bounded so a long benchmark cannot grow it without end; drop the oldest in bulk.
    if (this.items.length > this.limit) this.items.splice(0, this.items.length - this.limit)
    return full
  }

  /** Entries (oldest first), optionally filtered. */
  entries(filter?: (e: RequestLogEntry) => boolean): RequestLogEntry[] {
    return filter ? this.items.filter(filter) : [...this.items]
  }

  count(filter?: (e: RequestLogEntry) => boolean): number {
    return filter ? this.items.filter(filter).length : this.items.length
  }

  clear(): void {
    this.items = []
    this.total = 0
  }
}
