import type { MiddlewareHandler } from 'hono'
import type { AppDeps } from '../deps.ts'
import type { AppEnv } from '../http/context.ts'
import { AppError, notFound } from '../lib/errors.ts'
import { coalesceByKey } from '../lib/serial.ts'
import { setResponseHeader } from '../http/middleware.ts'
import type { RouteContext, RouteSpec } from '../http/route.ts'
import { endedSessions, type Identity } from '../identity/service.ts'
import type { WidgetTokens } from '../identity/tokens.ts'
import type { WidgetProgram, WidgetPrograms } from './programs.ts'

export const BASE = '/v1/widget/:programKey'
/** Answers with a shopper's data or secrets are never stored by any cache. */
export const PERSONAL = { 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'no-store' }

type SpecPart = Pick<RouteSpec<undefined, undefined, undefined>, 'tag' | 'security' | 'middleware'>

/** What every widget routes file is handed (built once by registerWidgetRoutes). */
export interface WidgetRouteContext extends RouteContext {
  programs: WidgetPrograms
  tokens: WidgetTokens
  ident: Identity
  /** The spec fields of public routes. */
  pub: SpecPart
  /** …and of the shopper's routes (a widget access token for the program). */
  member: SpecPart
}

/** The shopper behind a verified widget access token. */
export interface Shopper {
  program: WidgetProgram
  memberId: number
}

// Hono's documented way for a feature to add a context variable without touching AppEnv.
declare module 'hono' {
  interface ContextVariableMap {
    shopper: Shopper
  }
}

const ALLOW_METHODS = 'GET, POST, OPTIONS'
const ALLOW_HEADERS = 'Authorization, Content-Type, If-None-Match, X-Request-Id'
// What the widget reads from answers: validators for config, Retry-After on 429, request ids for support.
const EXPOSE_HEADERS = 'ETag, Retry-After, X-Request-Id'
/** Browsers cap this anyway (Chromium: 2 h); one preflight per 10 minutes per route is plenty. */
const PREFLIGHT_MAX_AGE = '600'

/**
 * CORS for `/v1/widget/:programKey/*`: only the program's store (its site's origin) and origins
 * the admin added get CORS headers; any other origin gets none, so browsers withhold the answer.
 * Tokens travel in the Authorization header, never cookies, so credentials are not allowed.
 * Preflights are answered here (204) for every widget path; answers always say `Vary: Origin`
 * because they differ by it (shared caches of the public config must not mix them up).
 *
 * Headers are set before the handler runs (setResponseHeader), so error answers (401, 409
 * signup_required, 429) carry them too and the widget can read their codes.
 */
export function widgetCors(programs: WidgetPrograms): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    setResponseHeader(c, 'Vary', 'Origin')
    const origin = c.req.header('origin')
    let allowed = false
    if (origin !== undefined) {
      const key = c.req.param('programKey')
      const program = key ? (programs.peek(key) ?? (await programs.get(key))) : null
      allowed = !!program && program.origins.has(origin)
    }
    if (c.req.method === 'OPTIONS') {
      if (allowed) {
        setResponseHeader(c, 'Access-Control-Allow-Origin', origin!)
        setResponseHeader(c, 'Access-Control-Allow-Methods', ALLOW_METHODS)
        setResponseHeader(c, 'Access-Control-Allow-Headers', ALLOW_HEADERS)
        setResponseHeader(c, 'Access-Control-Max-Age', PREFLIGHT_MAX_AGE)
      }
      return c.body(null, 204)
    }
    if (allowed) {
      setResponseHeader(c, 'Access-Control-Allow-Origin', origin!)
      setResponseHeader(c, 'Access-Control-Expose-Headers', EXPOSE_HEADERS)
    }
    await next()
  }
}

const unauthorized = () =>
  new AppError('unauthorized', 'Send Authorization: Bearer <access token from login/verify>', {
    headers: { 'WWW-Authenticate': 'Bearer' },
  })

/**
 * Shopper routes: a widget access token for this program. The hot path (a token seen before)
 * is two Map lookups and no promise from the token cache; see WidgetTokens.
 */
export function requireShopper(programs: WidgetPrograms, tokens: WidgetTokens): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization')
    // "Bearer " is 7 characters; the scheme is case-insensitive (RFC 9110).
    if (header === undefined || header.length < 8 || header.slice(0, 7).toLowerCase() !== 'bearer ')
      throw unauthorized()
    const token = header.slice(7).trim()
    const key = c.req.param('programKey')!
    const program = programs.peek(key) ?? (await programs.get(key))
    if (!program) throw notFound('Program')
    const memberId = tokens.cached(token, program.id) || (await tokens.verify(token, program.id))
    if (!memberId) {
      throw new AppError('unauthorized', 'The access token is invalid or expired; refresh the session', {
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      })
    }
    c.set('shopper', { program, memberId })
    await next()
  }
}

/**
 * State-changing shopper routes (after requireShopper): the token's session must not have ended.
 * Logout and a reused refresh token revoke the session family, but the access token itself stays
 * valid (and cached) until it expires; this asks the database on every request, so a redemption
 * from an ended session is refused at once. Reads (`me` above all, the hot path) skip it: one
 * more query per request there, to hide for at most 15 minutes what the token's holder could
 * already read, is not worth it.
 */
export function requireLiveSession(deps: Pick<AppDeps, 'db'>, tokens: WidgetTokens): MiddlewareHandler<AppEnv> {
  // Requests arriving together are checked together: one query for the sessions of every
  // request that came while the previous check was in flight (a fresh read for each: none is
  // answered from a query sent before it arrived). One by one, this was one statement of every
  // redemption request on the redeem bench.
  const ended = coalesceByKey(async (programId, sessionIds: string[]) => {
    const gone = await endedSessions(deps.db, programId, [...new Set(sessionIds)])
    return sessionIds.map((id) => gone.has(id))
  })
  return async (c, next) => {
    const token = c.req.header('authorization')!.slice(7).trim()
    const sessionId = tokens.sessionOf(token)
    const programId = c.get('shopper').program.id
    if (sessionId !== null && (await ended(programId, sessionId))) {
      throw new AppError('unauthorized', 'This session has ended (logout or a reused refresh token); log in again', {
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      })
    }
    await next()
  }
}
