import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HistoryCache } from './history-cache.ts'

test('widget history cache: keyed by the newest entry, never downgraded, bounded by size (LRU)', () => {
  const b = (s: string) => Buffer.from(s)
  const text = (x: Buffer | undefined) => x?.toString()
  const cache = new HistoryCache(50) // bytes of UTF-8
  cache.set(1, 10, b('[1]'))
  assert.equal(text(cache.get(1, 10)), '[1]')
  assert.equal(cache.get(1, 11), undefined, 'a newer entry makes the copy useless')
  cache.set(1, 11, b('[11]'))
  cache.set(1, 10, b('[old]'))
  assert.equal(text(cache.get(1, 11)), '[11]', 'an older history never replaces a newer one')

  cache.set(2, 5, b('x'.repeat(20)))
  cache.set(3, 5, b('y'.repeat(20))) // 4 + 20 + 20 = 44 bytes
  assert.equal(text(cache.get(1, 11)), '[11]') // 1 becomes the most recent
  cache.set(4, 5, b('z'.repeat(10))) // 54: over 50, evicts the least recent (2)
  assert.equal(cache.get(2, 5), undefined)
  assert.ok(cache.get(3, 5) && cache.get(4, 5) && cache.get(1, 11))
  assert.ok(cache.sizeBytes <= 50)
  cache.set(5, 1, b('w'.repeat(60))) // larger than the whole budget: not kept
  assert.equal(cache.get(5, 1), undefined)
  cache.set(6, 1, b('ç'.repeat(10))) // 20 bytes of UTF-8 for 10 characters
  assert.equal(text(cache.get(6, 1)), 'ç'.repeat(10))
})
