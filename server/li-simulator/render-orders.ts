// Order JSON shapes: list summaries, detail, webhook body (reference §3, §8) and status history.

import { getStatus, PAYMENT_METHODS, SHIPPING_METHODS } from './catalog.ts'
import {
  ENVIO_ID_OFFSET,
  PAYMENT_ID_OFFSET,
  type HistoryEntry,
  type SimCustomer,
  type SimOrder,
  type SimProduct,
} from './entities.ts'
import { couponJson, money, num, statusJson, uri, weight, type JsonObject } from './render-common.ts'
import { customerInline } from './render-customers.ts'
import type { SimStore } from './store.ts'
import { formatNaive, formatUtcZ, formatWithOffset, US_PER_DAY, type Micros } from './time.ts'

const expirationUs = (o: SimOrder): Micros => o.createdUs + 6 * US_PER_DAY + 81_449

function orderWeightGrams(store: SimStore, o: SimOrder): number {
  let grams = 0
  for (let i = 0; i < o.items.length; i += 4) {
    const p = store.productsById.get(o.items[i] ?? 0)
    grams += (p?.pesoGrams ?? 0) * (o.items[i + 1] ?? 0)
  }
  return grams
}

/** List/search item: no itens/pagamentos/envios/address; `cliente` is a URI (reference §3.1). */
export function orderSummary(store: SimStore, o: SimOrder): JsonObject {
  return {
    numero: o.numero,
    id: o.id,
    cliente: uri('cliente', o.customerId),
    data_criacao: formatNaive(o.createdUs),
    data_modificacao: formatNaive(o.modifiedUs),
    data_expiracao: formatNaive(expirationUs(o)),
    situacao: statusJson(getStatus(o.statusId)),
    valor_subtotal: money(o.subtotalCents),
    valor_envio: money(o.shippingCents),
    valor_desconto: money(o.discountCents),
    valor_total: money(o.totalCents),
    peso_real: weight(orderWeightGrams(store, o)),
    id_externo: o.idExterno,
    id_anymarket: null,
    utm_campaign: o.utmCampaign,
    resource_uri: uri('pedido', o.numero),
  }
}
/** The shipping address is the customer's main address (not snapshotted: saves memory). */
function shippingAddress(store: SimStore, c: SimCustomer | undefined): JsonObject | null {
  if (!c) return null
  const p = store.profile(c)
  const a = p.endereco
  return {
    id: a.id,
    tipo: p.tipo,
    nome: c.nome,
    razao_social: p.razao_social,
    cpf: p.cpf,
    cnpj: p.cnpj,
    ie: p.ie,
    rg: p.rg,
    endereco: a.endereco,
    numero: a.numero,
    complemento: a.complemento,
    referencia: a.referencia,
    bairro: a.bairro,
    cidade: a.cidade,
    estado: a.estado,
    cep: a.cep,
    pais: a.pais,
  }
}

const shippingDays = (o: SimOrder): number => {
  const m = SHIPPING_METHODS[o.shippingIdx]
  if (!m || m.free) return 0
  return (m.code === 'SEDEX' ? 2 : 6) + (o.id % 4)
}

interface ItemView {
  id: number
  linha: number
  product: SimProduct | undefined
  qty: number
  cheio: number
  venda: number
}

function itemViews(store: SimStore, o: SimOrder): ItemView[] {
  const out: ItemView[] = []
  for (let i = 0, linha = 1; i < o.items.length; i += 4, linha++) {
    out.push({
      id: o.itemIdBase + linha - 1,
      linha,
      product: store.productsById.get(o.items[i] ?? 0),
      qty: o.items[i + 1] ?? 0,
      cheio: o.items[i + 2] ?? 0,
      venda: o.items[i + 3] ?? 0,
    })
  }
  return out
}

function paymentFields(o: SimOrder) {
  const m = PAYMENT_METHODS[o.paymentIdx] ?? PAYMENT_METHODS[0]!
  const paid = getStatus(o.statusId).aprovado
  const parcelas = Math.max(1, o.installments)
  return { m, paid, parcelas, parcela: Math.round(o.totalCents / parcelas) }
}

