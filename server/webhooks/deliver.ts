import { Webhook } from 'standardwebhooks'
import type { Trx } from '../db/database.ts'
import type { AppDeps } from '../deps.ts'
import { emailDeps, queueEmail } from '../email/service.ts'
import { decryptSecret } from '../lib/crypto.ts'
import { isPublicAddress } from '../lib/net.ts'
import { getMerchant } from '../merchants/service.ts'
import { findMember } from '../members/service.ts'
import { findProgramById } from '../programs/service.ts'
import { isLoopbackAddress, postWebhook, type PostResult } from './http-post.ts'
import { deliveryQueue } from './queues.ts'
import * as repo from './repository.ts'
import { messageId, nextAttemptAt, shouldDisable, stampUnit } from './rules.ts'
import { secretContext } from './service.ts'

type Deps = Pick<AppDeps, 'db' | 'config' | 'secrets' | 'jobs' | 'log'>
type Attempt = NonNullable<Awaited<ReturnType<typeof repo.findForAttempt>>>

/**
 * The Standard Webhooks headers: `webhook-signature` holds one `v1,<base64 HMAC-SHA256 of
 * id.timestamp.body>` per valid secret — the current one, and for 24 h after a rotation the one it
 * replaced — separated by spaces, as the spec allows; the library's verify accepts any of them.
 */
export function signatureHeaders(secrets: string[], msgId: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(msgId, at, body)).join(' '),
  }
}

function validSecrets(deps: Deps, d: Attempt, now: Date): string[] {
  const key = deps.secrets.encryptionKey
  const out = [decryptSecret(key, d.secret_enc, secretContext(d.endpoint_id))]
  if (d.previous_secret_enc && d.previous_secret_expires_at && d.previous_secret_expires_at > now)
    out.push(decryptSecret(key, d.previous_secret_enc, secretContext(d.endpoint_id)))
  return out
}

/**
 * The request body: `{type, timestamp, data}` (the spec's recommended envelope). The outbox keeps
 * facts only; the member's current e-mail, name and LI id are read now, so an erased member's
 * data is never sent after the erasure and never kept in the outbox.
 */
async function body(deps: Deps, d: Attempt): Promise<string> {
  const program = await findProgramById(deps.db, d.program_id)
  const data = stampUnit(d.data, program?.mode === 'cashback' ? 'cents' : 'points') as Record<string, unknown>
  if (typeof data.memberId === 'number') {
    const m = await findMember(deps.db, d.program_id, data.memberId)
    data.member = m ? { id: m.id, email: m.email, name: m.name, liCustomerId: m.li_customer_id } : null
  }
  return JSON.stringify({ type: d.type, timestamp: d.event_created_at.toISOString(), data })
}

/** One attempt of a delivery (the job's handler); idempotent by the attempt count. */
export async function attemptDelivery(deps: Deps, deliveryId: number, attempt: number): Promise<void> {
  const d = await repo.findForAttempt(deps.db, deliveryId)
  if (d?.status !== 'pending' || d.attempts !== attempt) return
  if (!d.enabled) {
    await repo.failDelivery(deps.db, d.id, 'endpoint turned off')
    return
  }
  const sentAt = new Date()
  const payload = await body(deps, d)
  const allowLoopback = deps.config.webhookAllowLoopback
  const result = await postWebhook(
    d.url,
    payload,
    signatureHeaders(validSecrets(deps, d, sentAt), messageId(d.event_id), sentAt, payload),
    {
      timeoutMs: deps.config.webhookTimeoutMs,
      allowAddress: (a) => isPublicAddress(a) || (allowLoopback && isLoopbackAddress(a)),
    },
  )
  await deps.db.transaction().execute((trx) => record(trx, deps, d, result))
}

async function record(trx: Trx, deps: Deps, d: Attempt, result: PostResult): Promise<void> {
  const now = new Date()
  if (result.ok) {
    const done = await repo.recordAttempt(trx, d.id, d.attempts, {
      status: 'delivered',
      response_status: result.status,
      last_error: null,
      next_attempt_at: null,
      delivered_at: now,
      last_attempt_at: now,
    })
    if (done) await repo.markHealthy(trx, d.endpoint_id)
    return
  }
  const next = nextAttemptAt(d.window_started_at, d.attempts + 1, now, deps.config.webhookRetryBaseMs)
  const done = await repo.recordAttempt(trx, d.id, d.attempts, {
    status: next ? 'pending' : 'failed',
    response_status: result.status,
    last_error: result.error.slice(0, 500),
    next_attempt_at: next,
    delivered_at: null,
    last_attempt_at: now,
  })
  if (!done) return
  if (next)
    await deps.jobs.enqueue(trx, deliveryQueue, { deliveryId: d.id, attempt: done.attempts }, { startAfter: next })
  const endpoint = await repo.markFailing(trx, d.endpoint_id, now)
  if (endpoint?.enabled && shouldDisable(endpoint.failing_since, now)) await disable(trx, deps, endpoint.id, d, result)
}

/** Three days of failures: the endpoint is turned off (once) and the merchant told by e-mail. */
async function disable(trx: Trx, deps: Deps, endpointId: string, d: Attempt, result: PostResult & { ok: false }) {
  const now = new Date()
  const row = await repo.disableFailing(trx, endpointId, now)
  if (!row) return
  deps.log.warn('webhook endpoint turned off after 3 days of failures', { programId: d.program_id, endpointId })
  const program = await findProgramById(trx, d.program_id)
  if (!program) return
  const merchant = await getMerchant(trx, program.merchant_id)
  await queueEmail(trx, emailDeps(deps), {
    programId: d.program_id,
    kind: 'webhook_disabled',
    to: merchant.email,
    data: {
      url: row.url,
      failingSince: (row.failing_since ?? now).toISOString(),
      lastError: result.error,
      panelUrl: `${deps.config.publicUrl}/panel/configuracoes/integracao/webhooks`,
    },
    dedupeKey: `webhook_disabled:${endpointId}:${now.getTime()}`,
  })
}
