import type { AdminRedemptionView, RedemptionView } from '../../shared/api/redemptions.ts'
import type { Redemption } from '../db/schema.ts'
import { benefitText } from '../i18n/benefit.ts'

export function toRedemptionView(r: Redemption): RedemptionView {
  const issued = r.status === 'issued' || r.status === 'used' || r.status === 'refunded'
  return {
    id: r.id,
    rewardId: r.reward_id,
    rewardKind: r.reward_kind,
    amountCents: r.amount_cents === null ? null : Number(r.amount_cents),
    title: r.reward_title,
    benefit: benefitText({ type: r.coupon_type, value: r.coupon_value }),
    pointsSpent: r.points_cost,
    gift: r.gift_reason,
    status: r.status,
    // The code is ours from the start, but it works at checkout only once LI has the coupon.
    couponCode: issued ? r.coupon_code : null,
    minimumOrderCents: r.minimum_order_cents,
    validUntil: issued ? r.valid_until_day : null,
    failureReason: r.failure_reason,
    createdAt: r.created_at.toISOString(),
    issuedAt: r.issued_at?.toISOString() ?? null,
  }
}

export function toAdminView(r: Redemption & { member_email: string; member_name: string | null }): AdminRedemptionView {
  return {
    ...toRedemptionView(r),
    // The merchant may need the code to help a shopper even before LI confirmed it.
    couponCode: r.coupon_code,
    memberId: r.member_id,
    memberEmail: r.member_email,
    memberName: r.member_name,
    liCouponId: r.li_coupon_id,
    attempts: r.attempts,
    failureCode: r.failure_code,
    storeCheck: r.store_check,
  }
}
