import { centsToDecimal, dateToNaiveSaoPaulo } from './convert.ts'
import { agentFetch, type LiFetch, type LiResponse } from './http.ts'
import type {
  LiCoupon,
  LiCouponInput,
  LiCredentials,
  LiCustomer,
  LiOrder,
  LiOrderSummary,
  LiPage,
  LiStatus,
} from './types.ts'
import { type Json, toCoupon, toCustomer, toOrder, toOrderSummary, toPage, toStatus } from './wire.ts'

/** Which of LI's limits a 429 named (reference §9: code 633 store, 533 application, 133 IP). */
export type LiLimitScope = 'store' | 'app' | 'ip' | 'unknown'

export function limitScope(body: unknown): LiLimitScope {
  const code = body && typeof body === 'object' ? (body as { code?: unknown }).code : undefined
  return code === 633 ? 'store' : code === 533 ? 'app' : code === 133 ? 'ip' : 'unknown'
}

export type LiErrorKind = 'auth' | 'rate_limited' | 'unavailable' | 'validation' | 'not_found' | 'conflict'

/**
 * What the LI edge throws. It never reaches HTTP directly: services map it (a rejected key marks
 * the integration and answers 422; `unavailable` fails the job so pg-boss retries later).
 */
export class LiError extends Error {
  constructor(
    readonly kind: LiErrorKind,
    message: string,
    readonly status: number | null = null,
    /** Parsed body for validation errors, e.g. {"codigo": ["Já existe…"]}. */
    readonly body: unknown = undefined,
  ) {
    super(message)
    this.name = 'LiError'
  }
}

export interface LiClientOptions {
  baseUrl: string
  credentials: LiCredentials
  /** Per-attempt timeout. */
  timeoutMs?: number
  /** Called before every request attempt: the per-store request budget waits here. */
  gate?: () => Promise<void>
  /** Retries of 5xx / timeouts / malformed JSON before giving up with `unavailable`. */
  maxTransientRetries?: number
  /** Retries of 429 before giving up with `rate_limited` (unless rateLimitPatienceMs is set). */
  maxRateLimitRetries?: number
  /**
   * Keep retrying 429s until this much time was spent waiting on them (a sync job: 429 is
   * back-pressure, not a failure). Unset: give up after maxRateLimitRetries.
   */
  rateLimitPatienceMs?: number
  /** Longest wait after one 429 without Retry-After. Default 20 × baseDelayMs (10 s: one budget window). */
  rateLimitMaxDelayMs?: number
  /**
   * Called with the wait after a 429 instead of sleeping here: the per-store budget pauses every
   * client of the store (the gate then holds the next attempt back).
   */
  onRateLimited?: (waitMs: number, budget: LiLimitScope) => void
  /** Extra headers on every request (the egress id the simulator's per-IP limit counts by). */
  headers?: Record<string, string>
  baseDelayMs?: number
  maxDelayMs?: number
  /** Default `agentFetch` (node:http keep-alive); tests pass the in-process simulator's fetch. */
  fetch?: LiFetch
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** Observability hook: one call per HTTP attempt. */
  onRequest?: (info: { method: string; path: string; status: number | 'timeout' | 'network'; ms: number }) => void
}

/**
 * With wire.ts (answers → our types), the only code that knows Loja Integrada's wire shapes.
 * Works unchanged against the real API (https://api.awsli.com.br) and our simulator.
 */
export class LiClient {
  private readonly o: Required<
    Omit<
      LiClientOptions,
      'gate' | 'onRequest' | 'rateLimitPatienceMs' | 'onRateLimited' | 'rateLimitMaxDelayMs' | 'headers'
    >
  > &
    Pick<
      LiClientOptions,
      'gate' | 'onRequest' | 'rateLimitPatienceMs' | 'onRateLimited' | 'rateLimitMaxDelayMs' | 'headers'
    >

