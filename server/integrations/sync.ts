import type { Trx } from '../db/database.ts'
import type { Integration, SyncCounts, SyncResource, SyncState } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import * as integrations from './repository.ts'
import { markCredentialsRejected } from './service.ts'
import { awardLifecycle } from '../points/service.ts'
import { upsertStoreCustomers } from '../members/store-customers.ts'
import { applyOrders, heldOrderIds, reapplyStored, type AwardContext, type IncomingOrder } from '../orders/service.ts'
import { findProgramById } from '../programs/service.ts'
import { LiError, type LiClient } from '../loja-integrada/client.ts'
import { clientFor } from '../loja-integrada/connection.ts'
import type { LiCustomer, LiOrderSummary, LiPage } from '../loja-integrada/types.ts'

export type SyncDeps = Pick<AppDeps, 'config' | 'secrets' | 'db' | 'jobs' | 'log' | 'liFetch'>

/**
 * How far behind the stored cursor each run starts again. LI's own clock stamps
 * data_modificacao, but writes become visible out of order (a long transaction commits after a
 * later one), and LI's web clock (the Date header the orders cursor is taken from) may differ
 * from its database's a little: re-reading 10 minutes costs a page or two and catches them.
 * Replays are harmless — applying an order is state-based.
 */
export const OVERLAP_MS = 10 * 60_000

/** LI rejects offset + limit above ~10,000: a listing longer than this is narrowed, never skipped. */
export const MAX_OFFSET = 9_900

/** A window whose listing shifted while it was paged is paged again this often, then narrowed. */
const MAX_REPAGES = 2

/** The created-at floor of an unbounded window being narrowed (no LI store has older orders). */
const CREATED_FLOOR = Date.UTC(2000, 0, 1)

/** A sync waits out 429s this long (inside the store's shared budget) before it yields the job. */
const RATE_LIMIT_PATIENCE_MS = 5 * 60_000

const ORDER_PAGE = 50 // the documented maximum of /pedido/search
const CUSTOMER_PAGE = 100

/**
 * Where a run stands, persisted in sync_state.run_next after every page in the same transaction
 * as the page's effects — so a run killed anywhere resumes from the last committed page and
 * re-applies at most one page (idempotently).
 *
 * The order of /pedido/search is undocumented, so the orders pass never trusts it:
 * - `numero` (first import) walks since_numero, and only while every page proves the listing is
 *   in numero order and honours the filter: numeros above the position, ascending, and the
 *   previous page's total minus this one's no more than what the previous page held (otherwise
 *   something listed later was skipped). A page failing that — e.g. one that brings nothing past
 *   the position because since_numero is ignored — switches the pass to `window`, once, and the
 *   run's counts say so (`listingFallback`).
 * - `window` pages the whole since_atualizado listing (all orders changed since the pass's
 *   floor) by offset, one created-at range at a time, and a range counts as read only when the
 *   distinct numeros read reach the listing's total_count: the set of orders changed since a
 *   fixed instant only grows, so that equality means nothing was missed however the listing is
 *   ordered or shifts while paged (`repaged` when not; after MAX_REPAGES, or when the listing is
 *   longer than LI lets us page, the range is halved by since_criado/until_criado: `narrowed`).
 * The orders cursor then moves to LI's clock (Date header) at the pass's first page: everything
 * changed before it was read in a state at least that recent, and anything changed while the
 * pass ran is at or after it. Customers (`time`) are listed with order_by=data_modificacao,
 * which LI documents for /cliente: they walk since_atualizado, with `skip` stepping over the
 * items of the anchor second already read (LI filters by whole seconds).
 */
export type Position =
  | { mode: 'numero'; after: number; maxSeen: string | null; liNow?: string | null; total?: number; len?: number }
  | { mode: 'time'; since: string | null; skip: number; maxSeen: string | null }
  | WindowPosition

export interface WindowPosition {
  mode: 'window'
  /** since_atualizado of the pass; null reads every order (a first import). */
  since: string | null
  /** The created-at range being paged, [from, to) (null: unbounded), and the ranges left. */
  from: string | null
  to: string | null
  rest: Array<[string | null, string | null]>
  offset: number
  /** Distinct numeros read in this range, ascending. */
  ids: number[]
  repaged: number
  maxSeen: string | null
  /** LI's clock at the pass's first page: the cursor once the pass is read. */
  liNow: string | null
}

