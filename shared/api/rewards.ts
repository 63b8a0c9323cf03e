import * as v from 'valibot'
import { DateTime, NonEmpty, QueryInt, Uuid } from './common.ts'
import { ProgramParams } from './programs.ts'

/**
 * The rewards catalogue of a program (admin API, `/v1/programs/{programId}/rewards…`): coupons
 * the merchant creates by hand and products imported from the store's Google Shopping feed.
 */

export const REWARD_KINDS = ['fixed_discount', 'percent_discount', 'free_shipping', 'product'] as const
export const REWARD_SOURCES = ['manual', 'feed'] as const

const NOT_ALLOWED = 'is not allowed for this kind of reward'

const HttpUrl = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(2000, 'must be at most 2000 characters'),
  v.url('must be an absolute URL'),
  v.check((s) => /^https?:\/\//i.test(s), 'must start with http:// or https://'),
)

const WholeNumber = (min: number, max: number, range: string) =>
  v.pipe(
    v.number('must be a number'),
    v.integer('must be a whole number'),
    v.minValue(min, range),
    v.maxValue(max, range),
  )

/** Points are integers; 10 million is far above any real catalogue and keeps sums safe. */
const PointsCost = WholeNumber(1, 10_000_000, 'must be a positive whole number up to 10000000')
/** Money in integer cents; up to R$ 1 000 000,00. */
const Cents = WholeNumber(1, 100_000_000, 'must be a positive number of cents up to 100000000')
const Percent = WholeNumber(1, 100, 'must be between 1 and 100')
const Title = NonEmpty(150)
const Description = v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(5000, 'must be at most 5000 characters')))
/** null = unlimited. */
const TotalStock = v.nullable(WholeNumber(0, 10_000_000, 'must be a whole number from 0 up to 10000000'))
const PerMemberLimit = v.nullable(WholeNumber(1, 1000, 'must be a whole number from 1 up to 1000'))

const common = {
  /** pt-BR, shown to shoppers as is. */
  title: Title,
  description: v.optional(Description),
  imageUrl: v.optional(v.nullable(HttpUrl)),
  pointsCost: PointsCost,
  active: v.optional(v.boolean('must be true or false'), true),
  /** How many can ever be redeemed; null/absent = unlimited. */
  totalStock: v.optional(TotalStock),
  /** How many one member may redeem; null/absent = unlimited. */
  perMemberLimit: v.optional(PerMemberLimit),
  /** The coupon only applies to orders of at least this amount. */
  minimumOrderCents: v.optional(v.nullable(Cents)),
}

/** `kind` decides which extra fields exist; any other field is refused by name. */
export const CreateRewardBody = v.variant(
  'kind',
  [
    v.strictObject({ kind: v.literal('fixed_discount'), ...common, valueCents: Cents }, NOT_ALLOWED),
    v.strictObject({ kind: v.literal('percent_discount'), ...common, percent: Percent }, NOT_ALLOWED),
    v.strictObject({ kind: v.literal('free_shipping'), ...common }, NOT_ALLOWED),
    v.strictObject(
      {
        kind: v.literal('product'),
        ...common,
        priceCents: v.optional(v.nullable(Cents)),
        link: v.optional(v.nullable(HttpUrl)),
      },
      NOT_ALLOWED,
    ),
  ],
  'must be one of fixed_discount, percent_discount, free_shipping, product',
)

/**
 * Partial update; the kind never changes (create another reward). Fields that do not belong to
 * the reward's kind, and fields a feed import owns (title, imageUrl, priceCents, link of a feed
 * product), are refused with the field named.
 */
export const UpdateRewardBody = v.pipe(
  v.strictObject(
    {
      title: v.optional(Title),
      description: v.optional(Description),
      imageUrl: v.optional(v.nullable(HttpUrl)),
      /** On a feed product: sets an override that later imports keep; null goes back to the proposal. */
      pointsCost: v.optional(v.nullable(PointsCost)),
      valueCents: v.optional(Cents),
      percent: v.optional(Percent),
      priceCents: v.optional(v.nullable(Cents)),
      link: v.optional(v.nullable(HttpUrl)),
      totalStock: v.optional(TotalStock),
      perMemberLimit: v.optional(PerMemberLimit),
      minimumOrderCents: v.optional(v.nullable(Cents)),
    },
    'is not a field that can be changed',
  ),
  v.check((o) => Object.keys(o).length > 0, 'must change at least one field'),
)