  constructor(options: LiClientOptions) {
    this.o = {
      timeoutMs: 10_000,
      maxTransientRetries: 3,
      maxRateLimitRetries: 8,
      baseDelayMs: 500,
      maxDelayMs: 60_000,
      fetch: agentFetch,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      random: Math.random,
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    }
  }

  // ---- statuses -------------------------------------------------------------------------------

  async listStatuses(): Promise<LiStatus[]> {
    const out: LiStatus[] = []
    for await (const page of this.pages('/v1/situacao/', { limit: '50' })) out.push(...page.objects.map(toStatus))
    return out
  }

  /** The cheapest authenticated call: used to verify a key when it is saved. */
  async verify(): Promise<void> {
    await this.request('GET', '/v1/situacao/', { query: { limit: '1' } })
  }

  // ---- orders ---------------------------------------------------------------------------------

  /**
   * One page of order summaries, 50 per page — the documented maximum. Filters: `sinceNumero`
   * (since_numero), `since` (since_atualizado, inclusive, whole seconds), `createdFrom` /
   * `createdTo` (since_criado inclusive / until_criado exclusive). The listing's order is
   * undocumented: the sync (integrations/sync-position.ts) checks every page instead of trusting it.
   * `servedAt` is LI's clock (Date header) at the answer.
   */
  async searchOrders(opts: {
    since?: Date
    sinceNumero?: number
    createdFrom?: Date
    createdTo?: Date
    offset?: number
    limit?: number
  }): Promise<LiPage<LiOrderSummary>> {
    const query: Record<string, string> = { limit: String(opts.limit ?? 50) }
    if (opts.sinceNumero !== undefined) query.since_numero = String(opts.sinceNumero)
    if (opts.since) query.since_atualizado = dateToNaiveSaoPaulo(opts.since)
    if (opts.createdFrom) query.since_criado = dateToNaiveSaoPaulo(opts.createdFrom)
    if (opts.createdTo) query.until_criado = dateToNaiveSaoPaulo(opts.createdTo)
    if (opts.offset) query.offset = String(opts.offset)
    const { body, date } = await this.send('GET', '/v1/pedido/search/', { query })
    return { ...toPage(body, toOrderSummary), servedAt: date }
  }

  async getOrder(numero: number): Promise<LiOrder> {
    return toOrder(await this.request('GET', `/v1/pedido/${numero}`))
  }

  // ---- customers ------------------------------------------------------------------------------

  /**
   * Customers modified at or after `since`, oldest change first (order_by=data_modificacao) so a
   * cursor can advance; keyed paging as for orders.
   */
  async searchCustomers(opts: { since?: Date; offset?: number; limit?: number }): Promise<LiPage<LiCustomer>> {
    const query: Record<string, string> = { limit: String(opts.limit ?? 100), order_by: 'data_modificacao' }
    if (opts.since) query.since_atualizado = dateToNaiveSaoPaulo(opts.since)
    if (opts.offset) query.offset = String(opts.offset)
    return toPage(await this.request('GET', '/v1/cliente/search/', { query }), toCustomer)
  }

  async findCustomerByEmail(email: string): Promise<LiCustomer | null> {
    const page = await this.request('GET', '/v1/cliente/search/', { query: { cliente_email: email, limit: '1' } })
    const first = (page?.objects ?? [])[0]
    return first ? toCustomer(first) : null
  }

  async getCustomer(id: number): Promise<LiCustomer> {
    return toCustomer(await this.request('GET', `/v1/cliente/${id}`))
  }

  // ---- coupons --------------------------------------------------------------------------------

