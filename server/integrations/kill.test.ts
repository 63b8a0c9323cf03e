import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomInt } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { test, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { openDatabase, type Database } from '../db/database.ts'
import type { AppDeps } from '../deps.ts'
import { Jobs } from '../jobs/jobs.ts'
import { createLogger } from '../lib/logger.ts'
import { pointsFor } from '../orders/rules.ts'
import { ensureTemplate, testDatabase } from '../test/database.ts'
import { testConfig } from '../test/harness.ts'
import { connectStore } from '../test/li-store.ts'
import { registerWorkers } from '../workers.ts'
import { createLiSimulator, findStatusByCodigo, manualClock, type SimStore } from '../li-simulator/index.ts'
import { mulberry32 } from '../li-simulator/prng.ts'
import { runSync } from './sync.ts'
import { KILL_TEST_STORE, type ChildArgs } from './test-support/kill-store.ts'

/**
 * A sync process is killed with SIGKILL — no chance to clean up — at several points, then a new
 * one finishes the job: the ledger must be exactly what an uninterrupted sync produces. The
 * child commits page by page, and the kill lands at a random moment after its n-th commit, so it
 * may hit a transaction in flight.
 */
const here = path.dirname(fileURLToPath(import.meta.url))

/**
 * The kill delays come from a seeded generator. The seed is printed with the test's diagnostics
 * and in its failure messages; KILL_TEST_SEED=<seed> replays those delays.
 */
const KILL_SEED = process.env.KILL_TEST_SEED ? Number(process.env.KILL_TEST_SEED) : randomInt(2 ** 31)
assert.ok(Number.isInteger(KILL_SEED), 'KILL_TEST_SEED must be an integer')
const killDelay = mulberry32(KILL_SEED)
const AWARDING = [findStatusByCodigo('pedido_entregue')!.id]

function storeFor(): SimStore {
  const sim = createLiSimulator({ clock: manualClock(KILL_TEST_STORE.clock), rateLimit: false })
  return sim.seed(KILL_TEST_STORE.seed).store
}

function expected(store: SimStore): Map<string, number> {
  const out = new Map<string, number>()
  for (const c of store.customers) out.set(c.email.toLowerCase(), 0)
  for (const o of store.orders) {
    if (!AWARDING.includes(o.statusId)) continue
    const email = store.getCustomer(o.customerId)!.email.toLowerCase()
    out.set(email, out.get(email)! + pointsFor(o.subtotalCents - o.discountCents, 1))
  }
  return out
}

/** Sets up merchant, program and an active integration (through the services) on `database`. */
async function setUp(database: Database): Promise<string> {
  const sim = createLiSimulator({ clock: manualClock(KILL_TEST_STORE.clock), rateLimit: false })
  const log = createLogger('silent')
  const jobs = new Jobs(database, log)
  const deps = {
    config: testConfig({ LI_API_URL: 'http://li.test', LI_APP_KEY: sim.applicationKey }),
    secrets: { jwtKeys: [], encryptionKey: Buffer.alloc(32, 7) },
    database,
    db: database.db,
    jobs,
    log,
    liFetch: sim.fetch as typeof fetch,
  } as unknown as AppDeps
  registerWorkers(deps).transport.close()
  await jobs.start({ work: false })
  const { programId } = await connectStore(deps, sim, { seed: KILL_TEST_STORE.seed, awardingStatusIds: AWARDING })
  await jobs.stop()
  return programId
}

/** Runs the child until its n-th commit, then SIGKILLs it a random few milliseconds later. */
async function killAfter(args: ChildArgs, commits: number, t: TestContext): Promise<void> {
  const delay = Math.floor(killDelay() * 15)
  t.diagnostic(`KILL_TEST_SEED=${KILL_SEED}: kill ${delay} ms after commit ${commits}`)
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'test-support/sync-child.ts'), JSON.stringify(args)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let seen = 0
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line.startsWith('commit ') && ++seen === commits) {
      setTimeout(() => child.kill('SIGKILL'), delay)
      break
    }
    if (line.startsWith('done')) break
  }
  await exited
  assert.ok(
    seen === commits,
    `the child reached commit ${commits} before dying (saw ${seen}; KILL_TEST_SEED=${KILL_SEED})`,
  )
}

async function balances(database: Database, programId: string) {
  const rows = await database.db
    .selectFrom('members')
    .select(['email', 'balance'])
    .where('program_id', '=', programId)
    .execute()
  return new Map(rows.map((r) => [r.email, r.balance]))
}

async function resume(database: Database, programId: string) {
  const sim = createLiSimulator({ clock: manualClock(KILL_TEST_STORE.clock), rateLimit: false })
  sim.seed(KILL_TEST_STORE.seed)
  const deps = {
    config: testConfig({ LI_API_URL: 'http://li.test', LI_APP_KEY: sim.applicationKey }),
    secrets: { jwtKeys: [], encryptionKey: Buffer.alloc(32, 7) },
    db: database.db,
    log: createLogger('silent'),
    liFetch: sim.fetch as typeof fetch,
  } as unknown as AppDeps
  assert.equal(await runSync(deps, programId), 'done')
}

// 2 customer pages, 12 order pages: kill during customers, early, middle and late in orders.
const KILL_POINTS = [1, 3, 8, 13]

test('SIGKILL at any point of a sync, then a restart: the same ledger as an uninterrupted run (PostgreSQL)', {
  skip: !process.env.DATABASE_URL && 'PostgreSQL only: set DATABASE_URL',
}, async (t) => {
  const store = storeFor()
  for (const n of KILL_POINTS) {
    const database = await testDatabase()
    try {
      const programId = await setUp(database)
      await killAfter({ programId, databaseUrl: database.url! }, n, t)
      await resume(database, programId)
      assert.deepEqual(
        await balances(database, programId),
        expected(store),
        `killed after commit ${n} (KILL_TEST_SEED=${KILL_SEED})`,
      )
    } finally {
      await database.close()
    }
  }
})

test('SIGKILL of a sync on the embedded database (PGlite in a folder), then a restart: same ledger', {
  skip: !!process.env.DATABASE_URL && 'PGlite only',
}, async (t) => {
  const store = storeFor()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fidelis-kill-'))
  try {
    // The migrated test template, unpacked into the folder (initdb and migrations take seconds).
    let database = await openDatabase({ dataDir, loadDataDir: new Blob([fs.readFileSync(await ensureTemplate())]) })
    const programId = await setUp(database)
    await database.close()
    await killAfter({ programId, dataDir }, 8, t)
    database = await openDatabase({ dataDir })
    try {
      await resume(database, programId)
      assert.deepEqual(await balances(database, programId), expected(store), `KILL_TEST_SEED=${KILL_SEED}`)
    } finally {
      await database.close()
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})
