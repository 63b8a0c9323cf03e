// The simulated Loja Integrada HTTP API as a Hono app (reference: /work/shared/reference/
// loja-integrada-api.md). Every request passes one gateway middleware: request log → auth →
// revoke-key fault → per-store rate limit → injected faults → handler → post-faults
// (malformed JSON, offset drift).
//
// Choices where the reference is silent are marked "CHOICE:" so they are easy to find.

import { Hono, type Context } from 'hono'
import { getStatus, findStatusById, PAYMENT_METHODS, STATUSES, SHIPPING_METHODS } from './catalog.ts'
import { parseCouponPayload } from './coupons.ts'
import { FaultController, type ActiveFault } from './faults.ts'
import { createAdminApp } from './admin.ts'
import { RateLimiter, type RateLimitConfig } from './rate-limit.ts'
import {
  couponJson,
  customerDetail,
  customerLight,
  historyJson,
  orderDetail,
  orderSummary,
  productDetail,
  productListItem,
  productPrice,
  productStock,
  statusJson,
  uri,
  type Json,
} from './render.ts'
import { RequestLog, type AuthKind, type RequestLogEntry } from './request-log.ts'
import { evolveStore, seedStore, type EvolveOptions, type EvolveResult, type SeededStore, type SeedOptions } from './seed.ts'
import {
  ENVIO_ID_OFFSET,
  SimError,
  type CustomerFilter,
  type CustomerSortField,
  type OrderFilter,
  type OrderSortField,
  type SimOrder,
  type SimStore,
  type Sliceable,
  type Sort,
} from './store.ts'
import { SimState } from './sim-state.ts'
import { offsetClock, parseLiDateTime, type Clock, type Micros } from './time.ts'
import { WebhookDispatcher, type FetchLike } from './webhooks.ts'
import type { LiSimulator, ServedPage, SimEnv } from './types.ts'

export type { LiSimulator, SimEnv } from './types.ts'

/** Used when no applicationKeys option is given (36 chars, UUID-like, as LI issues them). */
export const DEFAULT_APPLICATION_KEY = 'f1de1150-0000-4000-a000-00000000a11c'

export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>

export interface LiSimulatorOptions {
  /** Source of "now" for dates, rate-limit windows and the request log. Default: real time + adjustable offset. */
  clock?: Clock
  /** Accepted chave_aplicacao values. Default [DEFAULT_APPLICATION_KEY]. */
  applicationKeys?: string[]
  /** Partial config (defaults: 100/min per store, 3000/min per app, 60 s, no Retry-After) or false to disable. */
  rateLimit?: Partial<RateLimitConfig> | false
  /** Used to deliver webhooks. Default: globalThis.fetch. */
  fetch?: FetchLike
  /** Used by the `slow` fault and the `timeout` fault's cap. Default: setTimeout, abortable. */
  sleep?: SleepFn
  /** How long a `timeout` fault hangs when the client never aborts. Default 300_000 ms. */
  hangMs?: number
  /** Largest offset+limit accepted (reference §2 "deep offsets"). Default 10_000. */
  maxOffsetWindow?: number
  /** Request-log entries kept. Default 100_000. */
  requestLogLimit?: number
  /** Per-delivery webhook timeout. Default 10_000 ms. */
  webhookTimeoutMs?: number
  /** Stores to seed at start. */
  stores?: SeedOptions[]
}

type C = Context<SimEnv>

export class BadRequest extends Error {
  constructor(readonly body: Json) {
    super('bad request')
  }
}

const DENIED = { error_message: 'Acesso negado' }
const API_RE = /^\/(?:api\/)?v1(\/.*)?$/
const WEBHOOK_RE = /^\/webhooks\/v1(\/.*)?$/
const MASKED_PARAMS = new Set(['chave_api', 'chave_aplicacao'])

function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'name' in err && (err.name === 'AbortError' || err.name === 'TimeoutError')
}

const defaultSleep: SleepFn = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })

function canonicalResource(rest: string | undefined): string {
  const r = (rest ?? '').replace(/\/+$/, '')
  return r === '' ? '/' : r
}

// ---------------------------------------------------------------- parameter parsing

function q(c: C, name: string): string | undefined {
  const v = c.req.query(name)
  return v === undefined || v === '' ? undefined : v
}

