import os from 'node:os'
import path from 'node:path'

/**
 * Every environment variable the server reads, in one place. The README's configuration table
 * mirrors `CONFIG_DOCS` below; keep the two in step.
 */
export interface Config {
  port: number
  host: string
  dataDir: string
  databaseUrl: string | undefined
  databasePoolMax: number
  logLevel: LogLevel
  /** Comma-separated `kid:secret` pairs; the first signs, all verify. Dev: generated into dataDir. */
  jwtKeys: string | undefined
  jwtIssuer: string
  /** 32-byte key (base64) that encrypts LI API keys at rest. Dev: generated into dataDir. */
  encryptionKey: string | undefined
  runJobs: boolean
  runHttp: boolean
  /** Take the client IP from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean
  /** Loja Integrada API base URL (the simulator's in tests and the demo). */
  liApiUrl: string
  /** The integrator's application key (chave_aplicacao), paired with each merchant's chave_api. */
  liAppKey: string | undefined
  /** Requests per minute we allow ourselves per store (LI's limit is 100). */
  liRequestsPerMinute: number
  /** Requests per minute for the whole deployment (LI's per-application limit is 3,000). */
  liAppRequestsPerMinute: number
  /** Requests per minute per egress IP (LI's per-IP limit is 1,200). */
  liIpRequestsPerMinute: number
  /** Names this process's egress IP: processes with the same id share one per-IP budget. */
  liEgressId: string
  /** Percent of every LI budget that bulk work (import pages) leaves to interactive work. */
  liInteractiveReservePercent: number
  /** Header carrying liEgressId on LI requests (for the simulator's per-IP limit); unset = none. */
  liEgressHeader: string | undefined
  /** Sync jobs each worker process runs at once. */
  liSyncWorkers: number
  /** Apply pending migrations when the process starts (off behind a transaction-mode pooler). */
  migrateOnStart: boolean
  /** Bearer token of GET /metrics; unset = /metrics answers 404. */
  metricsToken: string | undefined
  liTimeoutMs: number
  /**
   * First delay of the LI client's backoff (doubling, jittered) after a 429 without Retry-After, a
   * 5xx or a timeout.
   */
  liRetryBaseMs: number
  /** Minutes between scheduled syncs of an active integration. */
  syncIntervalMinutes: number
  /** Public base URL of this server (webhook notify URLs, links in e-mails). */
  publicUrl: string
  /** smtp(s):// URL of the mail server; unset = e-mails are written as .eml files in dataDir/mail. */
  smtpUrl: string | undefined
  /** `Name <address>` every e-mail is sent from. */
  mailFrom: string
  /** log2 of scrypt's N for new password hashes. */
  scryptLogN: number
  /** Welcome e-mails per minute per program (the activation drip's pace). */
  emailWelcomePerMinute: number
  /** Let feed downloads reach private/loopback/link-local addresses (tests, benchmarks, demo only). */
  feedAllowPrivateHosts: boolean
  /** Let event webhooks reach loopback addresses (127.0.0.0/8, ::1) over http: tests only. */
  webhookAllowLoopback: boolean
  /** Timeout of one webhook delivery attempt (connect to last byte of the answer). */
  webhookTimeoutMs: number
  /** Delay before the first retry of a failed webhook delivery; doubles per attempt (capped at 6 h). */
  webhookRetryBaseMs: number
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

export const CONFIG_DOCS: ReadonlyArray<{ name: string; default: string; description: string }> = [
  { name: 'PORT', default: '8787', description: 'HTTP port of the API.' },
  {
    name: 'HOST',
    default: '127.0.0.1',
    description:
      'Interface the API listens on. The default keeps a development server (and its first-account page) on this ' +
      'machine; set 0.0.0.0 (every interface) in production, behind a load balancer or in a container.',
  },
  {
    name: 'DATA_DIR',
    default: './.data',
    description: 'Folder for the embedded PGlite database, generated development secrets and e-mail files.',
  },
  {
    name: 'DATABASE_URL',
    default: '(unset)',
    description: 'postgres:// URL of a real PostgreSQL server; unset = embedded PGlite in DATA_DIR.',
  },
  {
    name: 'DATABASE_POOL_MAX',
    default: '10',
    description: 'Connections in the pg pool (PostgreSQL only; PGlite always uses one).',
  },
  {
    name: 'LOG_LEVEL',
    default: 'info',
    description: 'debug, info, warn, error or silent. Logs are JSON lines on stdout.',
  },
  {
    name: 'JWT_KEYS',
    default: '(generated)',
    description:
      'Comma-separated kid:secret pairs (secret ≥ 32 chars). The first signs; all verify, so keys rotate by ' +
      'prepending a new one.',
  },
  { name: 'JWT_ISSUER', default: 'fidelis', description: 'Issuer claim of every token the server signs and accepts.' },
  {
    name: 'ENCRYPTION_KEY',
    default: '(generated)',
    description: 'Base64 32-byte key that encrypts Loja Integrada API keys at rest (AES-256-GCM).',
  },
  {
    name: 'PUBLIC_URL',
    default: 'http://127.0.0.1:PORT',
    description: 'Public base URL of this server: Loja Integrada webhooks are registered to it.',
  },
  {
    name: 'LI_API_URL',
    default: 'https://api.awsli.com.br',
    description: 'Loja Integrada API base URL (point it at the simulator for tests and the demo).',
  },
  {
    name: 'LI_APP_KEY',
    default: '(unset)',
    description:
      "Fidelis' application key (chave_aplicacao) from Loja Integrada, sent with each merchant's chave_api. Not " +
      'needed for Personal Tokens.',
  },
  {
    name: 'LI_REQUESTS_PER_MINUTE',
    default: '90',
    description: 'Request budget per store, shared by every process (Loja Integrada allows 100/min).',
  },
  {
    name: 'LI_APP_REQUESTS_PER_MINUTE',
    default: '2700',
    description:
      'Request budget of the whole deployment, shared by every store and process (Loja Integrada allows 3,000/min ' +
      'per application key).',
  },
  {
    name: 'LI_IP_REQUESTS_PER_MINUTE',
    default: '1080',
    description:
      'Request budget per egress IP (LI_EGRESS_ID), shared by every process leaving through it (Loja Integrada ' +
      'allows 1,200/min per IP).',
  },
  {
    name: 'LI_EGRESS_ID',
    default: '(host name)',
    description:
      'Names the public IP this process calls Loja Integrada from; processes with the same id share one per-IP ' +
      'budget. Set it per NAT gateway or egress address when processes on several hosts share one.',
  },
  {
    name: 'LI_INTERACTIVE_RESERVE_PERCENT',
    default: '20',
    description:
      'Share of every Loja Integrada budget that bulk work (import and polling pages) leaves to interactive work ' +
      '(coupons for redemptions, orders announced by webhooks, key checks, shopper look-ups).',
  },
  {
    name: 'LI_EGRESS_HEADER',
    default: '(unset)',
    description:
      'Send LI_EGRESS_ID in this request header to Loja Integrada. Only for the simulator, which can count its ' +
      'per-IP limit by it (several egress ids on one machine); never needed against the real API.',
  },
  {
    name: 'LI_SYNC_WORKERS',
    default: '4',
    description:
      'Store syncs one worker process runs at once (each is one store, a page at a time). Raise it with many stores ' +
      'importing at once; each one holds a database connection only while it writes a page.',
  },
  {
    name: 'MIGRATE_ON_START',
    default: 'true',
    description:
      'Apply pending migrations when a process starts. Set false behind PgBouncer in transaction mode (the ' +
      "migrator's lock is a session lock) and run npm run db:migrate against PostgreSQL itself before a deploy.",
  },
  {
    name: 'METRICS_TOKEN',
    default: '(unset)',
    description:
      'Bearer token that GET /metrics (Prometheus text format) requires; unset = /metrics answers 404. Scrape every ' +
      'process: each counts its own requests and jobs.',
  },
  { name: 'LI_TIMEOUT_MS', default: '10000', description: 'Timeout of one Loja Integrada request.' },
  {
    name: 'SYNC_INTERVAL_MINUTES',
    default: '15',
    description: 'Minutes between scheduled customer/order syncs of an active integration.',
  },
  {
    name: 'SMTP_URL',
    default: '(unset)',
    description:
      'smtp:// or smtps:// URL (user:password@host:port) of the mail server; unset = e-mails are written as .eml ' +
      'files under DATA_DIR/mail.',
  },
  {
    name: 'MAIL_FROM',
    default: 'Fidelis <no-reply@fidelis.local>',
    description: "Sender of every e-mail; the display name is replaced by the program's name.",
  },
  {
    name: 'TRUST_PROXY',
    default: 'false',
    description: 'Read the client IP (for rate limits) from X-Forwarded-For; only behind a proxy that sets it.',
  },
  {
    name: 'EMAIL_WELCOME_PER_MINUTE',
    default: '60',
    description:
      'Welcome e-mails sent per minute per program, evenly spaced: activating a store with 50,000 customers ' +
      'welcomes them over about 14 hours instead of in one burst.',
  },
  {
    name: 'SCRYPT_LOG_N',
    default: '17',
    description: "log2 of scrypt's cost N for new password hashes (OWASP floor 17; tests lower it).",
  },
  {
    name: 'RUN_JOBS',
    default: 'true',
    description: 'Run job workers in this process (false for an API-only process).',
  },
  { name: 'RUN_HTTP', default: 'true', description: 'Serve HTTP in this process (false for a worker-only process).' },
  {
    name: 'FEED_ALLOW_PRIVATE_HOSTS',
    default: 'false',
    description:
      'Let the Google Shopping feed download reach private, loopback, link-local and other non-public addresses. ' +
      'Only for tests, benchmarks and a local demo: in production it would let a merchant make the server fetch ' +
      'internal URLs (SSRF).',
  },
  {
    name: 'WEBHOOK_ALLOW_LOOPBACK',
    default: 'false',
    description:
      'Let event webhooks be delivered to loopback addresses (127.0.0.0/8, ::1), over plain http too. Only for ' +
      'tests: other private addresses stay refused even then.',
  },
  { name: 'WEBHOOK_TIMEOUT_MS', default: '10000', description: 'Timeout of one event webhook delivery attempt.' },
  {
    name: 'WEBHOOK_RETRY_BASE_MS',
    default: '10000',
    description:
      'First retry delay of a failed webhook delivery; it doubles per attempt (at most 6 h apart) for 24 hours.',
  },
]

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`)
  }
  return n
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (/^(1|true|yes|on)$/i.test(raw)) return true
  if (/^(0|false|no|off)$/i.test(raw)) return false
  throw new Error(`${name} must be true or false, got "${raw}"`)
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be debug, info, warn, error or silent, got "${logLevel}"`)
  }
  const databaseUrl = env.DATABASE_URL || undefined
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://')
  }
  return {
    port: int(env, 'PORT', 8787, 0, 65535),
    // Loopback unless told otherwise: a fresh server offers its first account to whoever reaches it.
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || './.data'),
    databaseUrl,
    databasePoolMax: int(env, 'DATABASE_POOL_MAX', 10, 1, 1000),
    logLevel,
    jwtKeys: env.JWT_KEYS || undefined,
    jwtIssuer: env.JWT_ISSUER || 'fidelis',
    encryptionKey: env.ENCRYPTION_KEY || undefined,
    runJobs: bool(env, 'RUN_JOBS', true),
    runHttp: bool(env, 'RUN_HTTP', true),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    liApiUrl: (env.LI_API_URL || 'https://api.awsli.com.br').replace(/\/+$/, ''),
    liAppKey: env.LI_APP_KEY || undefined,
    liRequestsPerMinute: int(env, 'LI_REQUESTS_PER_MINUTE', 90, 1, 1_000_000),
    // 90 % of LI's limits, as the per-store 90 of 100: room for clock skew and others' requests.
    liAppRequestsPerMinute: int(env, 'LI_APP_REQUESTS_PER_MINUTE', 2700, 1, 10_000_000),
    liIpRequestsPerMinute: int(env, 'LI_IP_REQUESTS_PER_MINUTE', 1080, 1, 10_000_000),
    liEgressId: env.LI_EGRESS_ID || os.hostname(),
    liInteractiveReservePercent: int(env, 'LI_INTERACTIVE_RESERVE_PERCENT', 20, 0, 90),
    liEgressHeader: env.LI_EGRESS_HEADER || undefined,
    liSyncWorkers: int(env, 'LI_SYNC_WORKERS', 4, 1, 200),
    migrateOnStart: bool(env, 'MIGRATE_ON_START', true),
    metricsToken: env.METRICS_TOKEN || undefined,
    liTimeoutMs: int(env, 'LI_TIMEOUT_MS', 10_000, 100, 120_000),
    liRetryBaseMs: int(env, 'LI_RETRY_BASE_MS', 500, 1, 60_000),
    syncIntervalMinutes: int(env, 'SYNC_INTERVAL_MINUTES', 15, 1, 24 * 60),
    publicUrl: (env.PUBLIC_URL || `http://127.0.0.1:${env.PORT || 8787}`).replace(/\/+$/, ''),
    smtpUrl: smtpUrl(env),
    mailFrom: env.MAIL_FROM || 'Fidelis <no-reply@fidelis.local>',
    scryptLogN: int(env, 'SCRYPT_LOG_N', 17, 10, 20),
    emailWelcomePerMinute: int(env, 'EMAIL_WELCOME_PER_MINUTE', 60, 1, 6000),
    feedAllowPrivateHosts: bool(env, 'FEED_ALLOW_PRIVATE_HOSTS', false),
    webhookAllowLoopback: bool(env, 'WEBHOOK_ALLOW_LOOPBACK', false),
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 50, 60_000),
    webhookRetryBaseMs: int(env, 'WEBHOOK_RETRY_BASE_MS', 10_000, 1, 3_600_000),
  }
}

function smtpUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.SMTP_URL
  if (!raw) return undefined
  if (!/^smtps?:\/\/[^/]/.test(raw)) throw new Error('SMTP_URL must be an smtp:// or smtps:// URL')
  return raw
}
