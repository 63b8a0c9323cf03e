import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { harness, NAIVE_DATE } from './test-helpers.ts'

const valid = {
  codigo: 'VOLTE15',
  descricao: 'Recompensa de fidelidade',
  tipo: 'porcentagem',
  valor: '15.00',
  valor_minimo: '120.00',
  quantidade: 1,
  quantidade_por_cliente: 1,
  cumulativo: false,
  aplicar_no_total: false,
  ativo: true,
  validade: '2025-12-31',
  condicao_cliente: 'todos_clientes',
  condicao_produto: 'todos_produtos',
}

describe('coupons (reference §6)', () => {
  test('create → 201 with the full object; get; list', async () => {
    const h = harness()
    const r = await h.send('POST', '/v1/cupom', valid)
    assert.equal(r.status, 201)
    const c = r.body
    assert.equal(typeof c.id, 'number')
    assert.equal(r.res.headers.get('location'), `/api/v1/cupom/${c.id}`)
    assert.equal(c.codigo, 'VOLTE15')
    assert.equal(c.valor, '15.00')
    assert.equal(c.valor_minimo, '120.00')
    assert.equal(c.quantidade_usada, 0)
    assert.equal(c.validade, '2025-12-31T23:59:59')
    assert.equal(c.resource_uri, `/api/v1/cupom/${c.id}`)
    assert.match(c.data_criacao, NAIVE_DATE)
    assert.deepEqual((await h.get(`/v1/cupom/${c.id}`)).body, c)
    const list = await h.get('/v1/cupom?limit=50')
    assert.equal(list.body.meta.total_count, 4, '3 seeded + 1')
    assert.ok(list.body.objects.some((x: any) => x.id === c.id))
    assert.equal((await h.get('/v1/cupom/1')).status, 404)
  })

  test('duplicate code (case-insensitive) → 400 {"codigo": [...]}', async () => {
    const h = harness()
    assert.equal((await h.send('POST', '/v1/cupom', valid)).status, 201)
    const dup = await h.send('POST', '/v1/cupom', { ...valid, codigo: 'volte15' })
    assert.equal(dup.status, 400)
    assert.deepEqual(dup.body, { codigo: ['Já existe um cupom com este código.'] })
    assert.equal((await h.send('POST', '/v1/cupom', { ...valid, codigo: 'BEMVINDO10' })).status, 400, 'seeded code')
  })

  test('every validation rule', async () => {
    const h = harness()
    const bad = async (patch: Record<string, unknown>, field: string, drop?: string) => {
      const payload: Record<string, unknown> = {
        ...valid,
        codigo: `C${Math.abs(JSON.stringify(patch).length * 7919) % 100000}`,
        ...patch,
      }
      if (drop) delete payload[drop]
      const r = await h.send('POST', '/v1/cupom', payload)
      assert.equal(r.status, 400, `${JSON.stringify(patch)} ${drop ?? ''}`)
      assert.ok(Array.isArray(r.body[field]), `${field} in ${JSON.stringify(r.body)}`)
      return r.body[field][0] as string
    }
    assert.equal(await bad({}, 'codigo', 'codigo'), 'Este campo é obrigatório.')
    await bad({ codigo: '' }, 'codigo')
    await bad({ codigo: 'X'.repeat(33) }, 'codigo')
    await bad({}, 'descricao', 'descricao')
    await bad({}, 'tipo', 'tipo')
    await bad({ tipo: 'valor_absoluto' }, 'tipo')
    await bad({}, 'valor', 'valor')
    await bad({ valor: 'dez' }, 'valor')
    await bad({ valor: '1.234' }, 'valor')
    await bad({ valor: '-1.00' }, 'valor')
    await bad({ valor: '100.01' }, 'valor')
    await bad({ valor_minimo: 'x' }, 'valor_minimo')
    assert.equal(await bad({ quantidade: null }, 'quantidade'), 'Este campo não pode ser nulo.')
    await bad({}, 'quantidade', 'quantidade')
    await bad({ quantidade: 1.5 }, 'quantidade')
    await bad({ quantidade_por_cliente: 'um' }, 'quantidade_por_cliente')
    await bad({}, 'condicao_cliente', 'condicao_cliente')
    await bad({ condicao_cliente: 'alguns' }, 'condicao_cliente')
    await bad({}, 'condicao_produto', 'condicao_produto')
    await bad({ condicao_produto: 'nenhum' }, 'condicao_produto')
    await bad({ validade: '31/12/2025' }, 'validade')
    await bad({ validade: '2025-02-30' }, 'validade')
    await bad({ ativo: 'sim' }, 'ativo')
    // Accepted edge values.
    const ok = async (patch: Record<string, unknown>) =>
      (await h.send('POST', '/v1/cupom', { ...valid, ...patch })).body
    assert.equal((await ok({ codigo: 'X'.repeat(32), tipo: 'porcentagem', valor: 100 })).valor, '100.00')
    assert.equal((await ok({ codigo: 'FIXO5', tipo: 'fixo', valor: 5.5 })).valor, '5.50')
    assert.equal((await ok({ codigo: 'FRETE', tipo: 'frete_gratis', valor: '0.00' })).tipo, 'frete_gratis')
    assert.equal((await ok({ codigo: 'ZERO', quantidade: 0 })).quantidade, 0)
    assert.equal((await ok({ codigo: 'HORA', validade: '2025-10-19T18:30:00' })).validade, '2025-10-19T18:30:00')
    assert.equal((await ok({ codigo: 'SEMDATA', validade: null })).validade, null)
    assert.equal((await ok({ codigo: 'SEMPC', quantidade_por_cliente: null })).quantidade_por_cliente, null)
    assert.equal((await ok({ codigo: 'BIG', quantidade: 999999 })).quantidade, 999999)
    assert.equal((await h.send('POST', '/v1/cupom', '{oops')).status, 400)
  })

  test('group/category ids persist only when sent as strings', async () => {
    const h = harness()
    const r = await h.send('POST', '/v1/cupom', {
      ...valid,
      condicao_cliente: 'grupos_selecionados',
      grupos: ['12', 13],
      condicao_produto: 'categorias_selecionadas',
      categorias: [44, '45'],
    })
    assert.equal(r.status, 201)
    assert.deepEqual(r.body.grupos, ['12'])
    assert.deepEqual(r.body.categorias, ['45'])
  })

  test('PUT needs the full core payload; keeps other fields; checks duplicates against other coupons', async () => {
    const h = harness()
    const c = (await h.send('POST', '/v1/cupom', valid)).body
    for (const missing of ['codigo', 'descricao', 'tipo', 'valor']) {
      const payload: Record<string, unknown> = { codigo: 'VOLTE15', descricao: 'd', tipo: 'fixo', valor: '10.00' }
      delete payload[missing]
      const r = await h.send('PUT', `/v1/cupom/${c.id}`, payload)
      assert.equal(r.status, 400, missing)
      assert.ok(r.body[missing], missing)
    }
    h.clock.advance(10_000)
    const upd = await h.send('PUT', `/v1/cupom/${c.id}`, {
      codigo: 'VOLTE15',
      descricao: 'nova',
      tipo: 'fixo',
      valor: '10.00',
      ativo: false,
    })
    assert.equal(upd.status, 200)
    assert.equal(upd.body.descricao, 'nova')
    assert.equal(upd.body.valor, '10.00')
    assert.equal(upd.body.ativo, false)
    assert.equal(upd.body.quantidade, 1, 'absent fields keep their value')
    assert.equal(upd.body.validade, '2025-12-31T23:59:59')
    assert.ok(upd.body.data_modificacao > c.data_modificacao)
    assert.equal(
      (
        await h.send('PUT', `/v1/cupom/${c.id}`, {
          codigo: 'VOLTE15',
          descricao: 'd',
          tipo: 'fixo',
          valor: '1.00',
          quantidade: null,
        })
      ).status,
      400,
    )
    const dup = await h.send('PUT', `/v1/cupom/${c.id}`, {
      codigo: 'BEMVINDO10',
      descricao: 'd',
      tipo: 'fixo',
      valor: '1.00',
    })
    assert.deepEqual(dup.body, { codigo: ['Já existe um cupom com este código.'] })
    assert.equal((await h.send('PUT', '/v1/cupom/1', { ...valid })).status, 404)
    assert.equal((await h.send('DELETE', `/v1/cupom/${c.id}`, {})).status, 405)
  })

  test('using a coupon in an order: counter, order.cupom_desconto, discount', async () => {
    const h = harness()
    const store = h.seeded.store
    const c = (await h.send('POST', '/v1/cupom', { ...valid, valor_minimo: null, quantidade: 1 })).body
    const order = store.orders.find((o) => o.couponId === null)!
    h.clock.advance(1000)
    store.useCoupon({ codigo: 'volte15' }, order.numero)
    const after = (await h.get(`/v1/cupom/${c.id}`)).body
    assert.equal(after.quantidade_usada, 1)
    const o = (await h.get(`/v1/pedido/${order.numero}`)).body
    assert.equal(o.cupom_desconto.codigo, 'VOLTE15')
    assert.equal(o.cupom_desconto.id, c.id)
    assert.equal(Math.round(Number(o.valor_desconto) * 100), Math.round(order.subtotalCents * 0.15))
    assert.throws(() => store.useCoupon({ id: c.id }, order.numero), /exhausted/)
    // A new order created with the coupon applied at checkout.
    const fixo = (
      await h.send('POST', '/v1/cupom', {
        ...valid,
        codigo: 'MENOS10',
        tipo: 'fixo',
        valor: '10.00',
        valor_minimo: null,
        quantidade: 5,
      })
    ).body
    const created = store.createOrder({
      customerId: store.customers[0]!.id,
      items: [{ productId: store.products[0]!.id, quantity: 1 }],
      couponCodigo: 'MENOS10',
    })
    const d = (await h.get(`/v1/pedido/${created.numero}`)).body
    assert.equal(d.valor_desconto, '10.00')
    assert.equal((await h.get(`/v1/cupom/${fixo.id}`)).body.quantidade_usada, 1)
  })

  test('seeded coupons count the seeded orders that used them', async () => {
    const h = harness({ orders: 400 })
    const store = h.seeded.store
    for (const c of store.coupons) {
      assert.equal(c.quantidadeUsada, store.orders.filter((o) => o.couponId === c.id).length, c.codigo)
    }
  })
})
