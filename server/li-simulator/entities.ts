// The simulated Loja Integrada's entities: id spaces, customers, orders, products, coupons,
// the filters and sorts lists accept, and the pure rules over them (coupon discount and
// usability, synthesised status history).
//
// Memory matters (a benchmark seeds 50k customers and 100k orders), so entities hold only what
// cannot be derived: orders keep integers and a flat item array, customers keep name/e-mail
// and derive the rest (profiles.ts). The JSON shapes LI returns are built at response time
// (render.ts).

import { DEFAULT_STATUS, findStatusByCodigo, PAYMENT_METHODS, SHIPPING_METHODS, type SimStatus } from './catalog.ts'
import type { CustomerProfile } from './profiles.ts'
import { formatNaive, MS_PER_DAY, US_PER_MS, type Micros } from './time.ts'

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

/**
 * How a store's /pedido/search misbehaves, for testing clients against LI's undocumented
 * ordering (reference §2): each switch reproduces something measured on real stores.
 */
export interface ListingQuirks {
  /** List by numero even with since_atualizado (stores that do not list by change time). */
  order?: 'numero'
  /** Ignore since_numero (the whole store comes back on every page). */
  ignoreSinceNumero?: boolean
  /** After each page served, change the status of this many of its orders (delivered ⇄ cancelled). */
  changesPerPage?: number
  /** With changesPerPage: also move a manual clock this far per page (a pass that takes long). */
  clockStepMs?: number
}

export interface StatusChangeOptions {
  by?: string
  byName?: string | null
  obs?: string | null
}

export class SimError extends Error {}

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

/** Why a coupon cannot be used now on an order of that subtotal, or null if it can. */
export function couponUnusableReason(coupon: SimCoupon, subtotalCents: number, nowUs: Micros): string | null {
  if (!coupon.ativo) return `coupon ${coupon.codigo} is inactive`
  if (coupon.quantidadeUsada >= coupon.quantidade) return `coupon ${coupon.codigo} is exhausted`
  if (coupon.validade !== null) {
    // validade is São Paulo wall-clock text; compare as text against "now" in the same form.
    const nowText = formatNaive(nowUs).slice(0, 19)
    if (coupon.validade < nowText) return `coupon ${coupon.codigo} expired`
  }
  if (coupon.valorMinimoCents !== null && subtotalCents < coupon.valorMinimoCents)
    return `order below the coupon's minimum value`
  return null
}

/** The status history of a seeded order whose history was never materialised. */
export function synthesisedHistory(order: SimOrder): HistoryEntry[] {
  const entries: HistoryEntry[] = [
    {
      id: SYNTH_HISTORY_BASE + order.id * 2,
      dataUs: order.createdUs,
      statusId: DEFAULT_STATUS.id,
      previousId: null,
      by: 'Sistema',
      byName: null,
      obs: null,
    },
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

/** A new order's lines, methods and status, checked against the store's products and the catalog. */
export function resolveOrderInput(
  productsById: ReadonlyMap<number, SimProduct>,
  input: NewOrderInput,
): { items: number[]; subtotal: number; paymentIdx: number; shippingIdx: number; shipping: number; status: SimStatus } {
  const items: number[] = []
  let subtotal = 0
  for (const line of input.items) {
    const p = productsById.get(line.productId)
    if (!p) throw new SimError(`unknown product ${line.productId}`)
    if (p.tipo === 'atributo') throw new SimError(`product ${p.id} is a parent; order a variation`)
    const qty = line.quantity ?? 1
    const venda = line.unitPriceCents ?? p.promoCents ?? p.cheioCents
    items.push(p.id, qty, p.cheioCents, venda)
    subtotal += venda * qty
  }
  const paymentIdx =
    input.paymentMethodId === undefined ? 0 : PAYMENT_METHODS.findIndex((m) => m.id === input.paymentMethodId)
  if (paymentIdx < 0) throw new SimError(`unknown payment method ${input.paymentMethodId}`)
  const shippingIdx =
    input.shippingMethodId === undefined ? 0 : SHIPPING_METHODS.findIndex((m) => m.id === input.shippingMethodId)
  if (shippingIdx < 0) throw new SimError(`unknown shipping method ${input.shippingMethodId}`)
  const shippingMethod = SHIPPING_METHODS[shippingIdx]
  const shipping = input.shippingCents ?? (shippingMethod?.free ? 0 : 1990)
  const status = input.statusCodigo === undefined ? DEFAULT_STATUS : findStatusByCodigo(input.statusCodigo)
  if (!status) throw new SimError(`unknown status ${input.statusCodigo}`)
  return { items, subtotal, paymentIdx, shippingIdx, shipping, status }
}

/** Days → µs, for callers composing times. */
export const daysUs = (days: number): Micros => days * MS_PER_DAY * US_PER_MS
