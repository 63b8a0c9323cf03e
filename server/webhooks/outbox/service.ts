import type { WebhookEventType } from '../../../shared/api/webhooks.ts'
import type { Trx } from '../../db/database.ts'
import * as repo from './repository.ts'

/**
 * The write side of event webhooks, low in the layers so every feature where an event happens
 * (ledger, points, e-mail, members, orders, redemptions, privacy) can call it inside its own
 * transaction: the event row commits or rolls back with what it reports (transactional outbox).
 * A dispatcher (../dispatcher.ts) turns rows into deliveries after the commit.
 *
 * Cost on the hot path: what a program's endpoints listen to is read once per SUBSCRIPTIONS_TTL_MS
 * per process (a redemption asked it three times, a tenth of its statements on the redeem
 * bench); nothing is written when no enabled endpoint listens to the type (most programs have
 * none). So a new, changed or removed subscription takes effect within that time on other
 * processes (at once on the process that made the change, which forgets its copy). A later
 * subscription does not receive events from before it, as with any webhook provider; an event
 * written for an endpoint turned off meanwhile is simply not delivered (the relay reads the
 * endpoints again).
 *
 * `data` holds facts (ids, amounts, units); personal data (e-mail, name) is added at delivery
 * from the member's current row, so the outbox never keeps a copy an erasure would have to find.
 */
export interface WebhookEventInput {
  type: WebhookEventType
  data: Record<string, unknown>
}

/** Writes one event in the caller's transaction (when someone listens). */
export async function emit(
  trx: Trx,
  programId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<void> {
  await emitMany(trx, programId, [{ type, data }])
}

/**
 * Writes a batch of events of one program in one statement (when someone listens). `events` may
 * be a function, called only when an endpoint listens: the sync's batches then build no payloads.
 */
export async function emitMany(
  trx: Trx,
  programId: string,
  events: readonly WebhookEventInput[] | (() => readonly WebhookEventInput[]),
): Promise<void> {
  if (Array.isArray(events) && events.length === 0) return
  const listened = await subscriptions(trx, programId)
  if (listened.size === 0) return
  const wanted = (typeof events === 'function' ? events() : events).filter((e) => listened.has(e.type))
  await repo.insertEvents(
    trx,
    programId,
    wanted.map((e) => ({ type: e.type, data: JSON.stringify(e.data) })),
  )
}

/** The `unit` of every amount in an event: points today; cashback programs will say 'cents'. */
export type AmountUnit = 'points' | 'cents'

/** How long a process trusts what it read of a program's subscriptions. */
export const SUBSCRIPTIONS_TTL_MS = 2_000
const MAX_CACHED = 10_000
const cached = new Map<string, { types: Set<string>; at: number }>()

async function subscriptions(trx: Trx, programId: string): Promise<Set<string>> {
  const hit = cached.get(programId)
  const now = Date.now()
  if (hit && now - hit.at < SUBSCRIPTIONS_TTL_MS) return hit.types
  const types = await repo.subscribedTypes(trx, programId)
  if (cached.size >= MAX_CACHED) cached.clear() // program ids are few; a bound, not an LRU
  cached.set(programId, { types, at: now })
  return types
}

/**
 * Drops this process's copy of a program's subscriptions: the webhooks service calls it after
 * every change of an endpoint (and again once it commits), so this process sees the change at once.
 */
export function forgetSubscriptions(programId: string): void {
  cached.delete(programId)
}
