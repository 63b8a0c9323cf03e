/**
 * The redemptions feature as other features see it: each operation lives in its own file
 * (redeem.ts, admin.ts, coupon-job.ts, reconcile.ts); this is their public face.
 */
export { toRedemptionView } from './views.ts'
export { redeemAmount } from './redeem-amount.ts'
export { redeem, listMemberRedemptions, getMemberRedemption, type RedeemResult } from './redeem.ts'
export { listProgramRedemptions, getProgramRedemption } from './admin.ts'
export { issueCoupon, CouponRetry, findCouponByCode, failRedemption, type CouponOutcome } from './coupon-job.ts'
export { reconcileCoupons, type CouponReport } from './reconcile.ts'
