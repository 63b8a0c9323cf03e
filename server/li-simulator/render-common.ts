// The JSON shapes LI returns, built from compact entities at response time: the pieces every
// resource shares (URIs, money, the status and coupon objects orders embed).
// REST: money/quantities as decimal strings, naive São Paulo dates with microseconds,
// relations as "/api/v1/..." URIs. Webhooks: numbers, top-level dates with Z, nested -03:00.

import type { SimStatus } from './catalog.ts'
import type { SimCoupon } from './entities.ts'
import { formatNaive } from './time.ts'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

export const uri = (resource: string, id: number | string): string => `/api/v1/${resource}/${id}`

/** Integer hundredths → "129.90" (exact; never goes through floating point). */
export function money(hundredths: number): string {
  const sign = hundredths < 0 ? '-' : ''
  const abs = Math.abs(Math.round(hundredths))
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}
/** Grams → kg "0.450" */
export function weight(grams: number): string {
  return `${Math.floor(grams / 1000)}.${String(grams % 1000).padStart(3, '0')}`
}
export const num = (hundredths: number): number => Math.round(hundredths) / 100

export function statusJson(st: SimStatus): JsonObject {
  return {
    id: st.id,
    codigo: st.codigo,
    nome: st.nome,
    aprovado: st.aprovado,
    cancelado: st.cancelado,
    final: st.final,
    notificar_comprador: st.notificar_comprador,
    padrao: st.padrao,
    resource_uri: uri('situacao', st.id),
  }
}

export function couponJson(c: SimCoupon): JsonObject {
  return {
    id: c.id,
    codigo: c.codigo,
    descricao: c.descricao,
    tipo: c.tipo,
    valor: money(c.valorHundredths),
    valor_minimo: c.valorMinimoCents === null ? null : money(c.valorMinimoCents),
    quantidade: c.quantidade,
    quantidade_por_cliente: c.quantidadePorCliente,
    quantidade_usada: c.quantidadeUsada,
    cumulativo: c.cumulativo,
    aplicar_no_total: c.aplicarNoTotal,
    ativo: c.ativo,
    validade: c.validade,
    condicao_cliente: c.condicaoCliente,
    grupos: [...c.grupos],
    condicao_produto: c.condicaoProduto,
    categorias: [...c.categorias],
    id_externo: c.idExterno,
    data_criacao: formatNaive(c.createdUs),
    data_modificacao: formatNaive(c.modifiedUs),
    resource_uri: uri('cupom', c.id),
  }
}
