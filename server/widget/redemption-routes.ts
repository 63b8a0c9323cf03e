import * as v from 'valibot'
import { RedemptionIdParams } from '../../shared/api/redemptions.ts'
import {
  AmountRedeemBody,
  ProgramKeyParams,
  RedeemBody,
  RedemptionList,
  RedemptionView,
  memberRedemptionsDescription,
  memberRedemptionDescription,
  redeemDescription,
} from '../../shared/api/widget.ts'
import { amountRedeemDescription } from '../../shared/api/cashback.ts'
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
      description: memberRedemptionsDescription,
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
      description: memberRedemptionDescription,
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
      description: redeemDescription,
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

  route(
    app,
    registry,
    {
      ...member,
      middleware: [...(member.middleware ?? []), liveSession],
      method: 'post',
      path: `${BASE}/redemptions/amount`,
      summary: 'Turn a chosen amount of the balance into a coupon',
      description: amountRedeemDescription,
      params: ProgramKeyParams,
      body: AmountRedeemBody,
      responses: {
        201: { description: 'Redeemed', schema: RedemptionView },
        200: { description: 'Already redeemed with this key', schema: RedemptionView },
      },
    },
    async (c, { body }) => {
      const s = c.get('shopper')
      const { redemption, created } = await redemptions.redeemAmount(deps, s.program.id, s.memberId, body)
      return c.body(JSON.stringify(redemptions.toRedemptionView(redemption)), created ? 201 : 200, PERSONAL)
    },
  )
}
