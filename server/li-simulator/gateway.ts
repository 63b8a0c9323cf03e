// The gateway every API request passes: request log → auth → revoke-key fault → per-store rate
// limit → injected faults → handler → post-faults (malformed JSON, offset drift). Also the
// error mapping: unknown bugs look like Django's production 500 page.

import type { Hono } from 'hono'
import { applyListingChanges, applyOffsetDrift } from './drift.ts'
import type { FaultController } from './faults.ts'
import { BadRequest, type C } from './params.ts'
import type { RateLimiter } from './rate-limit.ts'
import type { AuthKind, RequestLog, RequestLogEntry } from './request-log.ts'
import type { SimState } from './sim-state.ts'
import { SimError, type SimStore } from './store.ts'
import type { Clock } from './time.ts'
import type { SimEnv } from './types.ts'

export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>

export interface GatewayDeps {
  state: SimState
  faults: FaultController
  requests: RequestLog
  rateLimit: RateLimiter
  clock: Clock
  sleep: SleepFn
  /** How long a `timeout` fault hangs when the client never aborts. */
  hangMs: number
}

const DENIED = { error_message: 'Acesso negado' }
const API_RE = /^\/(?:api\/)?v1(\/.*)?$/
const WEBHOOK_RE = /^\/webhooks\/v1(\/.*)?$/
const MASKED_PARAMS = new Set(['chave_api', 'chave_aplicacao'])

function isAbort(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'name' in err &&
    (err.name === 'AbortError' || err.name === 'TimeoutError')
  )
}

export const defaultSleep: SleepFn = (ms, signal) =>
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

interface AuthResult {
  kind: AuthKind
  store: SimStore | null
  credential: string | null
  applicationKey: string | null
}

function authenticate(state: SimState, c: C, url: URL): AuthResult {
  const header = c.req.header('authorization')?.trim()
  const qKey = url.searchParams.get('chave_api')
  const qApp = url.searchParams.get('chave_aplicacao')
  const hasQuery = qKey !== null || qApp !== null
  const fail = (kind: AuthKind, credential: string | null = null): AuthResult => ({
    kind,
    store: null,
    credential,
    applicationKey: null,
  })
  // Reference §1.3: one credential combination per request.
  if (header && hasQuery) return fail('mixed')
  if (header) {
    const pair = /^chave_api (\S+) aplicacao (\S+)$/.exec(header)
    if (pair?.[1] && pair[2]) {
      const store = state.applicationKeys.has(pair[2]) ? state.resolveCredential(pair[1], 'api_key') : undefined
      return store
        ? { kind: 'chave_api', store, credential: pair[1], applicationKey: pair[2] }
        : fail('chave_api', pair[1])
    }
    const basic = /^Basic (\S+)$/.exec(header)
    if (basic?.[1]) {
      const store = state.resolveCredential(basic[1], 'personal_token')
      return store
        ? { kind: 'personal_token', store, credential: basic[1], applicationKey: null }
        : fail('personal_token', basic[1])
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

/** Log, authenticate and fault every /v1, /api/v1 and /webhooks/v1 request; map errors. */
export function installGateway(app: Hono<SimEnv>, deps: GatewayDeps): void {
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
    const entry: RequestLogEntry = deps.requests.add({
      at: deps.clock.now().toISOString(),
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
      await gateway(deps, c, next, url, resource, entry)
      entry.status = c.res.status
      // Every HTTP server sends Date (RFC 9110); clients may read LI's clock from it.
      c.res.headers.set('date', deps.clock.now().toUTCString())
    } catch (err) {
      entry.status = isAbort(err) ? 499 : 500
      throw err
    }
  })

  app.onError((err, c) => {
    if (isAbort(err)) throw err
    if (err instanceof BadRequest) return c.json(err.body, 400)
    if (err instanceof SimError) return c.json({ error_message: err.message }, 400)
    // Unknown bugs look like Django's production 500 page: clients must not parse it.
    return c.html('<h1>Server Error (500)</h1>', 500)
  })
  // CHOICE: Tastypie answers unknown objects with an empty 404; we do the same everywhere.
  app.notFound((c) => c.body(null, 404))
}

async function gateway(
  deps: GatewayDeps,
  c: C,
  next: () => Promise<void>,
  url: URL,
  resource: string,
  entry: RequestLogEntry,
): Promise<void> {
  const { state, faults, rateLimit, clock } = deps
  const auth = authenticate(state, c, url)
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

  const decision = rateLimit.hit(store.id, auth.applicationKey, clock.now().getTime(), clientAddress(c, rateLimit))
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
    c.res = new Response(`<h1>Server Error (${status})</h1>`, {
      status,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    })
    return
  }
  const timeout = faults.take('timeout', ctx)
  if (timeout) {
    entry.fault = 'timeout'
    await hang(deps, c.req.raw.signal, timeout.spec.delayMs ?? deps.hangMs)
    c.res = new Response('<html><body><h1>504 Gateway Time-out</h1></body></html>', {
      status: 504,
      headers: { 'content-type': 'text/html' },
    })
    return
  }
  const slow = faults.take('slow', ctx)
  if (slow) {
    entry.fault = 'slow'
    await deps.sleep(slow.spec.delayMs ?? 2000, c.req.raw.signal)
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
    if (store.listing.changesPerPage) applyListingChanges(store, page, clock)
  }
}

/**
 * The caller's address for the per-IP limit: the configured header when set (several egress
 * ids from one machine), else the socket's peer (@hono/node-server puts Node's request in
 * `c.env.incoming`), else — an in-process request — loopback.
 */
function clientAddress(c: C, rateLimit: RateLimiter): string {
  const header = rateLimit.config.ipHeader
  const announced = header ? c.req.header(header) : undefined
  if (announced) return announced
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return incoming?.socket?.remoteAddress ?? '127.0.0.1'
}

/** Wait until the client aborts (→ throw its reason, like fetch), a release, or the cap. */
function hang({ faults, sleep }: GatewayDeps, signal: AbortSignal, capMs: number): Promise<void> {
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
