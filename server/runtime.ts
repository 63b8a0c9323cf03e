import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { createApp } from './app.ts'
import { JwtService } from './auth/jwt.ts'
import { setPasswordHashCost } from './auth/passwords.ts'
import type { Config } from './config/config.ts'
import { loadSecrets } from './config/secrets.ts'
import { openDatabase, type Database } from './db/database.ts'
import { migrateToLatest } from './db/migrator.ts'
import type { AppDeps } from './deps.ts'
import { Jobs } from './jobs/jobs.ts'
import { createLogger, type Logger } from './lib/logger.ts'
import { registerWorkers } from './workers.ts'

export interface Runtime {
  deps: AppDeps
  /** Base URL when serving HTTP. */
  url: string | undefined
  stop(): Promise<void>
}

/** Opens the database from config, migrating it (unless `migrate` is false); fails loudly when a migration fails. */
export async function openAndMigrate(config: Config, log: Logger, migrate = true): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir + '/pglite',
    poolMax: config.databasePoolMax,
  })
  if (!migrate) {
    log.info('migrations skipped', { reason: 'MIGRATE_ON_START=false' })
    return database
  }
  const report = await migrateToLatest(database.db)
  for (const r of report.results) log.info('migration', { migration: r.migration, status: r.status })
  log.info('migrations', {
    applied: report.results.filter((r) => r.status === 'Success').length,
    failed: !!report.error,
  })
  if (report.error) {
    await database.close()
    throw new Error(`migration failed: ${report.error instanceof Error ? report.error.message : String(report.error)}`)
  }
  return database
}

/** An address a browser on this machine can open: every interface (0.0.0.0, ::) answers on loopback. */
function browsableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

/**
 * Starts everything a process runs: database (migrated), jobs (if RUN_JOBS) and HTTP (if
 * RUN_HTTP). `stop()` drains HTTP, stops the workers, then closes the database — in that order,
 * so no handler loses its connection mid-request.
 */
export async function startRuntime(config: Config, opts: { log?: Logger; database?: Database } = {}): Promise<Runtime> {
  const log = opts.log ?? createLogger(config.logLevel)
  setPasswordHashCost(config.scryptLogN)
  const secrets = await loadSecrets(config)
  const database = opts.database ?? (await openAndMigrate(config, log, config.migrateOnStart))
  const jobs = new Jobs(database, log)
  const deps: AppDeps = {
    config,
    secrets,
    database,
    db: database.db,
    jwt: new JwtService(secrets.jwtKeys, config.jwtIssuer),
    jobs,
    log,
  }
  const { transport } = registerWorkers(deps)
  await jobs.start({ work: config.runJobs })

  let server: ServerType | undefined
  let url: string | undefined
  if (config.runHttp) {
    const app = createApp(deps)
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s))
    })
    const addr = server.address() as AddressInfo
    url = `http://${browsableHost(config.host)}:${addr.port}`
    log.info('listening', { url, host: config.host, port: addr.port, database: database.dialect })
  }

  return {
    deps,
    url,
    stop: async () => {
      if (server) {
        const s = server
        await new Promise<void>((resolve) => {
          s.close(() => resolve())
          // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
          if ('closeIdleConnections' in s) s.closeIdleConnections()
        })
      }
      await jobs.stop()
      transport.close()
      await database.close()
      log.info('stopped')
    },
  }
}
