import { loadConfig } from '../config/config.ts'
import { DataDirLockedError } from '../db/lock.ts'
import { createLogger } from '../lib/logger.ts'
import { openAndMigrate } from '../runtime.ts'

// `npm run db:migrate`: applies pending migrations, prints each result, exits 1 on failure.
let config
try {
  config = loadConfig()
} catch (err) {
  console.error(`fidelis: ${(err as Error).message}`)
  process.exit(1)
}
const log = createLogger(config.logLevel === 'silent' ? 'info' : config.logLevel)
try {
  const database = await openAndMigrate(config, log)
  await database.close()
} catch (err) {
  if (err instanceof DataDirLockedError) console.error(`fidelis: ${err.message}`)
  else log.error('migrate failed', { err })
  process.exit(1)
}