function intParam(c: C, name: string): number | undefined {
  const v = q(c, name)
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v)) throw new BadRequest({ error_message: `Valor inválido para ${name}: '${v}'.` })
  return Number(v)
}

function dateParam(c: C, name: string): Micros | undefined {
  const v = q(c, name)
  if (v === undefined) return undefined
  const us = parseLiDateTime(v)
  if (us === null) throw new BadRequest({ error_message: `Data inválida para ${name}: '${v}'. Use AAAA-MM-DD ou AAAA-MM-DDTHH:MM:SS.` })
  return us
}

function boolParam(c: C, name: string): boolean | undefined {
  const v = q(c, name)
  if (v === undefined) return undefined
  if (['true', 'True', '1'].includes(v)) return true
  if (['false', 'False', '0'].includes(v)) return false
  throw new BadRequest({ error_message: `Valor inválido para ${name}: '${v}'.` })
}

function orderByParam<F extends string>(c: C, allowed: readonly F[]): Sort<F> | undefined {
  const v = q(c, 'order_by')
  if (v === undefined) return undefined
  const desc = v.startsWith('-')
  const field = (desc ? v.slice(1) : v) as F
  if (!allowed.includes(field)) throw new BadRequest({ error_message: `No matching '${field}' field for ordering on.` })
  return { field, desc }
}

async function readJson(c: C): Promise<unknown> {
  const text = await c.req.text()
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new BadRequest({ error_message: 'JSON inválido no corpo da requisição.' })
  }
}

// ---------------------------------------------------------------- the simulator

