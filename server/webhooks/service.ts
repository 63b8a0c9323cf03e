import { randomUUID } from 'node:crypto'
import type {
  CreateWebhookBody,
  UpdateWebhookBody,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookWithSecret,
} from '../../shared/api/webhooks.ts'
import type { Executor, Trx } from '../db/database.ts'
import type { WebhookDelivery, WebhookEndpoint } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { encryptSecret } from '../lib/crypto.ts'
import { AppError, notFound } from '../lib/errors.ts'
import { ipLiteral, obviouslyPrivateHost } from '../lib/net.ts'
import { idPage } from '../lib/paging.ts'
import { isLoopbackAddress } from './http-post.ts'
import { forgetSubscriptions } from './outbox/service.ts'
import { deliveryQueue } from './queues.ts'
import * as repo from './repository.ts'
import { messageId, newSecret, ROTATION_OVERLAP_MS } from './rules.ts'

/** The write side, for features where events happen (see ./outbox/service.ts). */
export { emit, emitMany } from './outbox/service.ts'

type Deps = Pick<AppDeps, 'config' | 'secrets' | 'jobs'>

/** The AES-GCM context of an endpoint's secrets: a ciphertext copied to another row does not decrypt. */
export const secretContext = (endpointId: string) => `webhook:${endpointId}`

export function toEndpointView(e: WebhookEndpoint): WebhookEndpointView {
  const overlap = e.previous_secret_expires_at
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    enabled: e.enabled,
    disabledReason: e.disabled_reason,
    disabledAt: e.disabled_at?.toISOString() ?? null,
    failingSince: e.failing_since?.toISOString() ?? null,
    previousSecretExpiresAt: overlap && overlap > new Date() ? overlap.toISOString() : null,
    createdAt: e.created_at.toISOString(),
  }
}

export function toDeliveryView(d: WebhookDelivery & { type: string }): WebhookDeliveryView {
  return {
    id: d.id,
    messageId: messageId(d.event_id),
    eventType: d.type,
    status: d.status,
    attempts: d.attempts,
    responseStatus: d.response_status,
    lastError: d.last_error,
    lastAttemptAt: d.last_attempt_at?.toISOString() ?? null,
    nextAttemptAt: d.status === 'pending' ? (d.next_attempt_at?.toISOString() ?? null) : null,
    deliveredAt: d.delivered_at?.toISOString() ?? null,
    createdAt: d.created_at.toISOString(),
  }
}

/**
 * An endpoint URL we will POST to: https on a host that is not obviously private (an IP literal
 * outside the public internet, `localhost`). Names are resolved and checked again at every
 * delivery (DNS can change). WEBHOOK_ALLOW_LOOPBACK lets tests use http on loopback only.
 */
function checkUrl(deps: Deps, raw: string): string {
  const url = new URL(raw)
  const literal = ipLiteral(url)
  const loopback =
    (literal !== null && isLoopbackAddress(literal)) || url.hostname.toLowerCase().replace(/\.$/, '') === 'localhost'
  if (deps.config.webhookAllowLoopback && loopback && (url.protocol === 'http:' || url.protocol === 'https:'))
    return url.href
  if (url.protocol !== 'https:')
    throw new AppError('validation_failed', 'url must start with https://', { field: 'url' })
  if (url.username || url.password)
    throw new AppError('validation_failed', 'url must not carry a user or password', { field: 'url' })
  const refused = obviouslyPrivateHost(url)
  if (refused) throw new AppError('validation_failed', `url points to a private address (${refused})`, { field: 'url' })
  return url.href
}

export async function listEndpoints(db: Executor, programId: string): Promise<WebhookEndpointView[]> {
  return (await repo.listEndpoints(db, programId)).map(toEndpointView)
}

export async function createEndpoint(
  db: Executor,
  deps: Deps,
  programId: string,
  body: CreateWebhookBody,
): Promise<WebhookWithSecret> {
  const id = randomUUID()
  const secret = newSecret()
  const row = await repo.insertEndpoint(db, {
    id,
    program_id: programId,
    url: checkUrl(deps, body.url),
    events: body.events,
    enabled: body.enabled ?? true,
    secret_enc: encryptSecret(deps.secrets.encryptionKey, secret, secretContext(id)),
  })
  forgetSubscriptions(programId) // written (autocommit): this process's events see it at once
  return { endpoint: toEndpointView(row), secret }
}

