import { Ok } from '../../shared/api/common.ts'
import { CreateProgramBody, ProgramList, ProgramParams, ProgramView, UpdateProgramBody } from '../../shared/api/programs.ts'
import type { RouteContext } from '../http/deps.ts'
import { route } from '../http/route.ts'
import * as service from './service.ts'

export function registerProgramRoutes({ app, registry, deps, merchantAuth }: RouteContext) {
  const { db } = deps
  const common = { tag: 'Programs', security: ['merchantBearer' as const], middleware: [merchantAuth] }

  route(
    app,
    registry,
    {
      ...common,
      method: 'post',
      path: '/v1/programs',
      summary: 'Create a loyalty program',
      body: CreateProgramBody,
      responses: { 201: { description: 'Created', schema: ProgramView } },
    },
    async (c, { body }) => c.json(await service.createProgram(db, c.get('merchant').merchantId, body), 201),
  )

  route(
    app,
    registry,
    { ...common, method: 'get', path: '/v1/programs', summary: "List the merchant's programs", responses: { 200: { description: 'Programs', schema: ProgramList } } },
    async (c) => c.json({ items: await service.listPrograms(db, c.get('merchant').merchantId) }),
  )

  route(
    app,
    registry,
    {
      ...common,
      method: 'get',
      path: '/v1/programs/:programId',
      summary: 'Read a program',
      params: ProgramParams,
      responses: { 200: { description: 'Program', schema: ProgramView } },
    },
    async (c, { params }) => c.json(service.toProgramView(await service.getOwnedProgram(db, c.get('merchant').merchantId, params.programId))),
  )

  route(
    app,
    registry,
    {
      ...common,
      method: 'patch',
      path: '/v1/programs/:programId',
      summary: 'Change a program',
      params: ProgramParams,
      body: UpdateProgramBody,
      responses: { 200: { description: 'Program', schema: ProgramView } },
    },
    async (c, { params, body }) => c.json(await service.updateProgram(db, c.get('merchant').merchantId, params.programId, body)),
  )

  route(
    app,
    registry,
    {
      ...common,
      method: 'delete',
      path: '/v1/programs/:programId',
      summary: 'Archive a program',
      description: 'The program disappears from the API and the widget; its members and ledger are kept.',
      params: ProgramParams,
      responses: { 200: { description: 'Archived', schema: Ok } },
    },
    async (c, { params }) => {
      await service.archiveProgram(db, c.get('merchant').merchantId, params.programId)
      return c.json({ ok: true as const })
    },
  )
}
