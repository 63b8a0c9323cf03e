// In-memory state of one simulated Loja Integrada store: the records and the clock it stamps
// writes with (store-records.ts), and here its orders and coupons and the writes that bump
// data_modificacao and deliver webhooks. Entities and their pure rules live in entities.ts, list
// machinery in store-query.ts, the set of stores and credentials in sim-state.ts.

import { DEFAULT_STATUS, findStatusByCodigo, type SimStatus } from './catalog.ts'
import {
  couponDiscount,
  couponUnusableReason,
  ENVIO_ID_OFFSET,
  SimError,
  SimOrder,
  resolveOrderInput,
  synthesisedHistory,
  type CouponInput,
  type HistoryEntry,
  type NewOrderInput,
  type OrderFilter,
  type OrderSortField,
  type SimCoupon,
  type SimProduct,
  type Sort,
  type StatusChangeOptions,
} from './entities.ts'
import { StoreRecords, type StoreInit } from './store-records.ts'
import { lowerBound, OrderQueries, type Sliceable } from './store-query.ts'
import type { Clock } from './time.ts'

// Callers import the entities and the list types from here, as before the split.
export * from './entities.ts'
export { ArrayRange, type Sliceable } from './store-query.ts'
export type { StoreInit } from './store-records.ts'

export type OrderEvent =
  | { type: 'created'; store: SimStore; order: SimOrder }
  | { type: 'updated'; store: SimStore; order: SimOrder; statusChanged: boolean }
export interface ProductEvent {
  type: 'product'
  store: SimStore
  products: SimProduct[]
}

export class SimStore extends StoreRecords {
  private orderQueries = new OrderQueries()

  constructor(
    init: StoreInit,
    clock: Clock,
    private readonly emit: (event: OrderEvent | ProductEvent) => void,
  ) {
    super(init, clock)
  }

  // ---------------------------------------------------------------- products

  /** Change a product (evolve helper); delivers product webhooks. */
  updateProduct(
    id: number,
    patch: Partial<Omit<SimProduct, 'id' | 'childIds' | 'parentId' | 'createdUs'>>,
  ): SimProduct {
    const p = this.productsById.get(id)
    if (!p) throw new SimError(`unknown product ${id}`)
    Object.assign(p, patch)
    p.modifiedUs = this.stamp()
    this.emit({ type: 'product', store: this, products: [p] })
    return p
  }

  // ---------------------------------------------------------------- orders

  getOrder(numero: number): SimOrder | undefined {
    return this.ordersByNumero.get(numero)
  }

  getOrderByIdExterno(idExterno: number): SimOrder | undefined {
    return this.orders.find((o) => o.idExterno === idExterno)
  }

  getOrderByEnvioId(envioId: number): SimOrder | undefined {
    const orderId = envioId - ENVIO_ID_OFFSET
    return this.orders.find((o) => o.id === orderId)
  }

  /** Seeding fast path: the caller guarantees increasing numero and valid references. */
  pushSeededOrder(order: SimOrder): void {
    this.orders.push(order)
    this.ordersByNumero.set(order.numero, order)
    if (order.numero >= this.nextNumero) this.nextNumero = order.numero + 1
    if (order.id >= this.nextOrderId) this.nextOrderId = order.id + 1
    this.noteTimestamp(order.modifiedUs)
    this.ordersVersion++
  }

  private insertOrder(order: SimOrder): void {
    const last = this.orders[this.orders.length - 1]
    if (!last || last.numero < order.numero) this.orders.push(order)
    else
      this.orders.splice(
        lowerBound(this.orders, (o) => o.numero, order.numero),
        0,
        order,
      )
    this.ordersByNumero.set(order.numero, order)
    if (order.numero >= this.nextNumero) this.nextNumero = order.numero + 1
    this.ordersVersion++
  }

  /** Create an order "now" (or at createdUs); delivers the order webhook. */
  createOrder(input: NewOrderInput, opts: StatusChangeOptions = {}): SimOrder {
    if (!this.getCustomer(input.customerId)) throw new SimError(`unknown customer ${input.customerId}`)
    if (input.items.length === 0) throw new SimError('an order needs at least one item')
    const { items, subtotal, paymentIdx, shippingIdx, shipping, status } = resolveOrderInput(this.productsById, input)
    if (input.numero !== undefined && this.ordersByNumero.has(input.numero))
      throw new SimError(`numero ${input.numero} taken`)

    const created = input.createdUs ?? this.stamp()
    this.noteTimestamp(created)
    const order = new SimOrder(
      this.nextOrderId++,
      input.numero ?? this.nextNumero,
      input.customerId,
      created,
      created,
      status.id,
      items,
      this.nextItemId,
      subtotal,
      shipping,
      0,
      paymentIdx,
      input.installments ?? 1,
      shippingIdx,
    )
    this.nextItemId += items.length / 4
    order.utmCampaign = input.utmCampaign ?? null
    order.history = [
      {
        id: this.nextHistoryId++,
        dataUs: created,
        statusId: DEFAULT_STATUS.id,
        previousId: null,
        by: opts.by ?? 'Sistema',
        byName: opts.byName ?? null,
        obs: null,
      },
    ]
    if (status.id !== DEFAULT_STATUS.id) {
      order.history.push({
        id: this.nextHistoryId++,
        dataUs: created,
        statusId: status.id,
        previousId: DEFAULT_STATUS.id,
        by: opts.by ?? 'Sistema',
        byName: opts.byName ?? null,
        obs: opts.obs ?? null,
      })
    }
    if (input.couponCodigo !== undefined) {
      const coupon = this.findCouponByCodigo(input.couponCodigo)
      if (!coupon) throw new SimError(`unknown coupon ${input.couponCodigo}`)
      this.assertCouponUsable(coupon, subtotal)
      order.couponId = coupon.id
      order.discountCents = couponDiscount(coupon, subtotal, shipping)
      coupon.quantidadeUsada++
    }
    this.insertOrder(order)
    this.emit({ type: 'created', store: this, order })
    return order
  }

