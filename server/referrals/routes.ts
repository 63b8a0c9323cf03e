import * as v from 'valibot'
import { Uuid } from '../../shared/api/common.ts'
import { ProgramParams } from '../../shared/api/programs.ts'
import {
  ReferralApproveBody,
  ReferralListQuery,
  ReferralPage,
  ReferralRejectBody,
  ReferralSettings,
  ReferralView,
  referralsDescription,
} from '../../shared/api/referrals.ts'
import type { RouteContext } from '../http/route.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import * as service from './service.ts'

const ReferralParams = v.object({ ...ProgramParams.entries, id: Uuid })

/** The merchant's referral settings, review list and decisions. */
export function registerReferralRoutes(ctx: RouteContext) {
  const { db, jobs } = ctx.deps
  const { programRoute, settingsRoutes } = adminRoutes(ctx, 'Referrals')

  settingsRoutes({
    path: '/v1/programs/:programId/referrals/settings',
    get: {
      summary: "The program's referral settings (defaults when never saved)",
      description: referralsDescription,
      response: { description: 'Settings', schema: ReferralSettings },
    },
    save: {
      method: 'put',
      summary: 'Save the referral settings',
      description:
        '`shareText` must contain `{link}`; `{valor}` (the friend coupon, "R$ 20,00") and `{loja}` (the program ' +
        'name) are filled too. `advocateReward` is points in a points program and cents in a cashback one. ' +
        "Referrals work only while the store connection is active. The widget's config (`referrals`) follows " +
        'within 10 seconds.',
      body: ReferralSettings,
      response: { description: 'Saved', schema: ReferralSettings },
    },
    read: service.getSettings,
    write: (trx, program, body) => service.saveSettings(trx, program.id, body),
  })

  programRoute(
    {
      method: 'get',
      path: '/v1/programs/:programId/referrals',
      summary: "The program's referrals, newest first: waiting for review, or all",
      params: ProgramParams,
      query: ReferralListQuery,
      responses: { 200: { description: 'Referrals', schema: ReferralPage } },
    },
    async (c, { program, query }) => c.json(await service.listProgramReferrals(db, program.id, query)),
  )

  programRoute(
    {
      method: 'post',
      path: '/v1/programs/:programId/referrals/:id/approve',
      summary: 'Approve a referral held for review',
      description:
        'Held at the claim: the coupon is created and e-mailed. Held at the order: it goes on to `ordered` and ' +
        'the credit after the pending period. 409 `referral_not_in_review` otherwise.',
      params: ReferralParams,
      body: ReferralApproveBody,
      responses: { 200: { description: 'The referral', schema: ReferralView } },
    },
    async (c, { program, params, body, merchantId }) =>
      c.json(
        await db.transaction().execute((trx) =>
          service.approveReferral(trx, jobs, {
            programId: program.id,
            id: params.id,
            merchantId,
            reason: body.reason?.trim() || null,
          }),
        ),
      ),
  )

  programRoute(
    {
      method: 'post',
      path: '/v1/programs/:programId/referrals/:id/reject',
      summary: 'Reject a referral held for review (a reason is required)',
      description:
        'Nothing is created or credited. 409 `referral_not_in_review` when it is not waiting for a decision.',
      params: ReferralParams,
      body: ReferralRejectBody,
      responses: { 200: { description: 'The referral', schema: ReferralView } },
    },
    async (c, { program, params, body, merchantId }) =>
      c.json(
        await db
          .transaction()
          .execute((trx) =>
            service.rejectReferral(trx, { programId: program.id, id: params.id, merchantId, reason: body.reason }),
          ),
      ),
  )
}
