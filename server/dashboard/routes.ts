import {
  DashboardExportParams,
  DashboardQuery,
  DashboardView,
  dashboardDescription,
  dashboardExportDescription,
} from '../../shared/api/dashboard.ts'
import { ProgramParams } from '../../shared/api/programs.ts'
import type { RouteContext } from '../http/route.ts'
import { saoPauloDay } from '../lib/calendar.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import * as service from './service.ts'

const BASE = '/v1/programs/:programId/dashboard'

/** The merchant's dashboard: every figure as JSON, and each as a CSV file. */
export function registerDashboardRoutes(ctx: RouteContext) {
  const { db } = ctx.deps
  const { programRoute } = adminRoutes(ctx, 'Dashboard')

  programRoute(
    {
      method: 'get',
      path: BASE,
      summary: "The program's figures for a period and the period before",
      description: dashboardDescription,
      params: ProgramParams,
      query: DashboardQuery,
      responses: { 200: { description: 'Dashboard', schema: DashboardView } },
    },
    async (c, { program, query }) => c.json(await service.dashboard(db, program, query.days, new Date())),
  )

  programRoute(
    {
      method: 'get',
      path: `${BASE}/exports/:figure`,
      summary: 'One figure of the dashboard as CSV (text/csv)',
      description: dashboardExportDescription,
      params: DashboardExportParams,
      query: DashboardQuery,
      responses: { 200: { description: 'CSV file (UTF-8 with BOM, `;` separator, decimal comma)' } },
    },
    async (c, { program, params, query }) => {
      const now = new Date()
      const headers = {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${service.fileName(params.figure, query.days, saoPauloDay(now))}"`,
        'cache-control': 'no-store',
      }
      if (params.figure === 'members') return c.body(await service.membersCsv(db, program), 200, headers)
      const view = await service.dashboard(db, program, query.days, now)
      const csv = { summary: service.summaryCsv, weekly: service.weeklyCsv, rewards: service.rewardsCsv }[params.figure]
      return c.body(csv(program, view), 200, headers)
    },
  )
}
