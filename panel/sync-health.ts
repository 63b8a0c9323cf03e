import type { SyncStatusView } from '../shared/api/integrations.ts'

/** Counts a merchant cares about, in reading order; paging internals (pages, requests) are left out. */
const SHOWN = ['seen', 'created', 'updated', 'awarded', 'reversed', 'held'] as const

export function countsToShow(counts: Record<string, number>): Array<[string, number]> {
  return SHOWN.filter((k) => (counts[k] ?? 0) > 0).map((k) => [k, counts[k]!])
}

/** What a run had to work around (server/integrations/sync.ts), told as a sentence each. */
const NOTES = ['listingFallback', 'repaged', 'narrowed', 'rateLimited'] as const
export type SyncNote = (typeof NOTES)[number]

export function syncNotes(counts: Record<string, number>): SyncNote[] {
  return NOTES.filter((k) => (counts[k] ?? 0) > 0)
}

/**
 * How long after "Sincronizar agora" (or "Importar agora") the panel keeps polling for the queued
 * run to show up and finish (jobs are picked up within seconds; a busy worker may take longer).
 */
export const POLL_AFTER_REQUEST_MS = 120_000

/** What the panel remembers of a "Sincronizar agora": when, and the last finished run at that moment. */
export interface SyncRequest {
  at: number
  finishedBefore: string | null
}

/**
 * Poll while a run is in progress, or for a while after the merchant asked for one until a run
 * newer than the one finished at the click has finished (compared on the server's own times, so
 * the browser's clock does not matter).
 */
export function shouldPoll(status: SyncStatusView, request: SyncRequest | null, now: number): boolean {
  if (!status.active || status.credentialsRejected) return false
  if (status.customers.running || status.orders.running) return true
  if (request === null || now - request.at > POLL_AFTER_REQUEST_MS) return false
  return status.orders.lastRunFinishedAt === request.finishedBefore
}
