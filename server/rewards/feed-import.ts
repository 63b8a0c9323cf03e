import type { FeedImportView } from '../../shared/api/rewards.ts'
import type { Executor } from '../db/database.ts'
import type { FeedImport, FeedImportItemsTable, Program } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { AppError } from '../lib/errors.ts'
import { findIntegration } from '../integrations/service.ts'
import { findProgramById } from '../programs/service.ts'
import { anyAddress, downloadFeed, FeedDownloadError } from './feed/download.ts'
import { emptyReport, type ImportReport } from './feed/import-report.ts'
import { parseFeed } from './feed/parse.ts'
import type { FeedItem, ParseResult } from './feed/types.ts'
import { proposePointsCost } from './feed/points.ts'
import { formatImportReport } from './feed/report.ts'
import { importMessages as m } from './messages.ts'
import { feedImportQueue } from './queues.ts'
import * as repo from './repository.ts'
import { proposalEarnRate } from './service.ts'

export type FeedImportDeps = Pick<AppDeps, 'db' | 'log' | 'config'>
export type FeedImportTrigger = 'manual' | 'schedule'

/**
 * Items staged per INSERT while the feed streams in (8 columns × 1 000 rows stays far below
 * PostgreSQL's 65 535 parameters) and upserted per statement at the end.
 */
const STAGE_BATCH = 1_000
const APPLY_BATCH = 5_000
/** Reports kept per program; older ones are deleted after each import. */
const KEEP_REPORTS = 30
/**
 * The whole download, our own staging writes included (the parser pauses the download while a
 * batch is written). The feed module's 30 s default is for the download alone; 50 000 items on
 * the embedded database take a few seconds of writes on top.
 */
export const FEED_DOWNLOAD_TIMEOUT_MS = 5 * 60_000
/** The API's largest points cost; a proposal above it (a R$ 100 000 item) is clamped. */
const MAX_POINTS_COST = 10_000_000

export interface FeedImportOptions {
  trigger?: FeedImportTrigger
  /** Test and bench hooks; production uses the feed module's defaults. */
  maxBytes?: number
  timeoutMs?: number
  signal?: AbortSignal
  /** When sale price windows are evaluated (tests); removals are always stamped with the real time. */
  now?: Date
}

export function toFeedImportView(row: FeedImport): FeedImportView {
  return {
    id: row.id,
    trigger: row.trigger,
    status: row.status,
    feedUrl: row.feed_url,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    format: row.format,
    bytesRead: row.bytes_read,
    itemsSeen: row.items_seen,
    itemsAccepted: row.items_accepted,
    skippedOutOfStock: row.skipped_out_of_stock,
    skippedNotAllowed: row.skipped_not_allowed,
    skippedInvalid: row.skipped_invalid,
    errorCount: row.error_count,
    warningCount: row.warning_count,
    rewardsCreated: row.rewards_created,
    rewardsUpdated: row.rewards_updated,
    rewardsRemoved: row.rewards_removed,
    fatal: row.fatal_code ? { code: row.fatal_code, message: row.fatal_message ?? '', line: row.fatal_line } : null,
    errors: row.errors,
    warnings: row.warnings,
    report: row.report,
  }
}

/** The merchant's "import now": 409 without a feed URL; a run already queued absorbs this one. */
export async function requestFeedImport(deps: Pick<AppDeps, 'jobs'>, db: Executor, programId: string): Promise<void> {
  const integration = await findIntegration(db, programId)
  if (!integration?.feed_url) {
    throw new AppError(
      'conflict',
      'This program has no feed URL: save the Google Shopping feed address (feedUrl) in the integration first',
      { field: 'feedUrl' },
    )
  }
  await deps.jobs.enqueue(db, feedImportQueue, { programId, trigger: 'manual' }, { key: programId })
}

export async function listFeedImports(db: Executor, programId: string, limit = 10): Promise<FeedImportView[]> {
  return (await repo.listFeedImports(db, programId, limit)).map(toFeedImportView)
}

/** Daily: one import per program with an active integration and a feed URL. */
export async function scheduleFeedImports(deps: Pick<AppDeps, 'db' | 'jobs'>): Promise<number> {
  let queued = 0
  for (const { program_id: programId } of await repo.listProgramsWithFeed(deps.db)) {
    await deps.jobs.enqueue(deps.db, feedImportQueue, { programId, trigger: 'schedule' }, { key: programId })
    queued++
  }
  return queued
}

