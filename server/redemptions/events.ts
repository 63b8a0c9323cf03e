import type { Redemption } from '../db/schema.ts'

/**
 * The data of the redemption webhook events (reward.redeemed, coupon.issued, coupon.used), written
 * with the redemption's own transitions. Amounts carry their unit so cashback can reuse them.
 */
export function redemptionEvent(r: Redemption) {
  return {
    memberId: r.member_id,
    redemptionId: r.id,
    rewardId: r.reward_id,
    rewardTitle: r.reward_title,
    amount: r.points_cost,
    unit: 'points',
    couponCode: r.coupon_code,
    couponType: r.coupon_type,
    // Cents for 'fixo', percent × 100 for 'porcentagem', 0 for 'frete_gratis'.
    couponValue: r.coupon_value,
    minimumOrderCents: r.minimum_order_cents,
    validUntil: r.valid_until_day,
  }
}
