import { ProgramParams } from '../../shared/api/programs.ts'
import {
  CreateRewardBody,
  FeedImportAccepted,
  FeedImportList,
  FeedImportListQuery,
  RewardList,
  RewardListQuery,
  RewardParams,
  RewardView,
  UpdateRewardBody,
} from '../../shared/api/rewards.ts'
import type { RouteContext } from '../http/route.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import { listFeedImports, requestFeedImport } from './feed-import.ts'
import * as service from './service.ts'

const BASE = '/v1/programs/:programId/rewards'
const FEED_IMPORTS = '/v1/programs/:programId/feed-imports'

export function registerRewardRoutes(ctx: RouteContext) {
  const { deps } = ctx
  const { db } = deps
  const { programRoute } = adminRoutes(ctx, 'Rewards')

  // The feed imports live beside the rewards, not under them: a fixed segment next to
  // `…/rewards/:rewardId` is ambiguous for Hono's RegExpRouter, and one such route makes Hono fall
  // back to its slower trie router for every request (the widget's hot path included).
  programRoute(
    {
      method: 'post',
      path: FEED_IMPORTS,
      summary: 'Import the Google Shopping feed now',
      description:
        'Queues an import of the integration\'s `feedUrl` and answers at once (202); follow it with `GET …/feed-imports`. A run already queued for the program absorbs this one. In-stock items (only those in `rewardAllowlist`, when it is not empty) become `product` rewards with a proposed points cost (10× the regular price in points at the program\'s earn rate, rounded up); a cost set by hand is kept. Items no longer offered are marked `removedFromFeedAt`. A feed that cannot be read (not XML, DOCTYPE/entities, too big, download error…) changes nothing and leaves a failed report. Feeds are also imported daily at 04:30 (São Paulo) for active integrations. 409 with `field: "feedUrl"` when no feed URL is saved.',
      params: ProgramParams,
      responses: { 202: { description: 'Queued', schema: FeedImportAccepted } },
    },
    async (c, { program }) => {
      await requestFeedImport(deps, db, program.id)
      return c.json({ queued: true as const }, 202)
    },
  )

  programRoute(
    {
      method: 'get',
      path: FEED_IMPORTS,
      summary: 'The latest feed import reports',
      description:
        'Newest first (default 10, at most 50; the last 30 are kept). Each has the counts, the reason a failed import stopped (`fatal`, pt-BR), the first errors and warnings with their line numbers, and the whole report as pt-BR text. `status: "running"` while an import is in progress.',
      params: ProgramParams,
      query: FeedImportListQuery,
      responses: { 200: { description: 'Reports', schema: FeedImportList } },
    },
    async (c, { program, query }) => c.json({ items: await listFeedImports(db, program.id, query.limit ?? 10) }),
  )

  programRoute(
    {
      method: 'get',
      path: BASE,
      summary: 'List the rewards catalogue',
      description:
        "Alphabetical by title; follow `nextCursor`. Filter by `source`, `kind`, `active` (the merchant's switch), `available` (what shoppers can redeem now: active, still in the feed, stock left) and `q` (part of the title, or an exact feed item id).",
      params: ProgramParams,
      query: RewardListQuery,
      responses: { 200: { description: 'A page of rewards', schema: RewardList } },
    },
    async (c, { program, query }) => c.json(await service.listRewards(db, program, query)),
  )

  programRoute(
    {
      method: 'post',
      path: BASE,
      summary: 'Create a reward by hand',
      description:
        '`kind` decides the fields: `fixed_discount` needs `valueCents`, `percent_discount` needs `percent` (1–100), `free_shipping` has neither, `product` may carry `priceCents` and `link`. A field of another kind is refused by name. `pointsCost` is a positive whole number; `totalStock`, `perMemberLimit` and `minimumOrderCents` are optional (absent = no limit). Products from the feed are created by imports, not here.',
      params: ProgramParams,
      body: CreateRewardBody,
      responses: { 201: { description: 'Created', schema: RewardView } },
    },
    async (c, { program, body }) =>
      c.json(service.toRewardView(await service.createReward(db, program.id, body), program), 201),
  )

  programRoute(
    {
      method: 'get',
      path: `${BASE}/:rewardId`,
      summary: 'Read one reward',
      params: RewardParams,
      responses: { 200: { description: 'Reward', schema: RewardView } },
    },
    async (c, { program, params }) =>
      c.json(service.toRewardView(await service.getReward(db, program.id, params.rewardId), program)),
  )

  programRoute(
    {
      method: 'patch',
      path: `${BASE}/:rewardId`,
      summary: 'Change a reward',
      description:
        'Only the fields sent change; the kind never does. On a feed product, `title`, `imageUrl`, `priceCents` and `link` come from the feed and are refused; `pointsCost` sets an override that later imports keep, and `pointsCost: null` goes back to the proposed cost. `totalStock` cannot go below the number already redeemed.',
      params: RewardParams,
      body: UpdateRewardBody,
      responses: { 200: { description: 'Updated', schema: RewardView } },
    },
    async (c, { program, params, body }) => {
      const row = await db.transaction().execute((trx) => service.updateReward(trx, program, params.rewardId, body))
      return c.json(service.toRewardView(row, program))
    },
  )

  for (const [action, active] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    programRoute(
      {
        method: 'post',
        path: `${BASE}/:rewardId/${action}`,
        summary: active ? 'Offer a reward again' : 'Stop offering a reward',
        description: active
          ? 'Shoppers see it again (if it is still in the feed and has stock).'
          : 'Shoppers stop seeing it at once. Rewards are never deleted: redemptions keep pointing at them. Feed imports never reactivate a reward the merchant deactivated.',
        params: RewardParams,
        responses: { 200: { description: active ? 'Active' : 'Inactive', schema: RewardView } },
      },
      async (c, { program, params }) =>
        c.json(service.toRewardView(await service.setRewardActive(db, program.id, params.rewardId, active), program)),
    )
  }
}
