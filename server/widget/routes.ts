import { Ok } from '../../shared/api/common.ts'
import { ProgramParams } from '../../shared/api/programs.ts'
import {
  CodeSent,
  JoinBody,
  LoginStartBody,
  MemberRewards,
  ProgramKeyParams,
  RedeemBody,
  RedemptionList,
  RedemptionView,
  RefreshBody,
  VerifyBody,
  WidgetConfig,
  WidgetMe,
  WidgetOriginsBody,
  WidgetOriginsView,
  WidgetSession,
} from '../../shared/api/widget.ts'
import type { Context } from 'hono'
import { clientIp } from '../http/client-ip.ts'
import type { AppEnv } from '../http/context.ts'
import type { RouteContext } from '../http/route.ts'
import { notFound } from '../lib/errors.ts'
import { setResponseHeader } from '../http/middleware.ts'
import { route } from '../http/route.ts'
import * as identity from '../identity/service.ts'
import { WidgetTokens } from '../identity/tokens.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import { requireShopper, widgetCors } from './http-routes.ts'
import { HistoryCache } from './history-cache.ts'
import { WidgetPrograms } from './programs.ts'
import { MemberSnapshots } from './snapshots.ts'
import * as service from './service.ts'
import * as redemptions from '../redemptions/service.ts'
import { RedemptionIdParams } from '../../shared/api/redemptions.ts'
import * as v from 'valibot'

const BASE = '/v1/widget/:programKey'
/** The public config may sit in browsers and CDNs this long; settings change rarely. */
const CONFIG_MAX_AGE_SECONDS = 60
/** Answers with a shopper's data or secrets are never stored by any cache. */
const PERSONAL = { 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'no-store' }
const JSON_TYPE = { 'content-type': PERSONAL['content-type'] }

/**
 * A PERSONAL answer on the hot path (`me`): the same headers, with `cache-control` set on Node's
 * response (setResponseHeader) so Hono is handed one header and passes it on as a plain object
 * instead of building a `Headers` per request.
 */
function personalFast(c: Context<AppEnv>, json: Uint8Array<ArrayBuffer>): Response {
  setResponseHeader(c, 'cache-control', PERSONAL['cache-control'])
  return c.body(json, 200, JSON_TYPE)
}

