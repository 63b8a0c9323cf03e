import * as v from 'valibot'
import {
  MeReferral,
  ReferralClaimAccepted,
  ReferralClaimBody,
  ReferralCodeParam,
  ReferralLanding,
  referralsDescription,
} from '../../shared/api/referrals.ts'
import { ProgramKeyParams } from '../../shared/api/widget.ts'
import { clientIp } from '../http/client-ip.ts'
import { route } from '../http/route.ts'
import { notFound } from '../lib/errors.ts'
import * as referrals from '../referrals/service.ts'
import { BASE, PERSONAL, type WidgetRouteContext } from './http-routes.ts'

const CodeParams = v.object({ ...ProgramKeyParams.entries, code: ReferralCodeParam })

/** Referrals in the widget (logic in server/referrals/): the member's link, a friend's offer and claim. */
export function registerReferralWidgetRoutes({ app, registry, deps, member, pub, programs }: WidgetRouteContext) {
  const { db } = deps

  route(
    app,
    registry,
    {
      ...member,
      method: 'get',
      path: `${BASE}/me/referral`,
      summary: "The member's referral link, share text and counts",
      description: referralsDescription,
      params: ProgramKeyParams,
      responses: { 200: { description: 'Referral link, or enabled: false', schema: MeReferral } },
    },
    async (c) => {
      const s = c.get('shopper')
      return c.body(JSON.stringify(await referrals.meReferral(db, s.program.id, s.memberId)), 200, PERSONAL)
    },
  )

  const programOf = async (key: string) => {
    const p = programs.peek(key) ?? (await programs.get(key))
    if (!p) throw notFound('Program')
    return p
  }

  route(
    app,
    registry,
    {
      ...pub,
      method: 'get',
      path: `${BASE}/referrals/:code`,
      summary: "A referral link's offer to the friend",
      description: '404 `referral_code_unknown` for a code of no member, and when referrals are off.',
      params: CodeParams,
      responses: { 200: { description: 'The offer', schema: ReferralLanding } },
    },
    async (c, { params }) => {
      const p = await programOf(params.programKey)
      return c.json(await referrals.landing(db, p.id, params.code))
    },
  )

  route(
    app,
    registry,
    {
      ...pub,
      method: 'post',
      path: `${BASE}/referrals/:code/claims`,
      summary: "A friend claims the referral's coupon by e-mail",
      description:
        'The same 202 whether the coupon is e-mailed or the claim waits for review (already a customer, the ' +
        "advocate's own or a near-copy e-mail, too many claims from this IP this week), and for a second claim " +
        'of the same e-mail (nothing new is made). The coupon is only ever e-mailed. 429 `rate_limited` from the ' +
        'per-IP request limit.',
      params: CodeParams,
      body: ReferralClaimBody,
      responses: { 202: { description: 'Claim received', schema: ReferralClaimAccepted } },
    },
    async (c, { params, body }) => {
      const p = await programOf(params.programKey)
      await referrals.claimReferral(deps, {
        programId: p.id,
        code: params.code,
        email: body.email,
        ip: clientIp(c, deps.config.trustProxy),
      })
      return c.json({ email: body.email }, 202)
    },
  )
}
