// Fixed reference tables: order statuses (reference §4), payment and shipping methods.

export interface SimStatus {
  readonly id: number
  readonly codigo: string
  readonly nome: string
  readonly aprovado: boolean
  readonly cancelado: boolean
  readonly final: boolean
  readonly notificar_comprador: boolean
  readonly padrao: boolean
}

const s = (
  id: number,
  codigo: string,
  nome: string,
  aprovado: boolean,
  cancelado: boolean,
  final: boolean,
  notificar_comprador: boolean,
  padrao = false,
): SimStatus => ({ id, codigo, nome, aprovado, cancelado, final, notificar_comprador, padrao })

/**
 * The reference §4 table, ids and flags exactly, in the captured list's order.
 * 1018/1019 display names were never seen; the names below are our guesses.
 * `pagamento_devolvido_sem_retorno` (id 1020?) is left out: its id and flags are unconfirmed,
 * and the spec example lists 15 statuses, which is what this table has.
 */
export const STATUSES: readonly SimStatus[] = [
  s(9, 'pedido_efetuado', 'Pedido Efetuado', false, false, false, false, true),
  s(2, 'aguardando_pagamento', 'Aguardando pagamento', false, false, false, true),
  s(3, 'pagamento_em_analise', 'Pagamento em análise', false, false, false, true),
  s(4, 'pedido_pago', 'Pedido Pago', true, false, false, true),
  s(6, 'pagamento_em_disputa', 'Pagamento em disputa', true, false, false, false),
  s(16, 'pedido_chargeback', 'Pagamento em chargeback', true, false, true, false),
  s(7, 'pagamento_devolvido', 'Pagamento devolvido', false, true, true, true),
  s(8, 'pedido_cancelado', 'Pedido Cancelado', false, true, true, true),
  s(17, 'em_producao', 'Em produção', true, false, false, true),
  s(15, 'pedido_em_separacao', 'Pedido em separação', true, false, false, true),
  s(11, 'pedido_enviado', 'Pedido Enviado', true, false, true, true),
  s(13, 'pronto_para_retirada', 'Pedido pronto para retirada', true, false, true, true),
  s(14, 'pedido_entregue', 'Pedido Entregue', true, false, true, true),
  s(1018, 'faturado', 'Pedido Faturado', true, false, false, false),
  s(1019, 'cancelamento_solicitado', 'Cancelamento solicitado', false, true, false, false),
]

const statusById = new Map(STATUSES.map((st) => [st.id, st]))
const statusByCodigo = new Map(STATUSES.map((st) => [st.codigo, st]))

export function getStatus(id: number): SimStatus {
  const st = statusById.get(id)
  if (!st) throw new Error(`unknown status id ${id}`)
  return st
}
export function findStatusById(id: number): SimStatus | undefined {
  return statusById.get(id)
}
export function findStatusByCodigo(codigo: string): SimStatus | undefined {
  return statusByCodigo.get(codigo)
}
export function getStatusByCodigo(codigo: string): SimStatus {
  const st = statusByCodigo.get(codigo)
  if (!st) throw new Error(`unknown status codigo ${codigo}`)
  return st
}
export const DEFAULT_STATUS = getStatusByCodigo('pedido_efetuado')

export interface PaymentMethod {
  readonly id: number
  readonly codigo: string
  readonly nome: string
  readonly tipo: string
  readonly bandeiras: readonly (string | null)[]
}

/** Invented but plausible; `id` is what `pagamento_id` filters on. */
export const PAYMENT_METHODS: readonly PaymentMethod[] = [
  { id: 24, codigo: 'pagsegurov2', nome: 'PagSeguro', tipo: 'creditCard', bandeiras: ['Visa', 'Mastercard', 'Elo'] },
  { id: 42, codigo: 'mercadopagov1', nome: 'Mercado Pago', tipo: 'creditCard', bandeiras: ['Visa', 'Mastercard'] },
  { id: 55, codigo: 'pix', nome: 'Pix', tipo: 'pix', bandeiras: [null] },
  { id: 7, codigo: 'boleto', nome: 'Boleto Bancário', tipo: 'boleto', bandeiras: [null] },
]

export interface ShippingMethod {
  readonly id: number
  readonly nome: string
  readonly code: string
  readonly tipo: string
  readonly free: boolean
}

export const SHIPPING_METHODS: readonly ShippingMethod[] = [
  { id: 1, nome: 'SEDEX', code: 'SEDEX', tipo: 'correios_api', free: false },
  { id: 2, nome: 'PAC', code: 'PAC', tipo: 'correios_api', free: false },
  { id: 5, nome: 'Retirar pessoalmente', code: 'retirar_pessoalmente', tipo: 'retirar', free: true },
]

export const CUSTOMER_GROUP = { id: 1, nome: 'Padrão', padrao: true } as const
