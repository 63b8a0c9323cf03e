import type { AppDeps } from '../deps.ts'
import { deliveryQueue } from './queues.ts'
import * as repo from './repository.ts'

const BATCH = 500

/**
 * The outbox relay: events committed by the features' transactions become one delivery per
 * enabled endpoint listening to their type, each with its first attempt's job, in one
 * transaction per batch (rows locked with SKIP LOCKED, so any number of worker processes can run
 * it). Endpoints are matched now, not at emit time: one turned off meanwhile gets nothing.
 * Returns how many events were dispatched.
 */
export async function dispatchEvents(deps: Pick<AppDeps, 'db' | 'jobs'>): Promise<number> {
  let total = 0
  for (;;) {
    const { events, deliveries } = await deps.db.transaction().execute(async (trx) => {
      const claimed = (await repo.claimEvents(trx, BATCH)).map((e) => e.id)
      if (claimed.length === 0) return { events: 0, deliveries: 0 }
      const ids = await repo.insertDeliveries(trx, claimed)
      for (const deliveryId of ids) await deps.jobs.enqueue(trx, deliveryQueue, { deliveryId, attempt: 0 })
      await repo.markDispatched(trx, claimed)
      return { events: claimed.length, deliveries: ids.length }
    })
    if (deliveries > 0) deps.jobs.wake(deliveryQueue)
    total += events
    if (events < BATCH) return total
  }
}
