// Order routes: /pedido (search, plain list, detail, id_externo and tracking writes),
// /situacao (status table, an order's status, status writes) and the per-order status history.

import type { Hono } from 'hono'
import { findStatusById, getStatus, STATUSES } from './catalog.ts'
import {
  BadRequest,
  byIdExterno,
  dateParam,
  intParam,
  listResponse,
  numericParam,
  orderByParam,
  readJson,
  type C,
  type Paging,
} from './params.ts'
import { historyJson, orderDetail, orderSummary, statusJson, uri } from './render.ts'
import { ENVIO_ID_OFFSET, SimError, type OrderFilter, type OrderSortField, type SimOrder, type Sort } from './store.ts'
import type { SimEnv } from './types.ts'

const PEDIDO_MAX = 50
const OTHER_MAX = 100
const ORDER_SORT_FIELDS: readonly OrderSortField[] = ['numero', 'id', 'data_criacao', 'data_modificacao']

export function orderRoutes(api: Hono<SimEnv>, paging: Paging): void {
  /**
   * CHOICE (ordering is undocumented, reference §2): with since_atualizado the result is
   * ascending by data_modificacao then numero — the order an incremental cursor needs; otherwise
   * ascending by numero (oldest first, as one practitioner saw on the plain list).
   * `order_by` (numero, id, data_criacao, data_modificacao, '-' for descending) is honoured as
   * an extension because one client sends it; LI may ignore it.
   * Bounds: since_* inclusive (>=), until_criado exclusive (<); naive values are São Paulo time.
   * `store.listing` (ListingQuirks) can make it list by numero or ignore since_numero.
   */
  api.get('/pedido/search', (c) => {
    const store = c.get('store')
    const page = paging(c, PEDIDO_MAX)
    const filter: OrderFilter = {
      sinceNumero: intParam(c, 'since_numero'),
      sinceAtualizado: dateParam(c, 'since_atualizado'),
      sinceCriado: dateParam(c, 'since_criado'),
      untilCriado: dateParam(c, 'until_criado'),
      situacaoId: intParam(c, 'situacao_id'),
      clienteId: intParam(c, 'cliente_id'),
      pagamentoId: intParam(c, 'pagamento_id'),
    }
    if (store.listing.ignoreSinceNumero) delete filter.sinceNumero
    const byChange = filter.sinceAtualizado !== undefined && store.listing.order !== 'numero'
    const sort: Sort<OrderSortField> =
      orderByParam(c, ORDER_SORT_FIELDS) ??
      (byChange ? { field: 'data_modificacao', desc: false } : { field: 'numero', desc: false })
    const result = store.queryOrders(filter, sort)
    c.set('page', {
      filter,
      sort,
      offset: page.offset,
      served: result.slice(page.offset, page.offset + page.limit),
      result,
    })
    return listResponse(c, '/pedido/search', result, page, (o) => orderSummary(store, o))
  })

  // Plain list: same summaries, oldest first; filters (incl. since_atualizado) are ignored (reference §3.2).
  api.get('/pedido', (c) => {
    const store = c.get('store')
    const page = paging(c, PEDIDO_MAX)
    const sort: Sort<OrderSortField> = { field: 'numero', desc: false }
    const result = store.queryOrders({}, sort)
    c.set('page', {
      filter: {},
      sort,
      offset: page.offset,
      served: result.slice(page.offset, page.offset + page.limit),
      result,
    })
    return listResponse(c, '/pedido', result, page, (o) => orderSummary(store, o))
  })

  const findOrder = (c: C): SimOrder | undefined => {
    const key = numericParam(c, 'numero')
    if (key === undefined) return undefined
    const store = c.get('store')
    return byIdExterno(c) ? store.getOrderByIdExterno(key) : store.getOrder(key)
  }

  api.get('/pedido/:numero', (c) => {
    const order = findOrder(c)
    return order ? c.json(orderDetail(c.get('store'), order)) : c.body(null, 404)
  })

  // Only id_externo is writable (reference §3.4); the write bumps data_modificacao like any save.
  api.put('/pedido/:numero', async (c) => {
    const order = findOrder(c)
    if (!order) return c.body(null, 404)
    const body = await readJson(c)
    if (typeof body !== 'object' || body === null || !('id_externo' in body))
      throw new BadRequest({ id_externo: ['Este campo é obrigatório.'] })
    const v = (body as { id_externo: unknown }).id_externo
    if (v !== null && !(typeof v === 'number' && Number.isInteger(v)))
      throw new BadRequest({ id_externo: ['Um número inteiro válido é exigido.'] })
    const store = c.get('store')
    store.touchOrder(order.numero, (o) => (o.idExterno = v))
    return c.json(orderDetail(store, order))
  })

  api.put('/pedido_envio/:id', async (c) => {
    const id = numericParam(c, 'id')
    const store = c.get('store')
    const order = id === undefined ? undefined : store.getOrderByEnvioId(id)
    if (!order || id === undefined) return c.body(null, 404)
    const body = await readJson(c)
    const objeto = typeof body === 'object' && body !== null ? (body as { objeto?: unknown }).objeto : undefined
    if (objeto !== null && typeof objeto !== 'string') throw new BadRequest({ objeto: ['Este campo é obrigatório.'] })
    store.touchOrder(order.numero, (o) => (o.tracking = objeto))
    return c.json({
      id: order.id + ENVIO_ID_OFFSET,
      objeto: order.tracking,
      pedido: uri('pedido', order.numero),
      resource_uri: uri('pedido_envio', id),
    })
  })

  api.get('/situacao', (c) => listResponse(c, '/situacao', STATUSES, paging(c, OTHER_MAX), statusJson))

  api.get('/situacao/pedido/:numero', (c) => {
    const order = findOrder(c)
    return order ? c.json(statusJson(getStatus(order.statusId))) : c.body(null, 404)
  })

  // Status write: answers 200 with the new status object (current spec; legacy said 202).
  api.put('/situacao/pedido/:numero', async (c) => {
    const order = findOrder(c)
    if (!order) return c.body(null, 404)
    const body = await readJson(c)
    const codigo = typeof body === 'object' && body !== null ? (body as { codigo?: unknown }).codigo : undefined
    if (typeof codigo !== 'string' || codigo === '') throw new BadRequest({ codigo: ['Este campo é obrigatório.'] })
    const store = c.get('store')
    try {
      const { status } = store.setOrderStatus(order.numero, codigo, { by: 'API' })
      return c.json(statusJson(status))
    } catch (err) {
      if (err instanceof SimError) throw new BadRequest({ codigo: [`Situação '${codigo}' não encontrada.`] })
      throw err
    }
  })

  api.get('/situacao/:id', (c) => {
    const id = numericParam(c, 'id')
    const st = id === undefined ? undefined : findStatusById(id)
    return st ? c.json(statusJson(st)) : c.body(null, 404)
  })

  // Per-order only (the store-wide legacy list is not simulated → 404).
  api.get('/situacao_historico/search', (c) => {
    const store = c.get('store')
    const numero = intParam(c, 'numero')
    const idExterno = intParam(c, 'id_externo')
    if (numero === undefined && idExterno === undefined)
      throw new BadRequest({ error_message: 'Informe numero ou id_externo.' })
    const order = numero !== undefined ? store.getOrder(numero) : store.getOrderByIdExterno(idExterno ?? -1)
    const entries = order ? store.history(order) : []
    return listResponse(c, '/situacao_historico/search', entries, paging(c, OTHER_MAX), (h) =>
      historyJson(order as SimOrder, h),
    )
  })
}