export function orderDetail(store: SimStore, o: SimOrder): JsonObject {
  const customer = store.getCustomer(o.customerId)
  const coupon = o.couponId === null ? undefined : store.couponsById.get(o.couponId)
  const ship = SHIPPING_METHODS[o.shippingIdx] ?? SHIPPING_METHODS[0]!
  const { m, paid, parcelas, parcela } = paymentFields(o)
  return {
    numero: o.numero,
    id: o.id,
    id_externo: o.idExterno,
    id_anymarket: null,
    cliente: customer ? customerInline(store, customer) : uri('cliente', o.customerId),
    cliente_obs: null,
    cupom_desconto: coupon ? couponJson(coupon) : null,
    data_criacao: formatNaive(o.createdUs),
    data_modificacao: formatNaive(o.modifiedUs),
    data_expiracao: formatNaive(expirationUs(o)),
    endereco_entrega: shippingAddress(store, customer),
    envios: [
      {
        id: o.id + ENVIO_ID_OFFSET,
        objeto: o.tracking,
        prazo: shippingDays(o),
        valor: money(o.shippingCents),
        forma_envio: { id: ship.id, nome: ship.nome, code: ship.code, tipo: ship.tipo },
        data_criacao: formatNaive(o.createdUs + 11_449),
        data_modificacao: formatNaive(o.createdUs + 11_458),
      },
    ],
    itens: itemViews(store, o).map((it) => {
      const p = it.product
      return {
        id: it.id,
        linha: it.linha,
        sku: p?.sku ?? '',
        nome: p?.nome ?? '',
        tipo: p?.tipo ?? 'normal',
        quantidade: money(it.qty * 100),
        preco_cheio: money(it.cheio),
        preco_custo: p?.custoCents == null ? null : money(p.custoCents),
        preco_promocional: money(it.venda),
        preco_venda: money(it.venda),
        preco_subtotal: money(it.venda * it.qty),
        peso: weight(p?.pesoGrams ?? 0),
        altura: p?.altura ?? null,
        largura: p?.largura ?? null,
        profundidade: p?.profundidade ?? null,
        disponibilidade: 0,
        pedido: uri('pedido', o.numero),
        produto: { id_externo: p?.idExterno ?? null, resource_uri: uri('produto', p?.id ?? 0) },
        produto_pai: p?.parentId == null ? null : uri('produto', p.parentId),
      }
    }),
    pagamentos: [
      {
        id: o.id + PAYMENT_ID_OFFSET,
        forma_pagamento: {
          id: m.id,
          codigo: m.codigo,
          nome: m.nome,
          imagem: `https://cdn.exemplo.invalid/pagamentos/${m.codigo}.png`,
          configuracoes: { ativo: true, disponivel: true },
          resource_uri: uri('pagamento', m.id),
        },
        pagamento_tipo: m.tipo,
        valor: money(o.totalCents),
        valor_pago: paid ? money(o.totalCents) : '0.00',
        parcelamento: { numero_parcelas: parcelas, valor_parcela: num(parcela) },
        bandeira: m.bandeiras[o.id % m.bandeiras.length] ?? null,
        transacao_id: `TX-${o.id}`,
        identificador_id: null,
        authorization_code: null,
        codigo_retorno_gateway: null,
        mensagem_gateway: null,
        banco: null,
      },
    ],
    situacao: statusJson(getStatus(o.statusId)),
    valor_subtotal: money(o.subtotalCents),
    valor_envio: money(o.shippingCents),
    valor_desconto: money(o.discountCents),
    valor_total: money(o.totalCents),
    peso_real: weight(orderWeightGrams(store, o)),
    utm_campaign: o.utmCampaign,
    resource_uri: uri('pedido', o.numero),
  }
}

/**
 * Webhook body (reference §8): full order with numbers instead of strings, `tipo:
 * "pedido_venda"`, `situacao.situacao_alterada`, top-level dates with Z, nested -03:00.
 */
