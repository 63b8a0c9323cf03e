import { AmpersandGuard } from './ampersand.ts'
import { FeedDecoder } from './decode.ts'
import type { FeedDocument } from './document.ts'
import { prologFatal } from './fatal.ts'
import { Stop, type Reporter } from './import-report.ts'
import { SLICE_CHARS } from './limits.ts'
import { feedMessages as m } from './messages.ts'
import { PrologGuard } from './prolog.ts'
import type { FeedItem, ParseFeedOptions } from './types.ts'

/**
 * What goes into saxes and what comes out to onItem. Chunks are counted against the size cap and
 * decoded; the text is screened (the prolog for a DOCTYPE or an HTML page, bare ampersands) and
 * written in slices; between slices the accepted items go to onItem, whose promise is awaited
 * (backpressure). Every method throws Stop once the import is fatal.
 */
export class FeedInput {
  private readonly guard = new PrologGuard()
  private readonly ampersands = new AmpersandGuard()
  private readonly decoder = new FeedDecoder()
  private readonly doc: FeedDocument
  private readonly reporter: Reporter
  private readonly maxBytes: number
  private readonly onItem: ParseFeedOptions['onItem']

  constructor(doc: FeedDocument, reporter: Reporter, maxBytes: number, onItem: ParseFeedOptions['onItem']) {
    this.doc = doc
    this.reporter = reporter
    this.maxBytes = maxBytes
    this.onItem = onItem
  }

  async push(chunk: Uint8Array | string): Promise<void> {
    const report = this.reporter.report
    report.bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength
    // Checked before parsing the chunk: stop at the limit without looking at what is beyond.
    if (report.bytesRead > this.maxBytes) this.reporter.stop('too_large', m.tooLarge(this.maxBytes), this.doc.line)
    await this.feedText(typeof chunk === 'string' ? chunk : this.decoder.push(chunk))
  }

  /** The source is done: flushes the decoder, closes the document, drains. Returns the last line read. */
  async end(): Promise<number> {
    await this.feedText(this.decoder.end())
    const problem = this.guard.end()
    if (problem) prologFatal(this.reporter, problem)
    const lastLine = this.doc.line
    this.doc.close()
    if (this.reporter.fatal) throw new Stop()
    await this.drain()
    return lastLine
  }

  /** Checks then hands decoded text to saxes. */
  private async feedText(text: string): Promise<void> {
    if (text === '') return
    if (!this.guard.done) {
      const problem = this.guard.scan(text)
      if (problem) prologFatal(this.reporter, problem)
    }
    const bareAmpersand = this.ampersands.scan(text)
    if (bareAmpersand !== -1) {
      // Parse up to the `&` so errors before it win and the line points at its line.
      await this.writeText(text.slice(0, bareAmpersand))
      this.reporter.stop('malformed_xml', m.bareAmpersand, this.doc.line, 'unescaped &')
    }
    await this.writeText(text)
  }

  private async writeText(text: string): Promise<void> {
    for (let offset = 0; offset < text.length; offset += SLICE_CHARS) {
      const slice = offset === 0 && text.length <= SLICE_CHARS ? text : text.slice(offset, offset + SLICE_CHARS)
      this.doc.write(slice)
      if (this.reporter.fatal) throw new Stop()
      await this.drain()
    }
  }

  private async drain(): Promise<void> {
    const pending = this.doc.pending
    while (pending.length > 0) {
      const next = pending.shift() as FeedItem
      if (this.onItem) {
        const result: unknown = this.onItem(next)
        if (isThenable(result)) await result
      }
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}
