import { emailsSent } from '../lib/metrics.ts'
import * as v from 'valibot'
import type { Executor } from '../db/database.ts'
import { defineQueue, type Jobs } from '../jobs/jobs.ts'
import type { Logger } from '../lib/logger.ts'
import * as repo from './repository.ts'
import { messageIdFor, type MailTransport, type SendResult } from './transport.ts'

/**
 * One job per outbox row. Backoff from 30 s doubling (with jitter) over 8 retries spans roughly
 * 2–4 hours: long enough to ride out an SMTP provider's outage. Login codes stop earlier on their
 * own, because the worker gives up on an expired row instead of sending it.
 */
export const emailQueue = defineQueue({
  name: 'email-send',
  schema: v.object({ outboxId: v.pipe(v.number(), v.integer(), v.minValue(1)) }),
  retryLimit: 8,
  retryDelaySeconds: 30,
  retryBackoff: true,
  // Also the row's claim: a worker killed mid-send leaves a claim that lapses when pg-boss
  // expires the job, so the retry can take the row over. Far above the transport's timeouts.
  expireInSeconds: 120,
  // Two: a code a person is waiting for is never stuck behind one e-mail held back by a burst
  // of coupons (see deliverOutboxEmail); codes are also fetched first (URGENT_PRIORITY).
  workers: 2,
})

/** E-mails a person is waiting for right now, to type what they carry. Never held back. */
export const URGENT_KINDS: ReadonlySet<string> = new Set(['login_code', 'erasure_code'])
/** pg-boss priority of an urgent e-mail's job: fetched before the others waiting. */
export const URGENT_PRIORITY = 10
/**
 * The rest waits while this process's coupon jobs are busy (a burst of redemptions), this long
 * at most: the shoppers are waiting for their coupons, not for these e-mails. Short, so a code
 * that came to the other worker meanwhile is never far behind.
 */
const DELIVERY_DEFER_MAX_MS = 2_000

export interface EmailWorkerDeps {
  db: Executor
  transport: MailTransport
  log: Logger
  /** Resolves when the process's interactive jobs are quiet (Jobs.whenQuiet); none: never waits. */
  whenQuiet?: (maxWaitMs: number) => Promise<void>
  /** Tests shorten the schedule; production uses emailQueue's. */
  retry?: { limit?: number; delaySeconds?: number }
}

export type DeliveryOutcome = 'sent' | 'failed' | 'expired' | 'skipped'

/** The row's current claim is held by another live worker: come back later. */
export class EmailBusyError extends Error {
  constructor(id: number) {
    super(`outbox e-mail ${id} is being sent by another worker`)
    this.name = 'EmailBusyError'
  }
}

/** A short, body-free description of a send error, for the row (logs get it redacted). */
function describeError(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; responseCode?: unknown }
  const message = typeof e?.message === 'string' ? e.message : String(err)
  const code = typeof e?.code === 'string' ? e.code : undefined
  return (code && !message.includes(code) ? `${code}: ${message}` : message).slice(0, 1000)
}

/** SMTP replies often echo the recipient; logs and job output get the error without it. */
export function redactAddresses(s: string): string {
  return s.replace(/[^\s<>@"',;:()[\]]+@[^\s<>@"',;:()[\]]+/g, '[address]')
}

/**
 * Retrying cannot help when the server refused this message or its recipient for good (5xx on
 * RCPT/DATA, nodemailer's `permanent`). Everything else — connection errors, timeouts, 4xx, and
 * also authentication failures (a configuration fix makes the retry succeed) — is retried.
 */
export function isPermanentFailure(err: unknown): boolean {
  const e = err as { permanent?: unknown; code?: unknown }
  return e?.permanent === true && (e.code === 'EENVELOPE' || e.code === 'EMESSAGE')
}

/**
 * Sends one outbox row, at most once per success: a row already 'sent' (a duplicate job, or a
 * retry after success) is skipped. Between the SMTP server's "accepted" and our `markSent` a crash
 * can still cause one resend; it carries the same Message-ID.
 */
export async function deliverOutboxEmail(
  deps: EmailWorkerDeps,
  id: number,
  attempt: { final: boolean; leaseSeconds: number },
): Promise<DeliveryOutcome> {
  const row = await repo.claimForSending(deps.db, id, attempt.leaseSeconds)
  if (!row) {
    const current = await repo.findOutbox(deps.db, id)
    if (current?.status === 'sending' && !attempt.final) throw new EmailBusyError(id)
    // Sent or failed already, or gone with its program: nothing to do.
    deps.log.info('email skipped', { outboxId: id, status: current?.status ?? 'missing' })
    return 'skipped'
  }
  const log = deps.log.child({ outboxId: id, kind: row.kind, programId: row.program_id, attempt: row.attempts })

  if (row.expires_at && row.expires_at.getTime() <= Date.now()) {
    await repo.markFailed(deps.db, id, 'expired before it could be sent')
    log.warn('email expired before it could be sent')
    return 'expired'
  }
  if (row.text_body === null || row.html_body === null) {
    await repo.markFailed(deps.db, id, 'body missing')
    log.error('email has no body')
    return 'failed'
  }

  if (!URGENT_KINDS.has(row.kind)) await deps.whenQuiet?.(DELIVERY_DEFER_MAX_MS)

  let result: SendResult
  try {
    result = await deps.transport.send({
      outboxId: row.id,
      fromName: row.from_name,
      to: row.to_address,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
      headers: row.headers,
      messageId: row.message_id ?? messageIdFor(deps.transport, row.id, row.created_at),
    })
  } catch (err) {
    const error = describeError(err)
    const permanent = isPermanentFailure(err)
    if (permanent || attempt.final) {
      await repo.markFailed(deps.db, id, error)
      emailsSent.inc({ result: 'failed' })
      log.warn('email failed', { permanent, error: redactAddresses(error) })
      return 'failed'
    }
    await repo.markRetry(deps.db, id, error)
    emailsSent.inc({ result: 'retried' })
    log.warn('email send failed, will retry', { error: redactAddresses(error) })
    // A plain error: pg-boss stores it in the job's output, so only the redacted message goes there.
    throw new Error(redactAddresses(error))
  }
  // Outside the try: if recording fails, the message did go out. The row stays 'sending' until its
  // claim lapses; the job's retry then sends it once more (same Message-ID) rather than lose it.
  await repo.markSent(deps.db, id, result.messageId)
  emailsSent.inc({ result: 'sent' })
  log.info('email sent', { transport: deps.transport.kind })
  return 'sent'
}

/**
 * Registers the e-mail queue on `jobs` — every process that queues e-mails needs this — with its
 * handler, which runs where `jobs.start({ work: true })`.
 */
export function registerEmailWorker(
  jobs: Pick<Jobs, 'register'> & Partial<Pick<Jobs, 'whenQuiet'>>,
  workerDeps: EmailWorkerDeps,
): void {
  const deps: EmailWorkerDeps = jobs.whenQuiet ? { whenQuiet: (ms) => jobs.whenQuiet!(ms), ...workerDeps } : workerDeps
  const queue = {
    ...emailQueue,
    retryLimit: deps.retry?.limit ?? emailQueue.retryLimit,
    retryDelaySeconds: deps.retry?.delaySeconds ?? emailQueue.retryDelaySeconds,
  }
  jobs.register(queue, async ({ outboxId }, job) => {
    await deliverOutboxEmail(deps, outboxId, {
      final: job.retryCount >= queue.retryLimit,
      leaseSeconds: queue.expireInSeconds,
    })
  })
}
