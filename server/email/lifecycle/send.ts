import type { Trx } from '../../db/database.ts'
import { isMailable, queueEmail, type EmailDeps, type QueueEmailResult } from '../service.ts'
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

/** Writes one lifecycle e-mail (the caller passed the gate); a member who said "no" gets none. */
export async function send<K extends LifecycleKind>(
  trx: Trx,
  email: EmailDeps,
  input: {
    programId: string
    member: MemberFacts
    kind: K
    data: TemplateDataMap[K]
    reason: string
    dedupeKey: string
    sendAfter?: Date
  },
): Promise<SendResult> {
  if (input.member.email_consent === false) return { status: 'no_consent' }
  // An address the sync accepted but a mail server would not (a comma, quotes): skip this member
  // rather than fail, and so block, the whole batch. Checked before any SQL of queueEmail.
  if (!isMailable(input.member.email)) return { status: 'invalid_address' }
  return queueEmail(trx, email, {
    programId: input.programId,
    memberId: input.member.id,
    kind: input.kind,
    to: input.member.email,
    data: input.data,
    reason: input.reason,
    dedupeKey: input.dedupeKey,
    ...(input.sendAfter ? { sendAfter: input.sendAfter } : {}),
  })
}
