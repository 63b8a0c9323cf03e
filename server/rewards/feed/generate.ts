import { ATOM_NS, GOOGLE_NS } from './elements.ts'

/**
 * Deterministic Google Shopping feed of N items, produced as a stream of UTF-8 chunks so a
 * feed of any size costs no memory: for tests and the `feed` benchmark. Same options, same
 * bytes.
 */
export interface GenerateFeedOptions {
  items: number
  format?: 'rss' | 'atom'
  seed?: number
  /** Length of each g:description; raise it to make big feeds with fewer items. Default 200. */
  descriptionChars?: number
  /** Every Nth item is out of stock (0: none). Default 10. */
  outOfStockEvery?: number
  /** Every Nth item has a sale price. Default 4. */
  saleEvery?: number
  /** Approximate size of each yielded chunk. Default 64 KiB. */
  chunkBytes?: number
}

/** Id of the item at `index` (0-based), for allowlists in tests. */
export function generatedItemId(index: number): string {
  return `SKU-${String(index).padStart(7, '0')}`
}

/** Group id of the item at `index`: three variants per product. */
export function generatedGroupId(index: number): string {
  return `PROD-${String(Math.floor(index / 3)).padStart(6, '0')}`
}

/** How many items of a generated feed parseFeed should accept and skip as out of stock. */
export function generatedCounts(options: GenerateFeedOptions): { accepted: number; outOfStock: number } {
  const every = options.outOfStockEvery ?? 10
  const outOfStock = every > 0 ? Math.floor(options.items / every) : 0
  return { accepted: options.items - outOfStock, outOfStock }
}

const WORDS = [
  'camiseta',
  'algodão',
  'azul',
  'caneca',
  'cerâmica',
  'confortável',
  'resistente',
  'presente',
  'tamanho',
  'único',
  'coleção',
  'verão',
  'inverno',
  'acabamento',
  'premium',
  'lavável',
  'leve',
  'ideal',
  'para',
  'o',
  'dia',
  'a',
  'dia',
  'com',
  'garantia',
  'nacional',
  'feito',
  'à',
  'mão',
]
const NOUNS = ['Camiseta', 'Caneca', 'Boné', 'Mochila', 'Tênis', 'Jaqueta', 'Garrafa', 'Agenda']
const COLORS = ['Azul', 'Preta', 'Branca', 'Vermelha', 'Verde', 'Cinza']

export async function* generateFeed(options: GenerateFeedOptions): AsyncGenerator<Uint8Array> {
  const format = options.format ?? 'rss'
  const chunkChars = options.chunkBytes ?? 64 * 1024
  let buffer: string[] = []
  let buffered = 0
  const push = (text: string) => {
    buffer.push(text)
    buffered += text.length
  }
  const flush = () => {
    const bytes = Buffer.from(buffer.join(''), 'utf8')
    buffer = []
    buffered = 0
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  push(format === 'rss' ? rssHeader() : atomHeader())
  const random = mulberry32(options.seed ?? 1)
  for (let index = 0; index < options.items; index++) {
    push(format === 'rss' ? rssItem(index, random, options) : atomEntry(index, random, options))
    if (buffered >= chunkChars) yield flush()
  }
  push(format === 'rss' ? '  </channel>\n</rss>\n' : '</feed>\n')
  yield flush()
}

interface Product {
  id: string
  groupId: string
  title: string
  description: string
  link: string
  image: string
  availability: string
  price: string
  salePrice: string | null
}

function product(index: number, random: () => number, options: GenerateFeedOptions): Product {
  const noun = NOUNS[index % NOUNS.length] as string
  const color = COLORS[Math.floor(random() * COLORS.length)] as string
  const size = ['P', 'M', 'G'][index % 3] as string
  const cents = 990 + Math.floor(random() * 49_000) // R$ 9,90 – R$ 499,89
  const outOfStockEvery = options.outOfStockEvery ?? 10
  const saleEvery = options.saleEvery ?? 4
  const outOfStock = outOfStockEvery > 0 && index % outOfStockEvery === outOfStockEvery - 1
  const onSale = saleEvery > 0 && index % saleEvery === 0
  const id = generatedItemId(index)
  const slug = `${noun}-${color}-${index}`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^\w-]/g, '')
  return {
    id,
    groupId: generatedGroupId(index),
    // "&" and "<" exercise escaping on every item.
    title: `${noun} ${color} & Cia <${size}> nº ${index}`,
    description: sentence(random, options.descriptionChars ?? 200),
    link: `https://loja.exemplo.invalid/${slug}?tam=${size.toLowerCase()}&ref=feed`,
    image: `https://cdn.exemplo.invalid/800x800/${slug}.jpg`,
    availability: outOfStock ? 'out_of_stock' : index % 7 === 3 ? 'in stock' : 'in_stock',
    price: formatPrice(cents),
    salePrice: onSale ? formatPrice(Math.floor(cents * 0.8)) : null,
  }
}

