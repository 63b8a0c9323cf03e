import * as identity from '../identity/service.ts'
import { WidgetTokens } from '../identity/tokens.ts'
import type { RouteContext } from '../http/route.ts'
import { registerWidgetAdminRoutes } from './admin-routes.ts'
import { registerConfigRoute } from './config-routes.ts'
import { BASE, requireShopper, widgetCors, type WidgetRouteContext } from './http-routes.ts'
import { registerMemberRoutes } from './member-routes.ts'
import { WidgetPrograms } from './programs.ts'
import { registerRedemptionRoutes } from './redemption-routes.ts'
import { registerReferralWidgetRoutes } from './referral-routes.ts'
import { registerSessionRoutes } from './session-routes.ts'

/**
 * The widget API (`/v1/widget/:programKey/…`) and the merchant's widget settings. One program
 * cache, token verifier and identity service are shared by every area's routes; the areas are
 * registered in this order, which is the order of the OpenAPI document.
 */
export function registerWidgetRoutes(ctx: RouteContext): WidgetRouteContext {
  const { app, deps } = ctx
  const programs = new WidgetPrograms(deps.db)
  const tokens = new WidgetTokens(deps.secrets.jwtKeys, deps.config.jwtIssuer)
  const w: WidgetRouteContext = {
    ...ctx,
    programs,
    tokens,
    ident: identity.createIdentity(deps, tokens),
    pub: { tag: 'Widget', security: [] },
    member: { tag: 'Widget', security: ['shopperBearer'], middleware: [requireShopper(programs, tokens)] },
  }

  app.use(`${BASE}/*`, widgetCors(programs))

  registerConfigRoute(w)
  registerSessionRoutes(w)
  registerMemberRoutes(w)
  registerRedemptionRoutes(w)
  registerReferralWidgetRoutes(w)
  registerWidgetAdminRoutes(w)
  // Features above the widget (server/privacy) add shopper routes with the same checks.
  return w
}
