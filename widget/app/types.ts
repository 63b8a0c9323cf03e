// The widget API contract, as types only (the schemas stay on the server: no validator in the bundle).
export type { WidgetConfig, WidgetMe, WidgetSession, JoinBody as JoinInput, MemberRewards, MemberReward, CouponView } from '../../shared/api/widget.ts'
export type { RedemptionView } from '../../shared/api/redemptions.ts'

export interface CodeSentView {
  sent: true
  expiresInSeconds: number
  codeLength: 6
}
