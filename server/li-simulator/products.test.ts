import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { DECIMAL, harness } from './test-helpers.ts'

describe('products (reference §7)', () => {
  test('list items carry no price or stock; detail does', async () => {
    const h = harness()
    const list = await h.get('/v1/produto?limit=100')
    assert.equal(list.body.meta.total_count, 12 + 4 * 4)
    for (const p of list.body.objects) {
      assert.ok(!Object.keys(p).some((k) => k.startsWith('preco_') || k.startsWith('estoque_')), p.sku)
    }
    const simple = list.body.objects.find((p: any) => p.tipo === 'normal')
    const d = (await h.get(`/v1/produto/${simple.id}`)).body
    assert.match(d.preco_cheio, DECIMAL)
    assert.equal(typeof d.estoque_quantidade, 'number')
    assert.equal(d.resource_uri, `/api/v1/produto/${simple.id}`)
    assert.equal((await h.get('/v1/produto/1')).status, 404)
  })

  test('variations: parent (atributo) and children (atributo_opcao) with their own sku, price and stock', async () => {
    const h = harness()
    const parents = (await h.get('/v1/produto?limit=100')).body.objects.filter((p: any) => p.tipo === 'atributo')
    assert.equal(parents.length, 4)
    const parent = parents[0]
    assert.equal(parent.filhos.length, 3)
    const child = (await h.get(parent.filhos[0].replace('/api', ''))).body
    assert.equal(child.tipo, 'atributo_opcao')
    assert.equal(child.pai, parent.resource_uri)
    assert.ok(child.sku.startsWith(parent.sku))
    // Order items reference variations and their parent.
    const store = h.seeded.store
    const withVariation = store.orders.find((o) => store.productsById.get(o.items[0]!)?.tipo === 'atributo_opcao')!
    const item = (await h.get(`/v1/pedido/${withVariation.numero}`)).body.itens[0]
    assert.match(item.produto_pai, /^\/api\/v1\/produto\/\d+$/)
  })

  test('filters: sku, ativo, data_modificacao__gte', async () => {
    const h = harness()
    const store = h.seeded.store
    const r = await h.get('/v1/produto?sku=PRD-0003')
    assert.equal(r.body.meta.total_count, 1)
    assert.equal(r.body.objects[0].sku, 'PRD-0003')
    const active = (await h.get('/v1/produto?ativo=true&limit=100')).body.meta.total_count
    const inactive = (await h.get('/v1/produto?ativo=false&limit=100')).body.meta.total_count
    assert.equal(active + inactive, store.products.length)
    assert.equal(inactive, store.products.filter((p) => !p.ativo).length)
    h.clock.advance(60_000)
    store.updateProduct(store.products[2]!.id, { estoque: 3 })
    const changed = await h.get('/v1/produto?data_modificacao__gte=2025-03-14 10:00:30')
    assert.deepEqual(
      changed.body.objects.map((p: any) => p.id),
      [store.products[2]!.id],
    )
    assert.equal((await h.get('/v1/produto?ativo=talvez')).status, 400)
  })

  test('produto_preco and produto_estoque', async () => {
    const h = harness()
    const p = h.seeded.store.products.find((x) => x.tipo === 'normal')!
    const price = (await h.get(`/v1/produto_preco/${p.id}`)).body
    assert.equal(price.cheio, (p.cheioCents / 100).toFixed(2))
    assert.ok('promocional' in price && 'custo' in price && 'sob_consulta' in price)
    const stock = (await h.get(`/v1/produto_estoque/${p.id}`)).body
    assert.equal(stock.quantidade, p.estoque)
    assert.equal(stock.situacao_sem_estoque, -1)
    assert.equal(stock.quantidade_disponivel, p.estoque - p.reservado)
    assert.equal((await h.get('/v1/produto_preco/1')).status, 404)
  })
})
