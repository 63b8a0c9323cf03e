import {
  CreateMemberBody,
  MemberDetail,
  MemberList,
  MemberListQuery,
  MemberParams,
  MemberView,
} from '../../shared/api/members.ts'
import { ProgramParams } from '../../shared/api/programs.ts'
import type { RouteContext } from '../http/route.ts'
import { history } from '../ledger/service.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import * as service from './service.ts'
import { balanceUnit } from '../cashback/service.ts'
import { memberTier } from '../tiers/service.ts'

export function registerMemberRoutes(ctx: RouteContext) {
  const { db } = ctx.deps
  const { programRoute } = adminRoutes(ctx, 'Members')

  programRoute(
    {
      method: 'get',
      path: '/v1/programs/:programId/members',
      summary: 'List or search members',
      description: '`q` matches part of the e-mail or the start of the name. Newest first; follow `nextCursor`.',
      params: ProgramParams,
      query: MemberListQuery,
      responses: { 200: { description: 'A page of members', schema: MemberList } },
    },
    async (c, { program, query }) =>
      c.json(await service.searchMembers(db, program.id, query, await balanceUnit(db, program))),
  )

  programRoute(
    {
      method: 'post',
      path: '/v1/programs/:programId/members',
      summary: 'Enrol a member by hand',
      params: ProgramParams,
      body: CreateMemberBody,
      responses: { 201: { description: 'Created', schema: MemberView } },
    },
    async (c, { program, body }) =>
      c.json(
        service.toMemberView(
          await db.transaction().execute((trx) => service.enrolMember(trx, program.id, body)),
          await balanceUnit(db, program),
        ),
        201,
      ),
  )

  programRoute(
    {
      method: 'get',
      path: '/v1/programs/:programId/members/:memberId',
      summary: 'A member with balance and the first page of history',
      params: MemberParams,
      responses: { 200: { description: 'Member', schema: MemberDetail } },
    },
    async (c, { program, params }) => {
      const member = await service.getMember(db, program.id, params.memberId)
      return c.json({
        member: service.toMemberView(member, await balanceUnit(db, program)),
        history: await history(db, program.id, member.id, {}),
        tier: await memberTier(db, program, member.id),
      })
    },
  )
}
