import * as v from 'valibot'
import { DateTime, Page, QueryInt, Uuid } from './common.ts'

/**
 * Event webhooks: a program's endpoints receive signed POSTs (Standard Webhooks) when loyalty
 * events happen. The event list and each payload are documented in the README ("Webhooks de
 * eventos").
 */
export const WEBHOOK_EVENTS = [
  'member.joined',
  'points.earned',
  'points.reversed',
  'reward.redeemed',
  'coupon.issued',
  'coupon.used',
  'points.expiring',
  'member.erased',
  'tier.changed',
  'referral.credited',
] as const

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number]

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number]

const Url = v.pipe(v.string(), v.trim(), v.maxLength(2000), v.url('must be a URL (https://…)'))
const Events = v.pipe(
  v.array(v.picklist(WEBHOOK_EVENTS, 'must be one of the event types')),
  v.minLength(1, 'must name at least one event'),
  v.transform((list) => [...new Set(list)]),
)

export const WebhookParams = v.object({ programId: Uuid, endpointId: Uuid })
export const WebhookDeliveryParams = v.object({
  programId: Uuid,
  endpointId: Uuid,
  deliveryId: v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'must be a delivery id'), v.transform(Number), v.number()),
})

export const CreateWebhookBody = v.object({
  /** https:// only; addresses on private networks are refused. */
  url: Url,
  events: Events,
  enabled: v.optional(v.boolean()),
})

export const UpdateWebhookBody = v.object({
  url: v.optional(Url),
  events: v.optional(Events),
  /** Turning an endpoint back on clears "turned off after 3 days of failures". */
  enabled: v.optional(v.boolean()),
})

export const WebhookEndpointView = v.object({
  id: v.string(),
  url: v.string(),
  events: v.array(v.string()),
  enabled: v.boolean(),
  /** 'failing' when Fidelis turned it off after 3 days of failed deliveries. */
  disabledReason: v.nullable(v.literal('failing')),
  disabledAt: v.nullable(DateTime),
  /** First failed delivery since the last success, or null. */
  failingSince: v.nullable(DateTime),
  /** Until when the secret replaced by the last rotation still signs (a second signature). */
  previousSecretExpiresAt: v.nullable(DateTime),
  createdAt: DateTime,
})

/** Answer of create and rotate: the signing secret, shown this once (never readable again). */
export const WebhookWithSecret = v.object({
  endpoint: WebhookEndpointView,
  /** `whsec_…`: verify signatures with it (the standardwebhooks library takes it as is). */
  secret: v.string(),
})

export const WebhookList = v.object({ items: v.array(WebhookEndpointView) })

export const WebhookDeliveryView = v.object({
  id: v.number(),
  /** The event id, `msg_…`: the same on every attempt and on "reenviar" (receivers deduplicate by it). */
  messageId: v.string(),
  eventType: v.string(),
  status: v.picklist(WEBHOOK_DELIVERY_STATUSES),
  attempts: v.number(),
  /** HTTP status of the last attempt, null when none was received (timeout, refused, network). */
  responseStatus: v.nullable(v.number()),
  /** Why the last attempt failed (English, technical). */
  lastError: v.nullable(v.string()),
  lastAttemptAt: v.nullable(DateTime),
  nextAttemptAt: v.nullable(DateTime),
  deliveredAt: v.nullable(DateTime),
  createdAt: DateTime,
})

export const WebhookDeliveryPage = Page(WebhookDeliveryView)

export const WebhookDeliveryQuery = v.object({
  limit: v.optional(QueryInt(1, 100)),
  cursor: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a cursor from nextCursor'))),
})

export type WebhookEndpointView = v.InferOutput<typeof WebhookEndpointView>
export type WebhookWithSecret = v.InferOutput<typeof WebhookWithSecret>
export type WebhookDeliveryView = v.InferOutput<typeof WebhookDeliveryView>
export type CreateWebhookBody = v.InferOutput<typeof CreateWebhookBody>
export type UpdateWebhookBody = v.InferOutput<typeof UpdateWebhookBody>
