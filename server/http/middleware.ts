import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { Context, MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ErrorBody } from '../../shared/errors.ts'
import type { Logger } from '../lib/logger.ts'
import type { AppEnv } from './context.ts'
import { AppError } from '../lib/errors.ts'
import type { RouteRegistry } from './route.ts'

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

/** What @hono/node-server hands the app as `c.env`: Node's own request and response. */
interface NodeBindings {
  outgoing?: ServerResponse
}

/**
 * Sets a response header from middleware, for whatever the handler answers (errors included).
 * On @hono/node-server it goes straight onto Node's ServerResponse, whose writeHead merges it
 * with the handler's headers. `c.header()` instead makes Hono build a WHATWG `Headers` object per
 * request and hand the response over through it, the slow path of the Node adapter (measured on
 * the widget `me` route: a few µs per request out of ~100). In-process requests (tests) have no
 * ServerResponse and use `c.header()`.
 */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as NodeBindings | undefined)?.outgoing
  if (outgoing && typeof outgoing.setHeader === 'function' && !outgoing.headersSent) outgoing.setHeader(name, value)
  else c.header(name, value)
}

/**
 * Request id (kept from the caller when it is safe to echo), a child logger that carries it, one
 * access log line per request. Every request passes here, so it is kept cheap: the child logger
 * serialises the id once, the line is written in a batch (see lib/logger.ts).
 */
export function requestContext(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id')
    const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID()
    const started = performance.now()
    const reqLog = log.child({ requestId })
    c.set('requestId', requestId)
    c.set('log', reqLog)
    setResponseHeader(c, 'x-request-id', requestId)
    await next()
    // Only the path: query strings can carry codes or keys, and we never log secrets.
    reqLog.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    })
  }
}

/**
 * Rejects bodies over `maxBytes` before reading them: by Content-Length when present, and by
 * counting the stream otherwise (chunked uploads, which are buffered here).
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const declared = c.req.header('content-length')
    if (declared !== undefined && /^\d+$/.test(declared)) {
      if (Number(declared) > maxBytes) throw tooLarge(maxBytes)
      // Node's HTTP parser ends the body at the declared length, so it is within the limit: leave
      // it unread. @hono/node-server's text() then reads it straight from the socket; touching
      // `raw.body` here built two web streams, an AbortSignal and a Request copy per POST.
      return next()
    }
    if (!c.req.raw.body) return next()
    const reader = c.req.raw.body.getReader()
    const chunks: Uint8Array[] = []
    let size = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        await reader.cancel()
        throw tooLarge(maxBytes)
      }
      chunks.push(value)
    }
    // Hand the buffered body on as a fresh request so handlers read it normally.
    c.req.raw = new Request(c.req.raw, { body: Buffer.concat(chunks) })
    return next()
  }
}

function tooLarge(maxBytes: number) {
  return new AppError('payload_too_large', `The request body is larger than ${Math.round(maxBytes / 1024)} KB`)
}

export function errorBody(c: Context<AppEnv>, err: AppError): ErrorBody {
  return {
    error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}), ...(err.details ?? {}) },
    requestId: c.get('requestId') ?? 'unknown',
  }
}

/** The one place errors become HTTP. Unknown errors are logged and answered as a bare 500. */
export function onError(err: Error, c: Context<AppEnv>): Response {
  let appErr: AppError
  if (err instanceof AppError) {
    appErr = err
  } else if (err instanceof HTTPException && err.status < 500) {
    appErr = new AppError(err.status === 413 ? 'payload_too_large' : 'bad_request', err.message || 'Bad request')
  } else {
    c.get('log')?.error('unhandled error', { err })
    appErr = new AppError('internal', 'Something went wrong on our side. Try again later.')
  }
  for (const [k, v] of Object.entries(appErr.headers)) c.header(k, v)
  return c.json(errorBody(c, appErr), appErr.status as 400)
}

/** 404 for unknown paths, 405 (with Allow) when the path exists under another method. */
export function notFoundHandler(registry: RouteRegistry, extra: Array<{ method: string; path: string }>) {
  const compiled = [...registry.map((r) => ({ method: r.method.toUpperCase(), path: r.path })), ...extra].map((r) => ({
    method: r.method,
    re: new RegExp('^' + r.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\?:[A-Za-z0-9_]+/g, '[^/]+') + '/?$'),
  }))
  return (c: Context<AppEnv>) => {
    const allowed = [...new Set(compiled.filter((r) => r.re.test(c.req.path)).map((r) => r.method))]
    const err = allowed.length
      ? new AppError('method_not_allowed', `${c.req.method} is not allowed here; use ${allowed.join(', ')}`, {
          headers: { Allow: allowed.join(', ') },
        })
      : new AppError('not_found', `No route for ${c.req.method} ${c.req.path}`)
    return onError(err, c)
  }
}
