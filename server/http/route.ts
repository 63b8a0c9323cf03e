import type { Context, Hono, MiddlewareHandler } from 'hono'
import * as v from 'valibot'
import type { AppDeps } from '../deps.ts'
import type { FieldError } from '../../shared/errors.ts'
import { AppError } from '../lib/errors.ts'
import type { AppEnv } from './context.ts'

type Schema = v.GenericSchema
type Out<S> = S extends Schema ? v.InferOutput<S> : undefined

export interface RouteSpec<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  /** Hono-style path, e.g. `/v1/programs/:programId`. */
  path: string
  summary: string
  description?: string
  tag: string
  /** Security scheme names for the OpenAPI document; [] = public. */
  security: Array<'merchantBearer' | 'shopperBearer'>
  params?: P
  query?: Q
  body?: B
  responses: Record<number, { description: string; schema?: Schema }>
  middleware?: MiddlewareHandler<AppEnv>[]
}

export interface RouteInput<P, Q, B> {
  params: Out<P>
  query: Out<Q>
  body: Out<B>
}

/** Every route registered through `route()`: the OpenAPI document and 405 detection read it. */
export type RouteRegistry = Array<RouteSpec<any, any, any>>

/**
 * Declares a route once: the same valibot schemas validate the request and describe it in the
 * OpenAPI document. Handlers receive parsed, typed input and never see raw bodies.
 */
export function route<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined>(
  app: Hono<AppEnv>,
  registry: RouteRegistry,
  spec: RouteSpec<P, Q, B>,
  handler: (c: Context<AppEnv>, input: RouteInput<P, Q, B>) => Promise<Response> | Response,
): void {
  registry.push(spec)
  const final: MiddlewareHandler<AppEnv> = async (c) => {
    const params = spec.params ? parse(spec.params, c.req.param(), 'path') : undefined
    const query = spec.query ? parse(spec.query, c.req.query(), 'query') : undefined
    const body = spec.body ? parse(spec.body, await readJson(c), 'body') : undefined
    return handler(c, { params, query, body } as RouteInput<P, Q, B>)
  }
  // Hono's overloads cannot type a spread of handlers; the runtime call is the documented one.
  const on = app.on.bind(app) as unknown as (
    method: string,
    path: string,
    ...handlers: MiddlewareHandler<AppEnv>[]
  ) => void
  on(spec.method.toUpperCase(), spec.path, ...(spec.middleware ?? []), final)
}

async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(type)) {
    throw new AppError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json')
  }
  const text = await c.req.text()
  try {
    return JSON.parse(text)
  } catch {
    throw new AppError('malformed_json', 'The request body is not valid JSON')
  }
}

function parse<S extends Schema>(schema: S, input: unknown, where: 'path' | 'query' | 'body'): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { abortPipeEarly: true })
  if (result.success) return result.output
  const refused = result.issues.map((issue) => {
    const dotted = issue.path?.map((p) => String(p.key)).join('.')
    const message = issue.received === 'undefined' && issue.path?.length ? 'is required' : issue.message
    return { field: dotted || undefined, problem: issue.path?.length ? message : `${where}: ${message}` }
  })
  const first = refused[0]!
  const field = first.field ?? (where === 'body' ? undefined : where)
  // Every refused field at once (its first rule), so a form can mark them all in one answer;
  // `field` stays the first of them for older clients.
  const fields: FieldError[] = []
  for (const r of refused)
    if (r.field && !fields.some((f) => f.field === r.field))
      fields.push({ field: r.field, message: `${r.field} ${lowerFirst(r.problem)}` })
  throw new AppError('validation_failed', field ? `${field} ${lowerFirst(first.problem)}` : first.problem, {
    ...(field ? { field } : {}),
    ...(fields.length ? { details: { fields } } : {}),
  })
}

function lowerFirst(s: string) {
  return s.charAt(0).toLowerCase() + s.slice(1)
}

/** What each feature's `register…Routes` gets from app.ts. */
export interface RouteContext {
  app: Hono<AppEnv>
  registry: RouteRegistry
  deps: AppDeps
  /** Middleware for admin routes (merchant session or API token). */
  merchantAuth: MiddlewareHandler<AppEnv>
}