  /**
   * Creates a coupon. Null when LI answered without a body (some answers are an empty 201 with
   * a Location header, reference §6): the coupon exists, and the caller finds it by its code.
   */
  async createCoupon(input: LiCouponInput): Promise<LiCoupon | null> {
    const body = {
      codigo: input.code,
      descricao: input.description,
      tipo: input.type,
      valor: input.type === 'frete_gratis' ? '0.00' : centsToDecimal(input.value),
      valor_minimo: input.minimumOrderCents === null ? null : centsToDecimal(input.minimumOrderCents),
      quantidade: input.quantity,
      quantidade_por_cliente: input.perCustomer,
      cumulativo: input.cumulative ?? false,
      aplicar_no_total: false,
      ativo: true,
      validade: input.validUntilDay,
      condicao_cliente: 'todos_clientes',
      condicao_produto: 'todos_produtos',
    }
    const res = await this.request('POST', '/v1/cupom/', { body })
    return res && typeof res === 'object' && res.id !== undefined ? toCoupon(res) : null
  }

  async getCoupon(id: number): Promise<LiCoupon> {
    return toCoupon(await this.request('GET', `/v1/cupom/${id}`))
  }

  /**
   * Turns a coupon off (`ativo: false`). LI's PUT wants the whole coupon (reference §6), so the
   * coupon is read and sent back as LI gave it, without its read-only fields, with only `ativo`
   * changed: fields we do not model (groups, categories, …) survive.
   */
  async deactivateCoupon(id: number): Promise<LiCoupon> {
    const current = (await this.request('GET', `/v1/cupom/${id}`)) as Record<string, Json>
    const {
      id: _id,
      resource_uri: _uri,
      quantidade_usada: _used,
      data_criacao: _created,
      data_modificacao: _modified,
      ...writable
    } = current
    const res = await this.request('PUT', `/v1/cupom/${id}`, { body: { ...writable, ativo: false } })
    // An answer without a body (as some creations get) is read back.
    return res && typeof res === 'object' && res.id !== undefined ? toCoupon(res) : this.getCoupon(id)
  }

  /** Pages the whole coupon list (LI has no look-up by code): only for reconciliation jobs. */
  async *listCoupons(): AsyncGenerator<LiCoupon> {
    for await (const page of this.pages('/v1/cupom/', { limit: '100' })) for (const c of page.objects) yield toCoupon(c)
  }

  // ---- webhooks -------------------------------------------------------------------------------

  async registerOrderWebhook(notifyUrl: string, token: string): Promise<void> {
    await this.request('PUT', '/webhooks/v1/pedido', { body: { notifyUrl, token } })
  }

  async unregisterOrderWebhook(notifyUrl: string, token: string): Promise<void> {
    await this.request('DELETE', '/webhooks/v1/pedido', { body: { notifyUrl, token } })
  }

  // ---- transport ------------------------------------------------------------------------------

  private async *pages(path: string, query: Record<string, string>): AsyncGenerator<{ objects: Json[] }> {
    let page = await this.request('GET', path, { query })
    for (;;) {
      yield { objects: page?.objects ?? [] }
      const next = page?.meta?.next
      if (!next) return
      page = await this.requestUri(next)
    }
  }

  /** Follows a `meta.next` URI (always `/api/v1/...`, relative to the host). */
  private requestUri(uri: string) {
    const url = new URL(uri, this.o.baseUrl + '/')
    const query = Object.fromEntries(url.searchParams)
    return this.request('GET', url.pathname, { query })
  }

  private authHeader(): string {
    const c = this.o.credentials
    return c.kind === 'chave_api' ? `chave_api ${c.apiKey} aplicacao ${c.appKey}` : `Basic ${c.token}`
  }