export async function updateEndpoint(
  db: Executor,
  deps: Deps,
  programId: string,
  endpointId: string,
  body: UpdateWebhookBody,
): Promise<WebhookEndpointView> {
  const row = await repo.updateEndpoint(db, programId, endpointId, {
    ...(body.url !== undefined ? { url: checkUrl(deps, body.url) } : {}),
    ...(body.events !== undefined ? { events: body.events } : {}),
    ...(body.enabled !== undefined ? { enabled: body.enabled, disabled_reason: null, disabled_at: null } : {}),
    // Back on after being turned off: the three days are counted afresh.
    ...(body.enabled === true ? { failing_since: null } : {}),
  })
  if (!row) throw notFound('Webhook endpoint')
  forgetSubscriptions(programId)
  return toEndpointView(row)
}

export async function deleteEndpoint(db: Executor, programId: string, endpointId: string): Promise<void> {
  if (!(await repo.deleteEndpoint(db, programId, endpointId))) throw notFound('Webhook endpoint')
  forgetSubscriptions(programId)
}

/**
 * A new secret, shown once. The one it replaces keeps signing beside it for 24 hours (Standard
 * Webhooks sends several space-separated signatures), so receivers switch without losing events.
 */
export async function rotateSecret(
  trx: Trx,
  deps: Deps,
  programId: string,
  endpointId: string,
): Promise<WebhookWithSecret> {
  const current = await repo.findEndpoint(trx, programId, endpointId)
  if (!current || !(await repo.lockEndpoint(trx, endpointId))) throw notFound('Webhook endpoint')
  const secret = newSecret()
  const row = await repo.updateEndpoint(trx, programId, endpointId, {
    secret_enc: encryptSecret(deps.secrets.encryptionKey, secret, secretContext(endpointId)),
    previous_secret_enc: current.secret_enc,
    previous_secret_expires_at: new Date(Date.now() + ROTATION_OVERLAP_MS),
  })
  return { endpoint: toEndpointView(row!), secret }
}

export async function listDeliveries(
  db: Executor,
  programId: string,
  endpointId: string,
  opts: { cursor?: string | undefined; limit?: number | undefined },
) {
  if (!(await repo.findEndpoint(db, programId, endpointId))) throw notFound('Webhook endpoint')
  const limit = opts.limit ?? 20
  const rows = await repo.listDeliveries(db, programId, endpointId, {
    limit: limit + 1,
    ...(opts.cursor ? { beforeId: Number(opts.cursor) } : {}),
  })
  return idPage(rows, limit, toDeliveryView)
}

/**
 * "Reenviar": the same event (same `webhook-id`, so a receiver that had it ignores it) is sent
 * again now, with a fresh 24-hour retry window, whatever its state.
 */
export async function resend(
  trx: Trx,
  deps: Deps,
  programId: string,
  endpointId: string,
  deliveryId: number,
): Promise<WebhookDeliveryView> {
  const endpoint = await repo.findEndpoint(trx, programId, endpointId)
  if (!endpoint) throw notFound('Webhook endpoint')
  if (!endpoint.enabled)
    throw new AppError('conflict', 'Turn the endpoint on before sending again', { field: 'enabled' })
  const row = await repo.reopenDelivery(trx, programId, endpointId, deliveryId, new Date())
  if (!row) throw notFound('Webhook delivery')
  await deps.jobs.enqueue(trx, deliveryQueue, { deliveryId: row.id, attempt: row.attempts })
  return toDeliveryView((await repo.findDelivery(trx, programId, endpointId, deliveryId))!)
}

/**
 * How long the delivery log keeps an event whose deliveries ended: "reenviar" works within it.
 * Without a limit the outbox grows by every earned point for as long as a store has a webhook.
 */
export const DELIVERY_LOG_DAYS = 30

/** Hourly: drops events (and their deliveries) that ended more than DELIVERY_LOG_DAYS ago. */
export async function pruneDeliveryLog(db: Executor, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - DELIVERY_LOG_DAYS * 24 * 3600 * 1000)
  let total = 0
  // Batches of 5,000 keep each statement short; an hour's new events never outrun 20 of them.
  for (let i = 0; i < 20; i++) {
    const n = await repo.deleteFinishedEvents(db, before, 5000)
    total += n
    if (n < 5000) break
  }
  return total
}
