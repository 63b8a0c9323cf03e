import type { Context } from 'hono'
import { ProgramKeyParams } from '../../shared/api/widget.ts'
import { Erased, ErasureBody, ErasureCodeSent, ExportFormatQuery, MemberExport } from '../../shared/api/privacy.ts'
import type { AppEnv } from '../http/context.ts'
import { clientIp } from '../http/client-ip.ts'
import { route } from '../http/route.ts'
import { sendConfirmationCode, useConfirmationCode } from '../identity/service.ts'
import { AppError, notFound } from '../lib/errors.ts'
import { findProgramById } from '../programs/service.ts'
import { BASE, PERSONAL, requireLiveSession, type WidgetRouteContext } from '../widget/http-routes.ts'
import { exportAnswer } from './export-routes.ts'
import * as repo from './repository.ts'
import * as service from './service.ts'

/**
 * The shopper's "Meus dados" in the widget: download what the program holds (JSON or CSV), and
 * erase it, confirmed with a code e-mailed to them. Registered after the widget's own routes,
 * under the same CORS and token checks.
 */
export function registerPrivacyWidgetRoutes(w: WidgetRouteContext) {
  const { app, registry, deps, member, tokens, ident } = w
  const { db } = deps
  const live = { ...member, middleware: [...(member.middleware ?? []), requireLiveSession(deps, tokens)] }
  const ip = (c: Context<AppEnv>) => clientIp(c, deps.config.trustProxy)

  route(
    app,
    registry,
    {
      ...member,
      method: 'get',
      path: `${BASE}/me/data`,
      summary: 'Everything the program holds about the member, as a download',
      description:
        'LGPD access and portability: profile, consents, ledger with reasons, redemptions with coupon codes, ' +
        'orders and e-mails. `format=json|csv` is a download (CSV: pt-BR headers), recorded as an answered request.',
      params: ProgramKeyParams,
      query: ExportFormatQuery,
      responses: { 200: { description: 'The export', schema: MemberExport } },
    },
    async (c, { query }) => {
      const s = c.get('shopper')
      const program = await findProgramById(db, s.program.id)
      if (!program) throw notFound('Program')
      const data = await service.exportMember(db, program, s.memberId)
      // A download (format given) is a copy handed over: recorded on the program's list. The
      // "Meus dados" screen reading it to show the shopper is not.
      if (query.format) await service.recordAnsweredRequest(db, program.id, s.memberId, 'portability', 'widget', ip(c))
      return exportAnswer(c, data, query.format, PERSONAL['cache-control'])
    },
  )

  route(
    app,
    registry,
    {
      ...live,
      method: 'post',
      path: `${BASE}/me/erasure/code`,
      summary: 'Erasing my data, step 1: e-mail a 6-digit confirmation code',
      params: ProgramKeyParams,
      responses: { 202: { description: 'Code e-mailed', schema: ErasureCodeSent } },
    },
    async (c) => {
      const s = c.get('shopper')
      const m = await repo.findMember(db, s.program.id, s.memberId)
      if (!m || m.erased_at) throw notFound('Member')
      const r = await sendConfirmationCode(ident, {
        programId: s.program.id,
        memberId: m.id,
        email: m.email,
        name: m.name,
        ip: ip(c),
      })
      return c.json(r, 202)
    },
  )

  route(
    app,
    registry,
    {
      ...live,
      method: 'post',
      path: `${BASE}/me/erasure`,
      summary: 'Erasing my data, step 2: the code confirms; the member is anonymised and logged out',
      params: ProgramKeyParams,
      body: ErasureBody,
      responses: { 200: { description: 'Erased', schema: Erased } },
    },
    async (c, { body }) => {
      const s = c.get('shopper')
      const outcome = await db.transaction().execute(async (trx) => {
        const m = await repo.lockMember(trx, s.program.id, s.memberId)
        if (!m || m.erased_at) return 'wrong' as const
        const used = await useConfirmationCode(trx, ident, {
          programId: s.program.id,
          memberId: m.id,
          email: m.email,
          code: body.code,
        })
        if (used === 'wrong') return used
        return service.eraseMember(trx, deps, s.program.id, m.id, { channel: 'widget', ip: ip(c) })
      })
      // After the commit, so the wrong attempt stays counted.
      if (outcome === 'wrong')
        throw new AppError('unauthorized', 'The code is wrong or has expired; ask for a new one', { field: 'code' })
      return c.body(JSON.stringify({ erased: true, erasedAt: outcome.erasedAt.toISOString() }), 200, PERSONAL)
    },
  )
}
