import { ProgramParams } from '../../shared/api/programs.ts'
import {
  AdminRedemptionList,
  AdminRedemptionQuery,
  AdminRedemptionView,
  RedemptionIdParams,
  redemptionListDescription,
} from '../../shared/api/redemptions.ts'
import * as v from 'valibot'
import type { RouteContext } from '../http/route.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import * as service from './admin.ts'

const BASE = '/v1/programs/:programId/redemptions'

/** The merchant's view of redemptions (the shopper's side is in server/widget/routes.ts). */
export function registerRedemptionRoutes(ctx: RouteContext) {
  const { db } = ctx.deps
  const { programRoute } = adminRoutes(ctx, 'Redemptions')

  programRoute(
    {
      method: 'get',
      path: BASE,
      summary: "The program's redemptions, newest first; filter by member or status, search by code or e-mail",
      description: redemptionListDescription,
      params: ProgramParams,
      query: AdminRedemptionQuery,
      responses: { 200: { description: 'Redemptions', schema: AdminRedemptionList } },
    },
    async (c, { program, query }) => c.json(await service.listProgramRedemptions(db, program.id, query)),
  )

  programRoute(
    {
      method: 'get',
      path: `${BASE}/:redemptionId`,
      summary: 'One redemption',
      description: 'With the coupon job attempts, the LI coupon id and the failure cause, if any.',
      params: v.object({ ...ProgramParams.entries, ...RedemptionIdParams.entries }),
      responses: { 200: { description: 'Redemption', schema: AdminRedemptionView } },
    },
    async (c, { program, params }) => c.json(await service.getProgramRedemption(db, program.id, params.redemptionId)),
  )
}