export function createLiSimulator(options: LiSimulatorOptions = {}): LiSimulator {
  const clock = options.clock ?? offsetClock()
  const applicationKeys = options.applicationKeys ?? [DEFAULT_APPLICATION_KEY]
  const state = new SimState(clock, applicationKeys)
  const faults = new FaultController((ref) => state.getStore(ref)?.id)
  const requests = new RequestLog(options.requestLogLimit ?? 100_000)
  const rateLimit = new RateLimiter(options.rateLimit)
  const sleep = options.sleep ?? defaultSleep
  const hangMs = options.hangMs ?? 300_000
  const maxWindow = options.maxOffsetWindow ?? 10_000
  const webhooks = new WebhookDispatcher({
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: options.webhookTimeoutMs ?? 10_000,
    faults,
    clock,
  })
  state.onEvent = (e) => webhooks.handle(e)

  // ------------------------------------------------------------ auth

  interface AuthResult {
    kind: AuthKind
    store: SimStore | null
    credential: string | null
    applicationKey: string | null
  }

  function authenticate(c: C, url: URL): AuthResult {
    const header = c.req.header('authorization')?.trim()
    const qKey = url.searchParams.get('chave_api')
    const qApp = url.searchParams.get('chave_aplicacao')
    const hasQuery = qKey !== null || qApp !== null
    const fail = (kind: AuthKind, credential: string | null = null): AuthResult => ({ kind, store: null, credential, applicationKey: null })
    // Reference §1.3: one credential combination per request.
    if (header && hasQuery) return fail('mixed')
    if (header) {
      const pair = /^chave_api (\S+) aplicacao (\S+)$/.exec(header)
      if (pair?.[1] && pair[2]) {
        const store = state.applicationKeys.has(pair[2]) ? state.resolveCredential(pair[1], 'api_key') : undefined
        return store ? { kind: 'chave_api', store, credential: pair[1], applicationKey: pair[2] } : fail('chave_api', pair[1])
      }
      const basic = /^Basic (\S+)$/.exec(header)
      if (basic?.[1]) {
        const store = state.resolveCredential(basic[1], 'personal_token')
        return store ? { kind: 'personal_token', store, credential: basic[1], applicationKey: null } : fail('personal_token', basic[1])
      }
      return fail('malformed')
    }
    if (hasQuery) {
      if (!qKey || !qApp) return fail('malformed')
      const store = state.applicationKeys.has(qApp) ? state.resolveCredential(qKey, 'api_key') : undefined
      return store ? { kind: 'query', store, credential: qKey, applicationKey: qApp } : fail('query', qKey)
    }
    return fail('none')
  }

  // ------------------------------------------------------------ offset drift

  function applyOffsetDrift(store: SimStore, page: ServedPage, fault: ActiveFault): void {
    const k = fault.spec.perPage ?? 1
    const first = page.served[0]
    if (!first) return
    if (fault.spec.mode === 'touch') {
      // Edit the earliest already-served orders: in a data_modificacao-ordered list they jump
      // to the end, so everything after them shifts back by k.
      for (const o of page.result.slice(0, Math.min(k, page.offset + page.served.length))) store.touchOrder(o.numero)
      return
    }
    const { filter, sort } = page
    const clone = (extra: { numero?: number; createdUs?: Micros }): SimOrder => {
      const items: { productId: number; quantity: number; unitPriceCents: number }[] = []
      for (let i = 0; i < first.items.length; i += 4) {
        items.push({ productId: first.items[i] ?? 0, quantity: first.items[i + 1] ?? 1, unitPriceCents: first.items[i + 3] ?? 0 })
      }
      return store.createOrder({
        customerId: first.customerId,
        items,
        statusCodigo: getStatus(first.statusId).codigo,
        paymentMethodId: PAYMENT_METHODS[first.paymentIdx]?.id ?? 24,
        shippingMethodId: SHIPPING_METHODS[first.shippingIdx]?.id ?? 1,
        shippingCents: first.shippingCents,
        ...extra,
      })
    }
    for (let i = 0; i < k; i++) {
      if (sort.desc) {
        // Newest-first lists: a brand-new order naturally lands before the served page.
        clone({})
        continue
      }
      if (sort.field === 'numero' || sort.field === 'id') {
        // A free numero below the page (seeded numeros have gaps, like real stores).
        const floor = filter.sinceNumero ?? 1
        let n = first.numero - 1
        while (n >= floor && store.getOrder(n)) n--
        if (n < floor) return
        clone({ numero: n, createdUs: first.createdUs })
      } else if (sort.field === 'data_modificacao') {
        // A late-visible write: modified just before the page, i.e. inside the range a
        // since_atualizado cursor already covered.
        const target = first.modifiedUs - (i + 1)
        if (filter.sinceAtualizado !== undefined && target < filter.sinceAtualizado) return
        const o = clone({ createdUs: Math.min(first.createdUs, target) })
        o.modifiedUs = target
        store.ordersVersion++
      } else {
        const target = first.createdUs - (i + 1)
        if (filter.sinceCriado !== undefined && target < filter.sinceCriado) return
        clone({ createdUs: target })
      }
    }
  }

  // ------------------------------------------------------------ app + gateway

  const app = new Hono<SimEnv>({ strict: false })

  app.use('*', async (c, next) => {
    const url = new URL(c.req.url)
    const path = url.pathname
    if (path.startsWith('/__sim')) return next()
    const apiMatch = API_RE.exec(path)
    const hookMatch = apiMatch ? null : WEBHOOK_RE.exec(path)
    if (!apiMatch && !hookMatch) return next() // unknown prefix → 404, not logged

    const resource = hookMatch ? `/webhooks${canonicalResource(hookMatch[1])}` : canonicalResource(apiMatch?.[1])
    const query: Record<string, string> = {}
    for (const [k, v] of url.searchParams) query[k] = MASKED_PARAMS.has(k) ? '***' : v
    const entry: RequestLogEntry = requests.add({
      at: clock.now().toISOString(),
      method: c.req.method,
      path,
      resource,
      query,
      authKind: 'none',
      storeId: null,
      status: 0,
      fault: null,
    })
    try {
      await gateway(c, next, url, resource, entry)
      entry.status = c.res.status
    } catch (err) {
      entry.status = isAbort(err) ? 499 : 500
      throw err
    }
  })

  async function gateway(c: C, next: () => Promise<void>, url: URL, resource: string, entry: RequestLogEntry): Promise<void> {
    const auth = authenticate(c, url)
    entry.authKind = auth.kind
    if (!auth.store || !auth.credential) {
      c.res = c.json(DENIED, 401)
      return
    }
    const store = auth.store
    entry.storeId = store.id
    const ctx = { storeId: store.id, resource, method: c.req.method }

    const revoke = faults.take('revoke_key', ctx)
    if (revoke) {
      state.revokeCredential(revoke.spec.credential ?? auth.credential)
      entry.fault = 'revoke_key'
      c.res = c.json(DENIED, 401)
      return
    }

    const decision = rateLimit.hit(store.id, auth.applicationKey, clock.now().getTime())
    if (!decision.ok) {
      c.res = c.json({ error_message: 'Limite de requisições excedido', code: decision.code }, 429)
      if (rateLimit.config.retryAfter) c.res.headers.set('Retry-After', String(decision.retryAfterSec))
      return
    }

    if (faults.take('rate_limit', ctx)) {
      entry.fault = 'rate_limit'
      c.res = c.json({ error_message: 'Limite de requisições excedido', code: 633 }, 429)
      if (rateLimit.config.retryAfter) c.res.headers.set('Retry-After', '60')
      return
    }
    const serverError = faults.take('server_error', ctx)
    if (serverError) {
      entry.fault = 'server_error'
      const status = serverError.spec.status ?? 500
      c.res = new Response(`<h1>Server Error (${status})</h1>`, { status, headers: { 'content-type': 'text/html; charset=utf-8' } })
      return
    }
    const timeout = faults.take('timeout', ctx)
    if (timeout) {
      entry.fault = 'timeout'
      await hang(c.req.raw.signal, timeout.spec.delayMs ?? hangMs)
      c.res = new Response('<html><body><h1>504 Gateway Time-out</h1></body></html>', { status: 504, headers: { 'content-type': 'text/html' } })
      return
    }
    const slow = faults.take('slow', ctx)
    if (slow) {
      entry.fault = 'slow'
      await sleep(slow.spec.delayMs ?? 2000, c.req.raw.signal)
    }
    const malformed = faults.take('malformed_json', ctx)

    c.set('store', store)
    c.set('credential', auth.credential)
    c.set('page', undefined)
    // Webhook registration is an integrator permission (reference §8: a Personal Token got 401).
    if (resource.startsWith('/webhooks') && auth.kind === 'personal_token') {
      c.res = c.json(DENIED, 401)
      return
    }
    await next()

    if (malformed) {
      entry.fault = 'malformed_json'
      const text = await c.res.text()
      const broken = text.length > 2 ? text.slice(0, Math.floor(text.length / 2)) : '{"meta": {'
      c.res = new Response(broken, { status: c.res.status, headers: { 'content-type': 'application/json' } })
    }
    const page = c.get('page')
    if (page && c.res.status === 200) {
      const drift = faults.take('offset_drift', ctx)
      if (drift) {
        entry.fault = entry.fault ?? 'offset_drift'
        applyOffsetDrift(store, page, drift)
      }
    }
  }

  /** Wait until the client aborts (→ throw its reason, like fetch), a release, or the cap. */
  function hang(signal: AbortSignal, capMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const capAbort = new AbortController()
      const done = (fn: () => void) => {
        unregister()
        signal.removeEventListener('abort', onAbort)
        capAbort.abort()
        fn()
      }
      const onAbort = () => done(() => reject(signal.reason ?? new DOMException('aborted', 'AbortError')))
      const unregister = faults.onRelease(() => done(resolve))
      if (signal.aborted) return onAbort()
      signal.addEventListener('abort', onAbort, { once: true })
      sleep(capMs, capAbort.signal).then(
        () => done(resolve),
        () => undefined,
      )
    })
  }

  app.onError((err, c) => {
    if (isAbort(err)) throw err
    if (err instanceof BadRequest) return c.json(err.body, 400)
    if (err instanceof SimError) return c.json({ error_message: err.message }, 400)
    // Unknown bugs look like Django's production 500 page: clients must not parse it.
    return c.html('<h1>Server Error (500)</h1>', 500)
  })
  // CHOICE: Tastypie answers unknown objects with an empty 404; we do the same everywhere.
  app.notFound((c) => c.body(null, 404))

  // ------------------------------------------------------------ list helper

  function paging(c: C, maxLimit: number): { limit: number; offset: number } {
    const rawLimit = q(c, 'limit')
    const rawOffset = q(c, 'offset')
    let limit = 20
    if (rawLimit !== undefined) {
      if (!/^\d+$/.test(rawLimit)) throw new BadRequest({ error_message: `Invalid limit '${rawLimit}' provided. Please provide a positive integer.` })
      limit = Number(rawLimit)
      // Tastypie reads limit=0 as "as many as allowed".
      if (limit === 0) limit = maxLimit
      if (limit > maxLimit) throw new BadRequest({ error_message: `O parâmetro limit deve ser no máximo ${maxLimit}.` })
    }
    let offset = 0
    if (rawOffset !== undefined) {
      if (!/^\d+$/.test(rawOffset)) throw new BadRequest({ error_message: `Invalid offset '${rawOffset}' provided. Please provide a positive integer.` })
      offset = Number(rawOffset)
    }
    if (offset + limit > maxWindow) {
      throw new BadRequest({ error_message: `Paginação muito profunda: offset + limit não pode passar de ${maxWindow}. Use filtros (since_numero, since_atualizado).` })
    }
    return { limit, offset }
  }

  /**
   * Tastypie envelope. next/previous keep every query parameter the client sent (including
   * query-string credentials, as Tastypie does) and put limit/offset last.
   */
  function listResponse<T>(c: C, resource: string, items: Sliceable<T>, page: { limit: number; offset: number }, render: (t: T) => Json): Response {
    const { limit, offset } = page
    const total = items.length
    const link = (o: number) => {
      const params = new URL(c.req.url).searchParams
      params.delete('limit')
      params.delete('offset')
      params.append('limit', String(limit))
      params.append('offset', String(o))
      return `/api/v1${resource}/?${params.toString()}`
    }
    return c.json({
      meta: {
        limit,
        offset,
        total_count: total,
        next: offset + limit < total ? link(offset + limit) : null,
        previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
      },
      objects: items.slice(offset, offset + limit).map(render),
    })
  }

  const numericParam = (c: C, name: string): number | undefined => {
    const v = c.req.param(name)
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined
  }
  const byIdExterno = (c: C) => ['1', 'true', 'True'].includes(c.req.query('id_externo') ?? '')

  // ------------------------------------------------------------ API routes

  const api = new Hono<SimEnv>()
  const PEDIDO_MAX = 50
  const OTHER_MAX = 100
  const ORDER_SORT_FIELDS: readonly OrderSortField[] = ['numero', 'id', 'data_criacao', 'data_modificacao']
  const CUSTOMER_SORT_FIELDS: readonly CustomerSortField[] = ['id', 'data_criacao', 'data_modificacao']

  /**
   * CHOICE (ordering is undocumented, reference §2): with since_atualizado the result is
   * ascending by data_modificacao then numero — the order an incremental cursor needs; otherwise
   * ascending by numero (oldest first, as one practitioner saw on the plain list).
   * `order_by` (numero, id, data_criacao, data_modificacao, '-' for descending) is honoured as
   * an extension because one client sends it; LI may ignore it.
   * Bounds: since_* inclusive (>=), until_criado exclusive (<); naive values are São Paulo time.
   */
  api.get('/pedido/search', (c) => {
    const store = c.get('store')
    const page = paging(c, PEDIDO_MAX)
    const filter: OrderFilter = {
      sinceNumero: intParam(c, 'since_numero'),
      sinceAtualizado: dateParam(c, 'since_atualizado'),
      sinceCriado: dateParam(c, 'since_criado'),
      untilCriado: dateParam(c, 'until_criado'),
      situacaoId: intParam(c, 'situacao_id'),
      clienteId: intParam(c, 'cliente_id'),
      pagamentoId: intParam(c, 'pagamento_id'),
    }
    const sort: Sort<OrderSortField> =
      orderByParam(c, ORDER_SORT_FIELDS) ?? (filter.sinceAtualizado !== undefined ? { field: 'data_modificacao', desc: false } : { field: 'numero', desc: false })
    const result = store.queryOrders(filter, sort)
    c.set('page', { filter, sort, offset: page.offset, served: result.slice(page.offset, page.offset + page.limit), result })
    return listResponse(c, '/pedido/search', result, page, (o) => orderSummary(store, o))
  })

  // Plain list: same summaries, oldest first; filters (incl. since_atualizado) are ignored (reference §3.2).
  api.get('/pedido', (c) => {
    const store = c.get('store')
    const page = paging(c, PEDIDO_MAX)
    const sort: Sort<OrderSortField> = { field: 'numero', desc: false }
    const result = store.queryOrders({}, sort)
    c.set('page', { filter: {}, sort, offset: page.offset, served: result.slice(page.offset, page.offset + page.limit), result })
    return listResponse(c, '/pedido', result, page, (o) => orderSummary(store, o))
  })

  const findOrder = (c: C): SimOrder | undefined => {
    const key = numericParam(c, 'numero')
    if (key === undefined) return undefined
    const store = c.get('store')
    return byIdExterno(c) ? store.getOrderByIdExterno(key) : store.getOrder(key)
  }

  api.get('/pedido/:numero', (c) => {
    const order = findOrder(c)
    return order ? c.json(orderDetail(c.get('store'), order)) : c.body(null, 404)
  })

  // Only id_externo is writable (reference §3.4); the write bumps data_modificacao like any save.
  api.put('/pedido/:numero', async (c) => {
    const order = findOrder(c)
    if (!order) return c.body(null, 404)
    const body = await readJson(c)
    if (typeof body !== 'object' || body === null || !('id_externo' in body)) throw new BadRequest({ id_externo: ['Este campo é obrigatório.'] })
    const v = (body as { id_externo: unknown }).id_externo
    if (v !== null && !(typeof v === 'number' && Number.isInteger(v))) throw new BadRequest({ id_externo: ['Um número inteiro válido é exigido.'] })
    const store = c.get('store')
    store.touchOrder(order.numero, (o) => (o.idExterno = v))
    return c.json(orderDetail(store, order))
  })

  api.put('/pedido_envio/:id', async (c) => {
    const id = numericParam(c, 'id')
    const store = c.get('store')
    const order = id === undefined ? undefined : store.getOrderByEnvioId(id)
    if (!order || id === undefined) return c.body(null, 404)
    const body = await readJson(c)
    const objeto = typeof body === 'object' && body !== null ? (body as { objeto?: unknown }).objeto : undefined
    if (objeto !== null && typeof objeto !== 'string') throw new BadRequest({ objeto: ['Este campo é obrigatório.'] })
    store.touchOrder(order.numero, (o) => (o.tracking = objeto))
    return c.json({ id: order.id + ENVIO_ID_OFFSET, objeto: order.tracking, pedido: uri('pedido', order.numero), resource_uri: uri('pedido_envio', id) })
  })

  api.get('/situacao', (c) => listResponse(c, '/situacao', STATUSES, paging(c, OTHER_MAX), statusJson))

  api.get('/situacao/pedido/:numero', (c) => {
    const order = findOrder(c)
    return order ? c.json(statusJson(getStatus(order.statusId))) : c.body(null, 404)
  })

  // Status write: answers 200 with the new status object (current spec; legacy said 202).
  api.put('/situacao/pedido/:numero', async (c) => {
    const order = findOrder(c)
    if (!order) return c.body(null, 404)
    const body = await readJson(c)
    const codigo = typeof body === 'object' && body !== null ? (body as { codigo?: unknown }).codigo : undefined
    if (typeof codigo !== 'string' || codigo === '') throw new BadRequest({ codigo: ['Este campo é obrigatório.'] })
    const store = c.get('store')
    try {
      const { status } = store.setOrderStatus(order.numero, codigo, { by: 'API' })
      return c.json(statusJson(status))
    } catch (err) {
      if (err instanceof SimError) throw new BadRequest({ codigo: [`Situação '${codigo}' não encontrada.`] })
      throw err
    }
  })

  api.get('/situacao/:id', (c) => {
    const id = numericParam(c, 'id')
    const st = id === undefined ? undefined : findStatusById(id)
    return st ? c.json(statusJson(st)) : c.body(null, 404)
  })

  // Per-order only (the store-wide legacy list is not simulated → 404).
  api.get('/situacao_historico/search', (c) => {
    const store = c.get('store')
    const numero = intParam(c, 'numero')
    const idExterno = intParam(c, 'id_externo')
    if (numero === undefined && idExterno === undefined) throw new BadRequest({ error_message: 'Informe numero ou id_externo.' })
    const order = numero !== undefined ? store.getOrder(numero) : store.getOrderByIdExterno(idExterno ?? -1)
    const entries = order ? store.history(order) : []
    return listResponse(c, '/situacao_historico/search', entries, paging(c, OTHER_MAX), (h) => historyJson(order as SimOrder, h))
  })

  // CHOICE: list items are light (id, nome, email, tipo, dates, resource_uri); default order id asc.
  api.get('/cliente', (c) => {
    const store = c.get('store')
    const page = paging(c, OTHER_MAX)
    const sort = orderByParam(c, CUSTOMER_SORT_FIELDS) ?? { field: 'id', desc: false }
    return listResponse(c, '/cliente', store.queryCustomers({}, sort), page, (cl) => customerLight(store, cl))
  })

  /**
   * Ordered by most recent modification (reference §5). CHOICE: `order_by=data_modificacao`
   * (or id / data_criacao, '-' for descending) is also accepted so an incremental client can
   * page in a stable ascending order. cliente_email is exact and case-insensitive.
   */
  api.get('/cliente/search', (c) => {
    const store = c.get('store')
    const page = paging(c, OTHER_MAX)
    const filter: CustomerFilter = {
      email: q(c, 'cliente_email'),
      sinceAtualizado: dateParam(c, 'since_atualizado'),
      untilAtualizado: dateParam(c, 'until_atualizado'),
      sinceCriado: dateParam(c, 'since_criado'),
      untilCriado: dateParam(c, 'until_criado'),
    }
    const sort = orderByParam(c, CUSTOMER_SORT_FIELDS) ?? { field: 'data_modificacao', desc: true }
    return listResponse(c, '/cliente/search', store.queryCustomers(filter, sort), page, (cl) => customerDetail(store, cl))
  })

  api.get('/cliente/:id', (c) => {
    const id = numericParam(c, 'id')
    const store = c.get('store')
    const customer = id === undefined ? undefined : store.getCustomer(id)
    return customer ? c.json(customerDetail(store, customer)) : c.body(null, 404)
  })

  // CHOICE: no ?codigo= filter (unconfirmed; clients page the full list) — it is ignored.
  api.get('/cupom', (c) => {
    const store = c.get('store')
    return listResponse(c, '/cupom', store.coupons, paging(c, OTHER_MAX), couponJson)
  })

  api.get('/cupom/:id', (c) => {
    const id = numericParam(c, 'id')
    const coupon = id === undefined ? undefined : c.get('store').couponsById.get(id)
    return coupon ? c.json(couponJson(coupon)) : c.body(null, 404)
  })

  // CHOICE: 201 with the full object (what clients read first) plus a Location header.
  api.post('/cupom', async (c) => {
    const store = c.get('store')
    const parsed = parseCouponPayload(await readJson(c), store, null)
    if (!parsed.ok) return c.json(parsed.errors, 400)
    const coupon = store.insertCoupon(parsed.input)
    c.header('Location', uri('cupom', coupon.id))
    return c.json(couponJson(coupon), 201)
  })

  api.put('/cupom/:id', async (c) => {
    const id = numericParam(c, 'id')
    const store = c.get('store')
    const existing = id === undefined ? undefined : store.couponsById.get(id)
    if (!existing) return c.body(null, 404)
    const parsed = parseCouponPayload(await readJson(c), store, existing)
    if (!parsed.ok) return c.json(parsed.errors, 400)
    return c.json(couponJson(store.replaceCoupon(existing.id, parsed.input)))
  })

  // CHOICE: DELETE on coupons is unconfirmed; answer 405 like Tastypie for a disallowed method.
  api.on(['DELETE', 'PATCH'], '/cupom/:id', (c) => c.body(null, 405))

  // Products: list items have no price/stock; removed items are included unless filtered.
  api.get('/produto', (c) => {
    const store = c.get('store')
    const page = paging(c, OTHER_MAX)
    const sku = q(c, 'sku')
    const ativo = boolParam(c, 'ativo')
    const removido = boolParam(c, 'removido')
    const bounds: [keyof typeof cmp, 'modifiedUs' | 'createdUs', Micros | undefined][] = []
    const cmp = { gte: (a: number, b: number) => a >= b, gt: (a: number, b: number) => a > b, lte: (a: number, b: number) => a <= b, lt: (a: number, b: number) => a < b }
    for (const [param, field] of [['data_modificacao', 'modifiedUs'], ['data_criacao', 'createdUs']] as const) {
      for (const op of ['gte', 'gt', 'lte', 'lt'] as const) bounds.push([op, field, dateParam(c, `${param}__${op}`)])
    }
    const result = store.products.filter(
      (p) =>
        (sku === undefined || p.sku === sku) &&
        (ativo === undefined || p.ativo === ativo) &&
        (removido === undefined || p.removido === removido) &&
        bounds.every(([op, field, v]) => v === undefined || cmp[op](p[field], v)),
    )
    return listResponse(c, '/produto', result, page, productListItem)
  })

  const findProduct = (c: C) => {
    const id = numericParam(c, 'id')
    if (id === undefined) return undefined
    const store = c.get('store')
    return byIdExterno(c) ? store.products.find((p) => p.idExterno === id) : store.productsById.get(id)
  }
  api.get('/produto/:id', (c) => {
    const p = findProduct(c)
    return p ? c.json(productDetail(p)) : c.body(null, 404)
  })
  api.get('/produto_preco/:id', (c) => {
    const p = findProduct(c)
    return p ? c.json(productPrice(p)) : c.body(null, 404)
  })
  api.get('/produto_estoque/:id', (c) => {
    const p = findProduct(c)
    return p ? c.json(productStock(p)) : c.body(null, 404)
  })

  app.route('/v1', api)
  app.route('/api/v1', api)

  // ------------------------------------------------------------ webhook registration

  const hooks = new Hono<SimEnv>()
  for (const resource of ['pedido', 'produto'] as const) {
    const registry = (c: C) => (resource === 'pedido' ? c.get('store').orderWebhooks : c.get('store').productWebhooks)
    const readRegistration = async (c: C, needToken: boolean) => {
      const body = await readJson(c)
      const b = (typeof body === 'object' && body !== null ? body : {}) as { notifyUrl?: unknown; token?: unknown }
      const errors: Record<string, string[]> = {}
      let url: string | undefined
      if (typeof b.notifyUrl !== 'string' || b.notifyUrl === '') errors.notifyUrl = ['Este campo é obrigatório.']
      else {
        try {
          const parsed = new URL(b.notifyUrl)
          if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme')
          url = b.notifyUrl
        } catch {
          errors.notifyUrl = ['Informe uma URL válida.']
        }
      }
      if (needToken && (typeof b.token !== 'string' || b.token === '')) errors.token = ['Este campo é obrigatório.']
      if (Object.keys(errors).length > 0 || url === undefined) throw new BadRequest(errors)
      return { url, token: typeof b.token === 'string' ? b.token : '' }
    }
    hooks.put(`/${resource}`, async (c) => {
      const { url, token } = await readRegistration(c, true)
      registry(c).set(url, token)
      return c.json({ message: 'Registros afetados: 1' })
    })
    hooks.delete(`/${resource}`, async (c) => {
      const { url } = await readRegistration(c, false)
      const removed = registry(c).delete(url) ? 1 : 0
      return c.json({ message: `Registros afetados: ${removed}` })
    })
  }
  app.route('/webhooks/v1', hooks)

  // ------------------------------------------------------------ the simulator object

  const sim: LiSimulator = {
    app,
    state,
    clock,
    faults,
    requests,
    rateLimit,
    webhooks,
    applicationKey: applicationKeys[0] ?? DEFAULT_APPLICATION_KEY,
    fetch: async (input, init) => {
      const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined)
      if (signal?.aborted) throw signal.reason
      const target = input instanceof URL ? input.href : input
      const pending = Promise.resolve(app.request(target, init))
      if (!signal) return pending
      // Real fetch rejects as soon as the signal aborts, whatever the server is doing.
      let onAbort = () => {}
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(signal.reason)
        signal.addEventListener('abort', onAbort, { once: true })
      })
      try {
        return await Promise.race([pending, aborted])
      } finally {
        // Long-lived signals (one per sync run) must not collect a listener per request.
        signal.removeEventListener('abort', onAbort)
        aborted.catch(() => undefined)
      }
    },
    seed: (opts) => seedStore(state, opts),
    evolve: (storeRef, opts) => evolveStore(state.requireStore(storeRef), opts),
    close: () => faults.releaseHangs(),
  }

  app.route('/__sim', createAdminApp(sim))
  for (const s of options.stores ?? []) sim.seed(s)
  return sim
}
