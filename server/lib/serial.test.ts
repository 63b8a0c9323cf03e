import assert from 'node:assert/strict'
import { test } from 'node:test'
import { coalesce } from './serial.ts'

test('coalesce: items of one turn are written together, later ones after the write in flight', async () => {
  const batches: number[][] = []
  let release!: () => void
  const gate = new Promise<void>((r) => (release = r))
  const write = coalesce(async (items: number[]) => {
    batches.push(items)
    if (batches.length === 1) await gate
    return items.map((i) => i * 10)
  })
  const first = [write(1), write(2)]
  await new Promise((r) => setImmediate(r))
  const later = [write(3), write(4), write(5)] // while [1, 2] is in flight
  release()
  assert.deepEqual(await Promise.all([...first, ...later]), [10, 20, 30, 40, 50])
  assert.deepEqual(batches, [
    [1, 2],
    [3, 4, 5],
  ])
})

test('coalesce: a batch that throws is tried item by item, so only the bad item fails', async () => {
  const write = coalesce(async (items: number[]) => {
    if (items.includes(13)) throw new Error(`unlucky ${items.join(',')}`)
    return items
  })
  const results = await Promise.allSettled([write(12), write(13), write(14)])
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  )
  assert.match(String((results[1] as PromiseRejectedResult).reason), /unlucky 13$/)
})

test('coalesce with a linger: items within it are one batch; past `max` during a write, flushed at once', async () => {
  const batches: number[][] = []
  let release!: () => void
  const blocked = new Promise<void>((r) => (release = r))
  const write = coalesce(
    async (items: number[]) => {
      batches.push(items)
      if (batches.length === 1) await blocked
      return items
    },
    3,
    30,
  )
  const first = [write(1)]
  await new Promise((r) => setTimeout(r, 10))
  first.push(write(2)) // within the first item's linger
  while (batches.length === 0) await new Promise((r) => setTimeout(r, 5))
  // During the write of [1, 2]: four items, past `max`: three go as soon as it ends, the last
  // waits a linger of its own.
  const later = [write(3), write(4), write(5), write(6)]
  release()
  assert.deepEqual(await Promise.all([...first, ...later]), [1, 2, 3, 4, 5, 6])
  assert.deepEqual(batches, [[1, 2], [3, 4, 5], [6]])
})
