import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { metricsRegistry } from '../lib/metrics.ts'
import { manualClock } from '../li-simulator/index.ts'
import { SYNC_PRIORITY, syncQueue } from '../loja-integrada/queues.ts'
import { connectStore, startLiTestApp, type LiTestEnv } from '../test/li-store.ts'
import { runSync } from './sync.ts'
import { scheduleDueSyncs } from './workers.ts'

let env: LiTestEnv
before(async () => {
  env = await startLiTestApp({ sim: { clock: manualClock('2025-03-14T13:00:00Z') } })
})
after(() => env.close())

test("a polling store's scheduled sync is fetched before another store's import continuing", async () => {
  const deps = env.t.deps
  const importing = await connectStore(deps, env.sim, { seed: { seed: 11, customers: 20, orders: 200 } })
  const polling = await connectStore(deps, env.sim, { seed: { seed: 12, customers: 5, orders: 10 } })
  // The importing store is cut short mid-run (its job would re-enqueue itself); the other is done.
  assert.equal(await runSync(deps, importing.programId, { deadline: 0 }), 'continue')
  assert.equal(await runSync(deps, polling.programId), 'done')
  await sql`delete from pgboss.job where name = ${syncQueue.name}`.execute(deps.db)

  // The scheduler, an hour on: both stores are due.
  assert.equal(await scheduleDueSyncs(deps, new Date(Date.now() + 3600_000)), 2)
  const rows = await sql<{ program: string; priority: number }>`
    select data->>'programId' as program, priority from pgboss.job where name = ${syncQueue.name}`.execute(deps.db)
  const priority = new Map(rows.rows.map((r) => [r.program, r.priority]))
  assert.equal(priority.get(importing.programId), SYNC_PRIORITY.continuation, 'mid-run: with the continuations')
  assert.equal(priority.get(polling.programId), SYNC_PRIORITY.poll)

  const [first] = await deps.jobs.boss.fetch<{ programId: string }>(syncQueue.name)
  assert.equal(first?.data.programId, polling.programId, 'the poll goes first')
})

test('each finished sync of a store counts its staleness in the sync lag histogram (no store label)', async () => {
  const deps = env.t.deps
  const s = await connectStore(deps, env.sim, { seed: { seed: 13, customers: 5, orders: 10 } })
  const count = async () => {
    const text = await metricsRegistry.metrics()
    return Number(/^fidelis_sync_lag_seconds_count (\d+)$/m.exec(text)?.[1] ?? 0)
  }
  assert.equal(await runSync(deps, s.programId), 'done')
  const before = await count()
  assert.equal(await runSync(deps, s.programId), 'done')
  assert.equal(await count(), before + 1, 'the second run measures the time since the first')
  assert.ok(!(await metricsRegistry.metrics()).includes(s.programId))
})
