import { createRequire } from 'node:module'
import fs from 'node:fs'
import path from 'node:path'
import { Hono } from 'hono'
import { registerCashbackRoutes } from './cashback/routes.ts'
import { registerTierRoutes } from './tiers/routes.ts'
import { registerReferralRoutes } from './referrals/routes.ts'
import { registerDashboardRoutes } from './dashboard/routes.ts'
import { registerEmailRoutes } from './email/routes.ts'
import { registerIntegrationRoutes } from './integrations/routes.ts'
import { registerLiWebhookRoutes } from './integrations/webhook-routes.ts'
import { registerLedgerRoutes } from './members/ledger-routes.ts'
import { registerLifecycleRoutes } from './points/routes.ts'
import { registerMemberRoutes } from './members/routes.ts'
import { registerMerchantRoutes } from './merchants/routes.ts'
import { registerProgramRoutes } from './programs/routes.ts'
import { registerRedemptionRoutes } from './redemptions/routes.ts'
import { registerRewardRoutes } from './rewards/routes.ts'
import { registerWidgetRoutes } from './widget/routes.ts'
import { registerPrivacyRoutes } from './privacy/routes.ts'
import { registerWidgetAssetRoutes } from './widget-assets/routes.ts'
import { registerPanelAssetRoutes } from './panel-assets/routes.ts'
import { registerWebhookRoutes } from './webhooks/routes.ts'
import { requireMerchant } from './merchants/auth-routes.ts'
import type { AppEnv } from './http/context.ts'
import type { AppDeps } from './deps.ts'
import { bodyLimit, notFoundHandler, onError, requestContext } from './http/middleware.ts'
import { buildOpenApi } from './http/openapi.ts'
import { httpMetrics, registerMetricsRoute } from './http/metrics.ts'
import type { RouteContext, RouteRegistry } from './http/route.ts'

const MAX_BODY_BYTES = 1024 * 1024
const require = createRequire(import.meta.url)

/** Builds the whole HTTP app from its dependencies; no I/O happens here. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const registry: RouteRegistry = []

  app.use('*', requestContext(deps.log))
  if (deps.config.metricsToken) app.use('*', httpMetrics())
  app.use('*', bodyLimit(MAX_BODY_BYTES))
  app.onError(onError)

  app.get('/health', async (c) => {
    // One round trip proves the database answers; the dialect tells operators which one.
    await deps.database.pool.query('select 1')
    return c.json({ status: 'ok', database: deps.database.dialect })
  })

  // A person who types the server's address lands on the panel, not on a JSON 404. A client that
  // asks for JSON only (an API call to the wrong path) still gets the JSON answer.
  app.get('/', (c) => {
    const accept = c.req.header('accept') ?? ''
    if (/application\/json/i.test(accept) && !/text\/html|\*\/\*/i.test(accept)) return c.notFound()
    return c.redirect('/panel', 302)
  })

  registerMetricsRoute(app, deps)

  const ctx: RouteContext = { app, registry, deps, merchantAuth: requireMerchant(deps.db, deps.jwt) }
  registerMerchantRoutes(ctx)
  registerProgramRoutes(ctx)
  registerMemberRoutes(ctx)
  registerLedgerRoutes(ctx)
  registerIntegrationRoutes(ctx)
  registerLiWebhookRoutes(ctx)
  registerRewardRoutes(ctx)
  registerRedemptionRoutes(ctx)
  registerEmailRoutes(ctx)
  registerLifecycleRoutes(ctx)
  registerWebhookRoutes(ctx)
  registerCashbackRoutes(ctx)
  registerTierRoutes(ctx)
  registerReferralRoutes(ctx)
  registerDashboardRoutes(ctx)
  // The widget's routes once: privacy adds shopper routes with the widget's own checks.
  registerPrivacyRoutes(ctx, registerWidgetRoutes(ctx))
  registerWidgetAssetRoutes(ctx)
  registerPanelAssetRoutes(ctx)

  let openapi: unknown
  app.get('/openapi.json', (c) => {
    openapi ??= buildOpenApi(registry, {
      title: 'Fidelis API',
      version: '1.0.0',
      description:
        'Admin API of Fidelis, the loyalty program for Loja Integrada stores. ' +
        'Errors always answer `{ error: { code, message, field? }, requestId }`.',
    })
    return c.json(openapi)
  })
  mountDocs(app)

  app.notFound(
    notFoundHandler(registry, [
      { method: 'GET', path: '/health' },
      { method: 'GET', path: '/openapi.json' },
      { method: 'GET', path: '/docs' },
    ]),
  )
  return app
}

/** Swagger UI from the swagger-ui-dist package, served locally: the docs work offline. */
function mountDocs(app: Hono<AppEnv>) {
  const dir = path.dirname(require.resolve('swagger-ui-dist/package.json'))
  const assets: Record<string, string> = {
    'swagger-ui.css': 'text/css; charset=utf-8',
    'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
    'favicon-32x32.png': 'image/png',
  }
  app.get('/docs', (c) =>
    c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fidelis API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/docs/favicon-32x32.png">
<link rel="stylesheet" href="/docs/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' })</script></body></html>`),
  )
  app.get('/docs/:asset', (c) => {
    const asset = c.req.param('asset')
    const type = assets[asset]
    if (!type) return c.notFound()
    return c.body(fs.readFileSync(path.join(dir, asset)), 200, {
      'content-type': type,
      'cache-control': 'public, max-age=86400',
    })
  })
}
