import { randomUUID } from 'node:crypto'
import {
  AdjustmentBody,
  AdjustmentResponse,
  LedgerPage,
  LedgerQuery,
  MemberParams,
  adjustPointsDescription,
} from '../../shared/api/members.ts'
import type { RouteContext } from '../http/route.ts'
import { getMember } from './service.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import { getOwnedProgram } from '../programs/service.ts'
import { history, postEntry, toEntryView } from '../ledger/service.ts'

export function registerLedgerRoutes(ctx: RouteContext) {
  const { db } = ctx.deps
  const { adminRoute, programRoute } = adminRoutes(ctx, 'Ledger')

  programRoute(
    {
      method: 'get',
      path: '/v1/programs/:programId/members/:memberId/ledger',
      summary: "A member's ledger, newest first",
      params: MemberParams,
      query: LedgerQuery,
      responses: { 200: { description: 'A page of entries', schema: LedgerPage } },
    },
    async (c, { program, params, query }) => {
      const member = await getMember(db, program.id, params.memberId)
      return c.json(await history(db, program.id, member.id, query))
    },
  )

  adminRoute(
    {
      method: 'post',
      path: '/v1/programs/:programId/members/:memberId/adjustments',
      summary: 'Add or remove points by hand',
      description: adjustPointsDescription,
      params: MemberParams,
      body: AdjustmentBody,
      responses: {
        201: { description: 'Posted', schema: AdjustmentResponse },
        200: { description: 'Already posted with this idempotency key', schema: AdjustmentResponse },
      },
    },
    // The program is read in the entry's transaction, not before it.
    async (c, { merchantId, params, body }) => {
      const result = await db.transaction().execute(async (trx) => {
        const program = await getOwnedProgram(trx, merchantId, params.programId)
        return postEntry(trx, program.id, {
          memberId: params.memberId,
          kind: 'adjust',
          amount: body.amount,
          reason: body.reason,
          idempotencyKey: `adjust:${body.idempotencyKey ?? randomUUID()}`,
          createdBy: `merchant:${merchantId}`,
        })
      })
      return c.json(
        { entry: toEntryView(result.entry), balance: result.balance, created: result.created },
        result.created ? 201 : 200,
      )
    },
  )
}