export const RewardView = v.object({
  id: Uuid,
  kind: v.picklist(REWARD_KINDS),
  source: v.picklist(REWARD_SOURCES),
  title: v.string(),
  description: v.nullable(v.string()),
  imageUrl: v.nullable(v.string()),
  pointsCost: v.number(),
  /** The merchant set pointsCost by hand; feed imports keep it. */
  pointsCostOverride: v.boolean(),
  /** For products with a price: what the rule proposes at today's earn rate. */
  suggestedPointsCost: v.nullable(v.number()),
  valueCents: v.nullable(v.number()),
  percent: v.nullable(v.number()),
  /** `g:id` of the feed item (the SKU); null for rewards created by hand. */
  feedItemId: v.nullable(v.string()),
  priceCents: v.nullable(v.number()),
  salePriceCents: v.nullable(v.number()),
  link: v.nullable(v.string()),
  /** The merchant's switch. */
  active: v.boolean(),
  /** Set while the item is missing from the feed (removed, out of stock or not allowlisted). */
  removedFromFeedAt: v.nullable(DateTime),
  /** What shoppers see: active, in the feed (feed rewards) and with stock left. */
  available: v.boolean(),
  totalStock: v.nullable(v.number()),
  issuedCount: v.number(),
  /** null = unlimited. */
  remainingStock: v.nullable(v.number()),
  perMemberLimit: v.nullable(v.number()),
  minimumOrderCents: v.nullable(v.number()),
  createdAt: DateTime,
  updatedAt: DateTime,
})

export const RewardList = v.object({
  items: v.array(RewardView),
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: v.nullable(v.string()),
})

const QueryBool = v.pipe(
  v.picklist(['true', 'false'], 'must be true or false'),
  v.transform((s) => s === 'true'),
)

export const RewardListQuery = v.object({
  source: v.optional(v.picklist(REWARD_SOURCES, 'must be manual or feed')),
  kind: v.optional(v.picklist(REWARD_KINDS, 'must be one of fixed_discount, percent_discount, free_shipping, product')),
  /** The merchant's switch. */
  active: v.optional(QueryBool),
  /** true: only what shoppers can redeem now; false: only what they cannot. */
  available: v.optional(QueryBool),
  /** Part of the title, or the exact feed item id. */
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200))),
  limit: v.optional(QueryInt(1, 200)),
  cursor: v.optional(
    v.pipe(v.string(), v.maxLength(1000), v.regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor from nextCursor')),
  ),
})

export const RewardParams = v.object({ ...ProgramParams.entries, rewardId: Uuid })

export const FEED_IMPORT_STATUSES = ['running', 'ok', 'failed'] as const

export const FeedReportEntryView = v.object({
  line: v.number(),
  itemId: v.optional(v.string()),
  /** pt-BR, for the merchant. */
  message: v.string(),
})

export const FeedImportView = v.object({
  id: v.number(),
  trigger: v.picklist(['manual', 'schedule']),
  status: v.picklist(FEED_IMPORT_STATUSES),
  feedUrl: v.nullable(v.string()),
  startedAt: DateTime,
  finishedAt: v.nullable(DateTime),
  format: v.nullable(v.picklist(['rss', 'atom'])),
  bytesRead: v.number(),
  itemsSeen: v.number(),
  itemsAccepted: v.number(),
  skippedOutOfStock: v.number(),
  skippedNotAllowed: v.number(),
  skippedInvalid: v.number(),
  errorCount: v.number(),
  warningCount: v.number(),
  rewardsCreated: v.number(),
  rewardsUpdated: v.number(),
  /** Feed rewards marked removed by this import. */
  rewardsRemoved: v.number(),
  /** Why the import stopped; the previous catalogue was kept. pt-BR message. */
  fatal: v.nullable(v.object({ code: v.string(), message: v.string(), line: v.nullable(v.number()) })),
  /** The first errors, with line numbers. */
  errors: v.array(FeedReportEntryView),
  warnings: v.array(FeedReportEntryView),
  /** The whole report as pt-BR text. */
  report: v.nullable(v.string()),
})

