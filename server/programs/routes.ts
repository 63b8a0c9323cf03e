import { Ok } from '../../shared/api/common.ts'
import {
  CreateProgramBody,
  ProgramList,
  ProgramParams,
  ProgramView,
  UpdateProgramBody,
} from '../../shared/api/programs.ts'
import type { RouteContext } from '../http/route.ts'
import { adminRoutes } from './admin-routes.ts'
import * as service from './service.ts'

export function registerProgramRoutes(ctx: RouteContext) {
  const { db } = ctx.deps
  const { adminRoute, programRoute } = adminRoutes(ctx, 'Programs')

  adminRoute(
    {
      method: 'post',
      path: '/v1/programs',
      summary: 'Create a loyalty program',
      body: CreateProgramBody,
      responses: { 201: { description: 'Created', schema: ProgramView } },
    },
    async (c, { merchantId, body }) => c.json(await service.createProgram(db, merchantId, body), 201),
  )

  adminRoute(
    {
      method: 'get',
      path: '/v1/programs',
      summary: "List the merchant's programs",
      responses: { 200: { description: 'Programs', schema: ProgramList } },
    },
    async (c, { merchantId }) => c.json({ items: await service.listPrograms(db, merchantId) }),
  )

  programRoute(
    {
      method: 'get',
      path: '/v1/programs/:programId',
      summary: 'Read a program',
      params: ProgramParams,
      responses: { 200: { description: 'Program', schema: ProgramView } },
    },
    async (c, { program }) => c.json(service.toProgramView(program)),
  )

  // Change and archive check ownership in their own UPDATE (one query, not a read first).
  adminRoute(
    {
      method: 'patch',
      path: '/v1/programs/:programId',
      summary: 'Change a program',
      params: ProgramParams,
      body: UpdateProgramBody,
      responses: { 200: { description: 'Program', schema: ProgramView } },
    },
    async (c, { merchantId, params, body }) =>
      c.json(await service.updateProgram(db, merchantId, params.programId, body)),
  )

  adminRoute(
    {
      method: 'delete',
      path: '/v1/programs/:programId',
      summary: 'Archive a program',
      description: 'The program disappears from the API and the widget; its members and ledger are kept.',
      params: ProgramParams,
      responses: { 200: { description: 'Archived', schema: Ok } },
    },
    async (c, { merchantId, params }) => {
      await service.archiveProgram(db, merchantId, params.programId)
      return c.json({ ok: true as const })
    },
  )
}
