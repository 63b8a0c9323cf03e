// "Evolve" helpers: move a seeded store on as a live one would (new customers and orders,
// status steps, cancellations, profile and stock changes), deterministically.

import { getStatus, PAYMENT_METHODS, SHIPPING_METHODS } from './catalog.ts'
import { intBetween, mixSeed, mulberry32, pick, type Rng } from './prng.ts'
import type { SimOrder, SimStore } from './store.ts'

/** Plausible next status for an order in `codigo` (undefined = nothing natural follows). */
export function nextStatusFor(codigo: string, rng: Rng): string | undefined {
  switch (codigo) {
    case 'pedido_efetuado':
      return 'aguardando_pagamento'
    case 'aguardando_pagamento':
      return rng() < 0.8 ? 'pedido_pago' : 'pedido_cancelado'
    case 'pagamento_em_analise':
      return 'pedido_pago'
    case 'pedido_pago':
      return rng() < 0.5 ? 'pedido_em_separacao' : 'faturado'
    case 'em_producao':
      return 'pedido_em_separacao'
    case 'pedido_em_separacao':
    case 'faturado':
      return 'pedido_enviado'
    case 'pedido_enviado':
      return 'pedido_entregue'
    case 'pagamento_em_disputa':
      return rng() < 0.5 ? 'pedido_pago' : 'pedido_chargeback'
    case 'cancelamento_solicitado':
      return 'pedido_cancelado'
    default:
      return undefined
  }
}

export interface EvolveOptions {
  /** Default: derived from the store's seed and current data version (deterministic). */
  seed?: number
  newCustomers?: number
  /** New orders created now, by existing or new customers, in a non-final status. */
  newOrders?: number
  /** Orders moved one natural step forward (e.g. aguardando_pagamento → pedido_pago). */
  statusChanges?: number
  /** Orders moved to pedido_cancelado. */
  cancellations?: number
  /** Customers whose name/phone change (bumps data_modificacao). */
  customerChanges?: number
  /** Products whose stock changes (delivers product webhooks). */
  productChanges?: number
}

export interface EvolveResult {
  newCustomers: number[]
  createdOrders: number[]
  statusChanges: { numero: number; from: string; to: string }[]
  cancelled: number[]
  changedCustomers: number[]
  changedProducts: number[]
}

/**
 * Move the store forward in time-independent steps; every change is stamped with the
 * store clock's "now", so advance the clock between calls to spread them out.
 */
export function evolveStore(store: SimStore, opts: EvolveOptions): EvolveResult {
  const rng = mulberry32(opts.seed ?? mixSeed(store.seed, store.ordersVersion * 31 + store.customersVersion))
  const result: EvolveResult = {
    newCustomers: [],
    createdOrders: [],
    statusChanges: [],
    cancelled: [],
    changedCustomers: [],
    changedProducts: [],
  }

  for (let i = 0; i < (opts.newCustomers ?? 0); i++) result.newCustomers.push(store.addCustomer().id)

  const sellable = store.products.filter((p) => p.tipo !== 'atributo' && p.ativo)
  for (let i = 0; i < (opts.newOrders ?? 0); i++) {
    if (store.customers.length === 0) store.addCustomer()
    if (sellable.length === 0) throw new Error('store has no sellable products')
    const customer = store.customers[Math.floor(rng() * store.customers.length)]!
    const items = Array.from({ length: intBetween(rng, 1, 2) }, () => ({
      productId: pick(rng, sellable).id,
      quantity: intBetween(rng, 1, 2),
    }))
    const order = store.createOrder({
      customerId: customer.id,
      items,
      statusCodigo: pick(rng, ['pedido_efetuado', 'aguardando_pagamento', 'pedido_pago']),
      paymentMethodId: pick(rng, PAYMENT_METHODS).id,
      shippingMethodId: pick(rng, SHIPPING_METHODS).id,
      shippingCents: intBetween(rng, 12, 45) * 100 + 90,
    })
    result.createdOrders.push(order.numero)
  }

  // Candidates from the newest orders backwards: recent orders are the ones that move.
  const touched = new Set<number>()
  const candidates = (accept: (o: SimOrder) => boolean, n: number): SimOrder[] => {
    const out: SimOrder[] = []
    const pool: SimOrder[] = []
    for (let i = store.orders.length - 1; i >= 0 && pool.length < n * 20 + 50; i--) {
      const o = store.orders[i]!
      if (!touched.has(o.numero) && accept(o)) pool.push(o)
    }
    while (out.length < n && pool.length > 0) {
      const [o] = pool.splice(Math.floor(rng() * pool.length), 1)
      if (o) out.push(o)
    }
    return out
  }

  for (const o of candidates(
    (o) => nextStatusFor(getStatus(o.statusId).codigo, () => 0) !== undefined,
    opts.statusChanges ?? 0,
  )) {
    const from = getStatus(o.statusId).codigo
    const to = nextStatusFor(from, rng)
    if (!to) continue
    touched.add(o.numero)
    store.setOrderStatus(o.numero, to, { by: 'Sistema' })
    result.statusChanges.push({ numero: o.numero, from, to })
  }
  for (const o of candidates((o) => !getStatus(o.statusId).cancelado, opts.cancellations ?? 0)) {
    touched.add(o.numero)
    store.setOrderStatus(o.numero, 'pedido_cancelado', { by: 'Sistema' })
    result.cancelled.push(o.numero)
  }
  for (let i = 0; i < (opts.customerChanges ?? 0) && store.customers.length > 0; i++) {
    const c = store.customers[Math.floor(rng() * store.customers.length)]!
    store.updateCustomer(c.id, { telefone_celular: `119${String(intBetween(rng, 10_000_000, 99_999_999))}` })
    result.changedCustomers.push(c.id)
  }
  for (let i = 0; i < (opts.productChanges ?? 0) && sellable.length > 0; i++) {
    const p = pick(rng, sellable)
    store.updateProduct(p.id, { estoque: intBetween(rng, 0, 60) })
    result.changedProducts.push(p.id)
  }
  return result
}
