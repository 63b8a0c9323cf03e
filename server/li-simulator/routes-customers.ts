// Customer routes: /cliente (light list), /cliente/search (detail items, filters), /cliente/{id}.

import type { Hono } from 'hono'
import { dateParam, listResponse, numericParam, orderByParam, q, type Paging } from './params.ts'
import { customerDetail, customerLight } from './render.ts'
import type { CustomerFilter, CustomerSortField } from './store.ts'
import type { SimEnv } from './types.ts'

const OTHER_MAX = 100
const CUSTOMER_SORT_FIELDS: readonly CustomerSortField[] = ['id', 'data_criacao', 'data_modificacao']

export function customerRoutes(api: Hono<SimEnv>, paging: Paging): void {
  // CHOICE: list items are light (id, nome, email, tipo, dates, resource_uri); default order id asc.
  api.get('/cliente', (c) => {
    const store = c.get('store')
    const page = paging(c, OTHER_MAX)
    const sort = orderByParam(c, CUSTOMER_SORT_FIELDS) ?? { field: 'id', desc: false }
    return listResponse(c, '/cliente', store.queryCustomers({}, sort), page, (cl) => customerLight(store, cl))
  })

  /**
   * Ordered by most recent modification (reference §5). CHOICE: `order_by=data_modificacao`
   * (or id / data_criacao, '-' for descending) is also accepted so an incremental client can
   * page in a stable ascending order. cliente_email is exact and case-insensitive.
   */
  api.get('/cliente/search', (c) => {
    const store = c.get('store')
    const page = paging(c, OTHER_MAX)
    const filter: CustomerFilter = {
      email: q(c, 'cliente_email'),
      sinceAtualizado: dateParam(c, 'since_atualizado'),
      untilAtualizado: dateParam(c, 'until_atualizado'),
      sinceCriado: dateParam(c, 'since_criado'),
      untilCriado: dateParam(c, 'until_criado'),
    }
    const sort = orderByParam(c, CUSTOMER_SORT_FIELDS) ?? { field: 'data_modificacao', desc: true }
    return listResponse(c, '/cliente/search', store.queryCustomers(filter, sort), page, (cl) =>
      customerDetail(store, cl),
    )
  })

  api.get('/cliente/:id', (c) => {
    const id = numericParam(c, 'id')
    const store = c.get('store')
    const customer = id === undefined ? undefined : store.getCustomer(id)
    return customer ? c.json(customerDetail(store, customer)) : c.body(null, 404)
  })
}
