import assert from 'node:assert/strict'
import { test } from 'node:test'
import { captureLogger } from '../test/harness.ts'
import { RowQueueRunner, type RowQueueDef } from './row-queue.ts'

const def: RowQueueDef = { name: 'rows', batchSize: 3, concurrency: 5, pollMs: 50, busyPollMs: 10 }
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A fake table of due rows: `claim` takes from it, `run` holds each row until released. */
function table(initial: number[]) {
  const due = [...initial]
  const claims: number[] = []
  const releases = new Map<number, () => void>()
  return {
    due,
    claims,
    releases,
    handlers: {
      claim: async (limit: number) => {
        claims.push(limit)
        return due.splice(0, limit)
      },
      run: (row: number) => new Promise<void>((r) => releases.set(row, r)),
      stats: async () => ({ waiting: due.length, active: releases.size, oldestSeconds: 0 }),
    },
  }
}

test('claims in batches up to its concurrency, and more as rows finish', async () => {
  const t = table([1, 2, 3, 4, 5, 6, 7, 8])
  const runner = new RowQueueRunner(def, t.handlers, captureLogger().log)
  runner.start()
  await tick(5)
  assert.deepEqual([...t.releases.keys()], [1, 2, 3, 4, 5], 'five at once, never more')
  assert.deepEqual(t.claims, [3, 2], 'a full batch, then the room left')
  t.releases.get(1)!()
  await tick(5)
  assert.ok(t.releases.has(6), 'a finished row makes room at once')
  for (const r of [...t.releases.values()]) r()
  await tick(20)
  for (const r of [...t.releases.values()]) r()
  await runner.stop()
  assert.equal(t.due.length, 0)
})

test('a wake claims at once; an idle runner polls; stop waits for the rows running', async () => {
  const t = table([])
  const runner = new RowQueueRunner(def, t.handlers, captureLogger().log)
  runner.start()
  await tick(5)
  const idleClaims = t.claims.length
  t.due.push(10)
  runner.wake()
  await tick(5)
  assert.ok(t.releases.has(10), 'woken: claimed without waiting for the poll')
  await tick(120)
  assert.ok(t.claims.length >= idleClaims + 2, 'polls while idle')
  let stopped = false
  const stopping = runner.stop().then(() => (stopped = true))
  await tick(10)
  assert.equal(stopped, false, 'waits for the row running')
  t.releases.get(10)!()
  await stopping
  const after = t.claims.length
  t.due.push(11)
  runner.wake()
  await tick(80)
  assert.equal(t.claims.length, after, 'stopped: claims nothing more')
})

test('a failed claim is logged and tried again a few seconds later, not at every poll', async () => {
  const logs = captureLogger()
  let calls = 0
  const runner = new RowQueueRunner(
    def,
    {
      claim: async () => {
        calls++
        throw new Error('connection refused')
      },
      run: async () => undefined,
      stats: async () => ({ waiting: 0, active: 0, oldestSeconds: 0 }),
    },
    logs.log,
  )
  runner.start()
  await tick(300)
  await runner.stop()
  assert.equal(calls, 1)
  assert.ok(logs.lines.some((l) => l.includes('row queue claim failed')))
})

test('interactive rows are run through the tracker', async () => {
  const t = table([1, 2])
  const tracked: number[] = []
  const runner = new RowQueueRunner({ ...def, interactive: true }, t.handlers, captureLogger().log, async (work) => {
    tracked.push(1)
    await work()
  })
  runner.start()
  await tick(5)
  for (const r of [...t.releases.values()]) r()
  await runner.stop()
  assert.equal(tracked.length, 2)
})
