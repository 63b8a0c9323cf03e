import { AppError } from '../lib/errors.ts'
import { Ok } from '../../shared/api/common.ts'
import {
  CampaignList,
  CampaignParams,
  CampaignView,
  CreateCampaignBody,
  PointsRulesView,
  UpdateCampaignBody,
  UpdatePointsRulesBody,
  pointsRulesDescription,
  updatePointsRulesDescription,
  createCampaignDescription,
} from '../../shared/api/lifecycle.ts'
import { ProgramParams } from '../../shared/api/programs.ts'
import type { RouteContext } from '../http/route.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import * as service from './service.ts'

const CAMPAIGNS = '/v1/programs/:programId/campaigns'

export function registerLifecycleRoutes(ctx: RouteContext) {
  const { db } = ctx.deps
  const { programRoute, settingsRoutes } = adminRoutes(ctx, 'Points rules')

  settingsRoutes({
    path: '/v1/programs/:programId/points-rules',
    get: {
      summary: "The program's points expiry, bonuses and pending period",
      description: pointsRulesDescription,
      response: { description: 'Points rules', schema: PointsRulesView },
    },
    save: {
      method: 'patch',
      summary: "Change the program's points expiry, bonuses and pending period",
      description: updatePointsRulesDescription,
      body: UpdatePointsRulesBody,
      response: { description: 'Points rules', schema: PointsRulesView },
    },
    read: (db, program) => service.getRules(db, program.id),
    check: (program, body) => {
      // A cashback credit's validity is in days, set with the cashback rules; months here would
      // silently fight them.
      if (program.mode === 'cashback' && body.expiryMonths !== undefined && body.expiryMonths !== null)
        throw new AppError(
          'wrong_program_mode',
          'A cashback program sets its validity in the cashback rules (validityDays), not in expiryMonths',
          { field: 'expiryMonths' },
        )
    },
    write: (trx, program, body) => service.updateRules(trx, program.id, body),
  })

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
      description: createCampaignDescription,
      params: ProgramParams,
      body: CreateCampaignBody,
      responses: { 201: { description: 'Created', schema: CampaignView } },
    },
    async (c, { program, body }) => {
      // Campaigns multiply points; a cashback program's percentage is its one earning rule.
      if (program.mode === 'cashback')
        throw new AppError('wrong_program_mode', 'Campaigns exist only in points programs', { field: 'mode' })
      return c.json(await service.createCampaign(db, program.id, body), 201)
    },
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
