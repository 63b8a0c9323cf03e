// In-memory state of one simulated Loja Integrada store: its customers, orders, products,
// coupons and webhook registrations, and the writes that bump data_modificacao and deliver
// webhooks. Entities and their pure rules live in entities.ts, list machinery in
// store-query.ts, the set of stores and credentials in sim-state.ts.

import { DEFAULT_STATUS, findStatusByCodigo, type SimStatus } from './catalog.ts'
import {
  ADDRESS_ID_BASE,
  COUPON_ID_BASE,
  couponDiscount,
  couponUnusableReason,
  CUSTOMER_ID_BASE,
  ENVIO_ID_OFFSET,
  HISTORY_ID_BASE,
  ITEM_ID_BASE,
  ORDER_ID_BASE,
  PRODUCT_ID_BASE,
  SimError,
  SimOrder,
  resolveOrderInput,
  synthesisedHistory,
  type CouponInput,
  type CustomerFilter,
  type CustomerSortField,
  type HistoryEntry,
  type ListingQuirks,
  type NewOrderInput,
  type OrderFilter,
  type OrderSortField,
  type SimCoupon,
  type SimCustomer,
  type SimProduct,
  type Sort,
  type StatusChangeOptions,
} from './entities.ts'
import { mulberry32, type Rng } from './prng.ts'
import { nameFor, profileFor, type CustomerProfile } from './profiles.ts'
import { customerMatches, CustomerQueries, lowerBound, OrderQueries, type Sliceable } from './store-query.ts'
import { toMicros, US_PER_MS, type Clock, type Micros } from './time.ts'

// Callers import the entities and the list types from here, as before the split.
export * from './entities.ts'
export { ArrayRange, type Sliceable } from './store-query.ts'

export type OrderEvent =
  | { type: 'created'; store: SimStore; order: SimOrder }
  | { type: 'updated'; store: SimStore; order: SimOrder; statusChanged: boolean }
export interface ProductEvent {
  type: 'product'
  store: SimStore
  products: SimProduct[]
}

export interface StoreInit {
  id: string
  name?: string
  seed?: number
  apiKeys?: string[]
  personalTokens?: string[]
}

export class SimStore {
  readonly id: string
  name: string
  /** Seeds profile derivation; the same seed gives the same customers. */
  readonly seed: number
  readonly apiKeys = new Set<string>()
  readonly personalTokens = new Set<string>()

  readonly customers: SimCustomer[] = [] // index = seq - 1 = id - CUSTOMER_ID_BASE - 1
  /** Sorted by numero; appends are the norm, drift inserts splice. */
  readonly orders: SimOrder[] = []
  readonly ordersByNumero = new Map<number, SimOrder>()
  readonly products: SimProduct[] = []
  readonly productsById = new Map<number, SimProduct>()
  readonly coupons: SimCoupon[] = []
  readonly couponsById = new Map<number, SimCoupon>()
  /** notifyUrl → token */
  readonly orderWebhooks = new Map<string, string>()
  readonly productWebhooks = new Map<string, string>()

  /** Misbehaviour of the order listing (tests and the demo set it; default: none). */
  listing: ListingQuirks = {}

  nextOrderId = ORDER_ID_BASE + 1
  nextNumero = 1001
  nextItemId = ITEM_ID_BASE + 1
  nextHistoryId = HISTORY_ID_BASE + 1
  nextCouponId = COUPON_ID_BASE + 1
  nextProductId = PRODUCT_ID_BASE + 1
  /** Bumped on every order/customer mutation; invalidates the query caches. */
  ordersVersion = 0
  customersVersion = 0

  private lastStampUs = 0
  private jitter: Rng
  private emailIndex: Map<string, SimCustomer> | null = null
  private orderQueries = new OrderQueries()
  private customerQueries = new CustomerQueries()

  constructor(
    init: StoreInit,
    readonly clock: Clock,
    private readonly emit: (event: OrderEvent | ProductEvent) => void,
  ) {
    this.id = init.id
    this.name = init.name ?? init.id
    this.seed = init.seed ?? 1
    this.jitter = mulberry32(this.seed ^ 0x5bd1e995)
    for (const k of init.apiKeys ?? []) this.apiKeys.add(k)
    for (const t of init.personalTokens ?? []) this.personalTokens.add(t)
  }

  // ---------------------------------------------------------------- time

  /**
   * A modification timestamp: the clock's millisecond plus sub-millisecond jitter (LI dates
   * carry real microseconds), strictly increasing within the store so two writes never tie.
   */
  stamp(): Micros {
    let t = toMicros(this.clock.now()) + Math.floor(this.jitter() * US_PER_MS)
    if (t <= this.lastStampUs) t = this.lastStampUs + 1
    this.lastStampUs = t
    return t
  }

