import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { collectAll, DECIMAL, harness, NAIVE_DATE } from './test-helpers.ts'
import { formatNaive, parseLiDateTime } from './time.ts'
import { PAYMENT_METHODS } from './catalog.ts'

const cents = (s: string) => Math.round(Number(s) * 100)

describe('pagination (reference §2)', () => {
  test('meta and next links; following them yields every order exactly once', async () => {
    const h = harness()
    const first = await h.get('/v1/pedido/search?limit=7')
    assert.equal(first.status, 200)
    assert.deepEqual(first.body.meta, {
      limit: 7,
      offset: 0,
      total_count: 120,
      next: '/api/v1/pedido/search/?limit=7&offset=7',
      previous: null,
    })
    const second = await h.get(first.body.meta.next)
    assert.equal(second.body.meta.previous, '/api/v1/pedido/search/?limit=7&offset=0')
    const { objects, pages } = await collectAll(h, '/v1/pedido/search?limit=7')
    assert.equal(pages, Math.ceil(120 / 7))
    const numeros = objects.map((o) => o.numero)
    assert.equal(new Set(numeros).size, 120)
    assert.deepEqual(
      numeros,
      [...numeros].sort((a, b) => a - b),
      'default order: ascending numero',
    )
    assert.deepEqual(new Set(numeros), new Set(h.seeded.store.orders.map((o) => o.numero)))
  })

  test('default limit is 20; next keeps the other params (incl. query credentials) and can be followed as-is', async () => {
    const h = harness()
    const q = `chave_api=${h.seeded.apiKey}&chave_aplicacao=${h.sim.applicationKey}`
    const r = await h.get(`/v1/pedido/search?situacao_id=14&${q}`, {})
    assert.equal(r.body.meta.limit, 20)
    assert.ok(r.body.meta.next.startsWith(`/api/v1/pedido/search/?situacao_id=14&${q}&limit=20&offset=20`))
    const seen = new Set<number>()
    let path: string | null = `/v1/pedido/search?situacao_id=14&${q}`
    while (path) {
      const page = await h.get(path, {})
      assert.equal(page.status, 200)
      for (const o of page.body.objects) seen.add(o.numero)
      path = page.body.meta.next
    }
    assert.equal(seen.size, h.seeded.store.orders.filter((o) => o.statusId === 14).length)
  })

  test('limit above 50 on pedido endpoints and above 100 elsewhere is a 400; limit=0 means the maximum', async () => {
    const h = harness()
    assert.equal((await h.get('/v1/pedido/search?limit=50')).body.objects.length, 50)
    assert.equal((await h.get('/v1/pedido/search?limit=51')).status, 400)
    assert.equal((await h.get('/v1/pedido?limit=51')).status, 400)
    assert.equal((await h.get('/v1/pedido/search?limit=0')).body.meta.limit, 50)
    for (const res of ['/v1/cliente', '/v1/cliente/search', '/v1/cupom', '/v1/produto', '/v1/situacao']) {
      assert.equal((await h.get(`${res}?limit=100`)).status, 200, res)
      const bad = await h.get(`${res}?limit=101`)
      assert.equal(bad.status, 400, res)
      assert.equal(typeof bad.body.error_message, 'string')
    }
    assert.equal((await h.get('/v1/pedido/search?limit=abc')).status, 400)
    assert.equal((await h.get('/v1/pedido/search?offset=-1')).status, 400)
  })

  test('offset + limit above 10,000 is rejected', async () => {
    const h = harness()
    const ok = await h.get('/v1/pedido/search?limit=50&offset=9950')
    assert.equal(ok.status, 200)
    assert.deepEqual(ok.body.objects, [])
    assert.equal((await h.get('/v1/pedido/search?limit=50&offset=9951')).status, 400)
    assert.equal((await h.get('/v1/cliente?limit=100&offset=9901')).status, 400)
  })
})

