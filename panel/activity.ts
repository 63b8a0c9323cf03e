import type { EmailKind, EmailStatus } from '../shared/api/emails.ts'
import type { RedemptionStatus } from '../shared/api/redemptions.ts'

/**
 * The pure parts of the Resgates and E-mails enviados pages: the filter values the API knows and
 * what a failed e-mail's `lastError` means to a merchant. Records keyed by the contract's unions,
 * so a new status or kind fails the typecheck here (type-only imports keep valibot out of the bundle).
 */
const REDEMPTION_STATUSES: Record<RedemptionStatus, true> = {
  pending: true,
  issued: true,
  used: true,
  failed: true,
  refunded: true,
}
const EMAIL_STATUSES: Record<EmailStatus, true> = { pending: true, sending: true, sent: true, failed: true }
const EMAIL_KINDS: Record<EmailKind, true> = {
  login_code: true,
  erasure_code: true,
  welcome: true,
  points_earned: true,
  reward_redeemed: true,
  points_expiring: true,
  coupon_expiring: true,
}

export const redemptionStatuses = Object.keys(REDEMPTION_STATUSES) as RedemptionStatus[]
export const emailStatuses = Object.keys(EMAIL_STATUSES) as EmailStatus[]
export const emailKinds = Object.keys(EMAIL_KINDS) as EmailKind[]

/** A filter from the address bar: a value the API knows, else '' (no filter) rather than a 400 page. */
export const knownOr = <T extends string>(known: readonly T[], value: string | null): T | '' =>
  known.includes(value as T) ? (value as T) : ''

/** What went wrong with an e-mail, by the kind of answer the mail server gave (`lastError`). */
export type EmailFailure = 'expired' | 'refused' | 'unreachable' | 'auth' | 'missing' | 'other'

export function emailFailure(lastError: string): EmailFailure {
  if (/^expired before/i.test(lastError)) return 'expired'
  if (/^body missing/i.test(lastError)) return 'missing'
  if (/EAUTH|\b535\b|authenticat/i.test(lastError)) return 'auth'
  // SMTP's permanent refusals (5xx on the recipient or the message) and nodemailer's codes for them.
  if (/EENVELOPE|EMESSAGE|(^|\D)5\d\d[ -]/.test(lastError)) return 'refused'
  if (/ECONN|ETIMEDOUT|ESOCKET|EDNS|ENOTFOUND|EAI_AGAIN|timeout|closed/i.test(lastError)) return 'unreachable'
  return 'other'
}
