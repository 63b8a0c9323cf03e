import { loadConfig, type Config } from './config/config.ts'
import { DataDirLockedError } from './db/lock.ts'
import { createLogger } from './lib/logger.ts'
import { startRuntime } from './runtime.ts'

let config: Config
try {
  config = loadConfig()
} catch (err) {
  console.error(`fidelis: ${(err as Error).message}`)
  process.exit(1)
}
const log = createLogger(config.logLevel)

try {
  const runtime = await startRuntime(config, { log })
  // The one line a newcomer looks for after `npm start`: where to click.
  if (runtime.url) log.info(`Fidelis ready: panel at ${runtime.url}/panel`, { panel: `${runtime.url}/panel` })
  else log.info('Fidelis ready: jobs only (RUN_HTTP=false)')
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info('shutting down', { signal })
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting')
      process.exit(1)
    }, 20_000)
    force.unref()
    try {
      await runtime.stop()
      process.exit(0)
    } catch (err) {
      log.error('shutdown failed', { err })
      process.exit(1)
    }
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
} catch (err) {
  // Another process holds the embedded database: a sentence for the person at the terminal.
  if (err instanceof DataDirLockedError) console.error(`fidelis: ${err.message}`)
  else log.error('startup failed', { err })
  process.exit(1)
}