/** Events of a pass worth telling the merchant, counted in the run's counts. */
export type PassNote = 'listingFallback' | 'repaged' | 'narrowed'

/** The position after a page (null: the pass is read), and what happened, if notable. */
export interface Step {
  next: Position | null
  note?: PassNote
}

export type SyncOutcome = 'done' | 'continue' | 'skipped' | 'credentials_rejected'

export interface SyncHooks {
  /** Test seam: runs inside each transaction just before it commits (position of its first page). */
  beforeCommit?: (resource: SyncResource, position: Position) => void | Promise<void>
  /** Test seam: runs after each transaction committed. */
  afterCommit?: (resource: SyncResource, position: Position) => void | Promise<void>
}

export interface SyncOptions {
  /** Stop after this instant (ms epoch) at a page boundary and report 'continue'. */
  deadline?: number
  /** Most pages written per transaction (default 40 of orders, 20 of customers: ~2,000 rows). */
  maxPagesPerCommit?: number
  /** Test seam: the deepest offset + limit LI accepts (default MAX_OFFSET). */
  maxOffset?: number
  hooks?: SyncHooks
}

/** Raised when another runner moved the run on under us: our page is discarded, theirs stands. */
class SyncRaceError extends Error {}

/** Context for applying orders, from the integration and the program. */
export async function awardContext(deps: Pick<SyncDeps, 'db'>, integration: Integration): Promise<AwardContext | null> {
  const program = await findProgramById(deps.db, integration.program_id)
  if (!program) return null
  const statuses = await integrations.listStatuses(deps.db, integration.program_id)
  return {
    programId: integration.program_id,
    earnRate: Number(program.earn_rate),
    awardingIds: new Set(integration.awarding_status_ids),
    salesOn: integration.sales_registration,
    statuses: new Map(
      statuses.map((s) => [s.id, { id: s.id, code: s.code, name: s.name, cancelled: s.cancelled, final: s.final }]),
    ),
    lifecycle: await awardLifecycle(deps.db, integration.program_id),
  }
}

/**
 * One sync of a program: customers first (so most orders find their member), then orders. Each
 * resource runs from its persisted position; a run that reaches the deadline stops at a page
 * boundary and answers 'continue' (the job re-enqueues itself), keeping jobs short.
 */
export async function runSync(deps: SyncDeps, programId: string, opts: SyncOptions = {}): Promise<SyncOutcome> {
  const integration = await integrations.findIntegration(deps.db, programId)
  if (!integration || !integration.active || integration.credentials_rejected_at) return 'skipped'
  const ctx = await awardContext(deps, integration)
  if (!ctx) return 'skipped'
  // 429s are waited out inside the store's shared budget (the gate), and counted for the status.
  const limited = { count: 0 }
  const client = clientFor(deps, integration, {
    rateLimitPatienceMs: RATE_LIMIT_PATIENCE_MS,
    onRequest: (r) => {
      if (r.status === 429) limited.count++
    },
  })
  const deadline = opts.deadline ?? Number.POSITIVE_INFINITY
  let resource: SyncResource = 'customers'
  try {
    if ((await syncResource(deps, client, ctx, 'customers', deadline, opts, limited)) === 'continue') return 'continue'
    resource = 'orders'
    return await syncResource(deps, client, ctx, 'orders', deadline, opts, limited)
  } catch (err) {
    return handleFailure(deps, programId, resource, err, limited)
  }
}

/**
 * 401/403 mark the integration "credentials rejected" and stop its jobs (no retry can help until
 * the merchant saves a new key); anything else is recorded and re-thrown so pg-boss retries.
 */
