import type { Context } from 'hono'
import type * as v from 'valibot'
import { ProgramParams } from '../../shared/api/programs.ts'
import type { Db, Trx } from '../db/database.ts'
import type { Program } from '../db/schema.ts'
import type { AppEnv } from '../http/context.ts'
import type { RouteContext } from '../http/route.ts'
import { route, type RouteInput, type RouteSpec } from '../http/route.ts'
import { getOwnedProgram } from './service.ts'

type Schema = v.GenericSchema | undefined
/** Params whose output names the program: what `programRoute` needs to load it. */
type ProgramScoped = v.GenericSchema<any, { programId: string }>

/** A merchant route's spec without what `adminRoutes` fills in; `tag` may still be overridden. */
export type AdminSpec<P extends Schema, Q extends Schema, B extends Schema> = Omit<
  RouteSpec<P, Q, B>,
  'tag' | 'security' | 'middleware'
> & { tag?: string }

export interface AdminInput<P, Q, B> extends RouteInput<P, Q, B> {
  /** The authenticated merchant (set by `merchantAuth`, which runs before every admin handler). */
  merchantId: string
}

export interface ProgramInput<P, Q, B> extends AdminInput<P, Q, B> {
  /** The program of `:programId`, owned by the merchant. */
  program: Program
}

type Handler<I> = (c: Context<AppEnv>, input: I) => Promise<Response> | Response

type Answer = { description: string; schema: v.GenericSchema }

/** One settings resource of a program, read by a GET and saved by a PUT or PATCH on the same path. */
export interface SettingsSpec<B extends v.GenericSchema> {
  path: string
  get: { summary: string; description: string; response: Answer }
  save: { method: 'put' | 'patch'; summary: string; description: string; body: B; response: Answer }
  /** The view the GET answers. */
  read: (db: Db, program: Program) => Promise<unknown>
  /** A refusal that needs no query (a field the program's mode lacks): thrown before the transaction opens. */
  check?: (program: Program, body: v.InferOutput<B>) => void
  /** Saves inside the request's transaction; what it returns is the answer. */
  write: (trx: Trx, program: Program, body: v.InferOutput<B>) => Promise<unknown>
}

/**
 * The admin API's routes of one OpenAPI tag: merchant auth and the `merchantBearer` scheme on
 * each, so the feature files declare only what differs. It lives beside `getOwnedProgram` rather
 * than in server/http, which knows no feature.
 */
export function adminRoutes({ app, registry, deps, merchantAuth }: RouteContext, tag: string) {
  const common = { tag, security: ['merchantBearer' as const], middleware: [merchantAuth] }

  /**
   * A merchant route that reads the program itself (or none): inside a transaction, or through a
   * service that checks ownership.
   */
  function adminRoute<P extends Schema, Q extends Schema, B extends Schema>(
    spec: AdminSpec<P, Q, B>,
    handler: Handler<AdminInput<P, Q, B>>,
  ) {
    route(app, registry, { ...common, ...spec }, (c, input) =>
      handler(c, { ...input, merchantId: c.get('merchant').merchantId }),
    )
  }

  /**
   * A route under `/v1/programs/:programId/…` whose handler gets the merchant's program. The
   * lookup runs after route() has validated params, query and body, so a malformed request is a
   * 400 before any query; a program of another merchant is a 404 like a missing one (getOwnedProgram).
   */
  function programRoute<P extends ProgramScoped, Q extends Schema, B extends Schema>(
    spec: AdminSpec<P, Q, B> & { params: P },
    handler: Handler<ProgramInput<P, Q, B>>,
  ) {
    // Fail at start-up, not on every request, when the path cannot carry the id the params need.
    if (!spec.path.includes(':programId')) throw new Error(`programRoute ${spec.path}: the path has no :programId`)
    adminRoute<P, Q, B>(spec, async (c, input) => {
      const program = await getOwnedProgram(deps.db, input.merchantId, input.params.programId)
      return handler(c, { ...input, program })
    })
  }

  /**
   * The GET and the save of one program setting (referrals, tiers, points rules): the features
   * differ only in texts, schemas and their service calls, so the request handling lives here once.
   */
  function settingsRoutes<B extends v.GenericSchema>({ path, get, save, read, check, write }: SettingsSpec<B>) {
    programRoute(
      {
        method: 'get',
        path,
        summary: get.summary,
        description: get.description,
        params: ProgramParams,
        responses: { 200: get.response },
      },
      async (c, { program }) => c.json(await read(deps.db, program)),
    )
    programRoute(
      {
        method: save.method,
        path,
        summary: save.summary,
        description: save.description,
        params: ProgramParams,
        body: save.body,
        responses: { 200: save.response },
      },
      async (c, { program, body }) => {
        check?.(program, body)
        return c.json(await deps.db.transaction().execute((trx) => write(trx, program, body)))
      },
    )
  }

  return { adminRoute, programRoute, settingsRoutes }
}
