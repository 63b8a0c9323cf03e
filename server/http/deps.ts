import type { MiddlewareHandler } from 'hono'
import type { JwtService } from '../auth/jwt.ts'
import type { Config } from '../config/config.ts'
import type { Secrets } from '../config/secrets.ts'
import type { Database, Db } from '../db/database.ts'
import type { Jobs } from '../jobs/jobs.ts'
import type { Logger } from '../lib/logger.ts'
import type { AppEnv } from './context.ts'
import type { RouteRegistry } from './route.ts'
import type { Hono } from 'hono'

/** What routes need, built once in app.ts and handed to each feature's `register…Routes`. */
export interface AppDeps {
  config: Config
  secrets: Secrets
  database: Database
  db: Db
  jwt: JwtService
  jobs: Jobs
  log: Logger
  /** How the server reaches Loja Integrada; tests pass the in-process simulator's fetch. */
  liFetch?: typeof fetch
}

export interface RouteContext {
  app: Hono<AppEnv>
  registry: RouteRegistry
  deps: AppDeps
  /** Middleware for admin routes (merchant session or API token). */
  merchantAuth: MiddlewareHandler<AppEnv>
}
