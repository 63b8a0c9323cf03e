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
  importFeedDescription,
  feedImportsDescription,
  rewardListDescription,
  createRewardDescription,
  updateRewardDescription,
  activateRewardDescription,
  deactivateRewardDescription,
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
      description: importFeedDescription,
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
      description: feedImportsDescription,
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
      description: rewardListDescription,
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
      description: createRewardDescription,
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
      description: updateRewardDescription,
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
        description: active ? activateRewardDescription : deactivateRewardDescription,
        params: RewardParams,
        responses: { 200: { description: active ? 'Active' : 'Inactive', schema: RewardView } },
      },
      async (c, { program, params }) =>
        c.json(service.toRewardView(await service.setRewardActive(db, program.id, params.rewardId, active), program)),
    )
  }
}