  /** Seeding writes timestamps directly; keep later stamps after them. */
  noteTimestamp(us: Micros): void {
    if (us > this.lastStampUs) this.lastStampUs = us
  }

  nowUs(): Micros {
    return toMicros(this.clock.now())
  }

  // ---------------------------------------------------------------- customers

  getCustomer(id: number): SimCustomer | undefined {
    return this.customers[id - CUSTOMER_ID_BASE - 1]
  }

  addCustomer(init: { nome?: string; email?: string; sexo?: 'm' | 'f' | ''; createdUs?: Micros } = {}): SimCustomer {
    const seq = this.customers.length + 1
    const derived = nameFor(this.seed, seq)
    const created = init.createdUs ?? this.stamp()
    this.noteTimestamp(created)
    const customer: SimCustomer = {
      id: CUSTOMER_ID_BASE + seq,
      seq,
      createdUs: created,
      modifiedUs: created,
      nome: init.nome ?? derived.nome,
      email: init.email ?? derived.email,
      sexo: init.sexo ?? derived.sexo,
      over: null,
    }
    this.customers.push(customer)
    this.emailIndex?.set(customer.email.toLowerCase(), customer)
    this.customersVersion++
    return customer
  }

  profile(c: SimCustomer): CustomerProfile {
    const base = profileFor(this.seed, c.seq, ADDRESS_ID_BASE + c.seq, c.nome, c.sexo)
    if (!c.over) return base
    const { endereco, ...rest } = c.over
    return { ...base, ...rest, endereco: { ...base.endereco, ...endereco } }
  }

  /** Edit a customer (evolve helper): bumps data_modificacao. */
  updateCustomer(id: number, patch: { nome?: string; email?: string } & Partial<CustomerProfile>): SimCustomer {
    const c = this.getCustomer(id)
    if (!c) throw new SimError(`unknown customer ${id}`)
    const { nome, email, ...profilePatch } = patch
    if (email !== undefined && email !== c.email) {
      this.emailIndex?.delete(c.email.toLowerCase())
      c.email = email
      this.emailIndex?.set(email.toLowerCase(), c)
    }
    if (nome !== undefined) c.nome = nome
    if (profilePatch.sexo !== undefined) c.sexo = profilePatch.sexo
    if (Object.keys(profilePatch).length > 0) c.over = { ...c.over, ...profilePatch }
    c.modifiedUs = this.stamp()
    this.customersVersion++
    return c
  }

  findCustomerByEmail(email: string): SimCustomer | undefined {
    if (!this.emailIndex) {
      this.emailIndex = new Map()
      for (const c of this.customers) this.emailIndex.set(c.email.toLowerCase(), c)
    }
    return this.emailIndex.get(email.trim().toLowerCase())
  }

  queryCustomers(filter: CustomerFilter, sort: Sort<CustomerSortField>): Sliceable<SimCustomer> {
    if (filter.email !== undefined) {
      // E-mail is unique per store: at most one candidate, checked against the other filters.
      const c = this.findCustomerByEmail(filter.email)
      return c && customerMatches(c, filter) ? [c] : []
    }
    return this.customerQueries.query(this.customers, this.customersVersion, filter, sort)
  }

  // ---------------------------------------------------------------- products

  addProduct(p: Omit<SimProduct, 'id' | 'childIds'> & { id?: number }): SimProduct {
    const id = p.id ?? this.nextProductId++
    if (id >= this.nextProductId) this.nextProductId = id + 1
    const product: SimProduct = { ...p, id, childIds: [] }
    this.products.push(product)
    this.productsById.set(id, product)
    if (product.parentId !== null) this.productsById.get(product.parentId)?.childIds.push(id)
    this.noteTimestamp(product.modifiedUs)
    return product
  }

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
    const wanted = codigo.toLowerCase()
    return this.coupons.find((c) => c.codigo.toLowerCase() === wanted)
  }

  insertCoupon(input: CouponInput): SimCoupon {
    const now = this.stamp()
    const coupon: SimCoupon = { ...input, id: this.nextCouponId++, quantidadeUsada: 0, createdUs: now, modifiedUs: now }
    this.coupons.push(coupon)
    this.couponsById.set(coupon.id, coupon)
    return coupon
  }

  replaceCoupon(id: number, input: CouponInput): SimCoupon {
    const coupon = this.couponsById.get(id)
    if (!coupon) throw new SimError(`unknown coupon ${id}`)
    Object.assign(coupon, input)
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
