import type { Api } from './api.ts'
import type { MeReferral, ReferralClaimAccepted, ReferralClaimBody, ReferralLanding } from './types.ts'

/**
 * The referral endpoints (shared/api/referrals.ts), used only by the referral chunks: spelled here
 * rather than in api.ts so the first click does not carry them.
 */
export const referralApi = (api: Api) => ({
  /** The member's link, texts and counts (member's token). */
  mine: () => api.authed<MeReferral>('GET', '/me/referral'),
  /** The friend's offer behind a code; 404 `referral_code_unknown` when unknown or referrals are off. */
  landing: (code: string) => api.call<ReferralLanding>('GET', `/referrals/${encodeURIComponent(code)}`),
  /** 202 whether the coupon goes out at once or waits for the store's review: the coupon comes by e-mail. */
  claim: (code: string, email: string) =>
    api.call<ReferralClaimAccepted>('POST', `/referrals/${encodeURIComponent(code)}/claims`, {
      email,
    } satisfies ReferralClaimBody),
})
