import type { AppDeps } from '../deps.ts'
import { attemptDelivery } from './deliver.ts'
import { dispatchEvents } from './dispatcher.ts'
import { deliveryQueue } from './queues.ts'

/** Seconds between outbox relays: an event reaches its endpoints about this long after its commit. */
const DISPATCH_EVERY_SECONDS = 1

export function registerWebhookWorkers(deps: AppDeps): void {
  deps.jobs.register(deliveryQueue, ({ deliveryId, attempt }) => attemptDelivery(deps, deliveryId, attempt))
  deps.jobs.repeat('webhook-dispatch', DISPATCH_EVERY_SECONDS, async () => {
    await dispatchEvents(deps)
  })
}