async function handleFailure(
  deps: SyncDeps,
  programId: string,
  resource: SyncResource,
  err: unknown,
  limited: { count: number },
): Promise<SyncOutcome> {
  if (err instanceof SyncRaceError) return 'skipped'
  if (err instanceof LiError && err.kind === 'rate_limited') {
    // Back-pressure, not a failure: the position is committed, the next job goes on from it
    // (after the budget's pause), and the status says LI asked us to slow down.
    const state = await integrations.getOrCreateSyncState(deps.db, programId, resource)
    await integrations.updateSyncState(deps.db, programId, resource, {
      run_counts: JSON.stringify(addCounts(state.run_counts, { rateLimited: limited.count })),
    })
    return 'continue'
  }
  const message =
    err instanceof LiError ? `${err.kind}: ${err.message}` : err instanceof Error ? err.message : String(err)
  await integrations.updateSyncState(deps.db, programId, resource, {
    last_error: message.slice(0, 500),
    last_error_at: new Date(),
  })
  if (err instanceof LiError && err.kind === 'auth') {
    await markCredentialsRejected(deps, programId)
    return 'credentials_rejected'
  }
  throw err
}

function startPosition(resource: SyncResource, cursor: Date | null): Position {
  if (resource === 'orders' && cursor === null) return { mode: 'numero', after: 0, maxSeen: null, liNow: null }
  const since = cursor ? new Date(wholeSecond(new Date(cursor.getTime() - OVERLAP_MS))).toISOString() : null
  if (resource === 'orders') return windowPass(since, null, null)
  return { mode: 'time', since, skip: 0, maxSeen: null }
}

function windowPass(since: string | null, maxSeen: string | null, liNow: string | null): WindowPosition {
  return { mode: 'window', since, from: null, to: null, rest: [], offset: 0, ids: [], repaged: 0, maxSeen, liNow }
}

type Page = LiPage<LiOrderSummary> | LiPage<LiCustomer>

function fetchPage(client: LiClient, resource: SyncResource, pos: Position): Promise<Page> {
  if (pos.mode === 'window') {
    return client.searchOrders({
      ...(pos.since ? { since: new Date(pos.since) } : {}),
      ...(pos.from ? { createdFrom: new Date(pos.from) } : {}),
      ...(pos.to ? { createdTo: new Date(pos.to) } : {}),
      offset: pos.offset,
      limit: ORDER_PAGE,
    })
  }
  if (pos.mode === 'time' && pos.skip > MAX_OFFSET)
    throw new Error(`more than ${MAX_OFFSET} ${resource} modified within one second: cannot page past them`)
  if (resource === 'customers') {
    return client.searchCustomers({
      ...(pos.mode === 'time' && pos.since ? { since: new Date(pos.since) } : {}),
      offset: pos.mode === 'time' ? pos.skip : 0,
      limit: CUSTOMER_PAGE,
    })
  }
  return pos.mode === 'numero'
    ? client.searchOrders({ sinceNumero: pos.after + 1, limit: ORDER_PAGE })
    : client.searchOrders({ ...(pos.since ? { since: new Date(pos.since) } : {}), offset: pos.skip, limit: ORDER_PAGE })
}

const wholeSecond = (d: Date) => Math.floor(d.getTime() / 1000) * 1000

/** The position after `page` (null when the pass has read everything), and any notable event. Pure. */
export function advance(pos: Position, page: Page, maxOffset = MAX_OFFSET): Step {
  const items = page.items as Array<LiOrderSummary | LiCustomer>
  const newest = newestSeen(pos, page)
  const maxSeen = newest ? newest.toISOString() : null
  if (pos.mode === 'numero') return advanceNumero(pos, page as LiPage<LiOrderSummary>, maxSeen)
  if (pos.mode === 'window') return advanceWindow(pos, page as LiPage<LiOrderSummary>, maxSeen, maxOffset)
  if (!page.next || items.length === 0) return { next: null }
  // Items come oldest change first: the last one's second anchors the next page.
  const last = [...items].reverse().find((i) => i.updatedAt !== null)?.updatedAt
  if (!last) return { next: { ...pos, skip: pos.skip + items.length, maxSeen } }
  const anchor = wholeSecond(last)
  const inAnchor = items.filter((i) => i.updatedAt !== null && wholeSecond(i.updatedAt) === anchor).length
  const sameAnchor = pos.since !== null && Date.parse(pos.since) === anchor
  return {
    next: {
      mode: 'time',
      since: new Date(anchor).toISOString(),
      skip: sameAnchor ? pos.skip + items.length : inAnchor,
      maxSeen,
    },
  }
}

