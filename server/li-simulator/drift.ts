// The offset_drift fault (faults.ts): after a pedido list page is served, change the store so
// that the next page's offsets no longer line up with what the client read — the way
// concurrent writes shift a real LI listing under a paging client.

import { getStatus, PAYMENT_METHODS, SHIPPING_METHODS } from './catalog.ts'
import type { ActiveFault } from './faults.ts'
import type { SimOrder, SimStore } from './store.ts'
import type { Clock, Micros } from './time.ts'
import type { ServedPage } from './types.ts'

export function applyOffsetDrift(store: SimStore, page: ServedPage, fault: ActiveFault): void {
  const k = fault.spec.perPage ?? 1
  const first = page.served[0]
  if (!first) return
  if (fault.spec.mode === 'touch') {
    // Edit the earliest already-served orders: in a data_modificacao-ordered list they jump
    // to the end, so everything after them shifts back by k.
    for (const o of page.result.slice(0, Math.min(k, page.offset + page.served.length))) store.touchOrder(o.numero)
    return
  }
  const { filter, sort } = page
  const clone = (extra: { numero?: number; createdUs?: Micros }): SimOrder => {
    const items: { productId: number; quantity: number; unitPriceCents: number }[] = []
    for (let i = 0; i < first.items.length; i += 4) {
      items.push({
        productId: first.items[i] ?? 0,
        quantity: first.items[i + 1] ?? 1,
        unitPriceCents: first.items[i + 3] ?? 0,
      })
    }
    return store.createOrder({
      customerId: first.customerId,
      items,
      statusCodigo: getStatus(first.statusId).codigo,
      paymentMethodId: PAYMENT_METHODS[first.paymentIdx]?.id ?? 24,
      shippingMethodId: SHIPPING_METHODS[first.shippingIdx]?.id ?? 1,
      shippingCents: first.shippingCents,
      ...extra,
    })
  }
  for (let i = 0; i < k; i++) {
    if (sort.desc) {
      // Newest-first lists: a brand-new order naturally lands before the served page.
      clone({})
      continue
    }
    if (sort.field === 'numero' || sort.field === 'id') {
      // A free numero below the page (seeded numeros have gaps, like real stores).
      const floor = filter.sinceNumero ?? 1
      let n = first.numero - 1
      while (n >= floor && store.getOrder(n)) n--
      if (n < floor) return
      clone({ numero: n, createdUs: first.createdUs })
    } else if (sort.field === 'data_modificacao') {
      // A late-visible write: modified just before the page, i.e. inside the range a
      // since_atualizado cursor already covered.
      const target = first.modifiedUs - (i + 1)
      if (filter.sinceAtualizado !== undefined && target < filter.sinceAtualizado) return
      const o = clone({ createdUs: Math.min(first.createdUs, target) })
      o.modifiedUs = target
      store.ordersVersion++
    } else {
      const target = first.createdUs - (i + 1)
      if (filter.sinceCriado !== undefined && target < filter.sinceCriado) return
      clone({ createdUs: target })
    }
  }
}

/**
 * `store.listing.changesPerPage`: orders change while a client pages. The first orders of the
 * page just served flip between delivered and cancelled, so in a change-ordered listing they
 * jump to the end and every later offset shifts back; with `clockStepMs` a manual clock also
 * moves, so the pass spans real (simulated) time.
 */
export function applyListingChanges(store: SimStore, page: ServedPage, clock: Clock): void {
  const { changesPerPage = 0, clockStepMs = 0 } = store.listing
  if (clockStepMs > 0 && 'advance' in clock && typeof clock.advance === 'function')
    (clock as { advance(ms: number): void }).advance(clockStepMs)
  for (const o of page.served.slice(0, changesPerPage)) {
    store.setOrderStatus(
      o.numero,
      getStatus(o.statusId).codigo === 'pedido_entregue' ? 'pedido_cancelado' : 'pedido_entregue',
      { by: 'API' },
    )
  }
}
