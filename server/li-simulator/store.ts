// In-memory state of the simulated Loja Integrada: many stores, each with its customers,
// orders, products, coupons and webhook registrations.
//
// Memory matters (a benchmark seeds 50k customers and 100k orders), so entities hold only what
// cannot be derived: orders keep integers and a flat item array, customers keep name/e-mail
// and derive the rest (profiles.ts). The JSON shapes LI returns are built at response time
// (render.ts).

import { DEFAULT_STATUS, findStatusByCodigo, PAYMENT_METHODS, SHIPPING_METHODS, type SimStatus } from './catalog.ts'
import { mulberry32, type Rng } from './prng.ts'
import { nameFor, profileFor, type CustomerProfile } from './profiles.ts'
import { formatNaive, MS_PER_DAY, toMicros, US_PER_MS, type Clock, type Micros } from './time.ts'

// Id spaces. Values are invented but shaped like the reference examples; keeping the spaces
// apart makes a wrong id in a client (e.g. an envio id used as a numero) fail loudly.
export const CUSTOMER_ID_BASE = 5_550_000
export const ADDRESS_ID_BASE = 880_000
export const ORDER_ID_BASE = 8_000_000
export const PRODUCT_ID_BASE = 220_000
export const COUPON_ID_BASE = 781_000
export const HISTORY_ID_BASE = 500_000
export const ITEM_ID_BASE = 700_000
/** envios[].id = order.id + ENVIO_ID_OFFSET (so PUT /pedido_envio/{id} can find its order). */
export const ENVIO_ID_OFFSET = 25_000_000
/** pagamentos[].id = order.id + PAYMENT_ID_OFFSET */
export const PAYMENT_ID_OFFSET = 50_000_000
/** Status-history ids for seeded orders whose history was never materialised. */
const SYNTH_HISTORY_BASE = 100_000_000

export interface SimCustomer {
  readonly id: number
  /** Derivation key for the profile; also makes e-mails unique. */
  readonly seq: number
  createdUs: Micros
  modifiedUs: Micros
  nome: string
  email: string
  sexo: 'm' | 'f' | ''
  /** Fields changed after creation; applied over the derived profile. */
  over: Partial<CustomerProfile> | null
}

export interface HistoryEntry {
  id: number
  dataUs: Micros
  statusId: number
  previousId: number | null
  /** `alterado_por`: "API", a gateway label, a user e-mail, "Sistema"... */
  by: string
  byName: string | null
  obs: string | null
}

/**
 * One order. A class (not object literals) so V8 gives all 100k instances one hidden class
 * with in-object fields.
 */
export class SimOrder {
  constructor(
    public id: number,
    public numero: number,
    public customerId: number,
    public createdUs: Micros,
    public modifiedUs: Micros,
    public statusId: number,
    /** Flat [productId, quantity, cheioCents, vendaCents] per line: 4 numbers instead of an object. */
    public items: number[],
    public itemIdBase: number,
    public subtotalCents: number,
    public shippingCents: number,
    public discountCents: number,
    public paymentIdx: number,
    public installments: number,
    public shippingIdx: number,
    public couponId: number | null = null,
    public idExterno: number | null = null,
    public tracking: string | null = null,
    /** null = seeded order whose history is synthesised from created/modified. */
    public history: HistoryEntry[] | null = null,
    public utmCampaign: string | null = null,
  ) {}

  get totalCents(): number {
    return this.subtotalCents + this.shippingCents - this.discountCents
  }
  get lineCount(): number {
    return this.items.length / 4
  }
}

export type ProductTipo = 'normal' | 'atributo' | 'atributo_opcao'

export interface SimProduct {
  id: number
  sku: string
  nome: string
  apelido: string
  tipo: ProductTipo
  parentId: number | null
  childIds: number[]
  ativo: boolean
  removido: boolean
  destaque: boolean
  cheioCents: number
  promoCents: number | null
  custoCents: number | null
  sobConsulta: boolean
  estoqueGerenciado: boolean
  estoque: number
  reservado: number
  situacaoEmEstoque: number
  situacaoSemEstoque: number
  pesoGrams: number
  altura: number
  largura: number
  profundidade: number
  gtin: string
  ncm: string
  idExterno: number | null
  createdUs: Micros
  modifiedUs: Micros
}