/** LI's clock at the pass's first page, kept for the whole pass (whole seconds: a lower bound). */
const passClock = (liNow: string | null | undefined, page: Page): string | null =>
  liNow ?? (page.servedAt ? new Date(wholeSecond(page.servedAt)).toISOString() : null)

function advanceNumero(
  pos: Extract<Position, { mode: 'numero' }>,
  page: LiPage<LiOrderSummary>,
  maxSeen: string | null,
): Step {
  const items = page.items
  const liNow = passClock(pos.liNow, page)
  const past = items.every((o) => o.numero > pos.after)
  const ascending = items.every((o, i) => i === 0 || items[i - 1]!.numero < o.numero)
  // Orders in (previous position, this position] = previous total − this total, less arrivals
  // (which only make this total bigger): more than the previous page held means some were skipped.
  const skipped = pos.total !== undefined && pos.len !== undefined && pos.total - page.total > pos.len
  if (!past || !ascending || skipped) return { next: windowPass(null, maxSeen, liNow), note: 'listingFallback' }
  if (!page.next || items.length === 0) return { next: null }
  return {
    next: {
      mode: 'numero',
      after: items[items.length - 1]!.numero,
      maxSeen,
      liNow,
      total: page.total,
      len: items.length,
    },
  }
}

function advanceWindow(
  pos: WindowPosition,
  page: LiPage<LiOrderSummary>,
  maxSeen: string | null,
  maxOffset: number,
): Step {
  const base: WindowPosition = { ...pos, maxSeen, liNow: passClock(pos.liNow, page) }
  // Longer than LI lets us page (or grown so while paged): halve the created-at range.
  if (page.total > maxOffset || (page.next && pos.offset + 2 * ORDER_PAGE > maxOffset))
    return { next: narrow(base), note: 'narrowed' }
  const ids = mergeIds(
    pos.ids,
    page.items.map((o) => o.numero),
  )
  if (page.next && page.items.length > 0) return { next: { ...base, ids, offset: pos.offset + ORDER_PAGE } }
  // The end of the listing: read only if every order in it was (see Position).
  if (ids.length < page.total) {
    if (pos.repaged < MAX_REPAGES)
      return { next: { ...base, ids, offset: 0, repaged: pos.repaged + 1 }, note: 'repaged' }
    return { next: narrow(base), note: 'narrowed' }
  }
  const [range, ...rest] = pos.rest
  if (!range) return { next: null }
  return { next: { ...base, from: range[0], to: range[1], rest, offset: 0, ids: [], repaged: 0 } }
}

/** Splits the current created-at range in two by time; the halves are paged from scratch. */
function narrow(pos: WindowPosition): WindowPosition {
  const from = pos.from ? Date.parse(pos.from) : CREATED_FLOOR
  const to = pos.to
    ? Date.parse(pos.to)
    : Math.max(from + 2000, Date.parse(pos.liNow ?? pos.maxSeen ?? new Date().toISOString()) + 1000)
  const mid = wholeSecond(new Date(from + (to - from) / 2))
  if (mid <= from)
    throw new Error(
      `more orders created within one second than LI lets us page (${MAX_OFFSET}): cannot narrow the listing further`,
    )
  const midIso = new Date(mid).toISOString()
  return { ...pos, to: midIso, rest: [[midIso, pos.to], ...pos.rest], offset: 0, ids: [], repaged: 0 }
}

function mergeIds(a: number[], b: number[]): number[] {
  const set = new Set(a)
  for (const n of b) set.add(n)
  return set.size === a.length ? a : [...set].sort((x, y) => x - y)
}

export function toIncoming(o: LiOrderSummary): IncomingOrder {
  return {
    source: 'li',
    externalId: String(o.numero),
    liCustomerId: o.customerId,
    customerEmail: null,
    status: o.status,
    subtotalCents: o.subtotalCents,
    shippingCents: o.shippingCents,
    discountCents: o.discountCents,
    totalCents: o.totalCents,
    placedAt: o.createdAt,
    updatedAt: o.updatedAt,
  }
}