export const FeedImportList = v.object({ items: v.array(FeedImportView) })
export const FeedImportListQuery = v.object({ limit: v.optional(QueryInt(1, 50)) })
export const FeedImportAccepted = v.object({ queued: v.literal(true) })

export type CreateRewardBody = v.InferOutput<typeof CreateRewardBody>
export type UpdateRewardBody = v.InferOutput<typeof UpdateRewardBody>
export type RewardView = v.InferOutput<typeof RewardView>
export type RewardList = v.InferOutput<typeof RewardList>
export type RewardListQuery = v.InferOutput<typeof RewardListQuery>
export type FeedImportView = v.InferOutput<typeof FeedImportView>

// Descriptions of the routes that use these schemas, in /openapi.json.

/** POST /v1/programs/:programId/feed-imports */
export const importFeedDescription =
  "Queues an import of the integration's `feedUrl` and answers at once (202); follow it with `GET …/feed-imports`. A " +
  'run already queued for the program absorbs this one. In-stock items (only those in `rewardAllowlist`, when it is ' +
  "not empty) become `product` rewards with a proposed points cost (10× the regular price in points at the program's " +
  'earn rate, rounded up); a cost set by hand is kept. Items no longer offered are marked `removedFromFeedAt`. A ' +
  'feed that cannot be read (not XML, DOCTYPE/entities, too big, download error…) changes nothing and leaves a ' +
  'failed report. Feeds are also imported daily at 04:30 (São Paulo) for active integrations. 409 with `field: ' +
  '"feedUrl"` when no feed URL is saved.'

/** GET /v1/programs/:programId/feed-imports */
export const feedImportsDescription =
  'Newest first (default 10, at most 50; the last 30 are kept). Each has the counts, the reason a failed import ' +
  'stopped (`fatal`, pt-BR), the first errors and warnings with their line numbers, and the whole report as pt-BR ' +
  'text. `status: "running"` while an import is in progress.'

/** GET /v1/programs/:programId/rewards */
export const rewardListDescription =
  "Alphabetical by title; follow `nextCursor`. Filter by `source`, `kind`, `active` (the merchant's switch), " +
  '`available` (what shoppers can redeem now: active, still in the feed, stock left) and `q` (part of the title, or ' +
  'an exact feed item id).'

/** POST /v1/programs/:programId/rewards */
export const createRewardDescription =
  '`kind` decides the fields: `fixed_discount` needs `valueCents`, `percent_discount` needs `percent` (1–100), ' +
  '`free_shipping` has neither, `product` may carry `priceCents` and `link`. A field of another kind is refused by ' +
  'name. `pointsCost` is a positive whole number; `totalStock`, `perMemberLimit` and `minimumOrderCents` are ' +
  'optional (absent = no limit). Products from the feed are created by imports, not here.'

/** PATCH /v1/programs/:programId/rewards/:rewardId */
export const updateRewardDescription =
  'Only the fields sent change; the kind never does. On a feed product, `title`, `imageUrl`, `priceCents` and `link` ' +
  'come from the feed and are refused; `pointsCost` sets an override that later imports keep, and `pointsCost: null` ' +
  'goes back to the proposed cost. `totalStock` cannot go below the number already redeemed.'

/** POST /v1/programs/:programId/rewards/:rewardId/activate */
export const activateRewardDescription = 'Shoppers see it again (if it is still in the feed and has stock).'

/** POST /v1/programs/:programId/rewards/:rewardId/deactivate */
export const deactivateRewardDescription =
  'Shoppers stop seeing it at once. Rewards are never deleted: redemptions keep pointing at them. Feed imports never ' +
  'reactivate a reward the merchant deactivated.'