  private backoff(attempt: number): number {
    const exp = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** attempt)
    return Math.round(exp / 2 + this.o.random() * (exp / 2)) // "equal jitter"
  }

  async request(
    method: string,
    path: string,
    opts: { query?: Record<string, string>; body?: unknown } = {},
  ): Promise<Json> {
    return (await this.send(method, path, opts)).body
  }

  /** One request with its retries: the parsed body and LI's Date header (null if absent or unreadable). */
  private async send(
    method: string,
    path: string,
    opts: { query?: Record<string, string>; body?: unknown } = {},
  ): Promise<{ body: Json; date: Date | null }> {
    const qs = opts.query && Object.keys(opts.query).length ? '?' + new URLSearchParams(opts.query).toString() : ''
    const url = this.o.baseUrl + path + qs
    let transient = 0
    let limited = 0
    let limitedWaitMs = 0
    for (;;) {
      await this.o.gate?.()
      const started = performance.now()
      const ctrl = new AbortController()
      const timer = setTimeout(() => ctrl.abort(), this.o.timeoutMs)
      let res: LiResponse
      try {
        res = await this.o.fetch(url, {
          method,
          headers: {
            ...this.o.headers,
            authorization: this.authHeader(),
            accept: 'application/json',
            ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
          signal: ctrl.signal,
        })
      } catch (err) {
        clearTimeout(timer)
        const timedOut = ctrl.signal.aborted
        this.o.onRequest?.({ method, path, status: timedOut ? 'timeout' : 'network', ms: performance.now() - started })
        if (transient++ < this.o.maxTransientRetries) {
          await this.o.sleep(this.backoff(transient))
          continue
        }
        throw new LiError(
          'unavailable',
          timedOut
            ? `Loja Integrada did not answer in ${this.o.timeoutMs} ms`
            : `Loja Integrada unreachable: ${(err as Error).message}`,
        )
      }
      let text: string
      try {
        text = await res.text()
      } catch {
        text = ''
        if (ctrl.signal.aborted) res = new Response(null, { status: 599 })
      } finally {
        clearTimeout(timer)
      }
      this.o.onRequest?.({ method, path, status: res.status, ms: performance.now() - started })

      if (res.status === 401 || res.status === 403) {
        throw new LiError('auth', 'Loja Integrada rejected the credentials', res.status, safeJson(text))
      }
      if (res.status === 429) {
        limited++
        const patient = this.o.rateLimitPatienceMs !== undefined
        if (patient ? limitedWaitMs < this.o.rateLimitPatienceMs! : limited <= this.o.maxRateLimitRetries) {
          const retryAfter = Number(res.headers.get('retry-after'))
          const cap = this.o.rateLimitMaxDelayMs ?? 20 * this.o.baseDelayMs
          const wait =
            Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.min(cap, this.backoff(limited))
          limitedWaitMs += wait
          // With a shared budget the wait happens in its gate, for every client of the store.
          if (this.o.onRateLimited) this.o.onRateLimited(wait, limitScope(safeJson(text)))
          else await this.o.sleep(wait)
          continue
        }
        throw new LiError('rate_limited', 'Loja Integrada kept answering 429', 429)
      }
      if (res.status >= 500) {
        if (transient++ < this.o.maxTransientRetries) {
          await this.o.sleep(this.backoff(transient))
          continue
        }
        throw new LiError('unavailable', `Loja Integrada answered ${res.status}`, res.status)
      }
      if (res.status === 404) throw new LiError('not_found', `Loja Integrada: ${method} ${path} not found`, 404)
      if (res.status === 409) throw new LiError('conflict', 'Loja Integrada answered 409', 409, safeJson(text))
      if (res.status >= 400)
        throw new LiError(
          'validation',
          `Loja Integrada refused the request (${res.status})`,
          res.status,
          safeJson(text),
        )

      const date = serverDate(res.headers.get('date'))
      if (res.status === 204 || text === '') return { body: null, date }
      try {
        return { body: JSON.parse(text), date }
      } catch {
        if (transient++ < this.o.maxTransientRetries) {
          await this.o.sleep(this.backoff(transient))
          continue
        }
        throw new LiError('unavailable', 'Loja Integrada sent a body that is not JSON', res.status)
      }
    }
  }
}

function serverDate(header: string | null): Date | null {
  const ms = header ? Date.parse(header) : NaN
  return Number.isFinite(ms) ? new Date(ms) : null
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text || undefined
  }
}
