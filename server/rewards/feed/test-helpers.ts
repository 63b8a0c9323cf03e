import { parseFeed } from './parse.ts'
import type { FeedItem, FeedSource, ParseFeedOptions, ParseResult } from './types.ts'

/** Test-only helpers: wrap items in a feed document and collect what parseFeed emits. */

export const G = 'http://base.google.com/ns/1.0'

export function rss(items: string, namespaces = `xmlns:g="${G}"`): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<rss version="2.0" ${namespaces}>\n` +
    '<channel>\n<title>Loja</title>\n<link>https://loja.exemplo.invalid</link>\n<description>d</description>\n' +
    items +
    '</channel>\n</rss>\n'
  )
}

export function atom(entries: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="${G}">\n` +
    '<title>Loja</title>\n<id>tag:loja,2025:/feed</id>\n<updated>2025-03-14T12:00:00Z</updated>\n' +
    entries +
    '</feed>\n'
  )
}

/** A minimal valid RSS item; `extra` lines are added, `omit` removes fields by local name. */
export function item(id: string, extra = '', omit: string[] = []): string {
  const fields: Record<string, string> = {
    id: `<g:id>${id}</g:id>`,
    title: `<g:title>Produto ${id}</g:title>`,
    link: `<g:link>https://loja.exemplo.invalid/${id}</g:link>`,
    image_link: `<g:image_link>https://cdn.exemplo.invalid/${id}.jpg</g:image_link>`,
    availability: '<g:availability>in_stock</g:availability>',
    price: '<g:price>10.00 BRL</g:price>',
  }
  const lines = Object.entries(fields)
    .filter(([name]) => !omit.includes(name))
    .map(([, line]) => line)
  return `<item>\n${lines.join('\n')}\n${extra}${extra ? '\n' : ''}</item>\n`
}

export async function collect(
  source: FeedSource,
  options: Omit<ParseFeedOptions, 'onItem'> = {},
): Promise<{ result: ParseResult; items: FeedItem[] }> {
  const items: FeedItem[] = []
  const result = await parseFeed(source, { ...options, onItem: (i) => void items.push(i) })
  return { result, items }
}

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

/** Splits text into byte chunks of the given size (1 = byte by byte, splitting characters). */
export function* chunked(text: string, size: number): Generator<Uint8Array> {
  const all = bytes(text)
  for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size)
}

/** The classic entity bomb: nine levels of ten, 10⁹ "lol"s if a parser ever expanded it. */
export const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0" xmlns:g="${G}"><channel>
${item('LOL', '<g:description>&lol9;</g:description>')}
</channel></rss>
`