function addCounts(a: SyncCounts, b: Record<string, number>): SyncCounts {
  const out: Record<string, number> = { ...(a as Record<string, number>) }
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v
  return out as SyncCounts
}

/** Applies one page inside the caller's transaction; returns the page's counts. */
async function applyPage(
  trx: Trx,
  ctx: AwardContext,
  resource: SyncResource,
  page: Page,
): Promise<Record<string, number>> {
  if (resource === 'orders') {
    const c = await applyOrders(trx, ctx, (page.items as LiOrderSummary[]).map(toIncoming))
    return {
      seen: c.seen,
      created: c.created,
      updated: c.updated,
      awarded: c.awarded,
      reversed: c.reversed,
      held: c.held,
    }
  }
  const customers = page.items as LiCustomer[]
  const { counts, linkedLiIds } = await upsertStoreCustomers(
    trx,
    ctx.programId,
    customers.map((c) => ({ liCustomerId: c.id, email: c.email, name: c.name, cpf: c.cpf, birthDate: c.birthDate })),
  )
  // Orders that arrived before their customer was a member earn now.
  const held = await heldOrderIds(trx, ctx.programId, linkedLiIds)
  const released = held.length ? await reapplyStored(trx, ctx, 'li', held) : null
  return { ...counts, ordersReleased: held.length, awarded: released?.awarded ?? 0 }
}

interface Fetched {
  page: Page
  /** Position the page was read from, and the one after it (null: the run has read everything). */
  pos: Position
  next: Position | null
  note?: PassNote
}

/**
 * Reads pages ahead of the writer: LI's latency and the database's overlap, and every page
 * that has arrived while the previous transaction ran is written in the next one (up to
 * `maxPages`), so a fast store costs few transactions and a slow one still commits page by page.
 */
function pageReader(
  client: LiClient,
  resource: SyncResource,
  from: Position,
  deadline: number,
  maxBuffered: number,
  maxOffset: number,
) {
  const buffered: Fetched[] = []
  let done = false
  let failure: unknown = null
  let stopped = false
  let waiters: Array<() => void> = []
  const signal = () => {
    const woken = waiters
    waiters = []
    for (const w of woken) w()
  }
  const waitFor = async (cond: () => boolean): Promise<void> => {
    while (!cond()) await new Promise<void>((resolve) => waiters.push(resolve))
  }

  void (async () => {
    let pos = from
    try {
      for (;;) {
        const page = await fetchPage(client, resource, pos)
        if (stopped) return
        const { next, note } = advance(pos, page, maxOffset)
        buffered.push({ page, pos, next, ...(note ? { note } : {}) })
        signal()
        if (!next || Date.now() >= deadline) break
        pos = next
        await waitFor(() => stopped || buffered.length < maxBuffered)
        if (stopped) return
      }
    } catch (err) {
      failure = err
    }
    done = true
    signal()
  })()

  return {
    /** Everything read so far (at least one page), or [] when the reader has finished. */
    async take(max: number): Promise<Fetched[]> {
      await waitFor(() => buffered.length > 0 || done)
      if (buffered.length === 0 && failure) throw failure
      const batch = buffered.splice(0, max)
      signal()
      return batch
    },
    stop() {
      stopped = true
      signal()
    },
  }
}

