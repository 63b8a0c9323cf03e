// The store's Google Shopping feed, as a merchant's platform would publish it: RSS 2.0 with the
// g: namespace (reference: google-shopping-feed.md), built from the simulated catalogue, plus a
// placeholder image per product so the demo works offline.

import { escapeXml as esc, formatPrice as price } from '../rewards/feed/generate.ts'
import { GOOGLE_NS } from '../rewards/feed/elements.ts'
import type { SimProduct, SimStore } from './store.ts'

/** Products a shopper can buy: simple ones and variations (parents are not sellable). */
export function sellableProducts(store: SimStore): SimProduct[] {
  return store.products.filter((p) => p.tipo !== 'atributo' && p.ativo && !p.removido)
}

/**
 * `site` is the storefront base for product links; `assets` the simulator's own base for images.
 * Items carry `g:id` = SKU (what a merchant puts in the reward allowlist).
 */
export function renderGoogleShoppingFeed(store: SimStore, site: string, assets: string, limit = Infinity): string {
  const items = sellableProducts(store)
    .slice(0, limit)
    .map((p) => {
      const inStock = !p.estoqueGerenciado || p.estoque - p.reservado > 0
      const sale =
        p.promoCents !== null && p.promoCents < p.cheioCents
          ? `\n  <g:sale_price>${price(p.promoCents)}</g:sale_price>`
          : ''
      return `<item>
  <g:id>${esc(p.sku)}</g:id>
  <title>${esc(p.nome)}</title>
  <description>${esc(`${p.nome} — ${store.name}`)}</description>
  <link>${esc(`${site}/produto/${p.apelido}`)}</link>
  <g:image_link>${esc(`${assets}/stores/${store.id}/products/${p.id}.svg`)}</g:image_link>
  <g:price>${price(p.cheioCents)}</g:price>${sale}
  <g:availability>${inStock ? 'in_stock' : 'out_of_stock'}</g:availability>
  <g:condition>new</g:condition>
  <g:brand>${esc(store.name)}</g:brand>
</item>`
    })
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:g="${GOOGLE_NS}">
<channel>
<title>${esc(store.name)}</title>
<link>${esc(site)}</link>
<description>${esc(`Produtos de ${store.name}`)}</description>
${items.join('\n')}
</channel>
</rss>
`
}

/** A flat-colour SVG with the product's initials: an image that needs no network. */
export function productImageSvg(p: SimProduct): string {
  const hue = (p.id * 47) % 360
  const initials = p.nome
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => w[0] ?? '')
    .join('')
    .toUpperCase()
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240"><rect ` +
    `width="240" height="240" fill="hsl(${hue},45%,45%)"/><text x="120" y="140" font-family="sans-serif" ` +
    `font-size="72" fill="#fff" text-anchor="middle">${esc(initials)}</text></svg>`
  )
}
