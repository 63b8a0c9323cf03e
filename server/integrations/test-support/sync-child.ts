// A sync in its own process, for the kill test: `node --import tsx sync-child.ts <json>`.
// Opens the database named in the argument, builds the same simulator store (same seed), runs
// one sync committing page by page, and prints a line per commit so the parent knows when to kill.
import { openDatabase } from '../../db/database.ts'
import type { AppDeps } from '../../deps.ts'
import { createLogger } from '../../lib/logger.ts'
import { testConfig } from '../../test/harness.ts'
import { createLiSimulator, manualClock } from '../../li-simulator/index.ts'
import { runSync } from '../sync.ts'
import { KILL_TEST_STORE, type ChildArgs } from './kill-store.ts'

const args = JSON.parse(process.argv[2]!) as ChildArgs
const sim = createLiSimulator({ clock: manualClock(KILL_TEST_STORE.clock), rateLimit: false })
sim.seed(KILL_TEST_STORE.seed)
const database = await openDatabase(
  args.databaseUrl ? { databaseUrl: args.databaseUrl, poolMax: 2 } : { dataDir: args.dataDir! },
)
const config = testConfig({
  LI_API_URL: 'http://li.test',
  LI_APP_KEY: sim.applicationKey,
  ...(args.databaseUrl ? { DATABASE_URL: args.databaseUrl } : {}),
})
const deps = {
  config,
  secrets: { jwtKeys: [], encryptionKey: Buffer.alloc(32, 7) },
  db: database.db,
  log: createLogger('silent'),
  liFetch: sim.fetch as typeof fetch,
} as unknown as AppDeps
let commits = 0
const outcome = await runSync(deps, args.programId, {
  maxPagesPerCommit: 1,
  hooks: { afterCommit: (resource) => void process.stdout.write(`commit ${resource} ${++commits}\n`) },
})
process.stdout.write(`done ${outcome}\n`)
await database.close()
