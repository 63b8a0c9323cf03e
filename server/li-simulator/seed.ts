// Deterministic seeding (the "evolve" helpers that move a store on are in evolve.ts).
//
// seedStore(state, {seed}) always builds the same store for the same seed and clock time:
// every random choice comes from mulberry32 streams derived from the seed. 100k orders seed in
// well under a second because orders are compact SimOrder instances pushed in numero order.

import { getStatusByCodigo, PAYMENT_METHODS, SHIPPING_METHODS } from './catalog.ts'
import { hex, intBetween, mixSeed, mulberry32, pick, pickWeighted } from './prng.ts'
import { seedCoupons, seedProducts } from './seed-catalogue.ts'
import { couponDiscount, SimOrder, type SimStore } from './store.ts'
import type { SimState } from './sim-state.ts'
import { toMicros, US_PER_DAY } from './time.ts'

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
