import { Ok } from '../../shared/api/common.ts'
import { ProgramParams } from '../../shared/api/programs.ts'
import {
  CreateWebhookBody,
  UpdateWebhookBody,
  WebhookDeliveryPage,
  WebhookDeliveryParams,
  WebhookDeliveryQuery,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookList,
  WebhookParams,
  WebhookWithSecret,
} from '../../shared/api/webhooks.ts'
import type { RouteContext } from '../http/route.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import { deliveryQueue } from './queues.ts'
import * as service from './service.ts'

const BASE = '/v1/programs/:programId/webhooks'
const ONE = `${BASE}/:endpointId`

export function registerWebhookRoutes(ctx: RouteContext) {
  const { deps } = ctx
  const { db } = deps
  const { programRoute } = adminRoutes(ctx, 'Webhooks')

  programRoute(
    {
      method: 'get',
      path: BASE,
      summary: "The program's event webhook endpoints",
      params: ProgramParams,
      responses: { 200: { description: 'Endpoints, oldest first', schema: WebhookList } },
    },
    async (c, { program }) => c.json({ items: await service.listEndpoints(db, program.id) }),
  )

  programRoute(
    {
      method: 'post',
      path: BASE,
      summary: 'Add an event webhook endpoint',
      description:
        'Answers the signing secret (`whsec_…`) this once; it cannot be read again (rotate it to get a new one). ' +
        'Deliveries follow Standard Webhooks: see the README, "Webhooks de eventos".',
      params: ProgramParams,
      body: CreateWebhookBody,
      responses: { 201: { description: 'Created, with its secret', schema: WebhookWithSecret } },
    },
    async (c, { program, body }) => c.json(await service.createEndpoint(db, deps, program.id, body), 201),
  )

  programRoute(
    {
      method: 'patch',
      path: ONE,
      summary: 'Change an endpoint: URL, events, on/off',
      params: WebhookParams,
      body: UpdateWebhookBody,
      responses: { 200: { description: 'Changed', schema: WebhookEndpointView } },
    },
    async (c, { program, params, body }) =>
      c.json(await service.updateEndpoint(db, deps, program.id, params.endpointId, body)),
  )

  programRoute(
    {
      method: 'delete',
      path: ONE,
      summary: 'Remove an endpoint and its delivery log',
      params: WebhookParams,
      responses: { 200: { description: 'Removed', schema: Ok } },
    },
    async (c, { program, params }) => {
      await service.deleteEndpoint(db, program.id, params.endpointId)
      return c.json({ ok: true as const })
    },
  )

  programRoute(
    {
      method: 'post',
      path: `${ONE}/rotate-secret`,
      summary: 'Rotate the signing secret',
      description:
        'Answers the new secret this once. For 24 hours every delivery carries two signatures, one per secret, so ' +
        'receivers can switch without refusing events.',
      params: WebhookParams,
      responses: { 200: { description: 'The new secret', schema: WebhookWithSecret } },
    },
    async (c, { program, params }) =>
      c.json(await db.transaction().execute((trx) => service.rotateSecret(trx, deps, program.id, params.endpointId))),
  )

  programRoute(
    {
      method: 'get',
      path: `${ONE}/deliveries`,
      summary: "An endpoint's delivery log",
      description: 'Newest first; follow `nextCursor`.',
      params: WebhookParams,
      query: WebhookDeliveryQuery,
      responses: { 200: { description: 'A page of deliveries', schema: WebhookDeliveryPage } },
    },
    async (c, { program, params, query }) =>
      c.json(await service.listDeliveries(db, program.id, params.endpointId, query)),
  )

  programRoute(
    {
      method: 'post',
      path: `${ONE}/deliveries/:deliveryId/resend`,
      summary: 'Send a delivery again ("reenviar")',
      description: 'The same event id (`webhook-id`), so a receiver that already had it can ignore it.',
      params: WebhookDeliveryParams,
      responses: { 200: { description: 'Pending again', schema: WebhookDeliveryView } },
    },
    async (c, { program, params }) => {
      const view = await db
        .transaction()
        .execute((trx) => service.resend(trx, deps, program.id, params.endpointId, params.deliveryId))
      deps.jobs.wake(deliveryQueue)
      return c.json(view)
    },
  )
}
