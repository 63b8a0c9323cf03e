import { ProgramParams } from '../../shared/api/programs.ts'
import {
  AdminRedemptionList,
  AdminRedemptionQuery,
  AdminRedemptionView,
  RedemptionIdParams,
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
      summary: "The program's redemptions, newest first",
      description:
        'Filter by `memberId` and/or `status` (`pending`: points debited, coupon being created in Loja Integrada; `issued`: the coupon exists; `failed`: LI refused or stayed unreachable, points given back; `used`; `refunded`: expired unused, points given back). `couponCode` is shown to the merchant even while pending (it is what the coupon will be called in LI). Keyset paging with `cursor`.',
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