describe('order shapes (reference §3)', () => {
  test('search items are summaries: cliente URI, id present, no itens/pagamentos/envios/address', async () => {
    const h = harness()
    const { body } = await h.get('/v1/pedido/search?limit=50')
    for (const o of body.objects) {
      assert.deepEqual(Object.keys(o).sort(), [
        'cliente',
        'data_criacao',
        'data_expiracao',
        'data_modificacao',
        'id',
        'id_anymarket',
        'id_externo',
        'numero',
        'peso_real',
        'resource_uri',
        'situacao',
        'utm_campaign',
        'valor_desconto',
        'valor_envio',
        'valor_subtotal',
        'valor_total',
      ])
      assert.match(o.cliente, /^\/api\/v1\/cliente\/\d+$/)
      assert.equal(o.resource_uri, `/api/v1/pedido/${o.numero}`)
      for (const k of ['valor_subtotal', 'valor_envio', 'valor_desconto', 'valor_total']) assert.match(o[k], DECIMAL)
      assert.match(o.peso_real, /^\d+\.\d{3}$/)
      for (const k of ['data_criacao', 'data_modificacao', 'data_expiracao']) assert.match(o[k], NAIVE_DATE)
      assert.equal(cents(o.valor_total), cents(o.valor_subtotal) + cents(o.valor_envio) - cents(o.valor_desconto))
      assert.equal(typeof o.id, 'number')
    }
  })

  test('detail has the inline cliente object, items, payments, shipping and address', async () => {
    const h = harness()
    const withCoupon = h.seeded.store.orders.find((o) => o.couponId !== null)
    assert.ok(withCoupon, 'seed uses coupons in some orders')
    for (const numero of [1001, withCoupon.numero]) {
      const { status, body: o } = await h.get(`/v1/pedido/${numero}`)
      assert.equal(status, 200)
      assert.equal(typeof o.cliente, 'object')
      assert.deepEqual(Object.keys(o.cliente).sort(), [
        'cnpj',
        'cpf',
        'data_nascimento',
        'email',
        'id',
        'nome',
        'razao_social',
        'resource_uri',
        'sexo',
        'telefone_celular',
        'telefone_principal',
      ])
      assert.ok(o.itens.length >= 1)
      let subtotal = 0
      o.itens.forEach((it: any, i: number) => {
        assert.equal(it.linha, i + 1)
        for (const k of ['quantidade', 'preco_cheio', 'preco_venda', 'preco_subtotal']) assert.match(it[k], DECIMAL)
        assert.equal(cents(it.preco_subtotal), cents(it.preco_venda) * Number(it.quantidade))
        assert.match(it.produto.resource_uri, /^\/api\/v1\/produto\/\d+$/)
        subtotal += cents(it.preco_subtotal)
      })
      assert.equal(subtotal, cents(o.valor_subtotal))
      assert.equal(o.pagamentos[0].valor, o.valor_total)
      assert.equal(typeof o.pagamentos[0].parcelamento.valor_parcela, 'number')
      assert.equal(o.envios[0].valor, o.valor_envio)
      assert.equal(typeof o.envios[0].forma_envio.code, 'string')
      assert.match(o.endereco_entrega.cep, /^\d{8}$/)
      assert.equal(o.endereco_entrega.pais, 'Brasil')
      assert.equal(cents(o.valor_total), cents(o.valor_subtotal) + cents(o.valor_envio) - cents(o.valor_desconto))
    }
    const c = (await h.get(`/v1/pedido/${withCoupon.numero}`)).body
    assert.equal(typeof c.cupom_desconto.codigo, 'string')
    assert.ok(cents(c.valor_desconto) >= 0)
    const noCoupon = h.seeded.store.orders.find((o) => o.couponId === null)!
    assert.equal((await h.get(`/v1/pedido/${noCoupon.numero}`)).body.cupom_desconto, null)
  })

  test('unknown order → 404', async () => {
    const h = harness()
    assert.equal((await h.get('/v1/pedido/999999')).status, 404)
    assert.equal((await h.get('/v1/situacao/pedido/999999')).status, 404)
  })

  test('PUT id_externo writes, bumps data_modificacao and enables ?id_externo=1 look-ups', async () => {
    const h = harness()
    const before = (await h.get('/v1/pedido/1002')).body
    h.clock.advance(5_000)
    const r = await h.send('PUT', '/v1/pedido/1002', { id_externo: 667 })
    assert.equal(r.status, 200)
    assert.equal(r.body.id_externo, 667)
    assert.ok(r.body.data_modificacao > before.data_modificacao)
    assert.equal((await h.get('/v1/pedido/667?id_externo=1')).body.numero, 1002)
    assert.equal((await h.send('PUT', '/v1/pedido/1002', { id_externo: 'x' })).status, 400)
    assert.equal((await h.send('PUT', '/v1/pedido/1002', '{not json')).status, 400)
  })

  test('PUT /pedido_envio/{envio id} writes the tracking code (not the numero)', async () => {
    const h = harness()
    const envioId = (await h.get('/v1/pedido/1003')).body.envios[0].id
    assert.equal((await h.send('PUT', '/v1/pedido_envio/1003', { objeto: 'AA123456789BR' })).status, 404)
    const r = await h.send('PUT', `/v1/pedido_envio/${envioId}`, { objeto: 'AA123456789BR' })
    assert.equal(r.status, 200)
    assert.equal((await h.get('/v1/pedido/1003')).body.envios[0].objeto, 'AA123456789BR')
  })
})

