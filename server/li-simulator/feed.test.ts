import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseFeed, type FeedItem } from '../rewards/feed/index.ts'
import { createLiSimulator } from './index.ts'
import { sellableProducts } from './feed.ts'

test('the simulator publishes its catalogue as a Google Shopping feed our parser accepts, with offline images', async () => {
  const sim = createLiSimulator({ rateLimit: false })
  try {
    const seeded = sim.seed({
      seed: 5,
      customers: 1,
      orders: 0,
      simpleProducts: 60,
      variationParents: 4,
      storeId: 'feed-demo',
    })
    assert.ok(sellableProducts(seeded.store).length > 50)
    const res = await sim.fetch(
      'http://li.test/__sim/stores/feed-demo/google-shopping.xml?site=http://loja.test&limit=50',
    )
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /xml/)
    const xml = new Uint8Array(await res.arrayBuffer())
    const items: FeedItem[] = []
    const result = await parseFeed([xml], { onItem: (i) => void items.push(i) })
    assert.ok(!result.report.fatal, JSON.stringify(result.report))
    assert.equal(items.length + result.report.skippedOutOfStock, 50, 'the first 50 active sellable products')
    const first = seeded.store.products.find((p) => p.tipo === 'normal')!
    const item = items.find((i) => i.id === first.sku)
    assert.ok(item, 'items are keyed by SKU')
    assert.equal(item.priceCents, first.cheioCents)
    assert.equal(item.link, `http://loja.test/produto/${first.apelido}`)
    const image = await sim.fetch(item.imageUrl!.replace(/^https?:\/\/[^/]+/, 'http://li.test'))
    assert.equal(image.status, 200)
    assert.match(await image.text(), /^<svg/)
  } finally {
    sim.close()
  }
})
