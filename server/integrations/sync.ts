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
 * later one): re-reading 10 minutes costs a page or two and catches them. Replays are harmless —
 * applying an order is state-based.
 */
export const OVERLAP_MS = 10 * 60_000

/** LI rejects offset + limit above ~10,000; a keyed page never needs more than a few. */
const MAX_OFFSET = 9_900

const ORDER_PAGE = 50 // the documented maximum of /pedido/search
const CUSTOMER_PAGE = 100

/**
 * Where a run stands, persisted in sync_state.run_next after every page in the same transaction
 * as the page's effects — so a run killed anywhere resumes from the last committed page and
 * re-applies at most one page (idempotently).
 *
 * Pages are keyed, never deep offsets: `numero` walks a first import by since_numero (a new order
 * always gets a higher numero, so nothing shifts under us); `time` walks since_atualizado, with
 * `skip` stepping over the items of the anchor second already read (LI filters by whole seconds).
 */
export type Position =
  | { mode: 'numero'; after: number; maxSeen: string | null }
  | { mode: 'time'; since: string | null; skip: number; maxSeen: string | null }

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
    statuses: new Map(statuses.map((s) => [s.id, { id: s.id, code: s.code, name: s.name, cancelled: s.cancelled, final: s.final }])),
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
  const client = clientFor(deps, integration)
  const deadline = opts.deadline ?? Number.POSITIVE_INFINITY
  let resource: SyncResource = 'customers'
  try {
    if ((await syncResource(deps, client, ctx, 'customers', deadline, opts)) === 'continue') return 'continue'
    resource = 'orders'
    return await syncResource(deps, client, ctx, 'orders', deadline, opts)
  } catch (err) {
    return handleFailure(deps, programId, resource, err)
  }
}

/**
 * 401/403 mark the integration "credentials rejected" and stop its jobs (no retry can help until
 * the merchant saves a new key); anything else is recorded and re-thrown so pg-boss retries.
 */
async function handleFailure(deps: SyncDeps, programId: string, resource: SyncResource, err: unknown): Promise<SyncOutcome> {
  if (err instanceof SyncRaceError) return 'skipped'
  const message = err instanceof LiError ? `${err.kind}: ${err.message}` : err instanceof Error ? err.message : String(err)
  await integrations.updateSyncState(deps.db, programId, resource, { last_error: message.slice(0, 500), last_error_at: new Date() })
  if (err instanceof LiError && err.kind === 'auth') {
    await markCredentialsRejected(deps, programId)
    return 'credentials_rejected'
  }
  throw err
}

function startPosition(resource: SyncResource, cursor: Date | null): Position {
  if (resource === 'orders' && cursor === null) return { mode: 'numero', after: 0, maxSeen: null }
  return { mode: 'time', since: cursor ? new Date(cursor.getTime() - OVERLAP_MS).toISOString() : null, skip: 0, maxSeen: null }
}

type Page = LiPage<LiOrderSummary> | LiPage<LiCustomer>

function fetchPage(client: LiClient, resource: SyncResource, pos: Position): Promise<Page> {
  if (pos.mode === 'time' && pos.skip > MAX_OFFSET) throw new Error(`more than ${MAX_OFFSET} ${resource} modified within one second: cannot page past them`)
  if (resource === 'customers') {
    return client.searchCustomers({ ...(pos.mode === 'time' && pos.since ? { since: new Date(pos.since) } : {}), offset: pos.mode === 'time' ? pos.skip : 0, limit: CUSTOMER_PAGE })
  }
  return pos.mode === 'numero'
    ? client.searchOrders({ sinceNumero: pos.after + 1, limit: ORDER_PAGE })
    : client.searchOrders({ ...(pos.since ? { since: new Date(pos.since) } : {}), offset: pos.skip, limit: ORDER_PAGE })
}

const wholeSecond = (d: Date) => Math.floor(d.getTime() / 1000) * 1000

/** The position after `page`, or null when the run has read everything. Pure. */
export function advance(pos: Position, page: Page): Position | null {
  const items = page.items as Array<LiOrderSummary | LiCustomer>
  const newest = newestSeen(pos, page)
  const maxSeen = newest ? newest.toISOString() : null
  if (!page.next || items.length === 0) return null
  if (pos.mode === 'numero') {
    const numeros = (items as LiOrderSummary[]).map((o) => o.numero)
    return { mode: 'numero', after: Math.max(pos.after, ...numeros), maxSeen }
  }
  // Items come oldest change first: the last one's second anchors the next page.
  const last = [...items].reverse().find((i) => i.updatedAt !== null)?.updatedAt
  if (!last) return { ...pos, skip: pos.skip + items.length, maxSeen }
  const anchor = wholeSecond(last)
  const inAnchor = items.filter((i) => i.updatedAt !== null && wholeSecond(i.updatedAt) === anchor).length
  const sameAnchor = pos.since !== null && Date.parse(pos.since) === anchor
  return { mode: 'time', since: new Date(anchor).toISOString(), skip: sameAnchor ? pos.skip + items.length : inAnchor, maxSeen }
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
async function applyPage(trx: Trx, ctx: AwardContext, resource: SyncResource, page: Page): Promise<Record<string, number>> {
  if (resource === 'orders') {
    const c = await applyOrders(trx, ctx, (page.items as LiOrderSummary[]).map(toIncoming))
    return { seen: c.seen, created: c.created, updated: c.updated, awarded: c.awarded, reversed: c.reversed, held: c.held }
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
}

/**
 * Reads pages ahead of the writer: LI's latency and the database's overlap, and every page
 * that has arrived while the previous transaction ran is written in the next one (up to
 * `maxPages`), so a fast store costs few transactions and a slow one still commits page by page.
 */
function pageReader(client: LiClient, resource: SyncResource, from: Position, deadline: number, maxBuffered: number) {
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
        const next = advance(pos, page)
        buffered.push({ page, pos, next })
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
  const reader = pageReader(client, resource, JSON.parse(state.run_next!) as Position, deadline, maxPages)
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
        const merged = { items: batch.flatMap((f) => f.page.items as Array<LiOrderSummary | LiCustomer>), total: first.page.total, next: last.page.next } as Page
        const counts = addCounts(locked.run_counts, await applyPage(trx, ctx, resource, merged))
        if (last.next) {
          await integrations.updateSyncState(trx, ctx.programId, resource, {
            run_next: JSON.stringify(last.next),
            run_counts: JSON.stringify(counts),
            run_total: locked.run_total ?? first.page.total,
          })
        } else {
          const maxSeen = newestSeen(last.pos, last.page)
          await integrations.updateSyncState(trx, ctx.programId, resource, {
            cursor: maxSeen ? new Date(Math.max(maxSeen.getTime(), locked.cursor?.getTime() ?? 0)) : locked.cursor,
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

/** The newest modification seen by the run up to and including `page` (the next cursor). */
function newestSeen(pos: Position, page: Page): Date | null {
  let max = pos.maxSeen ? Date.parse(pos.maxSeen) : null
  for (const i of page.items as Array<{ updatedAt: Date | null }>) if (i.updatedAt && (max === null || i.updatedAt.getTime() > max)) max = i.updatedAt.getTime()
  return max === null ? null : new Date(max)
}
