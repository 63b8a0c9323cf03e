// Deterministic seeding and "evolve" helpers.
//
// seedStore(state, {seed}) always builds the same store for the same seed and clock time:
// every random choice comes from mulberry32 streams derived from the seed. 100k orders seed in
// well under a second because orders are compact SimOrder instances pushed in numero order.

import { getStatusByCodigo, PAYMENT_METHODS, SHIPPING_METHODS, getStatus } from './catalog.ts'
import { asciiSlug } from './profiles.ts'
import { hex, intBetween, mixSeed, mulberry32, pick, pickWeighted, type Rng } from './prng.ts'
import { couponDiscount, SimOrder, type SimCoupon, type SimProduct, type SimStore } from './store.ts'
import type { SimState } from './sim-state.ts'
import { toMicros, US_PER_DAY, type Micros } from './time.ts'

export interface SeedOptions {
  seed: number
  /** Default 50. */
  customers?: number
  /** Default 200. */
  orders?: number
  /** Simple products (tipo normal). Default 12. */
  simpleProducts?: number
  /** Parents (tipo atributo) with 3 variations each (atributo_opcao). Default 4. */
  variationParents?: number
  /** Orders are spread over the last `days` days. Default 90. */
  days?: number
  /** Seed three coupons and use them in ~10% of orders. Default true. */
  coupons?: boolean
  /** Default `loja-<seed>`. An existing store with this id is replaced. */
  storeId?: string
  name?: string
  /** Default: 20 lowercase hex chars derived from the seed. */
  apiKey?: string
  /** Default: 40 hex chars derived from the seed. */
  personalToken?: string
}

export interface SeededStore {
  store: SimStore
  apiKey: string
  personalToken: string
}

const PRODUCT_NAMES = [
  'Caneca Cerâmica',
  'Garrafa Térmica',
  'Caderno Pautado',
  'Mochila Urbana',
  'Boné Aba Curva',
  'Meia Cano Alto',
  'Chaveiro Couro',
  'Vela Aromática',
  'Sabonete Artesanal',
  'Óleo Corporal',
  'Pulseira Prata',
  'Brinco Argola',
  'Porta-retrato',
  'Almofada Linho',
  'Toalha de Banho',
  'Kit Pincéis',
]
const VARIATION_NAMES = [
  'Camiseta Básica',
  'Calça Jeans',
  'Vestido Midi',
  'Tênis Casual',
  'Moletom Canguru',
  'Jaqueta Corta-vento',
]
const SIZES = ['P', 'M', 'G']
const UTM = ['newsletter', 'instagram', 'google_ads']

const AGE_YOUNG: readonly (readonly [string, number])[] = [
  ['pedido_efetuado', 10],
  ['aguardando_pagamento', 25],
  ['pagamento_em_analise', 5],
  ['pedido_pago', 30],
  ['pedido_em_separacao', 10],
  ['faturado', 5],
  ['pedido_enviado', 10],
  ['pedido_cancelado', 5],
]
const AGE_OLD: readonly (readonly [string, number])[] = [
  ['pedido_entregue', 40],
  ['pedido_enviado', 14],
  ['pedido_pago', 10],
  ['pedido_cancelado', 12],
  ['faturado', 4],
  ['pronto_para_retirada', 3],
  ['pagamento_devolvido', 3],
  ['aguardando_pagamento', 4],
  ['em_producao', 2],
  ['cancelamento_solicitado', 2],
  ['pedido_efetuado', 2],
  ['pedido_chargeback', 1],
  ['pagamento_em_disputa', 1],
  ['pagamento_em_analise', 1],
  ['pedido_em_separacao', 1],
]

/** Prices end in ,90 like real catalogues. */
const price = (rng: Rng, min: number, max: number): number => intBetween(rng, min, max) * 100 + 90

