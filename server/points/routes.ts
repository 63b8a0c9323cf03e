import { Ok } from '../../shared/api/common.ts'
import {
  CampaignList,
  CampaignParams,
  CampaignView,
  CreateCampaignBody,
  PointsRulesView,
  UpdateCampaignBody,
  UpdatePointsRulesBody,
} from '../../shared/api/lifecycle.ts'
import { ProgramParams } from '../../shared/api/programs.ts'
import type { RouteContext } from '../http/route.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import * as service from './service.ts'

const CAMPAIGNS = '/v1/programs/:programId/campaigns'

export function registerLifecycleRoutes(ctx: RouteContext) {
  const { db } = ctx.deps
  const { programRoute } = adminRoutes(ctx, 'Points rules')

  programRoute(
    {
      method: 'get',
      path: '/v1/programs/:programId/points-rules',
      summary: "The program's points expiry, bonuses and pending period",
      description:
        'A program that never saved them has everything off: `expiryMonths: null` (points never expire), no bonuses, `pendingDays: 0`.',
      params: ProgramParams,
      responses: { 200: { description: 'Points rules', schema: PointsRulesView } },
    },
    async (c, { program }) => c.json(await service.getRules(db, program.id)),
  )

  programRoute(
    {
      method: 'patch',
      path: '/v1/programs/:programId/points-rules',
      summary: "Change the program's points expiry, bonuses and pending period",
      description: [
        'Send only the fields to change. All days are São Paulo calendar days.',
        '- `expiryMonths`: points expire this many calendar months after the day they were earned (31/01 + 1 month = last day of February); `null` = never. Spending always takes the oldest points first. A daily job (00:05) posts `expire` entries; the widget shows what expires next. Changing it applies to every point still held, at the next daily run.',
        "- `signupBonus`: points given once to each member enrolled from now on — by the store sync (including the first import of the store's customers), the widget, an ERP sale or `POST …/members`.",
        "- `birthdayBonus`: points given once a year on the member's birthday (29/02 → 28/02 in other years), by the daily job, to members enrolled by that day.",
        "- `pendingDays`: an order's points wait this many days after it reaches an awarding status before they can be spent (they show as `pendingPoints` in the widget); a cancellation inside the period just drops them. Setting it to 0 releases the waiting points within the hour.",
      ].join('\n'),
      params: ProgramParams,
      body: UpdatePointsRulesBody,
      responses: { 200: { description: 'Points rules', schema: PointsRulesView } },
    },
    async (c, { program, body }) =>
      c.json(await db.transaction().execute((trx) => service.updateRules(trx, program.id, body))),
  )

  programRoute(
    {
      method: 'get',
      path: CAMPAIGNS,
      summary: 'List points campaigns',
      description: 'Newest start first.',
      params: ProgramParams,
      responses: { 200: { description: 'Campaigns', schema: CampaignList } },
    },
    async (c, { program }) => c.json({ items: await service.listCampaigns(db, program.id) }),
  )

  programRoute(
    {
      method: 'post',
      path: CAMPAIGNS,
      summary: 'Create a "points × N" campaign',
      description:
        "Orders placed between `startsOn` and `endsOn` (São Paulo days, inclusive) earn `multiplier` × their points when they reach an awarding status; the entry's reason names the campaign. When campaigns overlap, the highest multiplier wins (they never stack). A cancellation takes back exactly what the order earned, extra points included.",
      params: ProgramParams,
      body: CreateCampaignBody,
      responses: { 201: { description: 'Created', schema: CampaignView } },
    },
    async (c, { program, body }) => c.json(await service.createCampaign(db, program.id, body), 201),
  )

  programRoute(
    {
      method: 'get',
      path: `${CAMPAIGNS}/:campaignId`,
      summary: 'Read a campaign',
      params: CampaignParams,
      responses: { 200: { description: 'Campaign', schema: CampaignView } },
    },
    async (c, { program, params }) => c.json(await service.getCampaign(db, program.id, params.campaignId)),
  )

  programRoute(
    {
      method: 'patch',
      path: `${CAMPAIGNS}/:campaignId`,
      summary: 'Change a campaign',
      description: 'Orders already awarded keep what they earned; the change applies to orders awarded from now on.',
      params: CampaignParams,
      body: UpdateCampaignBody,
      responses: { 200: { description: 'Campaign', schema: CampaignView } },
    },
    async (c, { program, params, body }) =>
      c.json(await db.transaction().execute((trx) => service.updateCampaign(trx, program.id, params.campaignId, body))),
  )

  programRoute(
    {
      method: 'delete',
      path: `${CAMPAIGNS}/:campaignId`,
      summary: 'Delete a campaign',
      description: 'Points already awarded under it stay (and a cancellation still takes back exactly those).',
      params: CampaignParams,
      responses: { 200: { description: 'Deleted', schema: Ok } },
    },
    async (c, { program, params }) => {
      await service.deleteCampaign(db, program.id, params.campaignId)
      return c.json({ ok: true as const })
    },
  )
}