describe('order search filters (reference §3.1)', () => {
  test('since_atualizado: inclusive, São Paulo wall-clock, ascending by data_modificacao', async () => {
    const h = harness({ orders: 300 })
    const store = h.seeded.store
    const cutoffText = '2025-03-01T08:30:00'
    const cutoff = parseLiDateTime(cutoffText)!
    assert.equal(new Date(cutoff / 1000).toISOString(), '2025-03-01T11:30:00.000Z', 'naive = UTC-3')
    const { objects } = await collectAll(h, `/v1/pedido/search?since_atualizado=${cutoffText}&limit=50`)
    const expected = store.orders.filter((o) => o.modifiedUs >= cutoff).map((o) => o.numero)
    assert.deepEqual(new Set(objects.map((o) => o.numero)), new Set(expected))
    assert.equal(objects.length, expected.length)
    const mods = objects.map((o) => o.data_modificacao)
    assert.deepEqual(mods, [...mods].sort())
    assert.ok(mods.every((m: string) => m >= cutoffText))
    // Date-only is accepted (midnight São Paulo).
    const dateOnly = await h.get('/v1/pedido/search?since_atualizado=2025-03-01&limit=1')
    assert.equal(
      dateOnly.body.meta.total_count,
      store.orders.filter((o) => o.modifiedUs >= parseLiDateTime('2025-03-01T00:00:00')!).length,
    )
    assert.equal((await h.get('/v1/pedido/search?since_atualizado=ontem')).status, 400)
  })

  test('a status change moves an old order into the since_atualizado window', async () => {
    const h = harness()
    h.clock.advance(60_000)
    const since = formatNaive(h.clock.now().getTime() * 1000).slice(0, 19)
    assert.equal((await h.get(`/v1/pedido/search?since_atualizado=${since}`)).body.meta.total_count, 0)
    const old = h.seeded.store.orders.find((o) => o.statusId === 4)!
    assert.equal((await h.send('PUT', `/v1/situacao/pedido/${old.numero}`, { codigo: 'pedido_enviado' })).status, 200)
    const r = await h.get(`/v1/pedido/search?since_atualizado=${since}`)
    assert.deepEqual(
      r.body.objects.map((o: any) => o.numero),
      [old.numero],
    )
    assert.equal(r.body.objects[0].situacao.codigo, 'pedido_enviado')
  })

  test('since_numero, situacao_id, cliente_id, pagamento_id, since_criado/until_criado', async () => {
    const h = harness({ orders: 200 })
    const orders = h.seeded.store.orders
    const total = async (qs: string) => (await h.get(`/v1/pedido/search?${qs}&limit=1`)).body.meta.total_count
    const mid = orders[100]!.numero
    assert.equal(await total(`since_numero=${mid}`), orders.filter((o) => o.numero >= mid).length)
    assert.equal(await total('situacao_id=8'), orders.filter((o) => o.statusId === 8).length)
    const cid = orders[0]!.customerId
    assert.equal(await total(`cliente_id=${cid}`), orders.filter((o) => o.customerId === cid).length)
    assert.equal(await total('pagamento_id=55'), orders.filter((o) => PAYMENT_METHODS[o.paymentIdx]?.id === 55).length)
    const from = parseLiDateTime('2025-02-01')!
    const to = parseLiDateTime('2025-02-15T12:00:00')!
    assert.equal(
      await total('since_criado=2025-02-01&until_criado=2025-02-15T12:00:00'),
      orders.filter((o) => o.createdUs >= from && o.createdUs < to).length,
    )
    assert.ok((await total('since_criado=2025-02-01&until_criado=2025-02-15T12:00:00')) > 0)
  })

  test('plain /v1/pedido ignores since_atualizado and lists oldest first', async () => {
    const h = harness()
    const r = await h.get('/v1/pedido/?since_atualizado=2030-01-01&limit=50')
    assert.equal(r.body.meta.total_count, 120)
    assert.equal(r.body.objects[0].numero, 1001)
    assert.equal(r.body.meta.next, '/api/v1/pedido/?since_atualizado=2030-01-01&limit=50&offset=50')
  })

  test('order_by is honoured on search as an extension', async () => {
    const h = harness()
    const r = await h.get('/v1/pedido/search?order_by=-numero&limit=3')
    const max = Math.max(...h.seeded.store.orders.map((o) => o.numero))
    assert.equal(r.body.objects[0].numero, max)
    assert.equal((await h.get('/v1/pedido/search?order_by=valor_total')).status, 400)
  })
})

