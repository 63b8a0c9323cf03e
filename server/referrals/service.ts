import type { MeReferral, ReferralLanding } from '../../shared/api/referrals.ts'
import type { Executor } from '../db/database.ts'
import { referralReasons } from '../i18n/referrals.ts'
import { notFound } from '../lib/errors.ts'
import { findMember } from '../members/service.ts'
import * as repo from './repository.ts'
import { fillShareText, firstName, referralLink, whatsappUrl } from './rules.ts'
import { codeOf, liveReferrals, unknownCode } from './settings.ts'

/**
 * The referrals feature as other features see it (issue 19 part 2). Each operation lives in its
 * own file (claim.ts, coupon-job.ts, arrival.ts, review.ts); settings, codes and the widget's
 * reads are here.
 */
export { claimReferral, CLAIM_LIMITS } from './claim.ts'
export { issueReferralCoupon, ReferralCouponRetry, resumeStalledCoupons } from './coupon-job.ts'
export { processReferrals } from './arrival.ts'
export { approveReferral, listProgramReferrals, rejectReferral } from './review.ts'
export { conversionCounts } from './repository.ts'
export { getSettings, liveReferrals, referralsLive, saveSettings, type ReferralDeps } from './settings.ts'

/** `GET …/me/referral`: the member's link, the share text and their counts. */
export async function meReferral(db: Executor, programId: string, memberId: number): Promise<MeReferral> {
  const live = await liveReferrals(db, programId)
  if (!live) return { enabled: false }
  const member = await findMember(db, programId, memberId)
  if (!member || member.erased_at) throw notFound('Member')
  const code = await codeOf(db, programId, memberId)
  const link = referralLink(live.siteUrl, code)
  const shareText = fillShareText(live.settings.shareText, {
    link,
    valor: referralReasons.value(live.settings.friendCouponCents),
    loja: live.program.name,
  })
  return {
    enabled: true,
    code,
    link,
    shareText,
    whatsappUrl: whatsappUrl(shareText),
    friendCouponCents: live.settings.friendCouponCents,
    friendMinOrderCents: live.settings.friendMinOrderCents,
    advocateReward: live.settings.advocateReward,
    counts: await repo.advocateCounts(db, programId, memberId),
  }
}

/** `GET …/referrals/:code` (public): the offer a friend sees; unknown codes and referrals off are the same 404. */
export async function landing(db: Executor, programId: string, code: string): Promise<ReferralLanding> {
  const live = await liveReferrals(db, programId)
  if (!live) throw unknownCode()
  const advocate = await repo.findAdvocateByCode(db, programId, code)
  if (!advocate || advocate.erased_at) throw unknownCode()
  return {
    friendCouponCents: live.settings.friendCouponCents,
    friendMinOrderCents: live.settings.friendMinOrderCents,
    advocateFirstName: firstName(advocate.name),
  }
}
