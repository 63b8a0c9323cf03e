// The seeded catalogue of a store: its products (simple ones, and parents with a variation per
// size) and three coupons, for seedStore (seed.ts). Every random choice comes from the caller's
// rng, so the same seed gives the same catalogue.

import { asciiSlug } from './profiles.ts'
import { intBetween, type Rng } from './prng.ts'
import type { SimCoupon, SimProduct, SimStore } from './store.ts'
import { US_PER_DAY, type Micros } from './time.ts'

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

/** Prices end in ,90 like real catalogues. */
const price = (rng: Rng, min: number, max: number): number => intBetween(rng, min, max) * 100 + 90

export function seedProducts(store: SimStore, rng: Rng, simple: number, parents: number, nowUs: Micros): SimProduct[] {
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

export function seedCoupons(store: SimStore, nowUs: Micros): SimCoupon[] {
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