export type CouponTipo = 'fixo' | 'porcentagem' | 'frete_gratis'

export interface SimCoupon {
  id: number
  codigo: string
  descricao: string
  tipo: CouponTipo
  /** Hundredths: R$ cents for fixo, hundredths of a percent for porcentagem. */
  valorHundredths: number
  valorMinimoCents: number | null
  cumulativo: boolean
  aplicarNoTotal: boolean
  quantidade: number
  quantidadePorCliente: number | null
  quantidadeUsada: number
  /** Naive São Paulo text exactly as LI reads it back ("2025-12-31T23:59:59"). */
  validade: string | null
  ativo: boolean
  condicaoCliente: 'todos_clientes' | 'grupos_selecionados'
  grupos: string[]
  condicaoProduto: 'todos_produtos' | 'categorias_selecionadas'
  categorias: string[]
  idExterno: number | null
  createdUs: Micros
  modifiedUs: Micros
}

export type CouponInput = Omit<SimCoupon, 'id' | 'quantidadeUsada' | 'createdUs' | 'modifiedUs'>

export type OrderEvent =
  | { type: 'created'; store: SimStore; order: SimOrder }
  | { type: 'updated'; store: SimStore; order: SimOrder; statusChanged: boolean }
export interface ProductEvent {
  type: 'product'
  store: SimStore
  products: SimProduct[]
}

export interface OrderFilter {
  sinceNumero?: number
  sinceAtualizado?: Micros
  sinceCriado?: Micros
  untilCriado?: Micros
  situacaoId?: number
  clienteId?: number
  pagamentoId?: number
}
export type OrderSortField = 'numero' | 'id' | 'data_criacao' | 'data_modificacao'
export interface Sort<F extends string> {
  field: F
  desc: boolean
}
export interface CustomerFilter {
  email?: string
  sinceAtualizado?: Micros
  untilAtualizado?: Micros
  sinceCriado?: Micros
  untilCriado?: Micros
}
export type CustomerSortField = 'id' | 'data_criacao' | 'data_modificacao'

export interface NewOrderInput {
  customerId: number
  /** At least one line. Price defaults to the product's current selling price. */
  items: { productId: number; quantity?: number; unitPriceCents?: number }[]
  statusCodigo?: string
  paymentMethodId?: number
  installments?: number
  shippingMethodId?: number
  shippingCents?: number
  couponCodigo?: string
  /** Defaults to now (the store clock). */
  createdUs?: Micros
  utmCampaign?: string | null
  /** Force a numero (used by offset-drift inserts); must be free. */
  numero?: number
}

export interface StatusChangeOptions {
  by?: string
  byName?: string | null
  obs?: string | null
}

export class SimError extends Error {}

