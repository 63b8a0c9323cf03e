import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { metricsRegistry } from '../lib/metrics.ts'
import { manualClock } from '../li-simulator/index.ts'
import { SYNC_PRIORITY, syncQueue } from '../loja-integrada/queues.ts'
import { connectStore, startLiTestApp, type LiTestEnv } from '../test/li-store.ts'
import { runSync } from './sync.ts'
import { findSyncStates } from './repository.ts'
import { requestSync } from './service.ts'
import { SCHEDULER_TICK_MS, scheduleDueSyncs } from './workers.ts'

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

test('a poll due before the next tick is queued for its due time, and "sync now" moves it to now', async () => {
  const deps = env.t.deps
  const s = await connectStore(deps, env.sim, { seed: { seed: 14, customers: 5, orders: 10 } })
  assert.equal(await runSync(deps, s.programId), 'done')
  await sql`delete from pgboss.job where name = ${syncQueue.name}`.execute(deps.db)
  const interval = deps.config.syncIntervalMinutes * 60_000
  const startedAt = Math.min(
    ...(await findSyncStates(deps.db, s.programId)).map((r) => r.last_run_started_at!.getTime()),
  )
  const queued = async () =>
    (
      await sql<{ start_after: Date; priority: number }>`
        select start_after, priority from pgboss.job
         where name = ${syncQueue.name} and state = 'created' and singleton_key = ${s.programId}`.execute(deps.db)
    ).rows

  // More than a tick before the interval ends: nothing yet.
  await scheduleDueSyncs(deps, new Date(startedAt + interval - SCHEDULER_TICK_MS - 1000))
  assert.equal((await queued()).length, 0)
  // Within the last tick before it: queued now, to start when the interval ends (not a tick later).
  await scheduleDueSyncs(deps, new Date(startedAt + interval - 30_000))
  const [poll] = await queued()
  assert.equal(poll?.start_after.getTime(), startedAt + interval)
  assert.equal(poll?.priority, SYNC_PRIORITY.poll)
  // The next tick sends again; stately keeps the one queued.
  await scheduleDueSyncs(deps, new Date(startedAt + interval + 30_000))
  assert.equal((await queued()).length, 1)

  // The merchant asks for a sync now: the waiting poll starts now instead of being a dropped send.
  await requestSync(deps, s.merchantId, s.programId)
  const rows = await queued()
  assert.equal(rows.length, 1)
  assert.ok(rows[0]!.start_after.getTime() <= Date.now() + 1000, 'starts now')
})
