import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { escapeXml, generateFeed, generatedCounts, generatedGroupId, generatedItemId } from './generate.ts'
import type { GenerateFeedOptions } from './generate.ts'
import { collect } from './test-helpers.ts'

async function digest(options: GenerateFeedOptions): Promise<{ hash: string; bytes: number; chunks: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  let chunks = 0
  for await (const chunk of generateFeed(options)) {
    hash.update(chunk)
    bytes += chunk.byteLength
    chunks++
  }
  return { hash: hash.digest('hex'), bytes, chunks }
}

describe('generateFeed', () => {
  it('is deterministic for the same options and seed', async () => {
    const a = await digest({ items: 2000 })
    const b = await digest({ items: 2000 })
    assert.deepEqual(a, b)
    assert.notEqual((await digest({ items: 2000, seed: 2 })).hash, a.hash)
  })

  it('streams in chunks of about chunkBytes', async () => {
    const { bytes, chunks } = await digest({ items: 5000, chunkBytes: 16 * 1024 })
    assert.ok(chunks > bytes / (32 * 1024), `${chunks} chunks for ${bytes} bytes`)
  })

  for (const format of ['rss', 'atom'] as const) {
    it(`produces a valid ${format} feed that parseFeed fully accepts`, async () => {
      const options = { items: 300, format, outOfStockEvery: 7, saleEvery: 3 }
      const { result, items } = await collect(generateFeed(options))
      assert.equal(result.ok, true)
      assert.equal(result.report.format, format)
      assert.equal(result.report.errorCount, 0)
      assert.equal(result.report.warningCount, 0)
      assert.equal(result.report.itemsAccepted, generatedCounts(options).accepted)
      assert.equal(result.report.skippedOutOfStock, generatedCounts(options).outOfStock)
      const first = items[0]
      assert.equal(first?.id, generatedItemId(0))
      assert.equal(first?.itemGroupId, generatedGroupId(0))
      assert.match(first?.title ?? '', / & Cia <P> nº 0$/)
      assert.ok(
        first?.salePriceCents !== null &&
          first?.salePriceCents !== undefined &&
          first.salePriceCents < first.priceCents,
      )
      assert.match(first?.link ?? '', /^https:\/\/loja\.exemplo\.invalid\/.*&ref=feed$/)
    })
  }

  it('escapes XML special characters', () => {
    assert.equal(
      escapeXml(`<a href="x">Tom & 'Jerry'</a>`),
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;',
    )
  })
})
