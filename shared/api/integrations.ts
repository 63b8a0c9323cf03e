import * as v from 'valibot'
import { DateTime, Email, IsoDate, NonEmpty } from './common.ts'

const HttpUrl = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(2000),
  v.url('must be an absolute URL'),
  v.check((s) => /^https?:\/\//i.test(s), 'must start with http:// or https://'),
)

export const CREDENTIAL_KINDS = ['chave_api', 'personal_token'] as const

export const SaveIntegrationBody = v.object({
  /**
   * The merchant's chave_api (Configurações > Chave para API) or a Personal Token. Required on the
   * first save; omit to keep the saved key.
   */
  apiKey: v.optional(
    v.pipe(v.string(), v.trim(), v.minLength(8, 'is too short to be a Loja Integrada key'), v.maxLength(200)),
  ),
  credentialKind: v.optional(v.picklist(CREDENTIAL_KINDS), 'chave_api'),
  /** The store's site, used in e-mails. */
  siteUrl: HttpUrl,
  /** Where shoppers who cannot join the program are sent. */
  signupUrl: v.optional(v.nullable(HttpUrl)),
  /** Google Shopping XML feed: products that can become rewards. */
  feedUrl: v.optional(v.nullable(HttpUrl)),
  couponValidityDays: v.optional(
    v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(1), v.maxValue(3650)),
    365,
  ),
  /** Product ids/SKUs allowed as rewards; empty = the whole catalogue. */
  rewardAllowlist: v.optional(
    v.pipe(v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))), v.maxLength(5000)),
    [],
  ),
  /** LI order status ids that award points (from GET …/integration/statuses). */
  awardingStatusIds: v.optional(v.pipe(v.array(v.pipe(v.number(), v.integer())), v.maxLength(100)), []),
})

export const IntegrationView = v.object({
  programId: v.string(),
  credentialKind: v.picklist(CREDENTIAL_KINDS),
  /** Only the last 4 characters are ever returned. */
  apiKeyLast4: v.string(),
  keyVerifiedAt: v.nullable(DateTime),
  /** Set when Loja Integrada refused the key during a sync: jobs stop until a new key is saved. */
  credentialsRejectedAt: v.nullable(DateTime),
  siteUrl: v.string(),
  signupUrl: v.nullable(v.string()),
  feedUrl: v.nullable(v.string()),
  couponValidityDays: v.number(),
  rewardAllowlist: v.array(v.string()),
  awardingStatusIds: v.array(v.number()),
  active: v.boolean(),
  activatedAt: v.nullable(DateTime),
  salesRegistration: v.boolean(),
  erpSales: v.boolean(),
  webhookRegistered: v.boolean(),
  updatedAt: DateTime,
})

export const StatusView = v.object({
  id: v.number(),
  code: v.string(),
  name: v.string(),
  approved: v.boolean(),
  cancelled: v.boolean(),
  final: v.boolean(),
  /** Delivered/final and not cancelled: what we recommend awarding on. */
  recommended: v.boolean(),
  /** Moving here after an award takes the points back. */
  reverses: v.boolean(),
  selected: v.boolean(),
})

export const StatusList = v.object({ items: v.array(StatusView), fetchedAt: v.nullable(DateTime) })

export const ToggleBody = v.object({ enabled: v.boolean() })

export const ActivationResponse = v.object({
  integration: IntegrationView,
  /** Plain-language consequence of the change (e.g. that shoppers start receiving e-mails). */
  notice: v.string(),
})

export const SyncCountsView = v.record(v.string(), v.number())

export const SyncResourceView = v.object({
  cursor: v.nullable(DateTime),
  running: v.boolean(),
  lastRunStartedAt: v.nullable(DateTime),
  lastRunFinishedAt: v.nullable(DateTime),
  lastCounts: SyncCountsView,
  currentCounts: SyncCountsView,
  lastError: v.nullable(v.string()),
  lastErrorAt: v.nullable(DateTime),
})

/**
 * What the program holds from the store, whatever the last run read (a run after the first
 * import may read nothing new): store customers enrolled as members, stored orders from Loja
 * Integrada, and the points purchases earned since the integration was (last) activated —
 * before reversals.
 */
export const SyncTotalsView = v.object({
  customers: v.number(),
  orders: v.number(),
  pointsAwarded: v.number(),
  /** The activation `pointsAwarded` counts from; null while never activated. */
  since: v.nullable(DateTime),
})

export const SyncStatusView = v.object({
  active: v.boolean(),
  credentialsRejected: v.boolean(),
  intervalMinutes: v.number(),
  nextRunAt: v.nullable(DateTime),
  customers: SyncResourceView,
  orders: SyncResourceView,
  totals: SyncTotalsView,
})

export const SaleBody = v.object({
  /** The ERP's id of the sale; the same id twice is one sale. */
  externalId: NonEmpty(100),
  customerEmail: Email,
  customerName: v.optional(NonEmpty(200)),
  /** Amount that earns points, in cents (subtotal minus discounts, shipping excluded). */
  amountCents: v.pipe(v.number(), v.integer('must be whole cents'), v.minValue(0), v.maxValue(100_000_000_00)),
  date: v.union([IsoDate, DateTime]),
  /** false = the sale was cancelled/returned: points awarded for it are taken back. */
  valid: v.optional(v.boolean(), true),
})

