import type { Trx } from '../db/database.ts'
import type { Integration, SyncCounts, SyncResource, SyncState } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import * as integrations from './repository.ts'
import { markCredentialsRejected } from './service.ts'
import { cashbackEarnRules } from '../cashback/service.ts'
import { awardLifecycle } from '../points/service.ts'
import { upsertStoreCustomers } from '../members/store-customers.ts'
import { applyOrders, heldOrderIds, reapplyStored, type AwardContext, type IncomingOrder } from '../orders/service.ts'
import { findProgramById } from '../programs/service.ts'
import { LiError, type LiClient } from '../loja-integrada/client.ts'
import { clientFor } from '../loja-integrada/connection.ts'
import type { LiCustomer, LiOrder, LiOrderSummary } from '../loja-integrada/types.ts'
import { couponDetails } from './sync-coupons.ts'
import { MAX_OFFSET, passBound, resumePosition, startPosition, type Page, type Position } from './sync-position.ts'
import { pageReader } from './sync-reader.ts'

// The pure position logic is in sync-position.ts, the read-ahead page reader in sync-reader.ts;
// the sync's tests import it from here.
export { advance, type Position } from './sync-position.ts'

export type SyncDeps = Pick<AppDeps, 'config' | 'secrets' | 'db' | 'jobs' | 'log' | 'liFetch'>

/** A sync waits out 429s this long (inside the store's shared budget) before it yields the job. */
const RATE_LIMIT_PATIENCE_MS = 5 * 60_000

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
    cashback: await cashbackEarnRules(deps.db, program),
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

/** An LI order as the orders service takes it; a detail also says which coupon it used. */
export function toIncoming(o: LiOrderSummary | LiOrder): IncomingOrder {
  return {
    ...('couponCode' in o ? { couponCode: o.couponCode } : {}),
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
      // Read before the transaction: no LI request while rows are locked.
      const details =
        resource === 'orders'
          ? await couponDetails(
              deps.db,
              client,
              ctx.programId,
              batch.flatMap((f) => f.page.items as LiOrderSummary[]),
            )
          : null
      await deps.db.transaction().execute(async (trx) => {
        const locked = await integrations.lockSyncState(trx, ctx.programId, resource)
        if (locked.run_next !== JSON.stringify(first.pos)) throw new SyncRaceError('another sync moved this run on')
        // All pages in one go: a handful of statements per transaction, however many pages.
        const merged = {
          items: batch.flatMap((f) =>
            details?.size
              ? (f.page.items as LiOrderSummary[]).map((o) => details.get(o.numero) ?? o)
              : (f.page.items as Array<LiOrderSummary | LiCustomer>),
          ),
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
