import * as v from 'valibot'
import {
  ActivationResponse,
  IntegrationView,
  SaleBody,
  SaleResponse,
  SaveIntegrationBody,
  StatusList,
  SyncStatusView,
  ToggleBody,
  saveIntegrationDescription,
  orderStatusesDescription,
  activateIntegrationDescription,
  deactivateIntegrationDescription,
  salesRegistrationDescription,
  erpSalesDescription,
  syncNowDescription,
  syncStatusDescription,
  recordSaleDescription,
} from '../../shared/api/integrations.ts'
import { ProgramParams } from '../../shared/api/programs.ts'
import type { RouteContext } from '../http/route.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import { recordSale } from './sales.ts'
import * as service from './service.ts'

const BASE = '/v1/programs/:programId/integrations/loja-integrada'

const SyncAccepted = v.object({ queued: v.literal(true) })

export function registerIntegrationRoutes(ctx: RouteContext) {
  const { deps } = ctx
  const { adminRoute, programRoute } = adminRoutes(ctx, 'Loja Integrada')

  programRoute(
    {
      method: 'get',
      path: BASE,
      summary: "Read the program's Loja Integrada integration",
      description:
        'The API key is never returned: only its last 4 characters. 404 when the integration was never saved.',
      params: ProgramParams,
      responses: { 200: { description: 'Integration', schema: IntegrationView } },
    },
    async (c, { program }) =>
      c.json(service.toIntegrationView(await service.getIntegrationOrThrow(deps.db, program.id))),
  )

  // From here on the services take the merchant's and the program's ids and check ownership
  // themselves (ERP sales inside their transaction), so these routes do not read the program first.
  adminRoute(
    {
      method: 'put',
      path: BASE,
      summary: 'Create or change the integration',
      description: saveIntegrationDescription,
      params: ProgramParams,
      body: SaveIntegrationBody,
      responses: { 200: { description: 'Saved', schema: IntegrationView } },
    },
    async (c, { merchantId, params, body }) =>
      c.json(service.toIntegrationView(await service.saveIntegration(deps, merchantId, params.programId, body))),
  )

  adminRoute(
    {
      method: 'get',
      path: `${BASE}/statuses`,
      summary: "The store's order statuses, to choose which ones award points",
      description: orderStatusesDescription,
      params: ProgramParams,
      responses: { 200: { description: 'Statuses', schema: StatusList } },
    },
    async (c, { merchantId, params }) => c.json(await service.listStatusesFor(deps, merchantId, params.programId)),
  )

  adminRoute(
    {
      method: 'post',
      path: `${BASE}/activate`,
      summary: 'Activate: start syncing and start e-mailing shoppers',
      description: activateIntegrationDescription,
      params: ProgramParams,
      responses: { 200: { description: 'Active', schema: ActivationResponse } },
    },
    async (c, { merchantId, params }) => {
      const row = await service.setActive(deps, merchantId, params.programId, true)
      return c.json({ integration: service.toIntegrationView(row), notice: service.ACTIVATION_NOTICE })
    },
  )

  adminRoute(
    {
      method: 'post',
      path: `${BASE}/deactivate`,
      summary: 'Pause: stop syncing and stop e-mailing shoppers',
      description: deactivateIntegrationDescription,
      params: ProgramParams,
      responses: { 200: { description: 'Paused', schema: ActivationResponse } },
    },
    async (c, { merchantId, params }) => {
      const row = await service.setActive(deps, merchantId, params.programId, false)
      return c.json({ integration: service.toIntegrationView(row), notice: service.DEACTIVATION_NOTICE })
    },
  )

  // Two switches of one shape: which source may award points (the design's "sales registration
  // is only for stores without an ERP feeding sales").
  const salesSources = [
    {
      path: 'sales-registration',
      source: 'salesRegistration',
      summary: 'Turn on/off points for Loja Integrada orders (sales registration)',
      description: salesRegistrationDescription,
    },
    {
      path: 'erp-sales',
      source: 'erpSales',
      summary: 'Turn on/off points for sales sent by an ERP',
      description: erpSalesDescription,
    },
  ] as const
  for (const t of salesSources)
    adminRoute(
      {
        method: 'put',
        path: `${BASE}/${t.path}`,
        summary: t.summary,
        description: t.description,
        params: ProgramParams,
        body: ToggleBody,
        responses: { 200: { description: 'Integration', schema: IntegrationView } },
      },
      async (c, { merchantId, params, body }) =>
        c.json(
          service.toIntegrationView(
            await service.setSalesSource(deps, merchantId, params.programId, t.source, body.enabled),
          ),
        ),
    )

  adminRoute(
    {
      method: 'post',
      path: `${BASE}/sync`,
      summary: 'Sync now',
      description: syncNowDescription,
      params: ProgramParams,
      responses: { 202: { description: 'Queued', schema: SyncAccepted } },
    },
    async (c, { merchantId, params }) => {
      await service.requestSync(deps, merchantId, params.programId)
      return c.json({ queued: true as const }, 202)
    },
  )

  adminRoute(
    {
      method: 'get',
      path: `${BASE}/sync`,
      summary: 'Sync health: cursors, last runs, counts and errors, and totals',
      description: syncStatusDescription,
      params: ProgramParams,
      responses: { 200: { description: 'Sync status', schema: SyncStatusView } },
    },
    async (c, { merchantId, params }) => c.json(await service.syncStatus(deps, merchantId, params.programId)),
  )

  adminRoute(
    {
      tag: 'Sales',
      method: 'post',
      path: '/v1/programs/:programId/sales',
      summary: 'Record a sale from an ERP',
      description: recordSaleDescription,
      params: ProgramParams,
      body: SaleBody,
      responses: {
        201: { description: 'Recorded', schema: SaleResponse },
        200: { description: 'Already recorded with this externalId', schema: SaleResponse },
      },
    },
    async (c, { merchantId, params, body }) => {
      const result = await recordSale(deps, merchantId, params.programId, body)
      return c.json(result, result.created ? 201 : 200)
    },
  )
}
