import type { Hono } from 'hono'
import { createApp } from '../app.ts'
import { JwtService } from '../auth/jwt.ts'
import { setPasswordHashCost } from '../auth/passwords.ts'
import { loadConfig, type Config } from '../config/config.ts'
import { parseJwtKeys } from '../config/secrets.ts'
import type { Database } from '../db/database.ts'
import type { AppEnv } from '../http/context.ts'
import type { AppDeps } from '../deps.ts'
import { Jobs } from '../jobs/jobs.ts'
import { createLogger, type Logger } from '../lib/logger.ts'
import { createMerchant } from '../merchants/service.ts'
import { testDatabase } from './database.ts'
import type { MailTransport } from '../email/transport.ts'
import { registerWorkers } from '../workers.ts'

export const TEST_JWT_KEYS = 'k1:test-secret-test-secret-test-secret-0001'
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7)

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    LOG_LEVEL: 'silent',
    JWT_KEYS: TEST_JWT_KEYS,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY.toString('base64'),
    SCRYPT_LOG_N: '10',
    DATA_DIR: '/tmp/fidelis-test-data',
    // Requests carry X-Forwarded-For so each test picks its own rate-limit bucket.
    TRUST_PROXY: 'true',
    // Feeds are served by local test servers on 127.0.0.1.
    FEED_ALLOW_PRIVATE_HOSTS: 'true',
    // The real budget (90/min per store) makes a test that talks to the simulator wait for the
    // next 10 s window after 12 requests. The budget's own tests (loja-integrada/budget.test.ts)
    // build their gates with explicit limits; a test about pacing passes its own value here.
    LI_REQUESTS_PER_MINUTE: '1000000',
    // Backoff between LI retries (500 ms doubling by default): the fault tests retry in
    // milliseconds. The client's own tests check the backoff with an injected sleep.
    LI_RETRY_BASE_MS: '1',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...overrides,
  })
}

/** Captures log lines so tests can assert what is (and is not) logged. */
export function captureLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = []
  return { log: createLogger('debug', {}, (l) => lines.push(l)), lines }
}

export interface TestApp {
  app: Hono<AppEnv>
  deps: AppDeps
  database: Database
  logLines: string[]
  /** JSON request helper on the in-process app. */
  request(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>
  /** A merchant with a logged-in session token. */
  merchant(email?: string): Promise<{ id: string; token: string; email: string }>
  close(): Promise<void>
}

let merchants = 0
let ipCounter = 1

export interface TestAppOptions {
  config?: Record<string, string>
  /** How the app reaches Loja Integrada: the in-process simulator's `fetch`. */
  liFetch?: typeof fetch
  /** Mail transport for the e-mail worker (default: .eml files in the test data folder). */
  transport?: MailTransport
  /** Run job handlers in this process (default false: jobs are only queued, tests run them). */
  work?: boolean
}

export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const config = testConfig(opts.config)
  setPasswordHashCost(config.scryptLogN)
  const database = await testDatabase()
  const { log, lines } = captureLogger()
  const jwt = new JwtService(parseJwtKeys(TEST_JWT_KEYS), config.jwtIssuer)
  const jobs = new Jobs(database, log)
  const secrets = { jwtKeys: parseJwtKeys(TEST_JWT_KEYS), encryptionKey: TEST_ENCRYPTION_KEY }
  const deps: AppDeps = {
    config,
    secrets,
    database,
    db: database.db,
    jwt,
    jobs,
    log,
    ...(opts.liFetch ? { liFetch: opts.liFetch } : {}),
  }
  const { transport } = registerWorkers(deps, opts.transport ? { transport: opts.transport } : {})
  await jobs.start({ work: opts.work ?? false, pollingIntervalSeconds: 0.5 })
  const app = createApp(deps)

  const request: TestApp['request'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = {
      'x-forwarded-for': `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter++ & 255}`,
      ...(o.headers ?? {}),
    }
    if (o.token) headers.authorization = `Bearer ${o.token}`
    let body: string | undefined
    if (o.body !== undefined) {
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body)
      headers['content-type'] ??= 'application/json'
    }
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      // keep text
    }
    return { status: res.status, body: parsed, headers: res.headers }
  }

  return {
    app,
    deps,
    database,
    logLines: lines,
    request,
    merchant: async (email = `m${++merchants}-${process.pid}@loja.test`) => {
      const password = 'correct horse battery'
      const m = await createMerchant(database.db, { email, password })
      const res = await request('POST', '/v1/auth/login', { body: { email, password } })
      if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`)
      return { id: m.id, token: res.body.token as string, email }
    },
    close: async () => {
      await jobs.stop()
      transport.close()
      await database.close()
    },
  }
}
