/** Fidelis' view of Loja Integrada objects: cents, UTC instants, plain ids. Built in client.ts and wire.ts only. */

export type LiCredentials =
  | { kind: 'chave_api'; apiKey: string; appKey: string }
  | { kind: 'personal_token'; token: string }

export interface LiStatus {
  id: number
  code: string
  name: string
  approved: boolean
  cancelled: boolean
  final: boolean
}

export interface LiOrderSummary {
  numero: number
  /** LI's internal id when sent (the reference does not guarantee it in lists). */
  id: number | null
  customerId: number | null
  status: LiStatus
  subtotalCents: number
  shippingCents: number
  discountCents: number
  totalCents: number
  createdAt: Date
  updatedAt: Date
}

export interface LiCustomer {
  id: number
  email: string | null
  name: string | null
  cpf: string | null
  birthDate: string | null
  createdAt: Date | null
  updatedAt: Date | null
}

export interface LiOrder extends LiOrderSummary {
  customer: LiCustomer | null
  couponCode: string | null
}

export type LiCouponType = 'fixo' | 'porcentagem' | 'frete_gratis'

export interface LiCouponInput {
  code: string
  description: string
  type: LiCouponType
  /** Cents for 'fixo'; percent × 100 for 'porcentagem' (15% = 1500); 0 for 'frete_gratis'. */
  value: number
  minimumOrderCents: number | null
  quantity: number
  perCustomer: number
  /** São Paulo calendar day the coupon is valid through. */
  validUntilDay: string
  cumulative?: boolean
}

export interface LiCoupon {
  id: number
  code: string
  type: LiCouponType
  value: number
  quantity: number
  used: number
  active: boolean
  validUntil: Date | null
}

export interface LiPage<T> {
  items: T[]
  total: number
  /** Relative URI of the next page (LI's meta.next), or null. */
  next: string | null
  /** LI's clock when it answered (the response's Date header, whole seconds), if sent. */
  servedAt?: Date | null
}
