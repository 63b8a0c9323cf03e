import { decimalToCents, naiveSaoPauloToDate, resourceId } from './convert.ts'
import type { LiCoupon, LiCustomer, LiOrder, LiOrderSummary, LiPage, LiStatus } from './types.ts'

// LI's answers → our types, for client.ts (the only code that calls LI). LI's bodies are untyped
// JSON: every field is read defensively and converted once here.

/** LI's JSON bodies, read field by field. */
export type Json = any

export function toPage<T>(raw: Json, map: (x: Json) => T): LiPage<T> {
  return {
    items: (raw?.objects ?? []).map(map),
    total: Number(raw?.meta?.total_count ?? 0),
    next: raw?.meta?.next ?? null,
  }
}

export function toStatus(s: Json): LiStatus {
  return {
    id: Number(s.id),
    code: String(s.codigo),
    name: String(s.nome ?? s.codigo),
    approved: !!s.aprovado,
    cancelled: !!s.cancelado,
    final: !!s.final,
  }
}

function optDate(v: unknown): Date | null {
  return typeof v === 'string' && v ? naiveSaoPauloToDate(v) : null
}

export function toOrderSummary(o: Json): LiOrderSummary {
  return {
    numero: Number(o.numero),
    id: o.id === undefined || o.id === null ? null : Number(o.id),
    // Lists carry a URI string, details an object: resourceId accepts both.
    customerId: resourceId(o.cliente),
    status: toStatus(o.situacao),
    subtotalCents: decimalToCents(o.valor_subtotal),
    shippingCents: decimalToCents(o.valor_envio),
    discountCents: decimalToCents(o.valor_desconto),
    totalCents: decimalToCents(o.valor_total),
    createdAt: naiveSaoPauloToDate(o.data_criacao),
    updatedAt: naiveSaoPauloToDate(o.data_modificacao ?? o.data_criacao),
  }
}

export function toOrder(o: Json): LiOrder {
  return {
    ...toOrderSummary(o),
    customer: o.cliente && typeof o.cliente === 'object' ? toCustomer(o.cliente) : null,
    couponCode: o.cupom_desconto?.codigo ?? null,
  }
}

export function toCustomer(c: Json): LiCustomer {
  return {
    id: Number(c.id ?? resourceId(c.resource_uri)),
    email: typeof c.email === 'string' && c.email ? c.email.trim().toLowerCase() : null,
    name: c.nome ?? null,
    cpf: typeof c.cpf === 'string' && c.cpf ? c.cpf.replace(/\D/g, '') : null,
    birthDate:
      typeof c.data_nascimento === 'string' && /^\d{4}-\d{2}-\d{2}/.test(c.data_nascimento)
        ? c.data_nascimento.slice(0, 10)
        : null,
    createdAt: optDate(c.data_criacao),
    updatedAt: optDate(c.data_modificacao),
  }
}

export function toCoupon(c: Json): LiCoupon {
  const type = c.tipo as LiCoupon['type']
  return {
    id: Number(c.id),
    code: String(c.codigo),
    type,
    value: decimalToCents(c.valor),
    quantity: Number(c.quantidade ?? 0),
    used: Number(c.quantidade_usada ?? 0),
    active: c.ativo !== false,
    validUntil: optDate(c.validade),
  }
}
