import type { SaxesTagNS } from 'saxes'
import type { Reporter } from './import-report.ts'
import { feedMessages as m } from './messages.ts'

// Which elements a feed is made of: its root, and the fields of an item we read, by namespace.

export const GOOGLE_NS = 'http://base.google.com/ns/1.0'
export const ATOM_NS = 'http://www.w3.org/2005/Atom'
const ATOM_03_NS = 'http://purl.org/atom/ns#'

export interface Field {
  value: string
  line: number
  tooLong: boolean
}

export type FieldKey =
  | 'g:id'
  | 'g:title'
  | 'g:link'
  | 'g:image_link'
  | 'g:price'
  | 'g:sale_price'
  | 'g:sale_price_effective_date'
  | 'g:availability'
  | 'g:item_group_id'
  | 'title'
  | 'link'
  | 'atom:id'
  | 'atom:title'

const GOOGLE_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'title',
  'link',
  'image_link',
  'price',
  'sale_price',
  'sale_price_effective_date',
  'availability',
  'item_group_id',
])

export interface ItemState {
  line: number
  depth: number
  fields: Partial<Record<FieldKey, Field>>
  atomLink: string | null
  sawGoogle: boolean
  /** URI the `g` prefix resolved to when it was not Google's, for the namespace message. */
  wrongGoogleUri: string | null
}

export interface Capture {
  key: FieldKey
  depth: number
  text: string
  line: number
  tooLong: boolean
}

/** Sets the report's format from the root element, or the fatal error a wrong root means. */
export function openRoot(tag: SaxesTagNS, reporter: Reporter, line: number): void {
  const report = reporter.report
  if (tag.local === 'rss' && tag.uri === '') report.format = 'rss'
  else if (tag.local === 'feed' && tag.uri === ATOM_NS) report.format = 'atom'
  else if (tag.local === 'feed' && tag.uri === ATOM_03_NS) reporter.setFatal('not_a_feed', m.atom03, line)
  else if (tag.local.toLowerCase() === 'html') reporter.setFatal('not_xml', m.htmlPage, line)
  else reporter.setFatal('not_a_feed', m.notAFeed(tag.name), line)
}

/**
 * The field a child element of an item holds, or null when we do not read it. Also notes on the
 * item what the namespace check and Atom's link need: Google elements seen, a `g` prefix bound
 * to another URI, the alternate link's href.
 */
export function fieldKeyOf(current: ItemState, tag: SaxesTagNS, format: 'rss' | 'atom' | null): FieldKey | null {
  let key: FieldKey | null = null
  if (tag.uri === GOOGLE_NS) {
    current.sawGoogle = true
    if (GOOGLE_FIELDS.has(tag.local)) key = `g:${tag.local}` as FieldKey
  } else if (tag.prefix === 'g') {
    current.wrongGoogleUri ??= tag.uri
  } else if (format === 'rss' && tag.uri === '') {
    if (tag.local === 'title' || tag.local === 'link') key = tag.local
  } else if (format === 'atom' && tag.uri === ATOM_NS) {
    if (tag.local === 'id') key = 'atom:id'
    else if (tag.local === 'title') key = 'atom:title'
    else if (tag.local === 'link' && current.atomLink === null) {
      // Atom links carry the URL in href; the product page is the alternate (the default rel).
      const rel = tag.attributes['rel']?.value ?? 'alternate'
      const href = tag.attributes['href']?.value
      if (rel === 'alternate' && href !== undefined) current.atomLink = href
    }
  }
  return key
}

/**
 * Checked on the first item: without Google's namespace no item can have an id or price, and
 * reporting that once beats 200 000 "missing g:id" errors. False (and fatal) when it is missing.
 */
export function checkGoogleNamespace(first: ItemState, reporter: Reporter): boolean {
  if (first.sawGoogle) return true
  if (first.wrongGoogleUri !== null) reporter.setFatal('namespace', m.namespaceWrong(first.wrongGoogleUri), first.line)
  else reporter.setFatal('namespace', m.namespaceMissing, first.line)
  return false
}
