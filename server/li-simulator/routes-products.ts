// Product routes: /produto (list with filters, detail), /produto_preco, /produto_estoque.

import type { Hono } from 'hono'
import { boolParam, byIdExterno, dateParam, listResponse, numericParam, q, type C, type Paging } from './params.ts'
import { productDetail, productListItem, productPrice, productStock } from './render.ts'
import type { Micros } from './time.ts'
import type { SimEnv } from './types.ts'

const OTHER_MAX = 100

export function productRoutes(api: Hono<SimEnv>, paging: Paging): void {
  // Products: list items have no price/stock; removed items are included unless filtered.
  api.get('/produto', (c) => {
    const store = c.get('store')
    const page = paging(c, OTHER_MAX)
    const sku = q(c, 'sku')
    const ativo = boolParam(c, 'ativo')
    const removido = boolParam(c, 'removido')
    const bounds: [keyof typeof cmp, 'modifiedUs' | 'createdUs', Micros | undefined][] = []
    const cmp = {
      gte: (a: number, b: number) => a >= b,
      gt: (a: number, b: number) => a > b,
      lte: (a: number, b: number) => a <= b,
      lt: (a: number, b: number) => a < b,
    }
    for (const [param, field] of [
      ['data_modificacao', 'modifiedUs'],
      ['data_criacao', 'createdUs'],
    ] as const) {
      for (const op of ['gte', 'gt', 'lte', 'lt'] as const) bounds.push([op, field, dateParam(c, `${param}__${op}`)])
    }
    const result = store.products.filter(
      (p) =>
        (sku === undefined || p.sku === sku) &&
        (ativo === undefined || p.ativo === ativo) &&
        (removido === undefined || p.removido === removido) &&
        bounds.every(([op, field, v]) => v === undefined || cmp[op](p[field], v)),
    )
    return listResponse(c, '/produto', result, page, productListItem)
  })

  const findProduct = (c: C) => {
    const id = numericParam(c, 'id')
    if (id === undefined) return undefined
    const store = c.get('store')
    return byIdExterno(c) ? store.products.find((p) => p.idExterno === id) : store.productsById.get(id)
  }
  api.get('/produto/:id', (c) => {
    const p = findProduct(c)
    return p ? c.json(productDetail(p)) : c.body(null, 404)
  })
  api.get('/produto_preco/:id', (c) => {
    const p = findProduct(c)
    return p ? c.json(productPrice(p)) : c.body(null, 404)
  })
  api.get('/produto_estoque/:id', (c) => {
    const p = findProduct(c)
    return p ? c.json(productStock(p)) : c.body(null, 404)
  })
}
