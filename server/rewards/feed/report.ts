import { reportLabels as l } from './messages.ts'
import type { ImportReport, ReportEntry } from './import-report.ts'

/**
 * The import report as plain pt-BR text (e-mail, log of the job run, admin screen fallback):
 * outcome, counts, then the first errors and warnings with their line numbers.
 */
export function formatImportReport(report: ImportReport): string {
  const number = (n: number) => n.toLocaleString('pt-BR')
  const lines: string[] = [l.title]
  if (report.format) lines.push(`${l.format}: ${report.format === 'rss' ? 'RSS 2.0' : 'Atom 1.0'}`)
  if (report.fatal) {
    lines.push(l.failed)
    lines.push(
      report.fatal.line > 0
        ? `${capitalize(l.line)} ${report.fatal.line}: ${report.fatal.message}`
        : report.fatal.message,
    )
  } else lines.push(l.ok)
  lines.push(
    `${l.itemsSeen}: ${number(report.itemsSeen)}`,
    `${l.itemsAccepted}: ${number(report.itemsAccepted)}`,
    `${l.skippedOutOfStock}: ${number(report.skippedOutOfStock)}`,
    `${l.skippedNotAllowed}: ${number(report.skippedNotAllowed)}`,
    `${l.skippedInvalid}: ${number(report.skippedInvalid)}`,
  )
  const section = (title: string, entries: ReportEntry[], total: number) => {
    if (total === 0) return
    lines.push('', `${title} (${number(total)}):`)
    for (const entry of entries) {
      const id = entry.itemId === undefined ? '' : ` [${entry.itemId}]`
      lines.push(`- ${l.line} ${entry.line}${id}: ${entry.message}`)
    }
    if (total > entries.length) lines.push(l.more(total - entries.length))
  }
  section(l.errors, report.errors, report.errorCount)
  section(l.warnings, report.warnings, report.warningCount)
  return lines.join('\n')
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
