import * as v from 'valibot'
import { RedemptionIdParams } from '../../shared/api/redemptions.ts'
import { ProgramKeyParams, RedeemBody, RedemptionList, RedemptionView } from '../../shared/api/widget.ts'
import { route } from '../http/route.ts'
import * as redemptions from '../redemptions/service.ts'
import { BASE, PERSONAL, requireLiveSession, type WidgetRouteContext } from './http-routes.ts'

/** The shopper's redemptions: list, one, redeem. */
export function registerRedemptionRoutes({ app, registry, deps, member, tokens }: WidgetRouteContext) {
  const { db } = deps
  const liveSession = requireLiveSession(deps, tokens)

  route(
    app,
    registry,
    {
      ...member,
      method: 'get',
      path: `${BASE}/redemptions`,
      summary: "The member's redemptions, newest first",
      description:
        'The last 50, with their status (`pending` → `issued` with the coupon code and last valid day, or `failed` with the points given back and why).',
      params: ProgramKeyParams,
      responses: { 200: { description: 'Redemptions', schema: RedemptionList } },
    },
    async (c) => {
      const s = c.get('shopper')
      return c.body(
        JSON.stringify({ items: await redemptions.listMemberRedemptions(db, s.program.id, s.memberId) }),
        200,
        PERSONAL,
      )
    },
  )

  route(
    app,
    registry,
    {
      ...member,
      method: 'get',
      path: `${BASE}/redemptions/:redemptionId`,
      summary: "One of the member's redemptions",
      description:
        'Poll this after redeeming until `status` leaves `pending` (usually within seconds; longer when the store is slow or down).',
      params: v.object({ ...ProgramKeyParams.entries, ...RedemptionIdParams.entries }),
      responses: { 200: { description: 'Redemption', schema: RedemptionView } },
    },
    async (c, { params }) => {
      const s = c.get('shopper')
      return c.body(
        JSON.stringify(await redemptions.getMemberRedemption(db, s.program.id, s.memberId, params.redemptionId)),
        200,
        PERSONAL,
      )
    },
  )

  route(
    app,
    registry,
    {
      ...member,
      middleware: [...(member.middleware ?? []), liveSession],
      method: 'post',
      path: `${BASE}/redemptions`,
      summary: 'Redeem a reward for a coupon',
      description:
        'Exactly once per `idempotencyKey` (make one per click and resend the same key after a network error): 201 with the new redemption, or 200 with the first one when the key was used before. The points are debited at once and the redemption is `pending` while the coupon is created in the store; poll `GET …/redemptions/{id}`. Refusals: 409 `insufficient_points` (with `balance` and `pointsCost`), `reward_unavailable`, `out_of_stock`, `limit_reached`, `idempotency_conflict` (the key was used for another reward), `program_paused` (the store connection is not active: nothing is debited); 404 when the reward does not exist; 401 when the session has ended (logout, or a reused refresh token), even though the access token has not expired.',
      params: ProgramKeyParams,
      body: RedeemBody,
      responses: {
        201: { description: 'Redeemed', schema: RedemptionView },
        200: { description: 'Already redeemed with this key', schema: RedemptionView },
      },
    },
    async (c, { body }) => {
      const s = c.get('shopper')
      const { redemption, created } = await redemptions.redeem(deps, s.program.id, s.memberId, body)
      return c.body(JSON.stringify(redemptions.toRedemptionView(redemption)), created ? 201 : 200, PERSONAL)
    },
  )
}
