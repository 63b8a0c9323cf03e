import * as v from 'valibot'
import { DateTime, QueryInt } from './common.ts'

/** The lifecycle e-mails a merchant can turn off one by one (issue 8). */
export const LIFECYCLE_EMAIL_KINDS = [
  'welcome',
  'points_earned',
  'reward_redeemed',
  'points_expiring',
  'coupon_expiring',
] as const

export const LifecycleEmailSettings = v.object({
  /** The kill switch: false = no lifecycle e-mail of this program is written (login codes still are). */
  enabled: v.boolean(),
  disabledKinds: v.array(v.picklist(LIFECYCLE_EMAIL_KINDS)),
})
export type LifecycleEmailSettings = v.InferOutput<typeof LifecycleEmailSettings>

export const UpdateLifecycleEmailSettingsBody = v.pipe(
  v.partial(LifecycleEmailSettings),
  v.check((b) => Object.keys(b).length > 0, 'send at least one setting'),
)
export type UpdateLifecycleEmailSettingsBody = v.InferOutput<typeof UpdateLifecycleEmailSettingsBody>

/** Every kind of e-mail the outbox holds: the login and erasure codes and the lifecycle kinds. */
export const EMAIL_KINDS = ['login_code', 'erasure_code', ...LIFECYCLE_EMAIL_KINDS] as const
export type EmailKind = (typeof EMAIL_KINDS)[number]

/**
 * `pending`: waiting for its send time or a retry (`lastError` says why the last try failed);
 * `sending`: a worker is talking to the mail server; `sent`; `failed`: given up, `lastError` says why.
 */
export const EMAIL_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const
export type EmailStatus = (typeof EMAIL_STATUSES)[number]

export const OutboxEmailView = v.object({
  id: v.number(),
  memberId: v.nullable(v.number()),
  kind: v.string(),
  category: v.picklist(['transactional', 'marketing']),
  /** Why the shopper got it, pt-BR, as the e-mail's footer says it. */
  reason: v.string(),
  /** The recipient's address. */
  to: v.string(),
  subject: v.string(),
  status: v.picklist(EMAIL_STATUSES),
  attempts: v.number(),
  /** Why the last attempt failed (the mail server's answer, in its words); kept after a later success. */
  lastError: v.nullable(v.string()),
  /** When it was written (queued); a welcome may be queued for a later send time. */
  createdAt: DateTime,
  /** When the mail server accepted it; null until sent. */
  sentAt: v.nullable(DateTime),
})

export const OutboxEmailList = v.object({
  items: v.array(OutboxEmailView),
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: v.nullable(v.string()),
})

export const OutboxEmailQuery = v.object({
  kind: v.optional(v.picklist(EMAIL_KINDS, `must be one of ${EMAIL_KINDS.join(', ')}`)),
  status: v.optional(v.picklist(EMAIL_STATUSES, `must be one of ${EMAIL_STATUSES.join(', ')}`)),
  /** The recipient's address or its beginning, any case. */
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(254))),
  cursor: v.optional(v.pipe(v.string(), v.regex(/^[1-9][0-9]{0,15}$/, 'must be a cursor from nextCursor'))),
  limit: v.optional(QueryInt(1, 200)),
})
export type OutboxEmailView = v.InferOutput<typeof OutboxEmailView>
export type OutboxEmailList = v.InferOutput<typeof OutboxEmailList>
export type OutboxEmailQuery = v.InferOutput<typeof OutboxEmailQuery>

export const UnsubscribeQuery = v.object({ token: v.pipe(v.string(), v.maxLength(200)) })

// Descriptions of the routes that use these schemas, in /openapi.json.

/** GET /v1/email/unsubscribe */
export const unsubscribePageDescription =
  'Asks before stopping anything: link scanners of mail providers open links, and a GET must not unsubscribe anyone.'

/** POST /v1/email/unsubscribe */
export const oneClickUnsubscribeDescription =
  'What mailbox providers POST for `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (form body ' +
  "`List-Unsubscribe=One-Click`: the link's own scope), and what the page's buttons send (`scope=this` or " +
  '`scope=all`). Idempotent.'

/** PUT /v1/programs/:programId/email-settings */
export const updateEmailSettingsDescription =
  '`enabled: false` stops every lifecycle e-mail of the program (welcome, points earned, reward redeemed, points and ' +
  'coupons expiring); welcomes waiting in the drip are dropped, not sent later. `disabledKinds` turns kinds off one ' +
  'by one.'

/** GET /v1/programs/:programId/emails */
export const emailListDescription =
  'Each with its kind, recipient (`to`), status, when it was queued (`createdAt`) and sent (`sentAt`), why the ' +
  'last attempt failed (`lastError`) and why the shopper got it (`reason`, pt-BR, as its footer says). Never the ' +
  'bodies. Filters: `kind` (`login_code`, `welcome`, `points_earned`, `reward_redeemed`, `points_expiring`, ' +
  "`coupon_expiring`), `status` (`pending`, `sending`, `sent`, `failed`), `q`: the recipient's address or its " +
  'beginning, any case. Newest first; keyset paging: pass `nextCursor` back as `cursor` with the same filters ' +
  '(null on the last page). A filter value the API does not know is a 400 naming the field.'
