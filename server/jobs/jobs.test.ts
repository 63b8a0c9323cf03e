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