export const SaleResponse = v.object({
  externalId: v.string(),
  memberId: v.number(),
  pointsAwarded: v.number(),
  /** 'pending': the points wait out the program's pending period (see points-rules). */
  state: v.picklist(['none', 'pending', 'awarded', 'reversed']),
  created: v.boolean(),
})

export type SaveIntegrationBody = v.InferOutput<typeof SaveIntegrationBody>
export type IntegrationView = v.InferOutput<typeof IntegrationView>
export type StatusView = v.InferOutput<typeof StatusView>
export type SyncStatusView = v.InferOutput<typeof SyncStatusView>
export type SyncTotalsView = v.InferOutput<typeof SyncTotalsView>
export type SaleBody = v.InferOutput<typeof SaleBody>
export type SaleResponse = v.InferOutput<typeof SaleResponse>

// Descriptions of the routes that use these schemas, in /openapi.json.

/** PUT /v1/programs/:programId/integrations/loja-integrada */
export const saveIntegrationDescription =
  'A new `apiKey` (the chave_api from Configurações > Chave para API, or a Personal Token with `credentialKind: ' +
  '"personal_token"`) is checked with Loja Integrada before anything is saved; a refused key answers 422 ' +
  '`li_credentials_rejected` with `field: "apiKey"` and nothing changes. The store\'s order statuses are read with ' +
  'it (see `…/statuses`). Omit `apiKey` to keep the saved key. The key is stored encrypted and never returned, only ' +
  'its last 4 characters. Saving does not activate anything.'

/** GET …/integrations/loja-integrada/statuses */
export const orderStatusesDescription =
  'Read from Loja Integrada when the key was saved. `recommended` marks the statuses we suggest awarding on ' +
  '(delivered/final, not cancelled); `selected` the ones chosen in `awardingStatusIds`. 409 with `field: "apiKey"` ' +
  'until the integration is saved with a key.'

/** POST …/integrations/loja-integrada/activate */
export const activateIntegrationDescription =
  'Activation starts syncing customers and orders from Loja Integrada (every SYNC_INTERVAL_MINUTES, plus the order ' +
  'webhook, registered now) AND starts sending e-mails to shoppers on behalf of the program. Refused (409) without a ' +
  'valid saved key (`field: "apiKey"`) or without at least one awarding status (`field: "awardingStatusIds"`). The ' +
  'answer carries a `notice` saying so in plain words. Activating an active integration changes nothing and queues a ' +
  'sync.'

/** POST …/integrations/loja-integrada/deactivate */
export const deactivateIntegrationDescription =
  'Stops the scheduled sync, unregisters the order webhook and stops every e-mail to shoppers until the integration ' +
  'is activated again. Points already earned stay.'

/** PUT …/integrations/loja-integrada/sales-registration */
export const salesRegistrationDescription =
  'When on, orders reaching an awarding status earn points; turning it on also awards orders already stored in such ' +
  'a status. Mutually exclusive with ERP sales: turning it on while ERP sales are on answers 409 (`field: ' +
  '"enabled"`), so no sale can earn twice.'

/** PUT …/integrations/loja-integrada/erp-sales */
export const erpSalesDescription =
  'When on, `POST /v1/programs/{programId}/sales` accepts sales. Mutually exclusive with sales registration: turning ' +
  'it on while sales registration is on answers 409 (`field: "enabled"`).'

/** GET …/integrations/loja-integrada/sync */
export const syncStatusDescription =
  'Per resource, the last and current run with their counts and errors; `totals`: what the program holds from the ' +
  'store whatever the last run read (store customers enrolled, Loja Integrada orders, points purchases earned since ' +
  'the activation).'

/** POST …/integrations/loja-integrada/sync */
export const syncNowDescription =
  'Queues a sync of customers and orders from Loja Integrada and answers at once (202); follow it with `GET …/sync`. ' +
  'A sync already queued for the store absorbs this one. 409 when the integration is not active or its key was ' +
  'rejected.'

/** POST /v1/programs/:programId/sales */
export const recordSaleDescription =
  'Only while ERP sales are on for the program (409 otherwise; a cancellation, `valid: false`, of a sale already ' +
  'recorded is always taken, so its points come back). The customer is enrolled by e-mail if not a member yet. ' +
  'Idempotent by `externalId`: sending the same sale again answers the same result (200, `created: false`) and ' +
  'awards nothing more; the same `externalId` with another e-mail or amount is a 409 `idempotency_conflict` naming ' +
  'the field. A sale reported cancelled stays cancelled.'

/** POST /v1/webhooks/loja-integrada/:programId */
export const orderWebhookDescription =
  'Registered with Loja Integrada when the integration is activated; not for direct use. Authenticated with ' +
  '`Authorization: Bearer <token>`, the secret registered with the webhook (401 otherwise, and also when the ' +
  'integration is missing or paused). The body is the full order object; only `numero` is read. The order is fetched ' +
  'and applied by a job, so the answer (202) is immediate and duplicates are harmless.'