/**
 * Imports the program's feed: download and parse as a stream, staging accepted items in
 * batches; then, only if the whole feed parsed, one transaction upserts the feed rewards,
 * marks those no longer offered as removed and records the report. A feed that fails anywhere
 * leaves the catalogue exactly as it was and ends with a failed report (not a job failure).
 * Database errors are thrown after recording them, so the job is retried.
 */
export async function importFeed(
  deps: FeedImportDeps,
  programId: string,
  options: FeedImportOptions = {},
): Promise<FeedImport | null> {
  const program = await findProgramById(deps.db, programId)
  if (!program) return null // archived since the job was queued
  const integration = await findIntegration(deps.db, programId)
  const feedUrl = integration?.feed_url ?? null

  await abandonRunningImports(deps.db, programId)
  const run = await repo.insertFeedImport(deps.db, {
    program_id: programId,
    trigger: options.trigger ?? 'manual',
    feed_url: feedUrl,
    status: 'running',
  })
  const started = performance.now()
  const log = deps.log.child({ programId, importId: run.id })

  try {
    if (!feedUrl) return await finishFailed(deps.db, run, failedReport(m.noFeedUrl), 'no_feed_url')
    const staged = await stageFeed(
      deps,
      run.id,
      program,
      feedUrl,
      new Set(integration?.reward_allowlist ?? []),
      options,
    )
    const stagedMs = Math.round(performance.now() - started)
    if (!staged.ok) {
      log.info('feed import failed', {
        code: staged.fatal.code,
        detail: staged.fatal.detail,
        line: staged.fatal.line,
        ms: Math.round(performance.now() - started),
      })
      await repo.deleteStagedItems(deps.db, run.id)
      return await finishFailed(deps.db, run, staged.report)
    }
    const done = await applyStaged(deps, program, run, staged.report, new Date())
    if (!done) {
      log.warn('feed import superseded by a newer run')
      return null
    }
    log.info('feed import done', {
      items: staged.report.itemsAccepted,
      created: done.rewards_created,
      updated: done.rewards_updated,
      removed: done.rewards_removed,
      stageMs: stagedMs,
      ms: Math.round(performance.now() - started),
    })
    return done
  } catch (err) {
    log.error('feed import error', { err })
    // Best effort: the database may be what failed. The retry starts a new run either way.
    await repo.deleteStagedItems(deps.db, run.id).catch(() => undefined)
    await finishFailed(deps.db, run, failedReport(m.internal), 'internal').catch(() => undefined)
    throw err
  } finally {
    await repo.pruneFeedImports(deps.db, programId, KEEP_REPORTS).catch(() => undefined)
  }
}

/** A run still marked running when a new one starts died with its process (or its lease expired). */
async function abandonRunningImports(db: Executor, programId: string): Promise<void> {
  for (const { id } of await repo.findRunningImports(db, programId)) {
    await repo.deleteStagedItems(db, id)
    await repo.updateFeedImport(db, programId, id, failedColumns(failedReport(m.interrupted), 'interrupted'))
  }
}