function rssHeader(): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<rss version="2.0" xmlns:g="${GOOGLE_NS}">\n` +
    '  <channel>\n' +
    '    <title>Loja Exemplo</title>\n' +
    '    <link>https://loja.exemplo.invalid</link>\n' +
    '    <description>Catálogo de produtos da Loja Exemplo</description>\n'
  )
}

function rssItem(index: number, random: () => number, options: GenerateFeedOptions): string {
  const p = product(index, random, options)
  return (
    '    <item>\n' +
    `      <g:id>${p.id}</g:id>\n` +
    `      <g:item_group_id>${p.groupId}</g:item_group_id>\n` +
    `      <g:title>${escapeXml(p.title)}</g:title>\n` +
    `      <g:description><![CDATA[${p.description}]]></g:description>\n` +
    `      <g:link>${escapeXml(p.link)}</g:link>\n` +
    `      <g:image_link>${escapeXml(p.image)}</g:image_link>\n` +
    `      <g:availability>${p.availability}</g:availability>\n` +
    `      <g:price>${p.price}</g:price>\n` +
    (p.salePrice ? `      <g:sale_price>${p.salePrice}</g:sale_price>\n` : '') +
    '      <g:condition>new</g:condition>\n' +
    '      <g:brand>Marca Exemplo</g:brand>\n' +
    '      <g:shipping><g:country>BR</g:country><g:service>Padrão</g:service><g:price>19.90 BRL</g:price>' +
    '</g:shipping>\n' +
    '    </item>\n'
  )
}

function atomHeader(): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<feed xmlns="${ATOM_NS}" xmlns:g="${GOOGLE_NS}">\n` +
    '  <title>Loja Exemplo</title>\n' +
    '  <link href="https://loja.exemplo.invalid" rel="alternate" type="text/html"/>\n' +
    '  <updated>2025-03-14T12:00:00Z</updated>\n' +
    '  <author><name>Loja Exemplo</name></author>\n' +
    '  <id>tag:loja.exemplo.invalid,2025-03-14:/feed/produtos</id>\n'
  )
}

function atomEntry(index: number, random: () => number, options: GenerateFeedOptions): string {
  const p = product(index, random, options)
  return (
    '  <entry>\n' +
    `    <title>${escapeXml(p.title)}</title>\n` +
    `    <id>${p.id}</id>\n` +
    `    <link href="${escapeXml(p.link)}"/>\n` +
    `    <summary>${escapeXml(p.description)}</summary>\n` +
    '    <updated>2025-03-14T11:58:00Z</updated>\n' +
    `    <g:id>${p.id}</g:id>\n` +
    `    <g:item_group_id>${p.groupId}</g:item_group_id>\n` +
    `    <g:image_link>${escapeXml(p.image)}</g:image_link>\n` +
    `    <g:price>${p.price}</g:price>\n` +
    (p.salePrice ? `    <g:sale_price>${p.salePrice}</g:sale_price>\n` : '') +
    `    <g:availability>${p.availability}</g:availability>\n` +
    '    <g:condition>new</g:condition>\n' +
    '  </entry>\n'
  )
}

function sentence(random: () => number, chars: number): string {
  const words: string[] = []
  let length = 0
  while (length < chars) {
    const word = WORDS[Math.floor(random() * WORDS.length)] as string
    words.push(word)
    length += word.length + 1
  }
  return words.join(' ').slice(0, chars)
}

/** `12.34 BRL`: the g:price form (also used by the LI simulator's feed). */
export function formatPrice(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')} BRL`
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`)
}

/** Small seeded PRNG: deterministic output without a dependency. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
