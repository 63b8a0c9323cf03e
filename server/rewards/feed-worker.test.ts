import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { eventually } from '../test/eventually.ts'
import { createTestApp, type TestApp } from '../test/harness.ts'
import { item, rss } from './feed/test-helpers.ts'
import { feedScheduleQueue } from './queues.ts'
import { programWithToken, setFeedIntegration, startFeedServer, type FeedServer } from './test-support.ts'

/** The real path: the admin API queues the job, a pg-boss worker in this process runs it. */
let t: TestApp
let feeds: FeedServer

before(async () => {
  t = await createTestApp({ work: true })
  feeds = await startFeedServer()
})
after(async () => {
  await t.close()
  await feeds.close()
})

test('POST …/feed-imports: the worker imports the feed and the report shows up', async () => {
  const p = await programWithToken(t)
  await setFeedIntegration(t.database.db, p.programId, {
    feedUrl: feeds.serve('/worker.xml', rss(item('A') + item('B'))),
  })
  assert.equal((await t.request('POST', `${p.programBase}/feed-imports`, { token: p.token })).status, 202)

  const report = await eventually('the import report', async () => {
    const res = await t.request('GET', `${p.programBase}/feed-imports`, { token: p.token })
    const latest = res.body.items[0]
    return latest && latest.status !== 'running' ? latest : null
  })
  assert.equal(report.status, 'ok', report.report)
  assert.equal(report.trigger, 'manual')
  assert.equal(report.rewardsCreated, 2)
  const list = await t.request('GET', `${p.base}?source=feed`, { token: p.token })
  assert.deepEqual(
    list.body.items.map((r: any) => [r.feedItemId, r.pointsCost]),
    [
      ['A', 100],
      ['B', 100],
    ],
  )
})

test('the daily scheduler job imports every active integration with a feed', async () => {
  const p = await programWithToken(t)
  await setFeedIntegration(t.database.db, p.programId, {
    feedUrl: feeds.serve('/nightly.xml', rss(item('N'))),
    active: true,
  })
  await t.deps.jobs.enqueue(t.deps.db, feedScheduleQueue, {})
  const report = await eventually('the scheduled import', async () => {
    const res = await t.request('GET', `${p.programBase}/feed-imports`, { token: p.token })
    const latest = res.body.items[0]
    return latest && latest.status !== 'running' ? latest : null
  })
  assert.equal(report.status, 'ok', report.report)
  assert.equal(report.trigger, 'schedule')
})
