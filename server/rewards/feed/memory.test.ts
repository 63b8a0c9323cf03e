import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateFeed, generatedCounts } from './generate.ts'
import type { GenerateFeedOptions } from './generate.ts'
import { DEFAULT_MAX_BYTES } from './limits.ts'
import { parseFeed } from './parse.ts'

/**
 * Memory stays flat whatever the feed size. Runs in its own test file (own process under
 * node --test) so the RSS baseline is not polluted by other tests. RSS is sampled while parsing,
 * not only at the end, so a transient peak would be caught.
 */

const MB = 1024 * 1024
/** The brief's bound on RSS growth while streaming. */
const MAX_GROWTH = 60 * MB

async function measure(options: GenerateFeedOptions) {
  let bytesGenerated = 0
  let generatorFinished = false
  async function* source() {
    for await (const chunk of generateFeed(options)) {
      bytesGenerated += chunk.byteLength
      yield chunk
    }
    generatorFinished = true
  }
  const before = process.memoryUsage().rss
  let peak = before
  let items = 0
  const started = performance.now()
  const result = await parseFeed(source(), {
    onItem: () => {
      if (++items % 250 === 0) peak = Math.max(peak, process.memoryUsage().rss)
    },
  })
  peak = Math.max(peak, process.memoryUsage().rss)
  const seconds = (performance.now() - started) / 1000
  return { result, before, peak, growth: peak - before, seconds, bytesGenerated, generatorFinished }
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`

describe('memory stays flat', () => {
  it('a 150 MB feed is stopped at the 100 MB default with little RSS growth', async (t) => {
    // ~2.2 kB per item: 70 000 items ≈ 150 MB, the byte limit is hit long before maxItems.
    const run = await measure({ items: 70_000, descriptionChars: 1400 })
    t.diagnostic(
      `150 MB feed: stopped after ${mb(run.result.report.bytesRead)}, RSS ${mb(run.before)} → peak ${mb(run.peak)} (+${mb(run.growth)})`,
    )
    assert.equal(run.result.ok, false)
    assert.equal(run.result.report.fatal?.code, 'too_large')
    assert.ok(run.result.report.bytesRead > DEFAULT_MAX_BYTES)
    assert.ok(run.result.report.bytesRead < DEFAULT_MAX_BYTES + 256 * 1024, 'stops within a chunk of the limit')
    assert.equal(run.generatorFinished, false, 'the rest of the feed is never produced')
    assert.ok(run.bytesGenerated < 101 * MB)
    assert.ok(run.growth < MAX_GROWTH, `RSS grew ${mb(run.growth)}`)
  })

  it('a 50 000-item feed is imported with little RSS growth', async (t) => {
    const options = { items: 50_000 }
    const run = await measure(options)
    const expected = generatedCounts(options)
    // Reported for the `feed` benchmark; not asserted (tests never check wall-clock time).
    t.diagnostic(
      `50 000 items (${mb(run.bytesGenerated)}): ${Math.round(50_000 / run.seconds)} items/s, ` +
        `RSS ${mb(run.before)} → peak ${mb(run.peak)} (+${mb(run.growth)})`,
    )
    assert.equal(run.result.ok, true)
    assert.equal(run.result.report.itemsSeen, 50_000)
    assert.equal(run.result.report.itemsAccepted, expected.accepted)
    assert.equal(run.result.report.skippedOutOfStock, expected.outOfStock)
    assert.equal(run.result.report.errorCount, 0)
    assert.ok(run.growth < MAX_GROWTH, `RSS grew ${mb(run.growth)}`)
  })
})
