import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { openDatabase, type Database } from '../db/database.ts'
import { migrateToLatest } from '../db/migrator.ts'
import type { AppDeps } from '../deps.ts'
import { saveIntegration, setActive, setSalesSource } from './service.ts'
import { Jobs } from '../jobs/jobs.ts'
import { createLogger } from '../lib/logger.ts'
import { createMerchant } from '../merchants/service.ts'
import { pointsFor } from '../orders/rules.ts'
import { createProgram } from '../programs/service.ts'
import { testDatabase } from '../test/database.ts'
import { testConfig } from '../test/harness.ts'
import { registerWorkers } from '../workers.ts'
import { createLiSimulator, findStatusByCodigo, manualClock, type SimStore } from '../li-simulator/index.ts'
import { runSync } from './sync.ts'
import { KILL_TEST_STORE, type ChildArgs } from './test-support/kill-store.ts'

/**
 * A sync process is killed with SIGKILL — no chance to clean up — at several points, then a new
 * one finishes the job: the ledger must be exactly what an uninterrupted sync produces. The
 * child commits page by page, and the kill lands at a random moment after its n-th commit, so it
 * may hit a transaction in flight.
 */
const here = path.dirname(fileURLToPath(import.meta.url))
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
  sim.seed(KILL_TEST_STORE.seed)
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
  const merchant = await createMerchant(database.db, { email: 'kill@loja.test', password: 'kill test password' })
  const program = await createProgram(database.db, merchant.id, { name: 'Clube', pointsName: 'pontos', earnRate: 1, primaryColor: '#000000', textColor: '#ffffff', joiningOpen: true })
  await saveIntegration(deps, merchant.id, program.id, {
    apiKey: KILL_TEST_STORE.seed.apiKey,
    credentialKind: 'chave_api',
    siteUrl: 'https://www.loja.test',
    couponValidityDays: 365,
    rewardAllowlist: [],
    awardingStatusIds: AWARDING,
  })
  await setSalesSource(deps, merchant.id, program.id, 'salesRegistration', true)
  await setActive(deps, merchant.id, program.id, true)
  await jobs.stop()
  return program.id
}

/** Runs the child until its n-th commit, then SIGKILLs it a random few milliseconds later. */
async function killAfter(args: ChildArgs, commits: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'test-support/sync-child.ts'), JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let seen = 0
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line.startsWith('commit ') && ++seen === commits) {
      setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 15))
      break
    }
    if (line.startsWith('done')) break
  }
  await exited
  assert.ok(seen === commits, `the child reached commit ${commits} before dying (saw ${seen})`)
}

async function balances(database: Database, programId: string) {
  const rows = await database.db.selectFrom('members').select(['email', 'balance']).where('program_id', '=', programId).execute()
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

test('SIGKILL at any point of a sync, then a restart: the same ledger as an uninterrupted run (PostgreSQL)', { skip: !process.env.DATABASE_URL && 'PostgreSQL only: set DATABASE_URL' }, async () => {
  const store = storeFor()
  for (const n of KILL_POINTS) {
    const database = await testDatabase()
    try {
      const programId = await setUp(database)
      await killAfter({ programId, databaseUrl: database.url! }, n)
      await resume(database, programId)
      assert.deepEqual(await balances(database, programId), expected(store), `killed after commit ${n}`)
    } finally {
      await database.close()
    }
  }
})

test('SIGKILL of a sync on the embedded database (PGlite in a folder), then a restart: same ledger', { skip: !!process.env.DATABASE_URL && 'PGlite only' }, async () => {
  const store = storeFor()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fidelis-kill-'))
  try {
    let database = await openDatabase({ dataDir })
    assert.ok(!(await migrateToLatest(database.db)).error)
    const programId = await setUp(database)
    await database.close()
    await killAfter({ programId, dataDir }, 8)
    database = await openDatabase({ dataDir })
    try {
      await resume(database, programId)
      assert.deepEqual(await balances(database, programId), expected(store))
    } finally {
      await database.close()
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})