async function syncResource(
  deps: SyncDeps,
  client: LiClient,
  ctx: AwardContext,
  resource: SyncResource,
  deadline: number,
  opts: SyncOptions,
  limited: { count: number },
): Promise<'done' | 'continue'> {
  let state: SyncState = await integrations.getOrCreateSyncState(deps.db, ctx.programId, resource)
  if (!state.run_started_at || !state.run_next) {
    const start = startPosition(resource, state.cursor)
    await integrations.updateSyncState(deps.db, ctx.programId, resource, {
      run_started_at: new Date(),
      run_since: start.mode === 'time' && start.since ? new Date(start.since) : null,
      run_next: JSON.stringify(start),
      run_total: null,
      run_counts: JSON.stringify({}),
    })
    state = await integrations.getOrCreateSyncState(deps.db, ctx.programId, resource)
  }
  // ~2,000 rows per transaction. Half that (20/10 pages) was measured on the sync bench (6 runs
  // interleaved with these defaults): slower in every pair, and peak RSS within noise (−5 MB or
  // so), because the process' peak is its baseline plus garbage awaiting a major GC, not the batch.
  const maxPages = opts.maxPagesPerCommit ?? (resource === 'orders' ? 40 : 20)
  const reader = pageReader(
    client,
    resource,
    resumePosition(resource, JSON.parse(state.run_next!) as Position),
    deadline,
    maxPages,
    opts.maxOffset ?? MAX_OFFSET,
  )
  let limitedTaken = 0
  try {
    for (;;) {
      const batch = await reader.take(maxPages)
      if (batch.length === 0) return 'continue' // stopped by the deadline after the last commit
      const first = batch[0]!
      const last = batch[batch.length - 1]!
      await deps.db.transaction().execute(async (trx) => {
        const locked = await integrations.lockSyncState(trx, ctx.programId, resource)
        if (locked.run_next !== JSON.stringify(first.pos)) throw new SyncRaceError('another sync moved this run on')
        // All pages in one go: a handful of statements per transaction, however many pages.
        const merged = {
          items: batch.flatMap((f) => f.page.items as Array<LiOrderSummary | LiCustomer>),
          total: first.page.total,
          next: last.page.next,
        } as Page
        const notes: Record<string, number> = {}
        for (const f of batch) if (f.note) notes[f.note] = (notes[f.note] ?? 0) + 1
        // The reader keeps going meanwhile: only what is counted here is taken off after the commit.
        limitedTaken = limited.count
        if (limitedTaken > 0) notes.rateLimited = limitedTaken
        const counts = addCounts(locked.run_counts, { ...(await applyPage(trx, ctx, resource, merged)), ...notes })
        if (last.next) {
          await integrations.updateSyncState(trx, ctx.programId, resource, {
            run_next: JSON.stringify(last.next),
            run_counts: JSON.stringify(counts),
            run_total: locked.run_total ?? first.page.total,
          })
        } else {
          const bound = passBound(last.pos, last.page)
          await integrations.updateSyncState(trx, ctx.programId, resource, {
            cursor: bound ? new Date(Math.max(bound.getTime(), locked.cursor?.getTime() ?? 0)) : locked.cursor,
            last_run_started_at: locked.run_started_at,
            last_run_finished_at: new Date(),
            last_counts: JSON.stringify(counts),
            last_error: null,
            last_error_at: null,
            run_started_at: null,
            run_since: null,
            run_next: null,
            run_total: null,
            run_counts: JSON.stringify({}),
          })
        }
        await opts.hooks?.beforeCommit?.(resource, first.pos)
      })
      limited.count -= limitedTaken
      await opts.hooks?.afterCommit?.(resource, first.pos)
      if (!last.next) return 'done'
      if (Date.now() >= deadline && batch.length > 0) {
        // Whatever the reader already holds is simply read again by the next job.
        return 'continue'
      }
    }
  } finally {
    reader.stop()
  }
}

/**
 * Where the cursor moves once a pass is read: for orders, LI's clock at the pass's first page
 * (see Position); without a Date header, and for customers (listed in change order), the newest
 * modification seen.
 */
function passBound(pos: Position, page: Page): Date | null {
  if (pos.mode !== 'time') {
    const liNow = passClock(pos.liNow, page)
    if (liNow) return new Date(liNow)
  }
  return newestSeen(pos, page)
}

/** A position saved by an older version: an orders pass in `time` mode starts again as a window pass. */
function resumePosition(resource: SyncResource, pos: Position): Position {
  return resource === 'orders' && pos.mode === 'time' ? windowPass(pos.since, pos.maxSeen, null) : pos
}

/** The newest modification seen by the run up to and including `page`. */
function newestSeen(pos: Position, page: Page): Date | null {
  let max = pos.maxSeen ? Date.parse(pos.maxSeen) : null
  for (const i of page.items as Array<{ updatedAt: Date | null }>)
    if (i.updatedAt && (max === null || i.updatedAt.getTime() > max)) max = i.updatedAt.getTime()
  return max === null ? null : new Date(max)
}
