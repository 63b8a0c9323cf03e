import type { DecodeError } from './decode.ts'
import { FeedDownloadError } from './download.ts'
import type { Reporter } from './import-report.ts'
import { feedMessages as m } from './messages.ts'
import type { PrologProblem } from './prolog.ts'

// How each way a parse fails becomes the report's fatal error: a pt-BR message for the merchant,
// the technical detail in English for the logs.

/** saxes' error, by what it means to the merchant. */
export function reportXmlError(
  reporter: Reporter,
  message: string,
  line: number,
  sawNonSpace: boolean,
  closing: boolean,
): void {
  const detail = message.replace(/^\d+:\d+: /, '')
  if (detail.startsWith('undefined entity')) reporter.setFatal('entity', m.undefinedEntity, line, detail)
  else if (detail.includes('doctype')) reporter.setFatal('doctype', m.doctype, line, detail)
  else if (detail.startsWith('unbound namespace prefix: "g"'))
    reporter.setFatal('namespace', m.namespaceMissing, line, detail)
  else if (detail === 'document must contain a root element.') {
    if (sawNonSpace) reporter.setFatal('not_xml', m.notXml, line, detail)
    else reporter.setFatal('empty_document', m.emptyDocument, line, detail)
  } else if (closing && /^(unclosed tag|unexpected end)/.test(detail))
    reporter.setFatal('truncated', m.truncated, line, detail)
  else if (reporter.report.format === null) reporter.setFatal('not_xml', m.notXml, line, detail)
  else reporter.setFatal('malformed_xml', m.malformedXml(detail), line, detail)
}

/** What the prolog guard found before the root element: text, an HTML page, a DOCTYPE. */
export function prologFatal(reporter: Reporter, problem: PrologProblem): never {
  if (problem.kind === 'text') reporter.stop('not_xml', m.notXml, problem.line)
  if (problem.name.toLowerCase() === 'html') reporter.stop('not_xml', m.htmlPage, problem.line)
  reporter.stop('doctype', m.doctype, problem.line)
}

/** The source threw: a download error keeps its own message and code; anything else is a read error. */
export function sourceFatal(reporter: Reporter, err: unknown, line: number): never {
  if (err instanceof FeedDownloadError) reporter.stop('download', err.message, line, err.code)
  reporter.stop('read_error', m.readError, line, err instanceof Error ? err.message : String(err))
}

/** Bytes not valid in the feed's encoding; `line` is where the parser is, before the text decoded up to them. */
export function decodeFatal(reporter: Reporter, err: DecodeError, line: number): void {
  const at = line + countNewlines(err.validPrefix)
  if (err.kind === 'unsupported') reporter.setFatal('encoding', m.encodingUnsupported(err.encoding), at)
  else reporter.setFatal('encoding', m.encodingInvalid(err.encoding.toUpperCase()), at)
}

function countNewlines(text: string): number {
  let count = 0
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++
  return count
}
