import assert from 'node:assert/strict'
import { test } from 'node:test'
import { InteractiveWork } from './interactive.ts'

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Resolves to how long `p` took, in ms (wall clock: the quiet windows here are tens of ms). */
async function took(p: Promise<void>): Promise<number> {
  const t = performance.now()
  await p
  return performance.now() - t
}

test('deferred work goes ahead at once when no interactive job ran', async () => {
  const w = new InteractiveWork(50, undefined, 1)
  assert.ok((await took(w.quiet(5_000))) < 40)
})

test('a trickle of interactive jobs, below a burst, holds nothing back', async () => {
  const w = new InteractiveWork(50, undefined, 3)
  const releases: Array<() => void> = []
  const jobs = [1, 2].map(() => w.track(() => new Promise<void>((r) => releases.push(r))))
  assert.ok((await took(w.quiet(5_000))) < 40, 'two running, a burst is three')
  const third = w.track(() => new Promise<void>((r) => setTimeout(r, 60)))
  assert.ok((await took(w.quiet(5_000))) >= 90, 'three: held until the burst is over and quiet')
  await third
  for (const r of releases) r()
  await Promise.all(jobs)
})

test('deferred work waits while an interactive job runs, and a quiet moment after it', async () => {
  const w = new InteractiveWork(50, undefined, 1)
  let release!: () => void
  const job = w.track(() => new Promise<void>((r) => (release = r)))
  let done = false
  const waited = w.quiet(5_000).then(() => (done = true))
  await tick(80)
  assert.equal(done, false, 'held while the job runs')
  release()
  await job
  await tick(20)
  assert.equal(done, false, 'held for the quiet window after it')
  await waited
  assert.equal(done, true)
})

test('a steady stream of interactive jobs holds deferred work for maxWaitMs at most', async () => {
  const w = new InteractiveWork(50, undefined, 1)
  let stop = false
  const stream = (async () => {
    while (!stop) await w.track(() => tick(5))
  })()
  const ms = await took(w.quiet(150))
  stop = true
  await stream
  assert.ok(ms >= 140 && ms < 400, `waited ${ms} ms`)
})

test('closing releases what waits, and nothing is held back after it', async () => {
  const w = new InteractiveWork(50, undefined, 1)
  let release!: () => void
  const job = w.track(() => new Promise<void>((r) => (release = r)))
  const waited = w.quiet(10_000)
  await tick(10)
  w.close()
  assert.ok((await took(waited)) < 40)
  assert.ok((await took(w.quiet(10_000))) < 40, 'closed: at once, although a job still runs')
  release()
  await job
})
