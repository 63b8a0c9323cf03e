import type { Trx } from '../../db/database.ts'
import { isMailable, queueEmail, queueEmails, type EmailDeps, type QueueEmailResult } from '../service.ts'
import type { LifecycleKind, TemplateDataMap } from '../templates/index.ts'

/** Rows (members, redemptions) a lifecycle job reads per page. */
export const PAGE = 200

export interface MemberFacts {
  id: number
  email: string
  name: string | null
  email_consent: boolean | null
}

export type SendResult = QueueEmailResult | { status: 'no_consent' } | { status: 'invalid_address' }

export interface SendInput<K extends LifecycleKind> {
  programId: string
  member: MemberFacts
  kind: K
  data: TemplateDataMap[K]
  reason: string
  dedupeKey: string
  sendAfter?: Date
}

/** Writes one lifecycle e-mail (the caller passed the gate); a member who said "no" gets none. */
export async function send<K extends LifecycleKind>(
  trx: Trx,
  email: EmailDeps,
  input: SendInput<K>,
): Promise<SendResult> {
  return refusal(input) ?? queueEmail(trx, email, queueInput(input))
}

/** `send` for several e-mails of one program, written with one `queueEmails`. */
export async function sendMany(
  trx: Trx,
  email: EmailDeps,
  inputs: ReadonlyArray<SendInput<LifecycleKind>>,
): Promise<SendResult[]> {
  const results: SendResult[] = inputs.map((i) => refusal(i) ?? { status: 'no_consent' })
  const sendable = inputs.flatMap((input, i) => (refusal(input) ? [] : [i]))
  const queued = await queueEmails(
    trx,
    email,
    sendable.map((i) => queueInput(inputs[i]!)),
  )
  sendable.forEach((i, n) => {
    results[i] = queued[n]!
  })
  return results
}

function refusal(input: SendInput<LifecycleKind>): SendResult | undefined {
  if (input.member.email_consent === false) return { status: 'no_consent' }
  // An address the sync accepted but a mail server would not (a comma, quotes): skip this member
  // rather than fail, and so block, the whole batch. Checked before any SQL of queueEmail.
  if (!isMailable(input.member.email)) return { status: 'invalid_address' }
  return undefined
}

const queueInput = <K extends LifecycleKind>(input: SendInput<K>) => ({
  programId: input.programId,
  memberId: input.member.id,
  kind: input.kind,
  to: input.member.email,
  data: input.data,
  reason: input.reason,
  dedupeKey: input.dedupeKey,
  ...(input.sendAfter ? { sendAfter: input.sendAfter } : {}),
})