describe('statuses (reference §4)', () => {
  // Copied from the reference table, not from catalog.ts, so a typo there fails here.
  const TABLE: [number, string, boolean, boolean, boolean, boolean, boolean][] = [
    [9, 'pedido_efetuado', false, false, false, false, true],
    [2, 'aguardando_pagamento', false, false, false, true, false],
    [3, 'pagamento_em_analise', false, false, false, true, false],
    [4, 'pedido_pago', true, false, false, true, false],
    [6, 'pagamento_em_disputa', true, false, false, false, false],
    [16, 'pedido_chargeback', true, false, true, false, false],
    [7, 'pagamento_devolvido', false, true, true, true, false],
    [8, 'pedido_cancelado', false, true, true, true, false],
    [17, 'em_producao', true, false, false, true, false],
    [15, 'pedido_em_separacao', true, false, false, true, false],
    [11, 'pedido_enviado', true, false, true, true, false],
    [13, 'pronto_para_retirada', true, false, true, true, false],
    [14, 'pedido_entregue', true, false, true, true, false],
    [1018, 'faturado', true, false, false, false, false],
    [1019, 'cancelamento_solicitado', false, true, false, false, false],
  ]

  test('GET /v1/situacao returns the table exactly', async () => {
    const h = harness()
    const r = await h.get('/v1/situacao')
    assert.equal(r.body.meta.total_count, 15)
    assert.equal(r.body.meta.limit, 20)
    const got = r.body.objects.map((s: any) => [
      s.id,
      s.codigo,
      s.aprovado,
      s.cancelado,
      s.final,
      s.notificar_comprador,
      s.padrao,
    ])
    assert.deepEqual(got, TABLE)
    for (const s of r.body.objects) assert.equal(s.resource_uri, `/api/v1/situacao/${s.id}`)
    assert.equal((await h.get('/v1/situacao/4')).body.nome, 'Pedido Pago')
    assert.equal((await h.get('/v1/situacao/999')).status, 404)
  })

  test('PUT /situacao/pedido/{numero}: new status, history entry, bumped data_modificacao', async () => {
    const h = harness()
    const numero = h.seeded.store.orders.find((o) => o.statusId === 4)!.numero
    const before = (await h.get(`/v1/pedido/${numero}`)).body
    const histBefore = (await h.get(`/v1/situacao_historico/search?numero=${numero}`)).body
    assert.equal(histBefore.meta.total_count, 2, 'seeded orders have efetuado → current')
    h.clock.set('2025-03-15T18:00:00Z')
    const r = await h.send('PUT', `/v1/situacao/pedido/${numero}/`, { codigo: 'pedido_enviado' })
    assert.equal(r.status, 200)
    assert.equal(r.body.codigo, 'pedido_enviado')
    assert.equal(r.body.id, 11)
    const after = (await h.get(`/v1/pedido/${numero}`)).body
    assert.equal(after.situacao.codigo, 'pedido_enviado')
    assert.ok(after.data_modificacao.startsWith('2025-03-15T15:00:00.'), after.data_modificacao)
    assert.ok(after.data_modificacao > before.data_modificacao)
    assert.equal((await h.get(`/v1/situacao/pedido/${numero}`)).body.codigo, 'pedido_enviado')
    const hist = (await h.get(`/v1/situacao_historico/search?numero=${numero}`)).body
    assert.equal(hist.meta.total_count, 3)
    const last = hist.objects[2]
    assert.equal(last.situacao.codigo, 'pedido_enviado')
    assert.equal(last.situacao_anterior.codigo, 'pedido_pago')
    assert.equal(last.alterado_por, 'API')
    assert.equal(last.numero, numero)
    assert.equal(last.data, after.data_modificacao)
    // Same status again: no change, no new history.
    h.clock.advance(1000)
    await h.send('PUT', `/v1/situacao/pedido/${numero}`, { codigo: 'pedido_enviado' })
    assert.equal((await h.get(`/v1/pedido/${numero}`)).body.data_modificacao, after.data_modificacao)
    assert.equal((await h.get(`/v1/situacao_historico/search?numero=${numero}`)).body.meta.total_count, 3)
    // Validation.
    assert.equal((await h.send('PUT', `/v1/situacao/pedido/${numero}`, { codigo: 'voando' })).status, 400)
    assert.equal((await h.send('PUT', `/v1/situacao/pedido/${numero}`, {})).status, 400)
    assert.equal((await h.get('/v1/situacao_historico/search')).status, 400)
    assert.equal((await h.get('/v1/situacao_historico/search?numero=999999')).body.meta.total_count, 0)
  })

  test('transitions are not validated (a final status can move again)', async () => {
    const h = harness()
    const numero = h.seeded.store.orders.find((o) => o.statusId === 14)!.numero
    assert.equal((await h.send('PUT', `/v1/situacao/pedido/${numero}`, { codigo: 'pedido_enviado' })).status, 200)
  })
})
