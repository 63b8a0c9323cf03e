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
  /** The merchant's chave_api (Configurações > Chave para API) or a Personal Token. Required on the first save; omit to keep the saved key. */
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
