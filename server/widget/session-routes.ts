import { Ok } from '../../shared/api/common.ts'
import {
  CodeSent,
  JoinBody,
  LoginStartBody,
  ProgramKeyParams,
  RefreshBody,
  VerifyBody,
  WidgetSession,
} from '../../shared/api/widget.ts'
import { clientIp } from '../http/client-ip.ts'
import { route } from '../http/route.ts'
import * as identity from '../identity/service.ts'
import { BASE, PERSONAL, type WidgetRouteContext } from './http-routes.ts'

/** Logging in, joining, refreshing and ending a shopper's session. */
export function registerSessionRoutes({ app, registry, deps, ident, pub }: WidgetRouteContext) {
  const ip = (c: Parameters<typeof clientIp>[0]) => clientIp(c, deps.config.trustProxy)
  const codeSent = (expiresInSeconds: number) => ({ sent: true as const, expiresInSeconds, codeLength: 6 as const })
  const limitsText =
    'Limited per IP and per e-mail (5 a minute, 20 an hour): 429 with Retry-After. A code is valid 10 minutes for 5 tries; asking again replaces it. Members and store customers get the same 202; anyone who cannot enter gets 409 `signup_required` with `signupUrl` (not a customer of the store, joining closed, or the program not active yet) — the only answer that tells an e-mail apart. 502 `li_unavailable` when the store could not be asked.'

  route(
    app,
    registry,
    {
      ...pub,
      method: 'post',
      path: `${BASE}/login`,
      summary: 'Log in, step 1: e-mail a 6-digit code',
      description: `For members, and for customers of the store who are not members yet (they are enrolled when the code is verified, while joining is open). ${limitsText}`,
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
      description: `Name, optional CPF (check digits validated) and birth date, and the shopper's consent to e-mails. Nothing is saved until the code is verified; then the customer is enrolled (linked to their Loja Integrada customer) or, if already a member, their profile and consent are updated. A "no" to e-mails stops marketing e-mails; login codes are always sent. ${limitsText}`,
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
      description:
        'Answers a 15-minute access token (JWT, for `Authorization: Bearer …` on this program only) and a 30-day refresh token (single use; see `…/session/refresh`). `join` (optional) carries the join form of a shopper who asked for the code with only their e-mail: once the code is right it is applied as `…/join` would (profile and consent to e-mails); a refused field is named as `join.cpf`, … and spends no try of the code. A wrong, expired or used-up code answers 401 with `field: "code"`, the same whether the e-mail exists or not; after 5 wrong codes only a new code works. Limited per IP and per e-mail (5 a minute, 20 an hour).',
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
      description:
        'Each refresh token is swapped once for a new pair. Within 30 seconds of that swap the same token may be presented again (another tab of the same shopper refreshing at the same moment): it answers the same new refresh token, with a fresh access token. Presented again later, it revokes the whole session (every token descended from that login): a copy was made, so both holders must log in again. 401 for unknown, expired, revoked or reused tokens.',
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
      description:
        "Revokes the refresh token and its whole session. Always 200 (an unknown or revoked token has nothing left to end). From then on the session's access token can no longer redeem; it still reads (`me`, rewards, redemptions) until it expires within 15 minutes, and the widget forgets it.",
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