export function orderWebhookPayload(store: SimStore, o: SimOrder, statusChanged: boolean): JsonObject {
  const customer = store.getCustomer(o.customerId)
  const profile = customer ? store.profile(customer) : undefined
  const coupon = o.couponId === null ? undefined : store.couponsById.get(o.couponId)
  const ship = SHIPPING_METHODS[o.shippingIdx] ?? SHIPPING_METHODS[0]!
  const { m, paid, parcelas, parcela } = paymentFields(o)
  const address = shippingAddress(store, customer)
  return {
    id: o.id,
    numero: o.numero,
    tipo: 'pedido_venda',
    id_externo: o.idExterno,
    data_criacao: formatUtcZ(o.createdUs),
    data_modificacao: formatUtcZ(o.modifiedUs),
    data_expiracao: formatUtcZ(expirationUs(o)),
    cliente: customer
      ? {
          id: customer.id,
          nome: customer.nome,
          email: customer.email,
          tipo: profile?.tipo ?? 'PF',
          cpf: profile?.cpf ?? null,
          cnpj: profile?.cnpj ?? null,
          razao_social: profile?.razao_social ?? null,
          sexo: profile?.sexo ?? '',
          data_nascimento: profile?.data_nascimento ?? null,
          telefone_celular: profile?.telefone_celular ?? null,
          telefone_principal: profile?.telefone_principal ?? null,
          situacao: 'aprovado',
          data_criacao: formatWithOffset(customer.createdUs),
        }
      : null,
    cliente_obs: null,
    situacao: { ...statusJson(getStatus(o.statusId)), situacao_alterada: statusChanged },
    valor_subtotal: num(o.subtotalCents),
    valor_envio: num(o.shippingCents),
    valor_desconto: num(o.discountCents),
    valor_total: num(o.totalCents),
    peso_real: orderWeightGrams(store, o) / 1000,
    cupom_desconto: coupon
      ? {
          id: coupon.id,
          codigo: coupon.codigo,
          tipo: coupon.tipo,
          valor: num(coupon.valorHundredths),
          aplicar_no_total: coupon.aplicarNoTotal,
          cumulativo: coupon.cumulativo,
        }
      : null,
    endereco_entrega: address,
    endereco_pagamento: address,
    envios: [
      {
        id: o.id + ENVIO_ID_OFFSET,
        objeto: o.tracking,
        prazo: shippingDays(o),
        valor: num(o.shippingCents),
        forma_envio: { id: ship.id, nome: ship.nome, codigo: ship.code, tipo: ship.tipo },
        data_criacao: formatWithOffset(o.createdUs + 11_449),
        data_modificacao: formatWithOffset(o.createdUs + 11_458),
      },
    ],
    itens: itemViews(store, o).map((it) => ({
      id: it.id,
      linha: it.linha,
      sku: it.product?.sku ?? '',
      nome: it.product?.nome ?? '',
      tipo: it.product?.tipo ?? 'normal',
      quantidade: it.qty,
      preco_cheio: num(it.cheio),
      preco_custo: it.product?.custoCents == null ? null : num(it.product.custoCents),
      preco_promocional: num(it.venda),
      preco_venda: num(it.venda),
      preco_subtotal: num(it.venda * it.qty),
      peso: (it.product?.pesoGrams ?? 0) / 1000,
      produto_id: it.product?.id ?? null,
      produto_id_pai: it.product?.parentId ?? null,
    })),
    pagamentos: [
      {
        id: o.id + PAYMENT_ID_OFFSET,
        forma_pagamento: { id: m.id, codigo: m.codigo, nome: m.nome },
        pagamento_tipo: m.tipo,
        valor: num(o.totalCents),
        valor_pago: paid ? num(o.totalCents) : 0,
        parcelamento: { numero_parcelas: parcelas, valor_parcela: num(parcela) },
        transacao_id: `TX-${o.id}`,
      },
    ],
    marketplace_info: { integrador: null, marketplace: null, id_externo_unico: null },
    utm_campaign: o.utmCampaign,
  }
}

export function historyJson(o: SimOrder, h: HistoryEntry): JsonObject {
  return {
    id: h.id,
    numero: o.numero,
    data: formatNaive(h.dataUs),
    situacao: statusJson(getStatus(h.statusId)),
    situacao_anterior: h.previousId === null ? null : statusJson(getStatus(h.previousId)),
    alterado_por: h.by,
    alterado_por_nome: h.byName,
    obs: h.obs,
    pedido: uri('pedido', o.numero),
    resource_uri: uri('situacao_historico', h.id),
  }
}
