// What one simulated Loja Integrada store holds: its ids, counters and collections, the clock
// that stamps its writes, its customers and the products it was given. SimStore (store.ts)
// builds on it with orders, coupons and the writes that deliver webhooks; the split keeps each
// file readable, and nothing but SimStore extends this class.

import {
  ADDRESS_ID_BASE,
  COUPON_ID_BASE,
  CUSTOMER_ID_BASE,
  HISTORY_ID_BASE,
  ITEM_ID_BASE,
  ORDER_ID_BASE,
  PRODUCT_ID_BASE,
  SimError,
  type CustomerFilter,
  type CustomerSortField,
  type ListingQuirks,
  type SimCoupon,
  type SimCustomer,
  type SimOrder,
  type SimProduct,
  type Sort,
} from './entities.ts'
import { mulberry32, type Rng } from './prng.ts'
import { nameFor, profileFor, type CustomerProfile } from './profiles.ts'
import { customerMatches, CustomerQueries, type Sliceable } from './store-query.ts'
import { toMicros, US_PER_MS, type Clock, type Micros } from './time.ts'

export interface StoreInit {
  id: string
  name?: string
  seed?: number
  apiKeys?: string[]
  personalTokens?: string[]
}

export class StoreRecords {
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
  /** By lower-cased codigo (codes are unique regardless of case): every create checks it. */
  readonly couponsByCodigo = new Map<string, SimCoupon>()
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
  private customerQueries = new CustomerQueries()

  constructor(
    init: StoreInit,
    readonly clock: Clock,
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
}
