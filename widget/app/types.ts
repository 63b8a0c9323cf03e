import type { InferInput } from 'valibot'
import type { ReferralClaimBody as ClaimSchema } from '../../shared/api/referrals.ts'

// The widget API contract, as types only (the schemas stay on the server: no validator in the bundle).
export type {
  WidgetConfig,
  WidgetMe,
  WidgetSession,
  JoinProfile,
  MemberRewards,
  MemberReward,
  CouponView,
  CodeSent,
  LoginStartBody,
  VerifyBody,
  RefreshBody,
} from '../../shared/api/widget.ts'
export type { RedeemBody, RedemptionView } from '../../shared/api/redemptions.ts'
export type { ErasureBody, ErasureCodeSent, MemberExport } from '../../shared/api/privacy.ts'
export type { AmountRedeemBody, WidgetAmountRedemption, WidgetCashback } from '../../shared/api/cashback.ts'
export type { ErrorBody, ErrorCode } from '../../shared/errors.ts'
export type { MeReferral, ReferralClaimAccepted, ReferralLanding } from '../../shared/api/referrals.ts'
/** The contract exports the claim's schema only; its type, without the validator. */
export type ReferralClaimBody = InferInput<typeof ClaimSchema>
