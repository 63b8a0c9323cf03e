// Query machinery for the simulated store's lists: sorted views, keyset bounds found by
// binary search and small per-version caches, so paging a 100k-order store stays O(log n + page).

import { PAYMENT_METHODS } from './catalog.ts'
import type {
  CustomerFilter,
  CustomerSortField,
  OrderFilter,
  OrderSortField,
  SimCustomer,
  SimOrder,
  Sort,
} from './entities.ts'

export function lowerBound<T>(arr: readonly T[], key: (t: T) => number, value: number): number {
  let lo = 0
  let hi = arr.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (key(arr[mid] as T) < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

const orderSortKey: Record<OrderSortField, (o: SimOrder) => number> = {
  numero: (o) => o.numero,
  id: (o) => o.id,
  data_criacao: (o) => o.createdUs,
  data_modificacao: (o) => o.modifiedUs,
}
const customerSortKey: Record<CustomerSortField, (c: SimCustomer) => number> = {
  id: (c) => c.id,
  data_criacao: (c) => c.createdUs,
  data_modificacao: (c) => c.modifiedUs,
}

/** Anything a page can be cut from: plain arrays and ArrayRange views. */
export interface Sliceable<T> {
  readonly length: number
  slice(start?: number, end?: number): T[]
}

/** A window [start, end) of a sorted array, without copying it. */
export class ArrayRange<T> implements Sliceable<T> {
  constructor(
    private readonly items: readonly T[],
    private readonly start: number,
    private readonly end: number,
  ) {}
  get length(): number {
    return this.end - this.start
  }
  slice(from = 0, to = this.length): T[] {
    const a = this.start + Math.max(0, Math.min(from, this.length))
    const b = this.start + Math.max(0, Math.min(to, this.length))
    return this.items.slice(a, Math.max(a, b))
  }
}

/** First index whose item satisfies a predicate that is false…false, true…true along the array. */
function firstIndex<T>(arr: readonly T[], pred: (t: T) => boolean): number {
  let lo = 0
  let hi = arr.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (pred(arr[mid] as T)) hi = mid
    else lo = mid + 1
  }
  return lo
}

/**
 * The [start, end) positions of items with since <= key < until in a view sorted by `key`
 * (ascending or descending), found by binary search. This is what makes keyset paging
 * (since_numero / since_atualizado cursors) O(log n + page) on a 100k-order store.
 */
function boundRange<T>(
  view: readonly T[],
  key: (t: T) => number,
  desc: boolean,
  since: number | undefined,
  until: number | undefined,
): [number, number] {
  if (!desc) {
    const start = since === undefined ? 0 : firstIndex(view, (t) => key(t) >= since)
    const end = until === undefined ? view.length : firstIndex(view, (t) => key(t) >= until)
    return [start, Math.max(start, end)]
  }
  const start = until === undefined ? 0 : firstIndex(view, (t) => key(t) < until)
  const end = since === undefined ? view.length : firstIndex(view, (t) => key(t) < since)
  return [start, Math.max(start, end)]
}

/** Small cache of filtered results, valid for one data version, for filters an index cannot answer. */
class QueryCache<T> {
  private entries = new Map<string, T[]>()
  private version = -1
  get(version: number, key: string, compute: () => T[]): T[] {
    if (version !== this.version) {
      this.entries.clear()
      this.version = version
    }
    let hit = this.entries.get(key)
    if (!hit) {
      if (this.entries.size >= 16) this.entries.clear()
      hit = compute()
      this.entries.set(key, hit)
    }
    return hit
  }
}

/** Sorted copies of a collection, one per sort, rebuilt lazily after a data change. */
class SortedViews<T> {
  private views = new Map<string, T[]>()
  private version = -1
  get(version: number, sortKey: string, build: () => T[]): T[] {
    if (version !== this.version) {
      this.views.clear()
      this.version = version
    }
    let view = this.views.get(sortKey)
    if (!view) {
      view = build()
      this.views.set(sortKey, view)
    }
    return view
  }
}

function orderMatches(o: SimOrder, f: OrderFilter): boolean {
  return (
    (f.sinceNumero === undefined || o.numero >= f.sinceNumero) &&
    (f.sinceAtualizado === undefined || o.modifiedUs >= f.sinceAtualizado) &&
    (f.sinceCriado === undefined || o.createdUs >= f.sinceCriado) &&
    (f.untilCriado === undefined || o.createdUs < f.untilCriado) &&
    (f.situacaoId === undefined || o.statusId === f.situacaoId) &&
    (f.clienteId === undefined || o.customerId === f.clienteId) &&
    (f.pagamentoId === undefined || PAYMENT_METHODS[o.paymentIdx]?.id === f.pagamentoId)
  )
}

export function customerMatches(c: SimCustomer, f: CustomerFilter): boolean {
  return (
    (f.sinceAtualizado === undefined || c.modifiedUs >= f.sinceAtualizado) &&
    (f.untilAtualizado === undefined || c.modifiedUs < f.untilAtualizado) &&
    (f.sinceCriado === undefined || c.createdUs >= f.sinceCriado) &&
    (f.untilCriado === undefined || c.createdUs < f.untilCriado)
  )
}

/** A store's order lists: sorted views and filtered results, valid for one data version. */
export class OrderQueries {
  private cache = new QueryCache<SimOrder>()
  private views = new SortedViews<SimOrder>()

  /** All orders sorted one way, cached per data version (numero ascending is the store order itself). */
  private sortedView(orders: SimOrder[], version: number, sort: Sort<OrderSortField>): SimOrder[] {
    if (sort.field === 'numero' && !sort.desc) return orders
    return this.views.get(version, `${sort.field}:${sort.desc}`, () => {
      if (sort.field === 'numero') return [...orders].reverse()
      const k = orderSortKey[sort.field]
      const dir = sort.desc ? -1 : 1
      // numero breaks ties so pages are stable when timestamps collide.
      return [...orders].sort((a, b) => dir * (k(a) - k(b) || a.numero - b.numero))
    })
  }

  /**
   * Orders matching `filter`, in `sort` order. A bound on the sort field (since_numero for
   * numero, since_atualizado for data_modificacao, since/until_criado for data_criacao) is a
   * binary search over a sorted view; other filters scan that range once per data version.
   */
  query(orders: SimOrder[], version: number, filter: OrderFilter, sort: Sort<OrderSortField>): Sliceable<SimOrder> {
    const view = this.sortedView(orders, version, sort)
    const residual: OrderFilter = { ...filter }
    let since: number | undefined
    let until: number | undefined
    if (sort.field === 'numero') {
      since = filter.sinceNumero
      delete residual.sinceNumero
    } else if (sort.field === 'data_modificacao') {
      since = filter.sinceAtualizado
      delete residual.sinceAtualizado
    } else if (sort.field === 'data_criacao') {
      since = filter.sinceCriado
      until = filter.untilCriado
      delete residual.sinceCriado
      delete residual.untilCriado
    }
    const [start, end] = boundRange(view, orderSortKey[sort.field], sort.desc, since, until)
    if (Object.values(residual).every((v) => v === undefined)) return new ArrayRange(view, start, end)
    return this.cache.get(version, JSON.stringify([filter, sort]), () =>
      view.slice(start, end).filter((o) => orderMatches(o, filter)),
    )
  }
}

/** A store's customer lists (the e-mail lookup is the store's, by index). */
export class CustomerQueries {
  private cache = new QueryCache<SimCustomer>()
  private views = new SortedViews<SimCustomer>()

  query(
    customers: SimCustomer[],
    version: number,
    filter: CustomerFilter,
    sort: Sort<CustomerSortField>,
  ): Sliceable<SimCustomer> {
    const k = customerSortKey[sort.field]
    const dir = sort.desc ? -1 : 1
    const view = this.views.get(version, `${sort.field}:${sort.desc}`, () =>
      [...customers].sort((a, b) => dir * (k(a) - k(b) || a.id - b.id)),
    )
    // A bound on the sort field is answered by binary search; anything else filters.
    const { since, until, residual } =
      sort.field === 'data_modificacao'
        ? {
            since: filter.sinceAtualizado,
            until: filter.untilAtualizado,
            residual: { sinceCriado: filter.sinceCriado, untilCriado: filter.untilCriado },
          }
        : sort.field === 'data_criacao'
          ? {
              since: filter.sinceCriado,
              until: filter.untilCriado,
              residual: { sinceAtualizado: filter.sinceAtualizado, untilAtualizado: filter.untilAtualizado },
            }
          : { since: undefined, until: undefined, residual: filter }
    const [start, end] = boundRange(view, k, sort.desc, since, until)
    if (Object.values(residual).every((v) => v === undefined)) return new ArrayRange(view, start, end)
    return this.cache.get(version, JSON.stringify([filter, sort]), () =>
      view.slice(start, end).filter((c) => customerMatches(c, filter)),
    )
  }
}
