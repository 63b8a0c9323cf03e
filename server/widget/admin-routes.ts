import { ProgramParams } from '../../shared/api/programs.ts'
import {
  WidgetOriginsBody,
  WidgetOriginsView,
  widgetOriginsDescription,
  replaceWidgetOriginsDescription,
} from '../../shared/api/widget.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import type { WidgetRouteContext } from './http-routes.ts'
import * as service from './service.ts'

/** The merchant's side of the widget: which origins may call it. */
export function registerWidgetAdminRoutes({ app, registry, deps, merchantAuth, programs }: WidgetRouteContext) {
  const { db } = deps
  // The origin services check ownership themselves (and setOrigins reads the list back through getOrigins).
  const { adminRoute } = adminRoutes({ app, registry, deps, merchantAuth }, 'Widget')

  adminRoute(
    {
      method: 'get',
      path: '/v1/programs/:programId/widget/origins',
      summary: 'Origins allowed to call the widget API',
      description: widgetOriginsDescription,
      params: ProgramParams,
      responses: { 200: { description: 'Origins', schema: WidgetOriginsView } },
    },
    async (c, { merchantId, params }) => c.json(await service.getOrigins(db, merchantId, params.programId)),
  )

  adminRoute(
    {
      method: 'put',
      path: '/v1/programs/:programId/widget/origins',
      summary: 'Replace the extra origins allowed to call the widget API',
      description: replaceWidgetOriginsDescription,
      params: ProgramParams,
      body: WidgetOriginsBody,
      responses: { 200: { description: 'Origins', schema: WidgetOriginsView } },
    },
    async (c, { merchantId, params, body }) =>
      c.json(await service.setOrigins(db, programs, merchantId, params.programId, body.origins)),
  )
}
