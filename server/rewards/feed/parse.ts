import { DecodeError } from './decode.ts'
import { FeedDocument } from './document.ts'
import { decodeFatal, sourceFatal } from './fatal.ts'
import { Reporter, Stop } from './import-report.ts'
import { FeedInput } from './input.ts'
import { ItemEvaluator } from './item.ts'
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_ERRORS, DEFAULT_MAX_ITEMS, DEFAULT_MAX_TOKEN_CHARS } from './limits.ts'
import { feedMessages as m } from './messages.ts'
import type { FeedSource, ParseFeedOptions, ParseResult } from './types.ts'

/**
 * Parses a Google Shopping feed (RSS 2.0 or Atom 1.0) as a stream: only the current item is in
 * memory, whatever the feed size. Items go to `onItem`; the result tells whether the feed as a
 * whole is acceptable.
 *
 * The parts: FeedInput (input.ts) counts, decodes and screens the source's chunks and feeds them
 * to FeedDocument (document.ts), saxes and its event handlers, which hands each item to
 * ItemEvaluator (item.ts); all of them write to the Reporter (import-report.ts), and fatal.ts
 * says how each failure reads.
 */
export async function parseFeed(source: FeedSource, options: ParseFeedOptions = {}): Promise<ParseResult> {
  const allowlist = options.allowlist && options.allowlist.size > 0 ? options.allowlist : null
  const now = (options.now ?? new Date()).getTime()
  const reporter = new Reporter(options.maxErrors ?? DEFAULT_MAX_ERRORS)
  const doc = new FeedDocument(
    reporter,
    new ItemEvaluator(reporter, allowlist, now),
    options.maxItems ?? DEFAULT_MAX_ITEMS,
    options.maxTokenChars ?? DEFAULT_MAX_TOKEN_CHARS,
  )
  const input = new FeedInput(doc, reporter, options.maxBytes ?? DEFAULT_MAX_BYTES, options.onItem)
  const report = reporter.report

  const iterator = toIterator(source)
  let done = false
  try {
    while (true) {
      let next: IteratorResult<Uint8Array | string>
      try {
        next = await iterator.next()
      } catch (err) {
        done = true // a source that threw is finished; do not call return() on it
        sourceFatal(reporter, err, doc.line)
      }
      if (next.done) {
        done = true
        break
      }
      await input.push(next.value)
    }
    const lastLine = await input.end()
    if (report.itemsSeen === 0) reporter.setFatal('no_items', m.noItems, lastLine)
    else if (report.itemsAccepted === 0 && report.skippedInvalid > 0)
      reporter.setFatal('all_invalid', m.allInvalid, lastLine)
  } catch (err) {
    if (err instanceof DecodeError) decodeFatal(reporter, err, doc.line)
    else if (!(err instanceof Stop)) throw err
  } finally {
    // Stops the download/file read right away (a Readable is destroyed by return()).
    if (!done) await Promise.resolve(iterator.return?.()).catch(() => undefined)
  }

  const fatal = reporter.fatal
  if (fatal) return { ok: false, fatal, report: { ...report, fatal } }
  return { ok: true, report }
}

function toIterator(source: FeedSource): AsyncIterator<Uint8Array | string> | Iterator<Uint8Array | string> {
  if (Symbol.asyncIterator in source) return (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]()
  return (source as Iterable<Uint8Array | string>)[Symbol.iterator]()
}