function lowerBound<T>(arr: readonly T[], key: (t: T) => number, value: number): number {
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
function boundRange<T>(view: readonly T[], key: (t: T) => number, desc: boolean, since: number | undefined, until: number | undefined): [number, number] {
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

function customerMatches(c: SimCustomer, f: CustomerFilter): boolean {
  return (
    (f.sinceAtualizado === undefined || c.modifiedUs >= f.sinceAtualizado) &&
    (f.untilAtualizado === undefined || c.modifiedUs < f.untilAtualizado) &&
    (f.sinceCriado === undefined || c.createdUs >= f.sinceCriado) &&
    (f.untilCriado === undefined || c.createdUs < f.untilCriado)
  )
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
  private orderCache = new QueryCache<SimOrder>()
  private customerCache = new QueryCache<SimCustomer>()
  private orderViews = new SortedViews<SimOrder>()
  private customerViews = new SortedViews<SimCustomer>()

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
    const k = customerSortKey[sort.field]
    const dir = sort.desc ? -1 : 1
    const view = this.customerViews.get(this.customersVersion, `${sort.field}:${sort.desc}`, () =>
      [...this.customers].sort((a, b) => dir * (k(a) - k(b) || a.id - b.id)),
    )
    // A bound on the sort field is answered by binary search; anything else filters.
    const { since, until, residual } =
      sort.field === 'data_modificacao'
        ? { since: filter.sinceAtualizado, until: filter.untilAtualizado, residual: { sinceCriado: filter.sinceCriado, untilCriado: filter.untilCriado } }
        : sort.field === 'data_criacao'
          ? { since: filter.sinceCriado, until: filter.untilCriado, residual: { sinceAtualizado: filter.sinceAtualizado, untilAtualizado: filter.untilAtualizado } }
          : { since: undefined, until: undefined, residual: filter }
    const [start, end] = boundRange(view, k, sort.desc, since, until)
    if (Object.values(residual).every((v) => v === undefined)) return new ArrayRange(view, start, end)
    return this.customerCache.get(this.customersVersion, JSON.stringify([filter, sort]), () =>
      view.slice(start, end).filter((c) => customerMatches(c, filter)),
    )
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
  updateProduct(id: number, patch: Partial<Omit<SimProduct, 'id' | 'childIds' | 'parentId' | 'createdUs'>>): SimProduct {
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
    else this.orders.splice(lowerBound(this.orders, (o) => o.numero, order.numero), 0, order)
    this.ordersByNumero.set(order.numero, order)
    if (order.numero >= this.nextNumero) this.nextNumero = order.numero + 1
    this.ordersVersion++
  }

  /** Create an order "now" (or at createdUs); delivers the order webhook. */
  createOrder(input: NewOrderInput, opts: StatusChangeOptions = {}): SimOrder {
    if (!this.getCustomer(input.customerId)) throw new SimError(`unknown customer ${input.customerId}`)
    if (input.items.length === 0) throw new SimError('an order needs at least one item')
    const items: number[] = []
    let subtotal = 0
    for (const line of input.items) {
      const p = this.productsById.get(line.productId)
      if (!p) throw new SimError(`unknown product ${line.productId}`)
      if (p.tipo === 'atributo') throw new SimError(`product ${p.id} is a parent; order a variation`)
      const qty = line.quantity ?? 1
      const venda = line.unitPriceCents ?? p.promoCents ?? p.cheioCents
      items.push(p.id, qty, p.cheioCents, venda)
      subtotal += venda * qty
    }
    const paymentIdx = input.paymentMethodId === undefined ? 0 : PAYMENT_METHODS.findIndex((m) => m.id === input.paymentMethodId)
    if (paymentIdx < 0) throw new SimError(`unknown payment method ${input.paymentMethodId}`)
    const shippingIdx = input.shippingMethodId === undefined ? 0 : SHIPPING_METHODS.findIndex((m) => m.id === input.shippingMethodId)
    if (shippingIdx < 0) throw new SimError(`unknown shipping method ${input.shippingMethodId}`)
    const shippingMethod = SHIPPING_METHODS[shippingIdx]
    const shipping = input.shippingCents ?? (shippingMethod?.free ? 0 : 1990)
    const status = input.statusCodigo === undefined ? DEFAULT_STATUS : findStatusByCodigo(input.statusCodigo)
    if (!status) throw new SimError(`unknown status ${input.statusCodigo}`)
    if (input.numero !== undefined && this.ordersByNumero.has(input.numero)) throw new SimError(`numero ${input.numero} taken`)

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
      { id: this.nextHistoryId++, dataUs: created, statusId: DEFAULT_STATUS.id, previousId: null, by: opts.by ?? 'Sistema', byName: opts.byName ?? null, obs: null },
    ]
    if (status.id !== DEFAULT_STATUS.id) {
      order.history.push({ id: this.nextHistoryId++, dataUs: created, statusId: status.id, previousId: DEFAULT_STATUS.id, by: opts.by ?? 'Sistema', byName: opts.byName ?? null, obs: opts.obs ?? null })
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
    if (order.history) return order.history
    const entries: HistoryEntry[] = [
      { id: SYNTH_HISTORY_BASE + order.id * 2, dataUs: order.createdUs, statusId: DEFAULT_STATUS.id, previousId: null, by: 'Sistema', byName: null, obs: null },
    ]
    if (order.statusId !== DEFAULT_STATUS.id) {
      entries.push({
        id: SYNTH_HISTORY_BASE + order.id * 2 + 1,
        dataUs: order.modifiedUs,
        statusId: order.statusId,
        previousId: DEFAULT_STATUS.id,
        by: PAYMENT_METHODS[order.paymentIdx]?.nome ?? 'Sistema',
        byName: null,
        obs: null,
      })
    }
    return entries
  }

  /**
   * Change an order's status: bumps data_modificacao, appends history, delivers the webhook.
   * Writing the current status again is a no-op (nothing changes, nothing is delivered);
   * LI does not validate transitions (reference §4), so neither do we.
   */
  setOrderStatus(numero: number, codigo: string, opts: StatusChangeOptions = {}): { order: SimOrder; status: SimStatus; changed: boolean } {
    const order = this.getOrder(numero)
    if (!order) throw new SimError(`unknown order ${numero}`)
    const status = findStatusByCodigo(codigo)
    if (!status) throw new SimError(`unknown status ${codigo}`)
    if (status.id === order.statusId) return { order, status, changed: false }
    const history = this.history(order)
    const now = this.stamp()
    history.push({ id: this.nextHistoryId++, dataUs: now, statusId: status.id, previousId: order.statusId, by: opts.by ?? 'API', byName: opts.byName ?? null, obs: opts.obs ?? null })
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

  /** All orders sorted one way, cached per data version (numero ascending is the store order itself). */
  private sortedView(sort: Sort<OrderSortField>): SimOrder[] {
    if (sort.field === 'numero' && !sort.desc) return this.orders
    return this.orderViews.get(this.ordersVersion, `${sort.field}:${sort.desc}`, () => {
      if (sort.field === 'numero') return [...this.orders].reverse()
      const k = orderSortKey[sort.field]
      const dir = sort.desc ? -1 : 1
      // numero breaks ties so pages are stable when timestamps collide.
      return [...this.orders].sort((a, b) => dir * (k(a) - k(b) || a.numero - b.numero))
    })
  }

  /**
   * Orders matching `filter`, in `sort` order. A bound on the sort field (since_numero for
   * numero, since_atualizado for data_modificacao, since/until_criado for data_criacao) is a
   * binary search over a sorted view; other filters scan that range once per data version.
   */
  queryOrders(filter: OrderFilter, sort: Sort<OrderSortField>): Sliceable<SimOrder> {
    const view = this.sortedView(sort)
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
    return this.orderCache.get(this.ordersVersion, JSON.stringify([filter, sort]), () =>
      view.slice(start, end).filter((o) => orderMatches(o, filter)),
    )
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
    if (!coupon.ativo) throw new SimError(`coupon ${coupon.codigo} is inactive`)
    if (coupon.quantidadeUsada >= coupon.quantidade) throw new SimError(`coupon ${coupon.codigo} is exhausted`)
    if (coupon.validade !== null) {
      // validade is São Paulo wall-clock text; compare as text against "now" in the same form.
      const nowText = formatNaive(this.nowUs()).slice(0, 19)
      if (coupon.validade < nowText) throw new SimError(`coupon ${coupon.codigo} expired`)
    }
    if (coupon.valorMinimoCents !== null && subtotalCents < coupon.valorMinimoCents) {
      throw new SimError(`order below the coupon's minimum value`)
    }
  }

  /**
   * Record a coupon used in an existing order: increments quantidade_usada, sets the order's
   * cupom_desconto and (by default) recomputes valor_desconto; bumps data_modificacao.
   */
  useCoupon(ref: { codigo?: string; id?: number }, numero: number, opts: { recomputeDiscount?: boolean } = {}): { coupon: SimCoupon; order: SimOrder } {
    const coupon = ref.id !== undefined ? this.couponsById.get(ref.id) : ref.codigo !== undefined ? this.findCouponByCodigo(ref.codigo) : undefined
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

/** The discount a coupon gives an order, in cents (never more than what it applies to). */
export function couponDiscount(coupon: SimCoupon, subtotalCents: number, shippingCents: number): number {
  const base = coupon.aplicarNoTotal ? subtotalCents + shippingCents : subtotalCents
  switch (coupon.tipo) {
    case 'fixo':
      return Math.min(coupon.valorHundredths, base)
    case 'porcentagem':
      return Math.round((base * coupon.valorHundredths) / 10_000)
    case 'frete_gratis':
      return shippingCents
  }
}

export type CredentialKind = 'api_key' | 'personal_token'

export interface CreateStoreOptions extends StoreInit {}

/** All simulated stores plus the integrator-level settings (accepted application keys). */
export class SimState {
  readonly stores = new Map<string, SimStore>()
  readonly applicationKeys: Set<string>
  private credentials = new Map<string, { store: SimStore; kind: CredentialKind }>()
  /** Set by the simulator to deliver webhooks; stores call it on every order/product change. */
  onEvent: (event: OrderEvent | ProductEvent) => void = () => {}

  constructor(
    readonly clock: Clock,
    applicationKeys: readonly string[],
  ) {
    this.applicationKeys = new Set(applicationKeys)
  }

  createStore(init: CreateStoreOptions): SimStore {
    if (this.stores.has(init.id)) throw new SimError(`store ${init.id} exists`)
    for (const k of [...(init.apiKeys ?? []), ...(init.personalTokens ?? [])]) {
      if (this.credentials.has(k)) throw new SimError('credential already used by another store')
    }
    const store = new SimStore(init, this.clock, (e) => this.onEvent(e))
    this.stores.set(store.id, store)
    for (const k of store.apiKeys) this.credentials.set(k, { store, kind: 'api_key' })
    for (const t of store.personalTokens) this.credentials.set(t, { store, kind: 'personal_token' })
    return store
  }

  removeStore(id: string): void {
    const store = this.stores.get(id)
    if (!store) return
    for (const [k, v] of this.credentials) if (v.store === store) this.credentials.delete(k)
    this.stores.delete(id)
  }

  /** Add a chave_api or Personal Token to a store at runtime. */
  addCredential(storeRef: string, credential: string, kind: CredentialKind): void {
    const store = this.requireStore(storeRef)
    if (this.credentials.has(credential)) throw new SimError('credential already in use')
    ;(kind === 'api_key' ? store.apiKeys : store.personalTokens).add(credential)
    this.credentials.set(credential, { store, kind })
  }

  /** The store a credential opens, if it is (still) valid and of that kind. */
  resolveCredential(credential: string, kind: CredentialKind): SimStore | undefined {
    const hit = this.credentials.get(credential)
    return hit && hit.kind === kind ? hit.store : undefined
  }

  /** Make a chave_api, Personal Token or application key invalid from now on (→ 401). */
  revokeCredential(credential: string): boolean {
    if (this.applicationKeys.delete(credential)) return true
    const hit = this.credentials.get(credential)
    if (!hit) return false
    this.credentials.delete(credential)
    hit.store.apiKeys.delete(credential)
    hit.store.personalTokens.delete(credential)
    return true
  }

  /** A store by id or by any of its credentials. */
  getStore(ref: string): SimStore | undefined {
    return this.stores.get(ref) ?? this.credentials.get(ref)?.store
  }

  requireStore(ref: string): SimStore {
    const s = this.getStore(ref)
    if (!s) throw new SimError(`unknown store ${ref}`)
    return s
  }
}

/** Days → µs, for callers composing times. */
export const daysUs = (days: number): Micros => days * MS_PER_DAY * US_PER_MS
