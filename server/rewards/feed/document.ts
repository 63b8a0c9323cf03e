import { SaxesParser } from 'saxes'
import type { SaxesTagNS } from 'saxes'
import { ATOM_NS, checkGoogleNamespace, fieldKeyOf, openRoot, type Capture, type ItemState } from './elements.ts'
import { reportXmlError } from './fatal.ts'
import type { Reporter } from './import-report.ts'
import type { ItemEvaluator } from './item.ts'
import { MAX_DEPTH, MAX_FIELD_CHARS } from './limits.ts'
import { feedMessages as m } from './messages.ts'
import type { FeedItem } from './types.ts'

/**
 * The XML side of a parse: saxes and the handlers of its events. They track where the parse is
 * (depth, channel, the open item, the field being read), keep only the current item in memory
 * and hand it, once closed, to the ItemEvaluator; accepted items wait in `pending` for the caller
 * to drain them.
 */
export class FeedDocument {
  readonly parser = new SaxesParser<{ xmlns: true; position: true }>({ xmlns: true, position: true })
  readonly pending: FeedItem[] = []
  private readonly reporter: Reporter
  private readonly items: ItemEvaluator
  private readonly maxItems: number
  private readonly maxTokenChars: number
  private depth = 0
  private closing = false
  private sawNonSpace = false
  /** Parser position (characters) of the last event, to measure how much saxes holds unreported. */
  private lastEventAt = 0
  private inChannel = false
  private item: ItemState | null = null
  private capture: Capture | null = null
  private namespaceChecked = false

  constructor(reporter: Reporter, items: ItemEvaluator, maxItems: number, maxTokenChars: number) {
    this.reporter = reporter
    this.items = items
    this.maxItems = maxItems
    this.maxTokenChars = maxTokenChars
    const parser = this.parser
    parser.on('error', (err) => {
      if (!this.reporter.fatal) reportXmlError(this.reporter, err.message, parser.line, this.sawNonSpace, this.closing)
    })
    parser.on('opentag', (tag) => this.openTag(tag))
    parser.on('closetag', () => this.closeTag())
    const onText = (text: string) => this.text(text)
    parser.on('text', onText)
    parser.on('cdata', onText)
    // No other handlers on purpose: saxes stores handlers as properties added after construction,
    // and from the 7th one V8 makes the parser object slow (parsing measured 5× slower). Comments
    // and processing instructions then do not move lastEventAt, which only makes the token
    // cap count a run of back-to-back comments as one token.
  }

  /** The line saxes is at. */
  get line(): number {
    return this.parser.line
  }

  /** Hands one slice of text to saxes, then checks how much it holds without an event. */
  write(slice: string): void {
    if (!this.sawNonSpace && /\S/.test(slice)) this.sawNonSpace = true
    this.parser.write(slice)
    if (this.parser.position - this.lastEventAt > this.maxTokenChars)
      this.reporter.setFatal('token_too_large', m.tokenTooLarge(this.maxTokenChars), this.parser.line)
  }

  /** The end of the text: saxes reports what is still open (a truncated feed). */
  close(): void {
    this.closing = true
    this.parser.close()
  }

  private openTag(tag: SaxesTagNS): void {
    this.lastEventAt = this.parser.position
    const depth = ++this.depth
    if (this.reporter.fatal) return
    if (depth > MAX_DEPTH) return this.reporter.setFatal('too_deep', m.tooDeep(MAX_DEPTH), this.parser.line)
    if (depth === 1) return openRoot(tag, this.reporter, this.parser.line)
    const format = this.reporter.report.format
    if (format === 'rss') {
      if (depth === 2 && tag.local === 'channel' && tag.uri === '') this.inChannel = true
      else if (depth === 3 && this.inChannel && tag.local === 'item' && tag.uri === '') return this.openItem(depth)
    } else if (depth === 2 && tag.local === 'entry' && tag.uri === ATOM_NS) return this.openItem(depth)
    const item = this.item
    if (item && depth === item.depth + 1) {
      const key = fieldKeyOf(item, tag, format)
      // The first occurrence wins; repeats (e.g. two g:price) are ignored.
      if (key && item.fields[key] === undefined)
        this.capture = { key, depth, text: '', line: this.parser.line, tooLong: false }
    }
  }

  private openItem(depth: number): void {
    const report = this.reporter.report
    report.itemsSeen++
    if (report.itemsSeen > this.maxItems)
      return this.reporter.setFatal('too_many_items', m.tooManyItems(this.maxItems), this.parser.line)
    this.item = { line: this.parser.line, depth, fields: {}, atomLink: null, sawGoogle: false, wrongGoogleUri: null }
  }

  private closeTag(): void {
    this.lastEventAt = this.parser.position
    if (!this.reporter.fatal) {
      const capture = this.capture
      const item = this.item
      if (capture && this.depth === capture.depth && item) {
        item.fields[capture.key] ??= { value: capture.text, line: capture.line, tooLong: capture.tooLong }
        this.capture = null
      } else if (item && this.depth === item.depth) {
        this.closeItem(item)
        this.item = null
      } else if (this.depth === 2) this.inChannel = false
    }
    this.depth--
  }

  private closeItem(current: ItemState): void {
    if (!this.namespaceChecked) {
      this.namespaceChecked = true
      if (!checkGoogleNamespace(current, this.reporter)) return
    }
    const accepted = this.items.evaluate(current)
    if (accepted) this.pending.push(accepted)
  }

  private text(text: string): void {
    this.lastEventAt = this.parser.position
    const capture = this.capture
    if (!capture || this.depth !== capture.depth || capture.tooLong) return
    if (capture.text.length + text.length > MAX_FIELD_CHARS) {
      capture.tooLong = true
      capture.text = ''
    } else capture.text += text
  }
}
