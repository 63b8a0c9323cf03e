import type { AppDeps } from '../deps.ts'
import * as integrations from './repository.ts'
import { upsertStoreCustomers } from '../members/store-customers.ts'
import { applyOrders, orderIdsPage, reapplyStored } from '../orders/service.ts'
import { LiError } from '../loja-integrada/client.ts'
import { clientFor } from '../loja-integrada/connection.ts'
import {
  orderUpdateQueue,
  reevaluateQueue,
  SYNC_PRIORITY,
  schedulerQueue,
  syncQueue,
} from '../loja-integrada/queues.ts'
import { markCredentialsRejected } from './service.ts'
import { awardContext, runSync, toIncoming, type SyncDeps } from './sync.ts'

/**
 * A sync job works this long, then re-enqueues itself (behind every store's poll) and lets others
 * run: with hundreds of stores a minute keeps the sync workers rotating (README, "Running many stores").
 */
export const SYNC_JOB_BUDGET_MS = 60_000
const STATUS_REFRESH_MS = 24 * 3600_000

export function registerLiWorkers(deps: AppDeps): void {
  deps.jobs.register({ ...syncQueue, workers: deps.config.liSyncWorkers }, async ({ programId }) => {
    await refreshStatusesIfStale(deps, programId)
    const outcome = await runSync(deps, programId, { deadline: Date.now() + SYNC_JOB_BUDGET_MS })
    if (outcome === 'continue')
      await deps.jobs.enqueue(
        deps.db,
        syncQueue,
        { programId },
        { key: programId, priority: SYNC_PRIORITY.continuation },
      )
  })
  deps.jobs.register(orderUpdateQueue, async ({ programId, numero }) => {
    await updateOneOrder(deps, programId, numero)
  })
  deps.jobs.register(schedulerQueue, async () => {
    await scheduleDueSyncs(deps)
  })
  deps.jobs.register(reevaluateQueue, async ({ programId }) => {
    await reevaluateOrders(deps, programId)
  })
}

/** How often the scheduler runs (schedulerQueue's cron): a store due before the next tick is queued now. */
export const SCHEDULER_TICK_MS = 60_000

/**
 * Every minute: a sync for each active integration whose interval passes before the next tick, or
 * whose run was cut short. A sync due within the tick is queued to start at its due time, not at
 * the tick after it: a tick only finds a store due when its interval is over, and a run always
 * starts a little after the tick that queued it, so "due at the next tick" made every interval
 * one minute longer (fleet bench: 180 s between polls of a 120 s interval).
 */
export async function scheduleDueSyncs(deps: SyncDeps, now = new Date()): Promise<number> {
  const intervalMs = deps.config.syncIntervalMinutes * 60_000
  let queued = 0
  for (const { program_id: programId } of await integrations.listActiveIntegrations(deps.db)) {
    const states = await integrations.findSyncStates(deps.db, programId)
    // A store mid-run (an import, or a run cut short) is queued with the continuations, now; one
    // whose run is over gets a poll, ahead of them. Stately: a send while one is queued is dropped.
    const midRun = states.some((s) => s.run_started_at !== null)
    const dueAt =
      states.length < 2 || midRun || states.some((s) => !s.last_run_started_at)
        ? now.getTime()
        : Math.min(...states.map((s) => s.last_run_started_at!.getTime())) + intervalMs
    if (dueAt >= now.getTime() + SCHEDULER_TICK_MS) continue
    const priority = midRun ? SYNC_PRIORITY.continuation : SYNC_PRIORITY.poll
    await deps.jobs.enqueue(
      deps.db,
      syncQueue,
      { programId },
      { key: programId, priority, ...(dueAt > now.getTime() ? { startAfter: new Date(dueAt) } : {}) },
    )
    queued++
  }
  return queued
}

/** The store's status list, refreshed daily (it is also read whenever a key is saved). */
export async function refreshStatusesIfStale(deps: SyncDeps, programId: string, now = new Date()): Promise<void> {
  const integration = await integrations.findIntegration(deps.db, programId)
  if (!integration?.active || integration.credentials_rejected_at) return
  if (integration.statuses_fetched_at && now.getTime() - integration.statuses_fetched_at.getTime() < STATUS_REFRESH_MS)
    return
  try {
    const statuses = await clientFor(deps, integration).listStatuses()
    await deps.db.transaction().execute(async (trx) => {
      await integrations.replaceStatuses(trx, programId, statuses)
      await integrations.updateIntegration(trx, programId, { statuses_fetched_at: now })
    })
  } catch (err) {
    // Stale statuses still work; the sync that follows reports LI's failure properly.
    deps.log.warn('status refresh failed', { programId, err: (err as Error).message })
  }
}

/**
 * A webhook said order `numero` changed: read it (the webhook body is not trusted — its secret is
 * static) and apply it. The detail carries the customer, so a first-time buyer is enrolled on the
 * spot instead of waiting for the customer sync.
 */
export async function updateOneOrder(
  deps: SyncDeps,
  programId: string,
  numero: number,
): Promise<'applied' | 'skipped'> {
  const integration = await integrations.findIntegration(deps.db, programId)
  if (!integration?.active || integration.credentials_rejected_at) return 'skipped'
  const ctx = await awardContext(deps, integration)
  if (!ctx) return 'skipped'
  let order
  try {
    order = await clientFor(deps, integration).getOrder(numero)
  } catch (err) {
    if (err instanceof LiError && err.kind === 'not_found') return 'skipped'
    if (err instanceof LiError && err.kind === 'auth') {
      await markCredentialsRejected(deps, programId)
      return 'skipped'
    }
    throw err
  }
  await deps.db.transaction().execute(async (trx) => {
    const c = order.customer
    if (c)
      await upsertStoreCustomers(
        trx,
        programId,
        [{ liCustomerId: c.id, email: c.email, name: c.name, cpf: c.cpf, birthDate: c.birthDate }],
        ctx.guard,
      )
    await applyOrders(trx, ctx, [toIncoming(order)])
  })
  return 'applied'
}

/** Re-applies every stored LI order after a rules change, 500 per transaction. */
export async function reevaluateOrders(deps: SyncDeps, programId: string): Promise<void> {
  const integration = await integrations.findIntegration(deps.db, programId)
  if (!integration) return
  const ctx = await awardContext(deps, integration)
  if (!ctx) return
  let after: string | null = null
  for (;;) {
    const ids = await orderIdsPage(deps.db, programId, 'li', after, 500)
    if (ids.length === 0) return
    await deps.db.transaction().execute((trx) => reapplyStored(trx, ctx, 'li', ids))
    after = ids[ids.length - 1]!
  }
}
