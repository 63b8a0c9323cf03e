import type { ColumnType, Generated, Selectable } from 'kysely'
import type { CreatedAt, Timestamp } from './columns.ts'

/** Event webhooks (migration 0035): endpoints, the event outbox, deliveries. */

export interface WebhookEndpointsTable {
  id: Generated<string>
  program_id: string
  url: string
  events: string[]
  enabled: Generated<boolean>
  secret_enc: string
  previous_secret_enc: string | null
  previous_secret_expires_at: Date | null
  failing_since: Date | null
  disabled_reason: 'failing' | null
  disabled_at: Date | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface WebhookEventsTable {
  id: Generated<number>
  program_id: string
  type: string
  /** jsonb: written as JSON text, read as an object. */
  data: ColumnType<Record<string, unknown>, string, never>
  created_at: CreatedAt
  dispatched_at: Date | null
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed'

export interface WebhookDeliveriesTable {
  id: Generated<number>
  program_id: string
  endpoint_id: string
  event_id: number
  status: WebhookDeliveryStatus
  attempts: Generated<number>
  window_started_at: ColumnType<Date, Date | string | undefined, Date | string>
  last_attempt_at: Date | null
  response_status: number | null
  last_error: string | null
  next_attempt_at: Date | null
  delivered_at: Date | null
  created_at: CreatedAt
}

export interface WebhookTables {
  webhook_endpoints: WebhookEndpointsTable
  webhook_events: WebhookEventsTable
  webhook_deliveries: WebhookDeliveriesTable
}

export type WebhookEndpoint = Selectable<WebhookEndpointsTable>
export type WebhookEvent = Selectable<WebhookEventsTable>
export type WebhookDelivery = Selectable<WebhookDeliveriesTable>