function seedProducts(store: SimStore, rng: Rng, simple: number, parents: number, nowUs: Micros): SimProduct[] {
  const sellable: SimProduct[] = []
  const baseDates = (): { createdUs: Micros; modifiedUs: Micros } => {
    const createdUs = nowUs - Math.floor((200 + rng() * 400) * US_PER_DAY)
    return { createdUs, modifiedUs: createdUs + Math.floor(rng() * (nowUs - createdUs) * 0.5) }
  }
  const common = (): Omit<
    SimProduct,
    | 'id'
    | 'childIds'
    | 'sku'
    | 'nome'
    | 'apelido'
    | 'tipo'
    | 'parentId'
    | 'cheioCents'
    | 'promoCents'
    | 'createdUs'
    | 'modifiedUs'
  > => ({
    ativo: rng() > 0.08,
    removido: false,
    destaque: rng() < 0.15,
    custoCents: rng() < 0.4 ? price(rng, 5, 60) : null,
    sobConsulta: false,
    estoqueGerenciado: rng() > 0.2,
    estoque: intBetween(rng, 0, 60),
    reservado: 0,
    situacaoEmEstoque: 0,
    situacaoSemEstoque: -1,
    pesoGrams: intBetween(rng, 1, 20) * 100,
    altura: intBetween(rng, 2, 30),
    largura: intBetween(rng, 10, 40),
    profundidade: intBetween(rng, 10, 40),
    gtin: `789${String(intBetween(rng, 0, 9_999_999_999)).padStart(10, '0')}`,
    ncm: '6109.10.00',
    idExterno: null,
  })
  for (let i = 0; i < simple; i++) {
    const base = PRODUCT_NAMES[i % PRODUCT_NAMES.length] ?? 'Produto'
    const nome = i < PRODUCT_NAMES.length ? base : `${base} ${Math.floor(i / PRODUCT_NAMES.length) + 1}`
    const cheio = price(rng, 19, 299)
    const p = store.addProduct({
      ...common(),
      ...baseDates(),
      sku: `PRD-${String(i + 1).padStart(4, '0')}`,
      nome,
      apelido: `${asciiSlug(nome)}-${i + 1}`,
      tipo: 'normal',
      parentId: null,
      cheioCents: cheio,
      promoCents: rng() < 0.3 ? Math.floor((cheio * 0.9) / 100) * 100 + 90 : null,
    })
    sellable.push(p)
  }
  for (let i = 0; i < parents; i++) {
    const base = VARIATION_NAMES[i % VARIATION_NAMES.length] ?? 'Produto'
    const nome = i < VARIATION_NAMES.length ? base : `${base} ${Math.floor(i / VARIATION_NAMES.length) + 1}`
    const cheio = price(rng, 49, 399)
    const promo = rng() < 0.3 ? Math.floor((cheio * 0.9) / 100) * 100 + 90 : null
    const dates = baseDates()
    const skuBase = `VAR-${String(i + 1).padStart(3, '0')}`
    const parent = store.addProduct({
      ...common(),
      ...dates,
      sku: skuBase,
      nome,
      apelido: `${asciiSlug(nome)}-${i + 1}`,
      tipo: 'atributo',
      parentId: null,
      cheioCents: cheio,
      promoCents: promo,
    })
    for (const size of SIZES) {
      sellable.push(
        store.addProduct({
          ...common(),
          ...dates,
          sku: `${skuBase}-${size}`,
          nome: `${nome} ${size}`,
          apelido: `${parent.apelido}-${size.toLowerCase()}`,
          tipo: 'atributo_opcao',
          parentId: parent.id,
          ativo: parent.ativo,
          cheioCents: cheio,
          promoCents: promo,
        }),
      )
    }
  }
  return sellable
}

function seedCoupons(store: SimStore, nowUs: Micros): SimCoupon[] {
  const common = {
    valorMinimoCents: null,
    cumulativo: false,
    aplicarNoTotal: false,
    quantidade: 999_999,
    quantidadePorCliente: null,
    validade: null,
    ativo: true,
    condicaoCliente: 'todos_clientes' as const,
    grupos: [],
    condicaoProduto: 'todos_produtos' as const,
    categorias: [],
    idExterno: null,
  }
  const coupons = [
    store.insertCoupon({
      ...common,
      codigo: 'BEMVINDO10',
      descricao: 'Boas-vindas 10%',
      tipo: 'porcentagem',
      valorHundredths: 1000,
    }),
    store.insertCoupon({
      ...common,
      codigo: 'FRETEGRATIS',
      descricao: 'Frete grátis',
      tipo: 'frete_gratis',
      valorHundredths: 0,
    }),
    store.insertCoupon({
      ...common,
      codigo: 'DESCONTO20',
      descricao: 'R$ 20 de desconto',
      tipo: 'fixo',
      valorHundredths: 2000,
      valorMinimoCents: 10_000,
    }),
  ]
  coupons.forEach((c, i) => {
    c.createdUs = nowUs - (120 - i) * US_PER_DAY
    c.modifiedUs = c.createdUs
  })
  return coupons
}

