import type { Database } from '../db/database.ts'
import { getBalance, postEntries, sumEntries, type EntryInput } from '../ledger/service.ts'
import { insertMembers } from '../members/repository.ts'
import { createMerchant } from '../merchants/service.ts'
import { createProgram } from '../programs/service.ts'
import { setPasswordHashCost } from '../auth/passwords.ts'
import { testDatabase } from '../test/database.ts'

const MEMBERS = 10_000
const ENTRIES = 100_000
const HEAVY_ENTRIES = 10_000 // the member whose balance read is timed
const BATCH = 500

/**
 * Posts 100,000 earn entries over 10,000 members through the ledger service (batched, as sync
 * does), then times balance reads of a member with 10,000 entries. Runs on PGlite, and also on
 * PostgreSQL when DATABASE_URL is set.
 */
export async function run() {
  setPasswordHashCost(10)
  const saved = process.env.DATABASE_URL
  const dialects: Array<string | undefined> = [undefined, ...(saved ? [saved] : [])]
  for (const url of dialects) {
    if (url) process.env.DATABASE_URL = url
    else delete process.env.DATABASE_URL
    const database = await testDatabase()
    try {
      console.log(JSON.stringify(await measure(database)))
    } finally {
      await database.close()
    }
  }
  if (saved) process.env.DATABASE_URL = saved
}

async function measure(database: Database) {
  const { db } = database
  const merchant = await createMerchant(db, { email: 'bench@loja.test', password: 'benchmark password' })
  const program = await createProgram(db, merchant.id, {
    name: 'Bench',
    pointsName: 'pontos',
    earnRate: 1,
    primaryColor: '#000000',
    textColor: '#ffffff',
    joiningOpen: true,
  })
  const ids: number[] = []
  for (let i = 0; i < MEMBERS; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, MEMBERS - i) }, (_, j) => ({
      program_id: program.id,
      email: `m${i + j}@bench.test`,
    }))
    ids.push(...(await insertMembers(db, rows)).map((r) => r.id))
  }
  const heavy = ids[0]!
  // Entry k goes to the heavy member for the first 10,000, then round-robin over the rest.
  const memberFor = (k: number) => (k < HEAVY_ENTRIES ? heavy : ids[1 + ((k - HEAVY_ENTRIES) % (MEMBERS - 1))]!)
  const batches: EntryInput[][] = []
  for (let k = 0; k < ENTRIES; k += BATCH) {
    batches.push(
      Array.from({ length: Math.min(BATCH, ENTRIES - k) }, (_, j) => ({
        memberId: memberFor(k + j),
        kind: 'earn' as const,
        amount: 1 + ((k + j) % 97),
        reason: `Compra #${k + j}`,
        idempotencyKey: `bench:${k + j}`,
        orderRef: String(k + j),
      })),
    )
  }
  // Interleave batches so concurrent writers on PostgreSQL mostly touch different members.
  const concurrency = database.dialect === 'postgres' ? 4 : 1
  const started = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const batch = batches[next++]!
        await db.transaction().execute((trx) => postEntries(trx, program.id, batch))
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000

  for (let i = 0; i < 20; i++) await getBalance(db, program.id, heavy) // warm up
  const samples: number[] = []
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now()
    await getBalance(db, program.id, heavy)
    samples.push(performance.now() - t0)
  }
  samples.sort((a, b) => a - b)
  const balance = await getBalance(db, program.id, heavy)
  if (balance !== (await sumEntries(db, program.id, heavy)))
    throw new Error('cached balance differs from the sum of entries')

  return {
    bench: 'ledger',
    db: database.dialect,
    entries_per_s: Math.round(ENTRIES / seconds),
    balance_read_ms: Math.round(samples[Math.floor(samples.length / 2)]! * 1000) / 1000,
  }
}
