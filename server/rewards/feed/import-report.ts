// The import report: its shape, and the Reporter that fills it in while a feed is parsed.

export interface ReportEntry {
  line: number
  itemId?: string
  /** pt-BR, for the merchant. */
  message: string
}

export type FatalCode =
  | 'not_xml'
  | 'malformed_xml'
  | 'truncated'
  | 'empty_document'
  | 'doctype'
  | 'entity'
  | 'not_a_feed'
  | 'namespace'
  | 'too_large'
  | 'too_many_items'
  | 'token_too_large'
  | 'too_deep'
  | 'encoding'
  | 'no_items'
  | 'all_invalid'
  | 'download'
  | 'read_error'

export interface FatalError {
  code: FatalCode
  /** pt-BR, for the merchant. */
  message: string
  /** Line where the problem was detected (the last line read for limits and read errors). */
  line: number
  /** Technical detail in English (parser or download error), for logs; never shown as is. */
  detail?: string
}

export interface ImportReport {
  /** null when the import stopped before the root element told us. */
  format: 'rss' | 'atom' | null
  bytesRead: number
  itemsSeen: number
  itemsAccepted: number
  skippedOutOfStock: number
  skippedNotAllowed: number
  /** Items with at least one error (each error is one entry in `errors`). */
  skippedInvalid: number
  /** The first `maxErrors` errors, in document order. */
  errors: ReportEntry[]
  /** All errors, including those not kept in `errors`. */
  errorCount: number
  /** Problems that did not stop an item from being imported (a field was ignored). */
  warnings: ReportEntry[]
  warningCount: number
  fatal?: FatalError
}

/** A report with nothing read yet (parsing fills it in; failed runs that never parsed use it as is). */
export function emptyReport(): ImportReport {
  return {
    format: null,
    bytesRead: 0,
    itemsSeen: 0,
    itemsAccepted: 0,
    skippedOutOfStock: 0,
    skippedNotAllowed: 0,
    skippedInvalid: 0,
    errors: [],
    errorCount: 0,
    warnings: [],
    warningCount: 0,
  }
}

/** Thrown inside a parse once the import is fatal; parseFeed catches it and returns the result. */
export class Stop extends Error {}

/**
 * Counts and keeps errors and warnings (the first `maxErrors` of each) and the first fatal error:
 * whatever happens after a fatal one is a consequence of it.
 */
export class Reporter {
  readonly report: ImportReport = emptyReport()
  fatal: FatalError | null = null
  private readonly maxErrors: number

  constructor(maxErrors: number) {
    this.maxErrors = maxErrors
  }

  setFatal(code: FatalCode, message: string, line: number, detail?: string): void {
    if (this.fatal) return
    this.fatal = detail === undefined ? { code, message, line } : { code, message, line, detail }
  }

  /** setFatal, then stops the parse. */
  stop(code: FatalCode, message: string, line: number, detail?: string): never {
    this.setFatal(code, message, line, detail)
    throw new Stop()
  }

  addError(line: number, itemId: string | undefined, message: string): void {
    this.report.errorCount++
    if (this.report.errors.length < this.maxErrors)
      this.report.errors.push(itemId === undefined ? { line, message } : { line, itemId, message })
  }

  addWarning(line: number, itemId: string, message: string): void {
    this.report.warningCount++
    if (this.report.warnings.length < this.maxErrors) this.report.warnings.push({ line, itemId, message })
  }
}
