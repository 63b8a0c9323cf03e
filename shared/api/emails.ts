import * as v from 'valibot'
import { DateTime } from './common.ts'

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

export const OutboxEmailView = v.object({
  id: v.number(),
  memberId: v.nullable(v.number()),
  kind: v.string(),
  category: v.picklist(['transactional', 'marketing']),
  /** Why the shopper got it, pt-BR, as the e-mail's footer says it. */
  reason: v.string(),
  to: v.string(),
  subject: v.string(),
  status: v.picklist(['pending', 'sending', 'sent', 'failed']),
  attempts: v.number(),
  lastError: v.nullable(v.string()),
  createdAt: DateTime,
  sentAt: v.nullable(DateTime),
})

export const OutboxEmailList = v.object({ items: v.array(OutboxEmailView) })

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