/** `If-None-Match` holds our ETag (a list, weak form or `*` included; RFC 9110 §13.1.2). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  if (ifNoneMatch.trim() === '*') return true
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)
}

export function registerWidgetRoutes({ app, registry, deps, merchantAuth }: RouteContext) {
  const { db } = deps
  const programs = new WidgetPrograms(db)
  const tokens = new WidgetTokens(deps.secrets.jwtKeys, deps.config.jwtIssuer)
  const ident = identity.createIdentity(deps, tokens)
  const shopper = requireShopper(programs, tokens)
  const meDeps = { db, snapshots: new MemberSnapshots(deps.database.pool), histories: new HistoryCache() }

  app.use(`${BASE}/*`, widgetCors(programs))

  const pub = { tag: 'Widget', security: [] as [] }
  const member = { tag: 'Widget', security: ['shopperBearer' as const], middleware: [shopper] }
  const ip = (c: Parameters<typeof clientIp>[0]) => clientIp(c, deps.config.trustProxy)

  route(
    app,
    registry,
    {
      ...pub,
      method: 'get',
      path: `${BASE}/config`,
      summary: "The program's public settings for the widget",
      description: `Name, points name, colours, whether joining/login are open, the sign-up URL and a rewards summary (empty until rewards exist). No personal data. Cacheable: \`Cache-Control: public, max-age=${CONFIG_MAX_AGE_SECONDS}\` and an \`ETag\`; send \`If-None-Match\` to get 304. Only the store's origin and origins the admin allowed get CORS headers on any widget route.`,
      params: ProgramKeyParams,
      responses: { 200: { description: 'Config', schema: WidgetConfig }, 304: { description: 'Not modified' } },
    },
    async (c, { params }) => {
      const program = await programs.get(params.programKey)
      if (!program) throw notFound('Program')
      c.header('ETag', program.etag)
      c.header('Cache-Control', `public, max-age=${CONFIG_MAX_AGE_SECONDS}`)
      if (matches(c.req.header('if-none-match'), program.etag)) return c.body(null, 304)
      return c.body(program.configJson, 200, { 'content-type': 'application/json; charset=UTF-8' })
    },
  )

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
      const s = await identity.verifyLogin(ident, { programKey: params.programKey, email: body.email, code: body.code, ip: ip(c), ...(body.join ? { join: body.join } : {}) })
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
    async (c, { params, body }) => c.body(JSON.stringify(await identity.refreshSession(ident, { programKey: params.programKey, refreshToken: body.refreshToken })), 200, PERSONAL),
  )

  route(
    app,
    registry,
    {
      ...pub,
      method: 'post',
      path: `${BASE}/logout`,
      summary: 'Log out: revoke the session',
      description: 'Revokes the refresh token and its whole session. Always 200 (an unknown or revoked token has nothing left to end). The access token is not revocable: it expires within 15 minutes; the widget forgets it.',
      params: ProgramKeyParams,
      body: RefreshBody,
      responses: { 200: { description: 'Logged out', schema: Ok } },
    },
    async (c, { params, body }) => {
      await identity.logout(ident, { programKey: params.programKey, refreshToken: body.refreshToken })
      return c.json({ ok: true as const })
    },
  )

  route(
    app,
    registry,
    {
      ...member,
      method: 'get',
      path: `${BASE}/me`,
      summary: "The member's balance, history and coupons",
      description:
        "Balance (spendable points), points name, the last 20 ledger entries (newest first, reasons in pt-BR) and active coupons. `pendingPoints`: points of orders still in the program's pending period (not in `balance`). `expiring`: the next points to expire and the São Paulo day they do (empty when the program's points never expire).",
      params: ProgramKeyParams,
      responses: { 200: { description: 'The member', schema: WidgetMe } },
    },
    async (c) => {
      const s = c.get('shopper')
      return personalFast(c, await service.meJson(meDeps, s.program, s.memberId))
    },
  )

  route(
    app,
    registry,
    {
      ...member,
      method: 'get',
      path: `${BASE}/rewards`,
      summary: 'Rewards, each marked affordable or not for this member',
      description:
        'The redeemable rewards (active, in stock, still in the feed), cheapest first, with `affordable` and `pointsMissing` computed against the member balance. A reward may still be refused at redemption time (stock taken meanwhile, per-member limit): the redemption answer is the truth.',
      params: ProgramKeyParams,
      responses: { 200: { description: 'Rewards', schema: MemberRewards } },
    },
    async (c) => {
      const s = c.get('shopper')
      return c.body(JSON.stringify(await service.memberRewards(db, s.program, s.memberId)), 200, PERSONAL)
    },
  )

  route(
    app,
    registry,
    {
      ...member,
      method: 'get',
      path: `${BASE}/redemptions`,
      summary: "The member's redemptions, newest first",
      description: 'The last 50, with their status (`pending` → `issued` with the coupon code and last valid day, or `failed` with the points given back and why).',
      params: ProgramKeyParams,
      responses: { 200: { description: 'Redemptions', schema: RedemptionList } },
    },
    async (c) => {
      const s = c.get('shopper')
      return c.body(JSON.stringify({ items: await redemptions.listMemberRedemptions(db, s.program.id, s.memberId) }), 200, PERSONAL)
    },
  )

  route(
    app,
    registry,
    {
      ...member,
      method: 'get',
      path: `${BASE}/redemptions/:redemptionId`,
      summary: 'One of the member\'s redemptions',
      description: 'Poll this after redeeming until `status` leaves `pending` (usually within seconds; longer when the store is slow or down).',
      params: v.object({ ...ProgramKeyParams.entries, ...RedemptionIdParams.entries }),
      responses: { 200: { description: 'Redemption', schema: RedemptionView } },
    },
    async (c, { params }) => {
      const s = c.get('shopper')
      return c.body(JSON.stringify(await redemptions.getMemberRedemption(db, s.program.id, s.memberId, params.redemptionId)), 200, PERSONAL)
    },
  )

  route(
    app,
    registry,
    {
      ...member,
      method: 'post',
      path: `${BASE}/redemptions`,
      summary: 'Redeem a reward for a coupon',
      description:
        'Exactly once per `idempotencyKey` (make one per click and resend the same key after a network error): 201 with the new redemption, or 200 with the first one when the key was used before. The points are debited at once and the redemption is `pending` while the coupon is created in the store; poll `GET …/redemptions/{id}`. Refusals: 409 `insufficient_points` (with `balance` and `pointsCost`), `reward_unavailable`, `out_of_stock`, `limit_reached`, `idempotency_conflict` (the key was used for another reward); 404 when the reward does not exist.',
      params: ProgramKeyParams,
      body: RedeemBody,
      responses: { 201: { description: 'Redeemed', schema: RedemptionView }, 200: { description: 'Already redeemed with this key', schema: RedemptionView } },
    },
    async (c, { body }) => {
      const s = c.get('shopper')
      const { redemption, created } = await redemptions.redeem(deps, s.program.id, s.memberId, body)
      return c.body(JSON.stringify(redemptions.toRedemptionView(redemption)), created ? 201 : 200, PERSONAL)
    },
  )

  // ---- admin ------------------------------------------------------------------------------------

  // The origin services check ownership themselves (and setOrigins reads the list back through getOrigins).
  const { adminRoute } = adminRoutes({ app, registry, deps, merchantAuth }, 'Widget')

  adminRoute(
    {
      method: 'get',
      path: '/v1/programs/:programId/widget/origins',
      summary: 'Origins allowed to call the widget API',
      description: "The store's own site (`storeOrigin`, from the integration's siteUrl) is always allowed; `origins` are the extra ones.",
      params: ProgramParams,
      responses: { 200: { description: 'Origins', schema: WidgetOriginsView } },
    },
    async (c, { merchantId, params }) => c.json(await service.getOrigins(db, merchantId, params.programId)),
  )

  adminRoute(
    {
      method: 'put',
      path: '/v1/programs/:programId/widget/origins',
      summary: 'Replace the extra origins allowed to call the widget API',
      description:
        'Origins like `https://minhaloja.lojaintegrada.com.br` (scheme, host and port only; up to 20). Replaces the list. Other API processes apply the change within 10 seconds.',
      params: ProgramParams,
      body: WidgetOriginsBody,
      responses: { 200: { description: 'Origins', schema: WidgetOriginsView } },
    },
    async (c, { merchantId, params, body }) => c.json(await service.setOrigins(db, programs, merchantId, params.programId, body.origins)),
  )
}
