import { Ok } from '../../shared/api/common.ts'
import { ProgramParams } from '../../shared/api/programs.ts'
import {
  TierPreview,
  TierRulesBody,
  TierRulesView,
  TierSaveResult,
  tierRulesDescription,
} from '../../shared/api/tiers.ts'
import type { RouteContext } from '../http/route.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import * as service from './service.ts'

export function registerTierRoutes(ctx: RouteContext) {
  const { db } = ctx.deps
  const { programRoute, settingsRoutes } = adminRoutes(ctx, 'Tiers')

  settingsRoutes({
    path: '/v1/programs/:programId/tiers',
    get: {
      summary: "A program's VIP tiers",
      description: tierRulesDescription,
      response: { description: 'Tier rules', schema: TierRulesView },
    },
    save: {
      method: 'put',
      summary: 'Save the VIP tiers and re-evaluate every member (by a job above 20,000 members)',
      description: tierRulesDescription,
      body: TierRulesBody,
      response: { description: 'Saved, and what the re-evaluation moved', schema: TierSaveResult },
    },
    read: (db, program) => service.getTierRules(db, program.id),
    write: (trx, program, body) => service.saveTierRules(trx, ctx.deps, program, body),
  })

  programRoute(
    {
      method: 'post',
      path: '/v1/programs/:programId/tier-preview',
      summary: 'How many members each tier would hold, before saving',
      description: 'Takes the same body as `PUT …/tiers` and writes nothing.',
      params: ProgramParams,
      body: TierRulesBody,
      responses: { 200: { description: 'Members per tier', schema: TierPreview } },
    },
    async (c, { program, body }) => c.json(await service.previewTiers(db, program.id, body)),
  )

  programRoute(
    {
      method: 'delete',
      path: '/v1/programs/:programId/tiers',
      summary: 'Turn VIP tiers off',
      description: 'Members lose their tier and multiplier; entry rewards already credited stay.',
      params: ProgramParams,
      responses: { 200: { description: 'Deleted', schema: Ok } },
    },
    async (c, { program }) => {
      await db.transaction().execute((trx) => service.deleteTierRules(trx, program.id))
      return c.json({ ok: true as const })
    },
  )
}
