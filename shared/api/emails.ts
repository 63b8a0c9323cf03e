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
