import type { JwtService } from './auth/jwt.ts'
import type { Config } from './config/config.ts'
import type { Secrets } from './config/secrets.ts'
import type { Database, Db } from './db/database.ts'
import type { Jobs } from './jobs/jobs.ts'
import type { Logger } from './lib/logger.ts'
import type { LiFetch } from './lib/fetch-like.ts'

/**
 * What features and workers need, built once by the composing layer (runtime.ts, the test harness)
 * and handed down; routes get it inside `RouteContext` (server/http/route.ts).
 */
export interface AppDeps {
  config: Config
  secrets: Secrets
  database: Database
  db: Db
  jwt: JwtService
  jobs: Jobs
  log: Logger
  /** How the server reaches Loja Integrada; tests pass the in-process simulator's fetch. */
  liFetch?: LiFetch
}