async function stageFeed(
  deps: FeedImportDeps,
  importId: number,
  program: Program,
  feedUrl: string,
  allowlist: ReadonlySet<string>,
  options: FeedImportOptions,
): Promise<ParseResult> {
  const earnRate = proposalEarnRate(program)
  let batch: FeedImportItemsTable[] = []
  // One batch is written while the parser reads the next (PostgreSQL works in parallel with our
  // CPU); never two at once, so memory holds at most two batches.
  let writing: Promise<void> = Promise.resolve()
  const flush = async () => {
    const rows = batch
    batch = []
    await writing // rethrows a failed write: parseFeed then rejects with it
    writing = repo.insertStagedItems(deps.db, rows)
    writing.catch(() => undefined) // observed at the next flush or below, not unhandled
  }
  const stage = (item: FeedItem): Promise<void> | undefined => {
    batch.push({
      import_id: importId,
      feed_item_id: item.id,
      title: item.title,
      image_url: item.imageUrl,
      link: item.link,
      price_cents: item.priceCents,
      sale_price_cents: item.salePriceCents,
      // The regular price, never the sale price: a reward priced from a promotion would stay
      // cheap after it ends (see feed/points.ts).
      points_cost: Math.min(MAX_POINTS_COST, proposePointsCost(item.priceCents, earnRate)),
    })
    return batch.length >= STAGE_BATCH ? flush() : undefined
  }

  let download
  try {
    download = await downloadFeed(feedUrl, {
      timeoutMs: options.timeoutMs ?? FEED_DOWNLOAD_TIMEOUT_MS,
      ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
      // Without the opt-in, only public internet addresses (the SSRF guard in feed/download.ts).
      ...(deps.config.feedAllowPrivateHosts ? { allowAddress: anyAddress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    })
  } catch (err) {
    if (!(err instanceof FeedDownloadError)) throw err
    const report = failedReport(err.message, 'download', err.code)
    return { ok: false, fatal: report.fatal, report }
  }
  let result: ParseResult
  try {
    result = await parseFeed(download.body, {
      allowlist,
      onItem: stage,
      ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
      ...(options.now ? { now: options.now } : {}),
    })
    if (result.ok) await flush()
  } finally {
    // The caller deletes the staged rows of a failed feed: no write may land after that.
    await writing.catch(() => undefined)
  }
  await writing
  return result
}

async function applyStaged(
  deps: FeedImportDeps,
  program: Program,
  run: FeedImport,
  report: ImportReport,
  now: Date,
): Promise<FeedImport | null> {
  return deps.db.transaction().execute(async (trx) => {
    await repo.lockProgramFeed(trx, program.id)
    const current = await repo.lockFeedImport(trx, program.id, run.id)
    if (current?.status !== 'running') {
      // A newer run declared this one dead while it was still going: the newer one wins.
      await repo.deleteStagedItems(trx, run.id)
      return null
    }
    let created = 0
    let updated = 0
    for (let after = ''; ; ) {
      const batch = await repo.applyStagedBatch(trx, program.id, run.id, after, APPLY_BATCH)
      created += batch.created
      updated += batch.updated
      if (batch.staged < APPLY_BATCH || batch.lastId === null) break
      after = batch.lastId
    }
    const removed = await repo.markRemovedFromFeed(trx, program.id, run.id, now)
    await repo.deleteStagedItems(trx, run.id)

    const summary = [
      '',
      `${m.catalogue}:`,
      `${m.created}: ${created.toLocaleString('pt-BR')}`,
      `${m.updated}: ${updated.toLocaleString('pt-BR')}`,
      `${m.unchanged}: ${Math.max(0, report.itemsAccepted - created - updated).toLocaleString('pt-BR')}`,
      `${m.removed}: ${removed.toLocaleString('pt-BR')}`,
    ]
    if (!(Number(program.earn_rate) > 0)) summary.push('', m.earnRateZero)
    await repo.updateFeedImport(trx, program.id, run.id, {
      ...reportColumns(report),
      status: 'ok',
      finished_at: new Date(),
      rewards_created: created,
      rewards_updated: updated,
      rewards_removed: removed,
      report: `${formatImportReport(report)}\n${summary.join('\n')}`,
    })
    return (await repo.findFeedImport(trx, program.id, run.id)) ?? null
  })
}

type FailedReport = ImportReport & { fatal: NonNullable<ImportReport['fatal']> }

/** `code` overrides the parser's fatal code for failures that are ours, not the feed's. */
async function finishFailed(db: Executor, run: FeedImport, report: FailedReport, code?: string) {
  await repo.updateFeedImport(db, run.program_id, run.id, failedColumns(report, code))
  return (await repo.findFeedImport(db, run.program_id, run.id)) ?? null
}

function reportColumns(report: ImportReport) {
  return {
    format: report.format,
    bytes_read: report.bytesRead,
    items_seen: report.itemsSeen,
    items_accepted: report.itemsAccepted,
    skipped_out_of_stock: report.skippedOutOfStock,
    skipped_not_allowed: report.skippedNotAllowed,
    skipped_invalid: report.skippedInvalid,
    error_count: report.errorCount,
    warning_count: report.warningCount,
    errors: JSON.stringify(report.errors),
    warnings: JSON.stringify(report.warnings),
  }
}

function failedColumns(report: FailedReport, code?: string) {
  return {
    ...reportColumns(report),
    status: 'failed' as const,
    finished_at: new Date(),
    fatal_code: code ?? report.fatal.code,
    fatal_message: report.fatal.message,
    fatal_line: report.fatal.line > 0 ? report.fatal.line : null,
    report: formatImportReport(report),
  }
}

/** A report for a run that stopped before parsing (no URL, download refused, interrupted, our error). */
function failedReport(message: string, code: 'download' | 'read_error' = 'read_error', detail?: string): FailedReport {
  return {
    ...emptyReport(),
    fatal: detail === undefined ? { code, message, line: 0 } : { code, message, line: 0, detail },
  }
}
