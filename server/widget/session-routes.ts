import { Ok } from '../../shared/api/common.ts'
import {
  CodeSent,
  JoinBody,
  LoginStartBody,
  ProgramKeyParams,
  RefreshBody,
  VerifyBody,
  WidgetSession,
  verifyLoginDescription,
  refreshSessionDescription,
  logoutDescription,
  loginStartDescription,
  joinDescription,
} from '../../shared/api/widget.ts'
import { clientIp } from '../http/client-ip.ts'
import { route } from '../http/route.ts'
import * as identity from '../identity/service.ts'
import { BASE, PERSONAL, type WidgetRouteContext } from './http-routes.ts'

/** Logging in, joining, refreshing and ending a shopper's session. */
export function registerSessionRoutes({ app, registry, deps, ident, pub }: WidgetRouteContext) {
  const ip = (c: Parameters<typeof clientIp>[0]) => clientIp(c, deps.config.trustProxy)
  const codeSent = (expiresInSeconds: number) => ({ sent: true as const, expiresInSeconds, codeLength: 6 as const })

  route(
    app,
    registry,
    {
      ...pub,
      method: 'post',
      path: `${BASE}/login`,
      summary: 'Log in, step 1: e-mail a 6-digit code',
      description: loginStartDescription,
      params: ProgramKeyParams,
      body: LoginStartBody,
      responses: { 202: { description: 'Code e-mailed', schema: CodeSent } },
    },
    async (c, { params, body }) => {
      const r = await identity.startLogin(ident, { programKey: params.programKey, email: body.email, ip: ip(c) })
      return c.json(codeSent(r.expiresInSeconds), 202)
    },
  )

  route(
    app,
    registry,
    {
      ...pub,
      method: 'post',
      path: `${BASE}/join`,
      summary: 'Join, step 1: the join form; e-mails a 6-digit code',
      description: joinDescription,
      params: ProgramKeyParams,
      body: JoinBody,
      responses: { 202: { description: 'Code e-mailed', schema: CodeSent } },
    },
    async (c, { params, body }) => {
      const { email, ...join } = body
      const r = await identity.startLogin(ident, { programKey: params.programKey, email, ip: ip(c), join })
      return c.json(codeSent(r.expiresInSeconds), 202)
    },
  )

  route(
    app,
    registry,
    {
      ...pub,
      method: 'post',
      path: `${BASE}/login/verify`,
      summary: 'Log in, step 2: the code becomes a session',
      description: verifyLoginDescription,
      params: ProgramKeyParams,
      body: VerifyBody,
      responses: { 200: { description: 'Session', schema: WidgetSession } },
    },
    async (c, { params, body }) => {
      const s = await identity.verifyLogin(ident, {
        programKey: params.programKey,
        email: body.email,
        code: body.code,
        ip: ip(c),
        ...(body.join ? { join: body.join } : {}),
      })
      return c.body(JSON.stringify(s), 200, PERSONAL)
    },
  )

  route(
    app,
    registry,
    {
      ...pub,
      method: 'post',
      path: `${BASE}/session/refresh`,
      summary: 'Swap the refresh token for a new session',
      description: refreshSessionDescription,
      params: ProgramKeyParams,
      body: RefreshBody,
      responses: { 200: { description: 'Session', schema: WidgetSession } },
    },
    async (c, { params, body }) =>
      c.body(
        JSON.stringify(
          await identity.refreshSession(ident, { programKey: params.programKey, refreshToken: body.refreshToken }),
        ),
        200,
        PERSONAL,
      ),
  )

  route(
    app,
    registry,
    {
      ...pub,
      method: 'post',
      path: `${BASE}/logout`,
      summary: 'Log out: revoke the session',
      description: logoutDescription,
      params: ProgramKeyParams,
      body: RefreshBody,
      responses: { 200: { description: 'Logged out', schema: Ok } },
    },
    async (c, { params, body }) => {
      await identity.logout(ident, { programKey: params.programKey, refreshToken: body.refreshToken })
      return c.json({ ok: true as const })
    },
  )
}