function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] ?? 0) <= value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Build one deterministic store. Replaces an existing store with the same id. */
export function seedStore(state: SimState, opts: SeedOptions): SeededStore {
  const seed = opts.seed >>> 0
  const keyRng = mulberry32(mixSeed(seed, 0xa11))
  const apiKey = opts.apiKey ?? hex(keyRng, 20)
  const personalToken = opts.personalToken ?? hex(keyRng, 40)
  const storeId = opts.storeId ?? `loja-${seed}`
  state.removeStore(storeId)
  const store = state.createStore({
    id: storeId,
    name: opts.name ?? `Loja Exemplo ${seed}`,
    seed,
    apiKeys: [apiKey],
    personalTokens: [personalToken],
  })

  const rng = mulberry32(mixSeed(seed, 0x5eed))
  const nowUs = toMicros(state.clock.now())
  const days = opts.days ?? 90
  const sellable = seedProducts(store, rng, opts.simpleProducts ?? 12, opts.variationParents ?? 4, nowUs)
  const coupons = opts.coupons === false ? [] : seedCoupons(store, nowUs)

  // Customers: created over the last 400 days (70% before the order window), ids in creation
  // order so "customers who existed at time t" is a prefix of the array.
  const nCustomers = Math.max(1, opts.customers ?? 50)
  const custCreated = new Float64Array(nCustomers)
  const span400 = 400 * US_PER_DAY
  for (let i = 0; i < nCustomers; i++) custCreated[i] = nowUs - Math.floor(rng() * span400)
  custCreated[0] = nowUs - span400
  custCreated.sort()
  for (let i = 0; i < nCustomers; i++) {
    const created = custCreated[i] ?? nowUs
    const c = store.addCustomer({ createdUs: created })
    c.modifiedUs = created + Math.floor(rng() * rng() * (nowUs - created))
    store.noteTimestamp(c.modifiedUs)
  }

  // Orders: created uniformly over the window, numero increasing with creation (with the odd
  // gap, as real stores have; drift faults use the gaps).
  const nOrders = Math.max(0, opts.orders ?? 200)
  const orderCreated = new Float64Array(nOrders)
  const window = days * US_PER_DAY
  for (let i = 0; i < nOrders; i++) orderCreated[i] = nowUs - 60_000_000 - Math.floor(rng() * window)
  orderCreated.sort()
  let numero = 1001
  const shippingTable = [
    [0, 30],
    [1, 55],
    [2, 15],
  ] as const
  const paymentTable = [
    [0, 35],
    [1, 20],
    [2, 35],
    [3, 10],
  ] as const
  for (let i = 0; i < nOrders; i++) {
    const created = orderCreated[i] ?? nowUs
    const age = nowUs - created
    const codigo = pickWeighted(rng, age < 2 * US_PER_DAY ? AGE_YOUNG : AGE_OLD)
    const status = getStatusByCodigo(codigo)
    const modified = status.padrao
      ? created
      : Math.min(nowUs, created + Math.floor(rng() * rng() * Math.min(age, 7 * US_PER_DAY)))
    const eligible = Math.max(1, upperBound(custCreated, created))
    const customerId = store.customers[Math.floor(rng() * eligible)]?.id ?? store.customers[0]!.id

    const lines = pickWeighted(rng, [
      [1, 60],
      [2, 30],
      [3, 10],
    ] as const)
    const items: number[] = []
    let subtotal = 0
    for (let l = 0; l < lines; l++) {
      const p = pick(rng, sellable)
      const qty = pickWeighted(rng, [
        [1, 80],
        [2, 15],
        [3, 5],
      ] as const)
      const venda = p.promoCents ?? p.cheioCents
      items.push(p.id, qty, p.cheioCents, venda)
      subtotal += venda * qty
    }
    const shippingIdx = pickWeighted(rng, shippingTable)
    const shipping = SHIPPING_METHODS[shippingIdx]?.free ? 0 : intBetween(rng, 12, 45) * 100 + 90
    const paymentIdx = pickWeighted(rng, paymentTable)
    const installments = PAYMENT_METHODS[paymentIdx]?.tipo === 'creditCard' ? intBetween(rng, 1, 6) : 1
    const order = new SimOrder(
      store.nextOrderId,
      numero,
      customerId,
      created,
      modified,
      status.id,
      items,
      store.nextItemId,
      subtotal,
      shipping,
      0,
      paymentIdx,
      installments,
      shippingIdx,
    )
    store.nextItemId += lines
    if (coupons.length > 0 && rng() < 0.1) {
      const coupon = pick(rng, coupons)
      if (coupon.valorMinimoCents === null || subtotal >= coupon.valorMinimoCents) {
        order.couponId = coupon.id
        order.discountCents = couponDiscount(coupon, subtotal, shipping)
        coupon.quantidadeUsada++
      }
    }
    if (rng() < 0.1) order.utmCampaign = pick(rng, UTM)
    store.pushSeededOrder(order)
    numero += rng() < 0.03 ? 2 : 1
  }
  return { store, apiKey, personalToken }
}

// ------------------------------------------------------------------ evolve

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
