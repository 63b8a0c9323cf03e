import type { Context } from 'hono'
import {
  MemberRewards,
  ProgramKeyParams,
  WidgetMe,
  meDescription,
  memberRewardsDescription,
} from '../../shared/api/widget.ts'
import type { AppEnv } from '../http/context.ts'
import { setResponseHeader } from '../http/middleware.ts'
import { route } from '../http/route.ts'
import { HistoryCache } from './history-cache.ts'
import { BASE, PERSONAL, type WidgetRouteContext } from './http-routes.ts'
import { MemberSnapshots } from './snapshots.ts'
import * as service from './service.ts'

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

/** The member's balance, history and rewards. */
export function registerMemberRoutes({ app, registry, deps, member }: WidgetRouteContext) {
  const { db } = deps
  const meDeps = { db, snapshots: new MemberSnapshots(deps.database.pool), histories: new HistoryCache() }

  route(
    app,
    registry,
    {
      ...member,
      method: 'get',
      path: `${BASE}/me`,
      summary: "The member's balance, history and coupons",
      description: meDescription,
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
      description: memberRewardsDescription,
      params: ProgramKeyParams,
      responses: { 200: { description: 'Rewards', schema: MemberRewards } },
    },
    async (c) => {
      const s = c.get('shopper')
      return c.body(JSON.stringify(await service.memberRewards(db, s.program, s.memberId)), 200, PERSONAL)
    },
  )
}
