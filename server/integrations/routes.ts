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
      description:
        'A new `apiKey` (the chave_api from Configurações > Chave para API, or a Personal Token with `credentialKind: "personal_token"`) is checked with Loja Integrada before anything is saved; a refused key answers 422 `li_credentials_rejected` with `field: "apiKey"` and nothing changes. The store\'s order statuses are read with it (see `…/statuses`). Omit `apiKey` to keep the saved key. The key is stored encrypted and never returned, only its last 4 characters. Saving does not activate anything.',
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
      description:
        'Read from Loja Integrada when the key was saved. `recommended` marks the statuses we suggest awarding on (delivered/final, not cancelled); `selected` the ones chosen in `awardingStatusIds`. 409 with `field: "apiKey"` until the integration is saved with a key.',
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
      description:
        'Activation starts syncing customers and orders from Loja Integrada (every SYNC_INTERVAL_MINUTES, plus the order webhook, registered now) AND starts sending e-mails to shoppers on behalf of the program. Refused (409) without a valid saved key (`field: "apiKey"`) or without at least one awarding status (`field: "awardingStatusIds"`). The answer carries a `notice` saying so in plain words. Activating an active integration changes nothing and queues a sync.',
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
      description:
        'Stops the scheduled sync, unregisters the order webhook and stops every e-mail to shoppers until the integration is activated again. Points already earned stay.',
      params: ProgramParams,
      responses: { 200: { description: 'Paused', schema: ActivationResponse } },
    },
    async (c, { merchantId, params }) => {
      const row = await service.setActive(deps, merchantId, params.programId, false)
      return c.json({ integration: service.toIntegrationView(row), notice: service.DEACTIVATION_NOTICE })
    },
  )

  adminRoute(
    {
      method: 'put',
      path: `${BASE}/sales-registration`,
      summary: 'Turn on/off points for Loja Integrada orders (sales registration)',
      description:
        'When on, orders reaching an awarding status earn points; turning it on also awards orders already stored in such a status. Mutually exclusive with ERP sales: turning it on while ERP sales are on answers 409 (`field: "enabled"`), so no sale can earn twice.',
      params: ProgramParams,
      body: ToggleBody,
      responses: { 200: { description: 'Integration', schema: IntegrationView } },
    },
    async (c, { merchantId, params, body }) =>
      c.json(
        service.toIntegrationView(
          await service.setSalesSource(deps, merchantId, params.programId, 'salesRegistration', body.enabled),
        ),
      ),
  )

  adminRoute(
    {
      method: 'put',
      path: `${BASE}/erp-sales`,
      summary: 'Turn on/off points for sales sent by an ERP',
      description:
        'When on, `POST /v1/programs/{programId}/sales` accepts sales. Mutually exclusive with sales registration: turning it on while sales registration is on answers 409 (`field: "enabled"`).',
      params: ProgramParams,
      body: ToggleBody,
      responses: { 200: { description: 'Integration', schema: IntegrationView } },
    },
    async (c, { merchantId, params, body }) =>
      c.json(
        service.toIntegrationView(
          await service.setSalesSource(deps, merchantId, params.programId, 'erpSales', body.enabled),
        ),
      ),
  )

  adminRoute(
    {
      method: 'post',
      path: `${BASE}/sync`,
      summary: 'Sync now',
      description:
        'Queues a sync of customers and orders from Loja Integrada and answers at once (202); follow it with `GET …/sync`. A sync already queued for the store absorbs this one. 409 when the integration is not active or its key was rejected.',
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
      description:
        'Per resource, the last and current run with their counts and errors; `totals`: what the program holds from the store whatever the last run read (store customers enrolled, Loja Integrada orders, points purchases earned since the activation).',
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
      description:
        'Only while ERP sales are on for the program (409 otherwise; a cancellation, `valid: false`, of a sale already recorded is always taken, so its points come back). The customer is enrolled by e-mail if not a member yet. Idempotent by `externalId`: sending the same sale again answers the same result (200, `created: false`) and awards nothing more; the same `externalId` with another e-mail or amount is a 409 `idempotency_conflict` naming the field. A sale reported cancelled stays cancelled.',
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
