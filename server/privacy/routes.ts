import { MemberParams } from '../../shared/api/members.ts'
import {
  CreatePrivacyRequestBody,
  DeleteProgramBody,
  Erased,
  ExportFormatQuery,
  MemberExport,
  PrivacyRequestList,
  PrivacyRequestListQuery,
  PrivacyRequestParams,
  PrivacyRequestView,
  ProgramDeletion,
} from '../../shared/api/privacy.ts'
import { ProgramParams } from '../../shared/api/programs.ts'
import type { RouteContext } from '../http/route.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import type { WidgetRouteContext } from '../widget/http-routes.ts'
import { exportAnswer } from './export-routes.ts'
import { deleteProgram, restoreProgram } from './offboarding.ts'
import * as service from './service.ts'
import { registerPrivacyWidgetRoutes } from './widget-routes.ts'

/**
 * LGPD in the admin API (panel and the merchant's tools): a member's export and erasure, the
 * program's list of privacy requests, and deleting the whole program. The shopper's own routes
 * are in widget-routes.ts.
 */
export function registerPrivacyRoutes(ctx: RouteContext, widget: WidgetRouteContext) {
  const { db } = ctx.deps
  const { deps } = ctx
  const { programRoute } = adminRoutes(ctx, 'Privacy')
  // The panel sends its session token; the API a named token: tell them apart on the list.
  const channel = (c: { req: { header(n: string): string | undefined } }) =>
    c.req.header('x-fidelis-client') === 'panel' ? ('panel' as const) : ('api' as const)

  programRoute(
    {
      method: 'get',
      path: '/v1/programs/:programId/members/:memberId/data',
      summary: "A member's data export (LGPD access and portability)",
      description: 'The same export the shopper downloads in the widget. `format=csv` for one CSV.',
      params: MemberParams,
      query: ExportFormatQuery,
      responses: { 200: { description: 'The export', schema: MemberExport } },
    },
    async (c, { program, params, query }) =>
      exportAnswer(c, await service.exportMember(db, program, params.memberId), query.format, 'no-store'),
  )

  programRoute(
    {
      method: 'post',
      path: '/v1/programs/:programId/members/:memberId/erasure',
      summary: 'Erase a member (LGPD): anonymised, logged out, never re-enrolled by a sync',
      description:
        'E-mail, name, CPF, birth date, LI customer id and IP traces are removed or replaced by keyed hashes; ' +
        'ledger, order amounts and redemptions stay so balances and reports add up. Not undoable.',
      params: MemberParams,
      responses: { 200: { description: 'Erased', schema: Erased } },
    },
    async (c, { program, params }) => {
      const r = await db
        .transaction()
        .execute((trx) =>
          service.eraseMember(trx, deps, program.id, params.memberId, { channel: channel(c), ip: null }),
        )
      return c.json({ erased: true as const, erasedAt: r.erasedAt.toISOString() })
    },
  )

  programRoute(
    {
      method: 'get',
      path: '/v1/programs/:programId/privacy-requests',
      summary: "The program's privacy requests, newest first (due 15 days after the request)",
      params: ProgramParams,
      query: PrivacyRequestListQuery,
      responses: { 200: { description: 'A page of requests', schema: PrivacyRequestList } },
    },
    async (c, { program, query }) => c.json(await service.listRequests(db, program.id, query)),
  )

  programRoute(
    {
      method: 'post',
      path: '/v1/programs/:programId/privacy-requests',
      summary: 'Register a request the shopper made to the store (e-mail, phone, in person)',
      params: ProgramParams,
      body: CreatePrivacyRequestBody,
      responses: { 201: { description: 'Registered, open', schema: PrivacyRequestView } },
    },
    async (c, { program, body }) =>
      c.json(await db.transaction().execute((trx) => service.registerRequest(trx, program.id, body, channel(c))), 201),
  )

  programRoute(
    {
      method: 'post',
      path: '/v1/programs/:programId/privacy-requests/:requestId/complete',
      summary: 'Complete an open request (an erasure request erases the member now)',
      params: PrivacyRequestParams,
      responses: { 200: { description: 'Done', schema: PrivacyRequestView } },
    },
    async (c, { program, params }) =>
      c.json(
        await db
          .transaction()
          .execute((trx) => service.completeRequest(trx, deps, program.id, params.requestId, channel(c))),
      ),
  )

  programRoute(
    {
      method: 'delete',
      path: '/v1/programs/:programId/data',
      summary: 'Delete the program and all its data, after a 48-hour grace period',
      description:
        "`confirmName` must be the program's name. At once: the LI order webhook is removed, the LI key erased, " +
        'syncing, logins and e-mails stop. After 48 hours every row of the program is purged; until then ' +
        '`POST …/data/restore` undoes it (the LI key must then be saved again).',
      params: ProgramParams,
      body: DeleteProgramBody,
      responses: { 202: { description: 'Scheduled', schema: ProgramDeletion } },
    },
    async (c, { merchantId, program, body }) => {
      const r = await deleteProgram(deps, merchantId, program.id, body.confirmName)
      return c.json({ deletionRequestedAt: r.deletionRequestedAt, purgeAfter: r.purgeAfter }, 202)
    },
  )

  programRoute(
    {
      method: 'post',
      path: '/v1/programs/:programId/data/restore',
      summary: "Undo the program's deletion within the grace period",
      params: ProgramParams,
      responses: { 200: { description: 'Restored', schema: ProgramDeletion } },
    },
    async (c, { merchantId, program }) => c.json(await restoreProgram(deps, merchantId, program.id)),
  )

  registerPrivacyWidgetRoutes(widget)
}
