import type { Field, ItemState } from './elements.ts'
import type { Reporter } from './import-report.ts'
import { MAX_FIELD_CHARS, MAX_ID_CHARS } from './limits.ts'
import { feedMessages as m } from './messages.ts'
import { parsePrice } from './price.ts'
import type { Availability, FeedItem } from './types.ts'
import { isHttpUrl, normalizeAvailability, parseSaleWindow, preferFilled, saleWindowCovers } from './values.ts'

type Fields = ItemState['fields']
type Format = 'rss' | 'atom' | null
/** `[line, message]`: one error of an item, reported in document order with the others. */
type Problem = [number, string]

/**
 * Turns a closed item into a FeedItem, or says why not in the report: errors skip the item,
 * warnings only drop a field; out-of-stock and filtered-out items are counted. Remembers the ids
 * accepted so far to report duplicates.
 */
export class ItemEvaluator {
  private readonly reporter: Reporter
  private readonly allowlist: ReadonlySet<string> | null
  /** When sale windows are evaluated (epoch ms). */
  private readonly now: number
  // Ids of accepted items → line, to report duplicates. Bounded by maxItems (≈ 20 MB at 200 000
  // ids of 50 chars), not by the feed size.
  private readonly acceptedIds = new Map<string, number>()

  constructor(reporter: Reporter, allowlist: ReadonlySet<string> | null, now: number) {
    this.reporter = reporter
    this.allowlist = allowlist
    this.now = now
  }

  evaluate(current: ItemState): FeedItem | null {
    const report = this.reporter.report
    const f = current.fields
    const line = current.line
    const idField = preferFilled(f['g:id'], report.format === 'atom' ? f['atom:id'] : undefined)
    const id = idField?.value.trim() ?? ''
    const reportId = id === '' ? undefined : id.slice(0, MAX_ID_CHARS)

    if (idField?.tooLong || id.length > MAX_ID_CHARS)
      return this.invalid(reportId, [[idField?.line ?? line, m.idTooLong(MAX_ID_CHARS)]])
    if (!idField || id === '') return this.invalid(reportId, [[line, m.missingField('g:id')]])

    const groupField = f['g:item_group_id']
    const itemGroupId = groupField && !groupField.tooLong ? groupField.value.trim() || null : null
    if (this.allowlist && !this.allowlist.has(id) && !(itemGroupId !== null && this.allowlist.has(itemGroupId))) {
      report.skippedNotAllowed++
      return null
    }

    const problems: Problem[] = []
    const availability = readAvailability(f, line, problems)
    if (availability === 'out_of_stock') {
      // Skipped before the other checks: an item we will not offer needs no error report.
      report.skippedOutOfStock++
      return null
    }
    const title = readTitle(f, report.format, line, problems)
    const priceCents = readPrice(f, line, problems)
    let salePriceCents = readSalePrice(f, problems)
    if (problems.length > 0 || availability === null) return this.invalid(reportId, problems)

    if (salePriceCents !== null && salePriceCents >= priceCents) {
      this.reporter.addWarning(f['g:sale_price']?.line ?? line, id, m.salePriceNotLower)
      salePriceCents = null
    }
    const salePriceEffective = this.saleWindow(id, f['g:sale_price_effective_date'])
    if (salePriceEffective !== null && salePriceCents !== null && !saleWindowCovers(salePriceEffective, this.now))
      salePriceCents = null

    const imageUrl = this.url(id, line, 'g:image_link', f['g:image_link'])
    const link = f['g:link']
      ? this.url(id, line, 'g:link', f['g:link'])
      : report.format === 'rss'
        ? this.url(id, line, 'link', f['link'])
        : this.url(id, line, 'link', undefined, current.atomLink)

    const firstLine = this.acceptedIds.get(id)
    if (firstLine !== undefined) return this.invalid(reportId, [[line, m.duplicateId(id, firstLine)]])
    this.acceptedIds.set(id, line)

    report.itemsAccepted++
    return {
      id,
      title,
      priceCents,
      salePriceCents,
      salePriceEffective,
      imageUrl,
      link,
      availability,
      itemGroupId,
      line,
    }
  }

  private invalid(reportId: string | undefined, problems: Problem[]): null {
    this.reporter.report.skippedInvalid++
    problems.sort((a, b) => a[0] - b[0]) // document order
    for (const [errorLine, message] of problems) this.reporter.addError(errorLine, reportId, message)
    return null
  }

  /** `g:sale_price_effective_date` when given; a malformed one is a warning (the sale price then always applies). */
  private saleWindow(id: string, field: Field | undefined): FeedItem['salePriceEffective'] {
    if (!field || field.value.trim() === '') return null
    const window = parseSaleWindow(field.value)
    if (window === null) this.reporter.addWarning(field.line, id, m.salePriceDateMalformed(field.value))
    return window
  }

  /** An http(s) URL, or null: absent, or ignored with a warning. */
  private url(
    id: string,
    line: number,
    key: 'g:image_link' | 'g:link' | 'link',
    field: Field | undefined,
    fallback?: string | null,
  ): string | null {
    const raw = field ? field.value.trim() : (fallback ?? '').trim()
    if (raw === '') return null
    if (field?.tooLong || !isHttpUrl(raw)) {
      this.reporter.addWarning(field?.line ?? line, id, m.urlIgnored(key, raw))
      return null
    }
    return raw
  }
}

function readAvailability(f: Fields, line: number, problems: Problem[]): Availability | 'out_of_stock' | null {
  const field = f['g:availability']
  if (!field) {
    problems.push([line, m.missingField('g:availability')])
    return null
  }
  const value = normalizeAvailability(field.value)
  if (value === null) problems.push([field.line, m.availabilityUnknown(field.value)])
  return value
}

function readTitle(f: Fields, format: Format, line: number, problems: Problem[]): string {
  const field = preferFilled(f['g:title'], format === 'rss' ? f['title'] : f['atom:title'])
  const title = field ? field.value.replace(/\s+/g, ' ').trim() : ''
  if (!field || (title === '' && !field.tooLong)) problems.push([line, m.missingField('g:title')])
  else if (field.tooLong) problems.push([field.line, m.fieldTooLong('g:title', MAX_FIELD_CHARS)])
  return title
}

function readPrice(f: Fields, line: number, problems: Problem[]): number {
  const field = f['g:price']
  if (!field || (field.value.trim() === '' && !field.tooLong)) problems.push([line, m.missingField('g:price')])
  else if (field.tooLong) problems.push([field.line, m.fieldTooLong('g:price', MAX_FIELD_CHARS)])
  else {
    const price = parsePrice(field.value, 'g:price')
    if (price.ok) return price.cents
    problems.push([field.line, price.message])
  }
  return 0
}

function readSalePrice(f: Fields, problems: Problem[]): number | null {
  const field = f['g:sale_price']
  if (field?.tooLong) problems.push([field.line, m.fieldTooLong('g:sale_price', MAX_FIELD_CHARS)])
  else if (field && field.value.trim() !== '') {
    const sale = parsePrice(field.value, 'g:sale_price')
    if (sale.ok) return sale.cents
    problems.push([field.line, sale.message])
  }
  return null
}
