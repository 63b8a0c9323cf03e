import type { Executor, Trx } from '../db/database.ts'
import type { AppDeps } from '../deps.ts'
import { AppError, notFound } from '../lib/errors.ts'
import type { Jobs } from '../jobs/jobs.ts'
import * as repo from './repository.ts'
import type { EmailCategory, EmailHeaders, EmailOutboxRow, EmailStatus } from '../db/email-schema.ts'
import {
  renderEmail,
  templates,
  type Brand,
  type EmailKind,
  type EmailTemplate,
  type TemplateDataMap,
} from './templates/index.ts'
import { ptBR } from './templates/pt-BR.ts'
import { deriveUnsubscribeKey, signUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe.ts'
import { emailQueue, URGENT_KINDS, URGENT_PRIORITY } from './worker.ts'
import { idPage } from '../lib/paging.ts'

/** Reads and writes other features need, through this service rather than the repository. */
export { insertUnsubscribe } from './repository.ts'

/** What queueing needs besides the transaction: the job registry and what links are built from. */
export interface EmailDeps {
  jobs: Pick<Jobs, 'enqueue' | 'enqueueMany'>
  /** Public base URL of this server (unsubscribe links). */
  publicUrl: string
  unsubscribeKey: Uint8Array
}

/** The e-mail deps from the app's own (config, secrets, jobs). */
export function emailDeps(deps: Pick<AppDeps, 'jobs' | 'config' | 'secrets'>): EmailDeps {
  return {
    jobs: deps.jobs,
    publicUrl: deps.config.publicUrl,
    unsubscribeKey: deriveUnsubscribeKey(deps.secrets.encryptionKey),
  }
}

export interface QueueEmailInput<K extends EmailKind> {
  programId: string
  /** The member it is about; required for marketing kinds (their unsubscribe link names them). */
  memberId?: number | null
  kind: K
  to: string
  data: TemplateDataMap[K]
  /** Why it is sent, pt-BR, shown in the footer; defaults to the template's own reason. */
  reason?: string
  /** Same key in the same program = the same e-mail: queued once, ever. */
  dedupeKey?: string
  /** Not sent before this instant (the welcome drip spaces its e-mails with it). */
  sendAfter?: Date
}

/** An outbox row as the rest of the server sees it: never the bodies. */
export interface OutboxEmail {
  id: number
  programId: string | null
  memberId: number | null
  kind: string
  category: EmailCategory
  reason: string
  to: string
  subject: string
  status: EmailStatus
  attempts: number
  lastError: string | null
  messageId: string | null
  createdAt: string
  sentAt: string | null
}

export type QueueEmailResult =
  | { status: 'queued'; email: OutboxEmail; jobId: string | null }
  /** The dedupe key was already used: nothing new was written or enqueued. */
  | { status: 'duplicate'; email: OutboxEmail }
  /** The member asked to stop this kind of e-mail: nothing was written. */
  | { status: 'unsubscribed' }

export function toOutboxEmail(r: EmailOutboxRow): OutboxEmail {
  return {
    id: r.id,
    programId: r.program_id,
    memberId: r.member_id,
    kind: r.kind,
    category: r.category,
    reason: r.reason,
    to: r.to_address,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    messageId: r.message_id,
    createdAt: r.created_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
  }
}

/** The unsubscribe scope of marketing e-mails: one link stops all of a program's non-essential mail. */
export const MARKETING_SCOPE = 'marketing'

export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/v1/email/unsubscribe?token=${encodeURIComponent(token)}`
}

const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/

/** Whether queueEmail accepts this address (one mailbox, nothing a header could misread). */
export const isMailable = (to: string) => to.trim().length <= 254 && ADDRESS.test(to.trim())

/**
 * Renders a pt-BR e-mail and writes it to the outbox, and enqueues its send job, in the caller's
 * transaction: if the event that causes the e-mail rolls back, so do the row and the job.
 *
 * Rule 7 is split: the caller decides whether e-mails may start (the merchant activated the
 * integration); this records why each e-mail is sent and honours unsubscribes.
 */
export async function queueEmail<K extends EmailKind>(
  trx: Trx,
  deps: EmailDeps,
  input: QueueEmailInput<K>,
): Promise<QueueEmailResult> {
  return (await queueEmails(trx, deps, [input]))[0]!
}

interface Prepared {
  input: QueueEmailInput<EmailKind>
  template: EmailTemplate<unknown>
  to: string
  memberId: number | null
}

/**
 * `queueEmail` for several e-mails of one program in the caller's transaction, with one
 * statement each for their dedupe keys, the brand, their members, their unsubscribes, their rows
 * and their send jobs, however many they are (coupon e-mails come in batches: one by one, they
 * were six statements each on the redeem bench). Results in the order of `inputs`. A refused
 * input (bad address, unknown member) throws for the whole call, as it would alone.
 */
export async function queueEmails(
  trx: Trx,
  deps: EmailDeps,
  inputs: ReadonlyArray<QueueEmailInput<EmailKind>>,
): Promise<QueueEmailResult[]> {
  if (inputs.length === 0) return []
  const programId = inputs[0]!.programId
  if (inputs.some((i) => i.programId !== programId)) throw new Error('queueEmails: one program per call')
  const prepared: Prepared[] = inputs.map((input) => {
    const template = templates[input.kind] as EmailTemplate<unknown>
    if (!template) throw new Error(`unknown e-mail kind ${String(input.kind)}`)
    const to = input.to.trim()
    if (!isMailable(to)) throw new AppError('validation_failed', 'Not a valid e-mail address', { field: 'to' })
    return { input, template, to, memberId: input.memberId ?? null }
  })
  const results: Array<QueueEmailResult | undefined> = new Array(inputs.length)

  // Cheap early answer for the common replay; the unique index is what actually guarantees it.
  const keys = prepared.flatMap((p) => (p.input.dedupeKey === undefined ? [] : [p.input.dedupeKey]))
  const existing = new Map(
    (keys.length ? await repo.findByDedupeKeys(trx, programId, keys) : []).map((r) => [r.dedupe_key!, r]),
  )
  const todo: number[] = []
  prepared.forEach((p, i) => {
    const prior = p.input.dedupeKey === undefined ? undefined : existing.get(p.input.dedupeKey)
    if (prior) results[i] = { status: 'duplicate', email: toOutboxEmail(prior) }
    else todo.push(i)
  })
  if (todo.length === 0) return results as QueueEmailResult[]

  const row = await repo.findBrand(trx, programId)
  if (!row) throw notFound('program')
  const brand: Brand = {
    programName: row.name,
    siteUrl: row.site_url,
    primaryColor: row.primary_color,
    textColor: row.text_color,
  }
  const memberIds = [...new Set(todo.flatMap((i) => (prepared[i]!.memberId === null ? [] : [prepared[i]!.memberId!])))]
  const members = new Set(memberIds.length ? await repo.findMembersInProgram(trx, programId, memberIds) : [])
  if (memberIds.some((id) => !members.has(id))) throw notFound('member')
  const marketing = todo.filter((i) => prepared[i]!.template.category === 'marketing')
  for (const i of marketing) {
    if (prepared[i]!.memberId === null)
      throw new Error(
        `e-mail kind ${prepared[i]!.input.kind} is marketing and needs a memberId for its unsubscribe link`,
      )
  }
  const unsubscribed = marketing.length
    ? await repo.unsubscribedScopes(
        trx,
        programId,
        marketing.map((i) => prepared[i]!.memberId!),
        [MARKETING_SCOPE, ...new Set(marketing.map((i) => prepared[i]!.input.kind))],
      )
    : new Map<number, Set<string>>()

  const rows: Array<{ index: number; row: NewOutboxRow }> = []
  for (const i of todo) {
    const p = prepared[i]!
    if (p.template.category === 'marketing') {
      const scopes = unsubscribed.get(p.memberId!)
      if (scopes && (scopes.has(MARKETING_SCOPE) || scopes.has(p.input.kind))) {
        results[i] = { status: 'unsubscribed' }
        continue
      }
    }
    rows.push({ index: i, row: outboxRow(deps, programId, brand, p) })
  }
  // Rows are matched back by their dedupe key (a row without one cannot conflict: inserted alone).
  const keyed = rows.filter((r) => r.row.dedupe_key !== null)
  const insertedByKey = new Map(
    (
      await repo.insertOutboxMany(
        trx,
        keyed.map((r) => r.row),
      )
    ).map((r) => [r.dedupe_key!, r]),
  )
  const queued: Array<{ index: number; email: EmailOutboxRow; sendAfter: Date | undefined }> = []
  for (const { index, row } of rows) {
    const inserted = row.dedupe_key === null ? await repo.insertOutbox(trx, row) : insertedByKey.get(row.dedupe_key)
    // A key twice in one call: the first is written, the others are its duplicates.
    if (inserted && row.dedupe_key !== null) insertedByKey.delete(row.dedupe_key)
    if (inserted) {
      queued.push({ index, email: inserted, sendAfter: prepared[index]!.input.sendAfter })
      continue
    }
    // Lost a race with a concurrent writer of the same key (it committed first), or the key
    // came twice in this call.
    const prior = await repo.findByDedupeKey(trx, programId, row.dedupe_key!)
    if (!prior) throw new Error('outbox insert conflicted but no row with its dedupe key exists')
    results[index] = { status: 'duplicate', email: toOutboxEmail(prior) }
  }
  // The payload is the row id only: no address, subject or code ever sits in the job tables.
  const jobs = queued.map((q) => ({
    payload: { outboxId: q.email.id },
    key: `email:${q.email.id}`,
    ...(q.sendAfter ? { startAfter: q.sendAfter } : {}),
    ...(URGENT_KINDS.has(q.email.kind) ? { priority: URGENT_PRIORITY } : {}),
  }))
  if (jobs.length === 1) {
    const jobId = await deps.jobs.enqueue(trx, emailQueue, jobs[0]!.payload, jobs[0]!)
    results[queued[0]!.index] = { status: 'queued', email: toOutboxEmail(queued[0]!.email), jobId }
  } else {
    await deps.jobs.enqueueMany(trx, emailQueue, jobs)
    for (const q of queued) results[q.index] = { status: 'queued', email: toOutboxEmail(q.email), jobId: null }
  }
  return results as QueueEmailResult[]
}

type NewOutboxRow = Parameters<typeof repo.insertOutbox>[1] & { dedupe_key: string | null }

/** The rendered outbox row of one e-mail: headers, unsubscribe links, bodies. */
function outboxRow(deps: EmailDeps, programId: string, brand: Brand, p: Prepared): NewOutboxRow {
  const { input, template, to, memberId } = p
  const headers: EmailHeaders = {
    // RFC 3834: an automatic message; auto-responders should not answer it.
    'Auto-Submitted': 'auto-generated',
  }
  let link: string | undefined
  let kindLink: { url: string; label: string } | undefined
  if (template.category === 'marketing') {
    link = unsubscribeUrl(
      deps.publicUrl,
      signUnsubscribeToken(deps.unsubscribeKey, { programId, memberId: memberId!, scope: MARKETING_SCOPE }),
    )
    // RFC 2369 + RFC 8058 one-click: mailbox providers show their own "unsubscribe" button and
    // POST to the link; Gmail and Yahoo require it of bulk senders.
    headers['List-Unsubscribe'] = `<${link}>`
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
    // The footer also offers stopping just this kind (points digests, say) and keeping the rest.
    const cashback = (input.data as { mode?: string }).mode === 'cashback'
    const label = (cashback ? ptBR.cashback.kindLabels : ptBR.kindLabels)[input.kind]
    if (label) {
      const kindToken = signUnsubscribeToken(deps.unsubscribeKey, { programId, memberId: memberId!, scope: input.kind })
      kindLink = { url: unsubscribeUrl(deps.publicUrl, kindToken), label }
    }
  }
  const reason = input.reason ?? template.defaultReason(brand)
  const rendered = renderEmail(template.content(input.data, brand), {
    brand,
    reason,
    unsubscribeUrl: link,
    unsubscribeKind: kindLink,
  })
  const ttl = template.expiresInMs?.(input.data)
  return {
    program_id: programId,
    member_id: memberId,
    kind: input.kind,
    category: template.category,
    reason,
    to_address: to,
    from_name: brand.programName,
    subject: rendered.subject,
    text_body: rendered.text,
    html_body: rendered.html,
    headers: JSON.stringify(headers),
    sensitive: template.sensitive,
    dedupe_key: input.dedupeKey ?? null,
    expires_at: ttl === undefined ? null : new Date(Date.now() + ttl),
  }
}

export async function getOutboxEmail(db: Executor, id: number): Promise<OutboxEmail | undefined> {
  const row = await repo.findOutbox(db, id)
  return row && toOutboxEmail(row)
}

/** A program's e-mails, newest first, filtered and keyset-paged (`nextCursor`: the last id shown). */
export async function listOutboxEmails(
  db: Executor,
  programId: string,
  f: { kind?: string; status?: EmailStatus; q?: string; cursor?: string; limit?: number } = {},
): Promise<{ items: OutboxEmail[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200)
  const rows = await repo.listOutbox(db, programId, {
    kind: f.kind,
    status: f.status,
    to: f.q,
    beforeId: f.cursor === undefined ? undefined : Number(f.cursor),
    limit: limit + 1,
  })
  return idPage(rows, limit, toOutboxEmail)
}

/**
 * Applies an unsubscribe link (the route behind `unsubscribeUrl`, without login). Idempotent: a
 * second click is a success too. A forged or mangled token is a 400.
 */
export async function unsubscribeWithToken(
  db: Executor,
  key: Uint8Array,
  token: string,
  opts: { all?: boolean } = {},
): Promise<{ programId: string; memberId: number; scope: string }> {
  const verified = verifyUnsubscribeToken(key, token)
  if (!verified) throw new AppError('bad_request', 'This unsubscribe link is not valid', { field: 'token' })
  // A link for one kind may also stop everything: it proves the member, and it only ever stops mail.
  const claim = opts.all ? { ...verified, scope: MARKETING_SCOPE } : verified
  // The member may be gone (deleted): nothing left to stop, and the answer is the same.
  if (await repo.findMemberInProgram(db, claim.programId, claim.memberId)) {
    await repo.insertUnsubscribe(db, claim.programId, claim.memberId, claim.scope)
  }
  return claim
}

/** Maintenance: give up expired sensitive e-mails and blank their bodies (see the repository). */
export const scrubExpiredSecrets = (db: Executor) => repo.scrubExpiredSensitive(db)
