import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HistoryCache } from './history-cache.ts'

test('widget history cache: keyed by the newest entry, never downgraded, bounded by size (LRU)', () => {
  const cache = new HistoryCache(100) // bytes: 2 per character
  cache.set(1, 10, '[1]')
  assert.equal(cache.get(1, 10), '[1]')
  assert.equal(cache.get(1, 11), undefined, 'a newer entry makes the copy useless')
  cache.set(1, 11, '[11]')
  cache.set(1, 10, '[old]')
  assert.equal(cache.get(1, 11), '[11]', 'an older history never replaces a newer one')

  cache.set(2, 5, 'x'.repeat(20)) // 40 bytes
  cache.set(3, 5, 'y'.repeat(20)) // 40 bytes: 8 + 40 + 40 = 88
  assert.equal(cache.get(1, 11), '[11]') // 1 becomes the most recent
  cache.set(4, 5, 'z'.repeat(10)) // 20 bytes: over 100, evicts the least recent (2)
  assert.equal(cache.get(2, 5), undefined)
  assert.ok(cache.get(3, 5) && cache.get(4, 5) && cache.get(1, 11))
  assert.ok(cache.sizeBytes <= 100)
  cache.set(5, 1, 'w'.repeat(60)) // larger than the whole budget: not kept
  assert.equal(cache.get(5, 1), undefined)
})
