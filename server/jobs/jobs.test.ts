import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import type { Database } from '../db/database.ts'
import { captureLogger } from '../test/harness.ts'
import { testDatabase } from '../test/database.ts'
import { eventually } from '../test/eventually.ts'
import { defineQueue, Jobs } from './jobs.ts'

const smoke = defineQueue({
  name: 'smoke',
  schema: v.object({ n: v.number() }),
  retryLimit: 2,
  retryDelaySeconds: 1,
  retryBackoff: false,
  expireInSeconds: 60,
})

/** Waits for a job to reach a final state by reading pg-boss's own table (no fixed sleeps). */
const waitForState = (jobs: Jobs, id: string, states: string[]) =>
  eventually(`job ${id} to be ${states.join(' or ')}`, async () => {
    const job = await jobs.getJob(smoke, id)
    assert.ok(job && states.includes(job.state), `still ${job?.state ?? 'missing'}`)
    return job
  })

describe('jobs (pg-boss through the shared pool)', () => {
  let database: Database
  let jobs: Jobs
  const seen: number[] = []
  let failNext = 0

  before(async () => {
    database = await testDatabase()
    jobs = new Jobs(database, captureLogger().log)
    jobs.register(smoke, async (payload) => {
      if (failNext > 0) {
        failNext--
        throw new Error('transient')
      }
      seen.push(payload.n)
    })
    await jobs.start({ work: true, pollingIntervalSeconds: 0.5 })
  })
  after(async () => {
    await jobs.stop()
    await database.close()
  })

  test('a job enqueued in a committed transaction runs and completes', async () => {
    const id = await database.db.transaction().execute(async (trx) => {
      await trx.insertInto('rate_limits').values({ key: 'probe', window_start: new Date(), count: 1 }).execute()
      return jobs.enqueue(trx, smoke, { n: 1 })
    })
    assert.ok(id)
    const job = await waitForState(jobs, id!, ['completed', 'failed'])
    assert.equal(job.state, 'completed')
    assert.ok(seen.includes(1))
  })

  test('a job enqueued in a rolled-back transaction never exists', async () => {
    let id: string | null = null
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        id = await jobs.enqueue(trx, smoke, { n: 2 })
        throw new Error('rollback')
      }),
      /rollback/,
    )
    assert.ok(id)
    assert.equal(await jobs.getJob(smoke, id!), null)
  })

  test('a failing handler is retried by the queue policy', async () => {
    failNext = 1
    const id = await jobs.enqueue(database.db, smoke, { n: 3 })
    const job = await waitForState(jobs, id!, ['completed', 'failed'])
    assert.equal(job.state, 'completed')
    assert.equal(job.retryCount, 1)
    assert.ok(seen.includes(3))
  })

  test('payloads are validated at the sender', async () => {
    await assert.rejects(jobs.enqueue(database.db, smoke, { n: 'x' } as never))
  })
})

test('stop waits for the completion of a job that finished while stopping, before the pool may close', async () => {
  const database = await testDatabase()
  const jobs = new Jobs(database, captureLogger().log)
  let release = () => {}
  let started = false
  jobs.register(smoke, async () => {
    started = true
    await new Promise<void>((r) => (release = r))
  })
  await jobs.start({ work: true, pollingIntervalSeconds: 0.5 })
  try {
    const id = (await jobs.enqueue(database.db, smoke, { n: 9 }))!
    await eventually('the handler to start', () => started)
    const stopping = jobs.stop()
    release()
    await stopping
    // pg-boss sends the completion without awaiting it: once stop resolves it must be written,
    // since the runtime closes the pool next.
    const row = await database.pool.query('select state from pgboss.job where id = $1', [id])
    assert.equal(row.rows[0]?.state, 'completed')
  } finally {
    await database.close()
  }
})

test('a handler that outlives stop finishes after the pool closed without crashing the process', async () => {
  const database = await testDatabase()
  const jobs = new Jobs(database, captureLogger().log)
  let release = () => {}
  let started = false
  let finished = false
  jobs.register(smoke, async () => {
    started = true
    await new Promise<void>((r) => (release = r))
    finished = true
  })
  await jobs.start({ work: true, pollingIntervalSeconds: 0.5 })
  const id = (await jobs.enqueue(database.db, smoke, { n: 10 }))!
  await eventually('the handler to start', () => started)
  await jobs.stop(1000) // gives up waiting for it
  await database.close()
  release()
  await eventually('the handler to finish', () => finished)
  // pg-boss now completes the job through the stopped adapter: nothing is sent (the job, still
  // active, would be retried after it expires) and no rejection escapes.
  await new Promise((r) => setTimeout(r, 100))
  assert.ok(id)
})

test('a retired queue is deleted at start, with its jobs and its schedule', async () => {
  const database = await testDatabase()
  try {
    const old = new Jobs(database, captureLogger().log)
    const sweep = { ...smoke, name: 'old-sweep', cron: '*/5 * * * *' }
    old.register(sweep)
    await old.start({ work: true, pollingIntervalSeconds: 0.5 })
    await old.enqueue(database.db, sweep, { n: 1 })
    await old.stop()
    const count = async (sql: string) => Number((await database.pool.query(sql, ['old-sweep'])).rows[0].n)
    assert.equal(await count('select count(*) as n from pgboss.schedule where name = $1'), 1)

    const next = new Jobs(database, captureLogger().log)
    next.retire('old-sweep')
    next.retire('never-existed')
    await next.start({ work: true, pollingIntervalSeconds: 0.5 })
    await next.stop()
    assert.equal(await count('select count(*) as n from pgboss.queue where name = $1'), 0)
    assert.equal(await count('select count(*) as n from pgboss.schedule where name = $1'), 0)
    assert.equal(await count('select count(*) as n from pgboss.job where name = $1'), 0)
  } finally {
    await database.close()
  }
})
