import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { collectAll, harness, NAIVE_DATE } from './test-helpers.ts'
import { parseLiDateTime } from './time.ts'

describe('customers (reference §5)', () => {
  test('list items are light; detail is full', async () => {
    const h = harness()
    const list = await h.get('/v1/cliente?limit=5')
    assert.equal(list.body.meta.total_count, 30)
    const item = list.body.objects[0]
    assert.deepEqual(Object.keys(item).sort(), [
      'data_criacao',
      'data_modificacao',
      'email',
      'id',
      'nome',
      'resource_uri',
      'tipo',
    ])
    const detail = await h.get(`/v1/cliente/${item.id}`)
    assert.equal(detail.status, 200)
    for (const k of [
      'cpf',
      'cnpj',
      'razao_social',
      'ie',
      'rg',
      'sexo',
      'data_nascimento',
      'telefone_celular',
      'telefone_principal',
      'telefone_comercial',
      'aceita_newsletter',
      'grupo',
      'enderecos',
    ]) {
      assert.ok(k in detail.body, k)
    }
    assert.equal(detail.body.enderecos[0].cliente, item.resource_uri)
    assert.match(detail.body.data_modificacao, NAIVE_DATE)
    if (detail.body.tipo === 'PF') assert.match(detail.body.cpf, /^\d{11}$/)
    assert.equal((await h.get('/v1/cliente/1')).status, 404)
  })

  test('order_by=data_modificacao / -data_modificacao on the list', async () => {
    const h = harness()
    const asc = (await h.get('/v1/cliente?order_by=data_modificacao&limit=100')).body.objects.map(
      (c: any) => c.data_modificacao,
    )
    assert.deepEqual(asc, [...asc].sort())
    const desc = (await h.get('/v1/cliente?order_by=-data_modificacao&limit=100')).body.objects.map(
      (c: any) => c.data_modificacao,
    )
    assert.deepEqual(desc, [...asc].reverse())
    assert.equal((await h.get('/v1/cliente?order_by=nome')).status, 400)
  })

  test('search by e-mail is exact and case-insensitive', async () => {
    const h = harness()
    const c = h.seeded.store.customers[3]!
    const oldEmail = c.email
    const r = await h.get(`/v1/cliente/search?cliente_email=${encodeURIComponent(c.email.toUpperCase())}`)
    assert.equal(r.body.meta.total_count, 1)
    assert.equal(r.body.objects[0].id, c.id)
    assert.equal(
      (await h.get(`/v1/cliente/search?cliente_email=${encodeURIComponent(c.email.slice(1))}`)).body.meta.total_count,
      0,
    )
    h.sim.state.requireStore(h.seeded.store.id).updateCustomer(c.id, { email: 'Nova.Pessoa@Exemplo.invalid' })
    assert.equal((await h.get('/v1/cliente/search?cliente_email=nova.pessoa@exemplo.invalid')).body.objects[0].id, c.id)
    assert.equal(
      (await h.get(`/v1/cliente/search?cliente_email=${encodeURIComponent(oldEmail)}`)).body.meta.total_count,
      0,
    )
  })

  test('search: most recent modification first by default; date filters; ascending order_by for stable paging', async () => {
    const h = harness({ customers: 80 })
    const store = h.seeded.store
    const def = (await h.get('/v1/cliente/search?limit=100')).body.objects.map((c: any) => c.data_modificacao)
    assert.deepEqual(def, [...def].sort().reverse())
    const since = '2025-01-01T00:00:00'
    const until = '2025-03-01'
    const { objects } = await collectAll(
      h,
      `/v1/cliente/search?since_atualizado=${since}&until_atualizado=${until}&order_by=data_modificacao&limit=7`,
    )
    const lo = parseLiDateTime(since)!
    const hi = parseLiDateTime(until)!
    const expected = store.customers.filter((c) => c.modifiedUs >= lo && c.modifiedUs < hi)
    assert.ok(expected.length > 3)
    assert.deepEqual(
      objects.map((c) => c.id),
      [...expected].sort((a, b) => a.modifiedUs - b.modifiedUs).map((c) => c.id),
    )
    const created = (await h.get('/v1/cliente/search?since_criado=2025-01-01&limit=1')).body.meta.total_count
    assert.equal(created, store.customers.filter((c) => c.createdUs >= lo).length)
  })

  test('a changed customer moves to the top of the search and into the since window', async () => {
    const h = harness()
    const store = h.seeded.store
    h.clock.advance(3_600_000)
    const c = store.customers[0]!
    h.sim.evolve(store.id, { customerChanges: 0 })
    store.updateCustomer(c.id, { nome: 'Nome Novo' })
    const top = (await h.get('/v1/cliente/search?limit=1')).body.objects[0]
    assert.equal(top.id, c.id)
    assert.equal(top.nome, 'Nome Novo')
    const r = await h.get('/v1/cliente/search?since_atualizado=2025-03-14T10:30:00')
    assert.deepEqual(
      r.body.objects.map((x: any) => x.id),
      [c.id],
    )
  })
})
