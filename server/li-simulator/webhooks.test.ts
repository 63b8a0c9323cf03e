import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Hono } from 'hono'
import { harness } from './test-helpers.ts'
import type { FetchLike } from './webhooks.ts'

interface Received {
  method: string
  url: string
  authorization: string | undefined
  body: any
}

/** A second Hono app standing in for Fidelis' webhook endpoint; deliveries stay in-process. */
function receiver(status = 200) {
  const got: Received[] = []
  const app = new Hono()
  app.all('*', async (c) => {
    got.push({
      method: c.req.method,
      url: c.req.url,
      authorization: c.req.header('authorization'),
      body: await c.req.json(),
    })
    return c.json({ ok: true }, status as 200)
  })
  const fetch: FetchLike = async (input, init) => app.request(input instanceof URL ? input.href : input, init)
  return { got, fetch }
}

const HOOK = { notifyUrl: 'https://fidelis.exemplo.invalid/li/webhook/abc', token: 's3cr3t-token' }

describe('webhooks (reference §8)', () => {
  test('register with the integrator pair; a Personal Token is refused with 401 "Acesso negado"', async () => {
    const rx = receiver()
    const h = harness({ sim: { fetch: rx.fetch } })
    const r = await h.send('PUT', '/webhooks/v1/pedido', HOOK)
    assert.equal(r.status, 200)
    assert.deepEqual(r.body, { message: 'Registros afetados: 1' })
    const pt = await h.send('PUT', '/webhooks/v1/pedido/', HOOK, { authorization: `Basic ${h.seeded.personalToken}` })
    assert.equal(pt.status, 401)
    assert.deepEqual(pt.body, { error_message: 'Acesso negado' })
    assert.equal((await h.send('PUT', '/webhooks/v1/pedido', HOOK, {})).status, 401)
    assert.equal((await h.send('PUT', '/webhooks/v1/pedido', { token: 'x' })).status, 400)
    assert.equal((await h.send('PUT', '/webhooks/v1/pedido', { notifyUrl: 'ftp://x', token: 'x' })).status, 400)
    assert.equal((await h.send('PUT', '/v1/webhooks/v1/pedido', HOOK)).status, 404, 'not under /v1')
    assert.equal(h.seeded.store.orderWebhooks.get(HOOK.notifyUrl), HOOK.token)
  })

  test('a status change via the API delivers the webhook payload with the Bearer token', async () => {
    const rx = receiver()
    const h = harness({ sim: { fetch: rx.fetch } })
    await h.send('PUT', '/webhooks/v1/pedido', HOOK)
    const order = h.seeded.store.orders.find((o) => o.statusId === 4)!
    const put = await h.send('PUT', `/v1/situacao/pedido/${order.numero}`, { codigo: 'pedido_enviado' })
    assert.equal(put.status, 200)
    await h.sim.webhooks.flush()
    assert.equal(rx.got.length, 1)
    const d = rx.got[0]!
    assert.equal(d.method, 'POST')
    assert.equal(d.url, HOOK.notifyUrl)
    assert.equal(d.authorization, 'Bearer s3cr3t-token')
    const p = d.body
    assert.equal(p.numero, order.numero)
    assert.equal(p.id, order.id)
    assert.equal(p.tipo, 'pedido_venda')
    assert.equal(p.situacao.codigo, 'pedido_enviado')
    assert.equal(p.situacao.situacao_alterada, true)
    assert.equal(typeof p.valor_total, 'number')
    assert.equal(p.valor_total, Math.round((p.valor_subtotal + p.valor_envio - p.valor_desconto) * 100) / 100)
    assert.match(p.data_modificacao, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
    assert.match(p.envios[0].data_criacao, /-03:00$/)
    assert.match(p.cliente.data_criacao, /-03:00$/)
    assert.equal(typeof p.itens[0].quantidade, 'number')
    assert.equal(typeof p.itens[0].produto_id, 'number')
    assert.ok('endereco_pagamento' in p && 'marketplace_info' in p)
    // The REST detail agrees with the webhook on the instant (São Paulo = UTC-3).
    const rest = (await h.get(`/v1/pedido/${order.numero}`)).body
    assert.equal(
      new Date(`${rest.data_modificacao.slice(0, 23)}-03:00`).toISOString(),
      `${p.data_modificacao.slice(0, 23)}Z`,
    )
    const [log] = h.sim.webhooks.deliveries()
    assert.equal(log?.status, 200)
    assert.equal(log?.situacaoAlterada, true)
  })

  test('new orders and other edits are delivered; edits carry situacao_alterada false', async () => {
    const rx = receiver()
    const h = harness({ sim: { fetch: rx.fetch } })
    await h.send('PUT', '/webhooks/v1/pedido', HOOK)
    const { createdOrders } = h.sim.evolve(h.seeded.store.id, { newOrders: 2 })
    await h.send('PUT', `/v1/pedido/${createdOrders[0]}`, { id_externo: 9 })
    await h.sim.webhooks.flush()
    assert.deepEqual(
      rx.got.map((g) => [g.body.numero, g.body.situacao.situacao_alterada]),
      [
        [createdOrders[0], true],
        [createdOrders[1], true],
        [createdOrders[0], false],
      ],
    )
    assert.equal(rx.got[2]!.body.id_externo, 9)
  })

  test('DELETE unregisters', async () => {
    const rx = receiver()
    const h = harness({ sim: { fetch: rx.fetch } })
    await h.send('PUT', '/webhooks/v1/pedido', HOOK)
    const del = await h.send('DELETE', '/webhooks/v1/pedido', HOOK)
    assert.deepEqual(del.body, { message: 'Registros afetados: 1' })
    assert.deepEqual((await h.send('DELETE', '/webhooks/v1/pedido', HOOK)).body, { message: 'Registros afetados: 0' })
    h.sim.evolve(h.seeded.store.id, { newOrders: 1, statusChanges: 2 })
    await h.sim.webhooks.flush()
    assert.equal(rx.got.length, 0)
  })

  test('delivery failures are logged, never thrown into the API call', async () => {
    const h = harness({
      sim: {
        fetch: async (input) => {
          if (String(input).includes('down')) throw new TypeError('fetch failed')
          return new Response('nope', { status: 503 })
        },
      },
    })
    await h.send('PUT', '/webhooks/v1/pedido', { notifyUrl: 'https://down.invalid/hook', token: 't' })
    await h.send('PUT', '/webhooks/v1/pedido', { notifyUrl: 'https://busy.invalid/hook', token: 't' })
    const numero = h.seeded.store.orders[0]!.numero
    assert.equal((await h.send('PUT', `/v1/situacao/pedido/${numero}`, { codigo: 'pedido_cancelado' })).status, 200)
    await h.sim.webhooks.flush()
    const byUrl = Object.fromEntries(h.sim.webhooks.deliveries().map((d) => [d.url, d]))
    assert.equal(byUrl['https://down.invalid/hook']?.status, null)
    assert.match(byUrl['https://down.invalid/hook']?.error ?? '', /fetch failed/)
    assert.equal(byUrl['https://busy.invalid/hook']?.status, 503)
  })

  test('webhook_drop and webhook_duplicate faults', async () => {
    const rx = receiver()
    const h = harness({ sim: { fetch: rx.fetch } })
    await h.send('PUT', '/webhooks/v1/pedido', HOOK)
    h.sim.faults.inject({ kind: 'webhook_drop', count: 1 })
    h.sim.faults.inject({ kind: 'webhook_duplicate', count: 1 })
    const [a, b] = h.seeded.store.orders.filter((o) => o.statusId === 4)
    await h.send('PUT', `/v1/situacao/pedido/${a!.numero}`, { codigo: 'pedido_enviado' })
    await h.send('PUT', `/v1/situacao/pedido/${b!.numero}`, { codigo: 'pedido_enviado' })
    await h.sim.webhooks.flush()
    assert.deepEqual(
      rx.got.map((g) => g.body.numero),
      [b!.numero, b!.numero],
    )
    assert.deepEqual(
      h.sim.webhooks.deliveries().map((d) => d.fault),
      ['dropped', 'duplicate', 'duplicate'],
    )
  })

  test('product webhooks deliver a JSON array', async () => {
    const rx = receiver()
    const h = harness({ sim: { fetch: rx.fetch } })
    assert.equal((await h.send('PUT', '/webhooks/v1/produto', HOOK)).status, 200)
    const { changedProducts } = h.sim.evolve(h.seeded.store.id, { productChanges: 1 })
    await h.sim.webhooks.flush()
    assert.equal(rx.got.length, 1)
    assert.ok(Array.isArray(rx.got[0]!.body))
    assert.equal(rx.got[0]!.body[0].id, changedProducts[0])
  })
})