  /** Materialised status history (seeded orders get a synthesised one on first access). */
  history(order: SimOrder): HistoryEntry[] {
    return order.history ?? synthesisedHistory(order)
  }

  /**
   * Change an order's status: bumps data_modificacao, appends history, delivers the webhook.
   * Writing the current status again is a no-op (nothing changes, nothing is delivered);
   * LI does not validate transitions (reference §4), so neither do we.
   */
  setOrderStatus(
    numero: number,
    codigo: string,
    opts: StatusChangeOptions = {},
  ): { order: SimOrder; status: SimStatus; changed: boolean } {
    const order = this.getOrder(numero)
    if (!order) throw new SimError(`unknown order ${numero}`)
    const status = findStatusByCodigo(codigo)
    if (!status) throw new SimError(`unknown status ${codigo}`)
    if (status.id === order.statusId) return { order, status, changed: false }
    const history = this.history(order)
    const now = this.stamp()
    history.push({
      id: this.nextHistoryId++,
      dataUs: now,
      statusId: status.id,
      previousId: order.statusId,
      by: opts.by ?? 'API',
      byName: opts.byName ?? null,
      obs: opts.obs ?? null,
    })
    order.history = history
    order.statusId = status.id
    order.modifiedUs = now
    this.ordersVersion++
    this.emit({ type: 'updated', store: this, order, statusChanged: true })
    return { order, status, changed: true }
  }

  /** Any other edit: bumps data_modificacao and delivers the webhook with situacao_alterada false. */
  touchOrder(numero: number, edit?: (o: SimOrder) => void): SimOrder {
    const order = this.getOrder(numero)
    if (!order) throw new SimError(`unknown order ${numero}`)
    edit?.(order)
    order.modifiedUs = this.stamp()
    this.ordersVersion++
    this.emit({ type: 'updated', store: this, order, statusChanged: false })
    return order
  }

  /**
   * Orders matching `filter`, in `sort` order (store-query.ts: a bound on the sort field is a
   * binary search over a sorted view; other filters scan that range once per data version).
   */
  queryOrders(filter: OrderFilter, sort: Sort<OrderSortField>): Sliceable<SimOrder> {
    return this.orderQueries.query(this.orders, this.ordersVersion, filter, sort)
  }

  // ---------------------------------------------------------------- coupons

  findCouponByCodigo(codigo: string): SimCoupon | undefined {
    // A map, not a scan: a scan per create made the redeem bench's 1,000 coupons quadratic.
    return this.couponsByCodigo.get(codigo.toLowerCase())
  }

  insertCoupon(input: CouponInput): SimCoupon {
    const now = this.stamp()
    const coupon: SimCoupon = { ...input, id: this.nextCouponId++, quantidadeUsada: 0, createdUs: now, modifiedUs: now }
    this.coupons.push(coupon)
    this.couponsById.set(coupon.id, coupon)
    this.couponsByCodigo.set(coupon.codigo.toLowerCase(), coupon)
    return coupon
  }

  replaceCoupon(id: number, input: CouponInput): SimCoupon {
    const coupon = this.couponsById.get(id)
    if (!coupon) throw new SimError(`unknown coupon ${id}`)
    this.couponsByCodigo.delete(coupon.codigo.toLowerCase())
    Object.assign(coupon, input)
    this.couponsByCodigo.set(coupon.codigo.toLowerCase(), coupon)
    coupon.modifiedUs = this.stamp()
    return coupon
  }

  private assertCouponUsable(coupon: SimCoupon, subtotalCents: number): void {
    const reason = couponUnusableReason(coupon, subtotalCents, this.nowUs())
    if (reason !== null) throw new SimError(reason)
  }

  /**
   * Record a coupon used in an existing order: increments quantidade_usada, sets the order's
   * cupom_desconto and (by default) recomputes valor_desconto; bumps data_modificacao.
   */
  useCoupon(
    ref: { codigo?: string; id?: number },
    numero: number,
    opts: { recomputeDiscount?: boolean } = {},
  ): { coupon: SimCoupon; order: SimOrder } {
    const coupon =
      ref.id !== undefined
        ? this.couponsById.get(ref.id)
        : ref.codigo !== undefined
          ? this.findCouponByCodigo(ref.codigo)
          : undefined
    if (!coupon) throw new SimError(`unknown coupon ${ref.codigo ?? ref.id}`)
    const order = this.getOrder(numero)
    if (!order) throw new SimError(`unknown order ${numero}`)
    this.assertCouponUsable(coupon, order.subtotalCents)
    coupon.quantidadeUsada++
    this.touchOrder(numero, (o) => {
      o.couponId = coupon.id
      if (opts.recomputeDiscount !== false) o.discountCents = couponDiscount(coupon, o.subtotalCents, o.shippingCents)
    })
    return { coupon, order }
  }
}
