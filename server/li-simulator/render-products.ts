// Product JSON shapes (reference §7): list items, detail, price, stock, webhook body.

import type { SimProduct } from './entities.ts'
import { money, num, uri, weight, type Json, type JsonObject } from './render-common.ts'
import { formatNaive, formatUtcZ } from './time.ts'

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
