// The JSON shapes LI returns, built from compact entities at response time.
// REST: money/quantities as decimal strings, naive São Paulo dates with microseconds,
// relations as "/api/v1/..." URIs. Webhooks: numbers, top-level dates with Z, nested -03:00.

import { CUSTOMER_GROUP, getStatus, PAYMENT_METHODS, SHIPPING_METHODS, type SimStatus } from './catalog.ts'
import {
  ENVIO_ID_OFFSET,
  PAYMENT_ID_OFFSET,
  type HistoryEntry,
  type SimCoupon,
  type SimCustomer,
  type SimOrder,
  type SimProduct,
  type SimStore,
} from './store.ts'
import { formatNaive, formatUtcZ, formatWithOffset, US_PER_DAY, type Micros } from './time.ts'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

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
const num = (hundredths: number): number => Math.round(hundredths) / 100

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

export function customerInline(store: SimStore, c: SimCustomer): JsonObject {
  const p = store.profile(c)
  return {
    id: c.id,
    nome: c.nome,
    email: c.email,
    cpf: p.cpf,
    cnpj: p.cnpj,
    razao_social: p.razao_social,
    data_nascimento: p.data_nascimento,
    sexo: p.sexo,
    telefone_celular: p.telefone_celular,
    telefone_principal: p.telefone_principal,
    resource_uri: uri('cliente', c.id),
  }
}

export function customerLight(store: SimStore, c: SimCustomer): JsonObject {
  return {
    id: c.id,
    nome: c.nome,
    email: c.email,
    tipo: store.profile(c).tipo,
    data_criacao: formatNaive(c.createdUs),
    data_modificacao: formatNaive(c.modifiedUs),
    resource_uri: uri('cliente', c.id),
  }
}

export function customerDetail(store: SimStore, c: SimCustomer): JsonObject {
  const p = store.profile(c)
  const a = p.endereco
  return {
    id: c.id,
    nome: c.nome,
    email: c.email,
    tipo: p.tipo,
    cpf: p.cpf,
    cnpj: p.cnpj,
    razao_social: p.razao_social,
    ie: p.ie,
    rg: p.rg,
    sexo: p.sexo,
    data_nascimento: p.data_nascimento,
    telefone_celular: p.telefone_celular,
    telefone_principal: p.telefone_principal,
    telefone_comercial: p.telefone_comercial,
    aceita_newsletter: p.aceita_newsletter,
    grupo: { ...CUSTOMER_GROUP, resource_uri: uri('grupo', CUSTOMER_GROUP.id) },
    enderecos: [
      {
        id: a.id,
        nome: a.nome,
        endereco: a.endereco,
        numero: a.numero,
        complemento: a.complemento,
        referencia: a.referencia,
        bairro: a.bairro,
        cidade: a.cidade,
        estado: a.estado,
        cep: a.cep,
        pais: a.pais,
        principal: true,
        cliente: uri('cliente', c.id),
        resource_uri: uri('endereco', a.id),
      },
    ],
    data_criacao: formatNaive(c.createdUs),
    data_modificacao: formatNaive(c.modifiedUs),
    resource_uri: uri('cliente', c.id),
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
      ? { id: coupon.id, codigo: coupon.codigo, tipo: coupon.tipo, valor: num(coupon.valorHundredths), aplicar_no_total: coupon.aplicarNoTotal, cumulativo: coupon.cumulativo }
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

function productBase(p: SimProduct): JsonObject {
  const imageId = 660_000 + (p.id % 100_000)
  const cdn = `https://cdn.exemplo.invalid`
  return {
    id: p.id,
    sku: p.sku,
    nome: p.nome,
    tipo: p.tipo,
    pai: p.parentId === null ? null : uri('produto', p.parentId),
    filhos: p.childIds.map((id) => uri('produto', id)),
    ativo: p.ativo,
    removido: p.removido,
    bloqueado: false,
    destaque: p.destaque,
    usado: false,
    apelido: p.apelido,
    url: `https://loja.exemplo.invalid/${p.apelido}`,
    gtin: p.gtin,
    mpn: '',
    ncm: p.ncm,
    peso: weight(p.pesoGrams),
    altura: p.altura,
    largura: p.largura,
    profundidade: p.profundidade,
    marca: null,
    categorias: ['/api/v1/categoria/4401'],
    seo: uri('seo', 5500 + (p.id % 1000)),
    imagem_principal: {
      id: imageId,
      principal: true,
      posicao: '0',
      mime: 'image/jpeg',
      grande: `${cdn}/800x800/${p.apelido}.jpg`,
      media: `${cdn}/380x380/${p.apelido}.jpg`,
      pequena: `${cdn}/210x210/${p.apelido}.jpg`,
      icone: `${cdn}/64x64/${p.apelido}.jpg`,
      produto: uri('produto', p.id),
      resource_uri: uri('produto_imagem', imageId),
    },
    imagens: [],
    variacoes: p.tipo === 'atributo_opcao' ? [`/api/v1/grade/12/variacao/${p.id % 1000}`] : [],
    tags: [],
    data_criacao: formatNaive(p.createdUs),
    data_modificacao: formatNaive(p.modifiedUs),
    id_externo: p.idExterno,
    resource_uri: uri('produto', p.id),
  }
}

/** List items carry no price or stock (reference §7). */
export const productListItem = productBase

export function productDetail(p: SimProduct): JsonObject {
  return {
    ...productBase(p),
    preco_cheio: money(p.cheioCents),
    preco_promocional: p.promoCents === null ? null : money(p.promoCents),
    preco_custo: p.custoCents === null ? null : money(p.custoCents),
    preco_sob_consulta: p.sobConsulta,
    estoque_gerenciado: p.estoqueGerenciado,
    estoque_quantidade: p.estoque,
    estoque_situacao_em_estoque: p.situacaoEmEstoque,
    estoque_situacao_sem_estoque: p.situacaoSemEstoque,
  }
}

export function productPrice(p: SimProduct): JsonObject {
  return {
    cheio: money(p.cheioCents),
    promocional: p.promoCents === null ? null : money(p.promoCents),
    custo: p.custoCents === null ? null : money(p.custoCents),
    sob_consulta: p.sobConsulta,
    produto: uri('produto', p.id),
    resource_uri: uri('produto_preco', p.id),
  }
}

export function productStock(p: SimProduct): JsonObject {
  return {
    gerenciado: p.estoqueGerenciado,
    quantidade: p.estoque,
    quantidade_disponivel: p.estoque - p.reservado,
    quantidade_reservada: p.reservado,
    situacao_em_estoque: p.situacaoEmEstoque,
    situacao_sem_estoque: p.situacaoSemEstoque,
    produto: uri('produto', p.id),
    resource_uri: uri('produto_estoque', p.id),
  }
}

/** Product webhook body: a JSON array of product objects (numbers for money). */
export function productWebhookPayload(products: SimProduct[]): Json[] {
  return products.map((p) => ({
    ...productBase(p),
    data_criacao: formatUtcZ(p.createdUs),
    data_modificacao: formatUtcZ(p.modifiedUs),
    preco_cheio: num(p.cheioCents),
    preco_promocional: p.promoCents === null ? null : num(p.promoCents),
    estoque_quantidade: p.estoque,
  }))
}
