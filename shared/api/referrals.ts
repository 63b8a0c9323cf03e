import * as v from 'valibot'
import { DateTime, Email, IsoDate, NonEmpty, Page, Uuid } from './common.ts'

/**
 * Referrals (issue 19 part 2): a member shares a link, a friend claims a single-use coupon by
 * e-mail, and the member is credited once the friend's first order is past the pending period.
 */

const WholeNumber = (min: number, max: number) =>
  v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(min), v.maxValue(max))

export const SHARE_TEXT_LINK = '{link}'

export const ReferralSettings = v.object({
  enabled: v.boolean(),
  /** The friend's single-use coupon, in cents (both modes). */
  friendCouponCents: WholeNumber(100, 100_000),
  /** The coupon's minimum order, in cents. */
  friendMinOrderCents: WholeNumber(0, 10_000_000),
  /** Points (points program) or cents of cashback (cashback program) per credited referral. */
  advocateReward: WholeNumber(1, 1_000_000),
  /** Credited referrals per advocate per São Paulo calendar month; past it a referral is `capped`. */
  advocateMonthlyCap: WholeNumber(1, 1000),
  /** Claims per IP per week before further claims go to review (never refused). */
  claimsPerIpPerWeek: WholeNumber(1, 1000),
  /** pt-BR text the member shares; must contain {link}; may use {valor} and {loja}. */
  shareText: v.pipe(
    v.string(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(500),
    v.includes(SHARE_TEXT_LINK, 'must contain {link}'),
  ),
})
export type ReferralSettings = v.InferOutput<typeof ReferralSettings>

export const REFERRAL_STATUSES = [
  'review',
  'coupon_pending',
  'coupon_sent',
  'ordered',
  'credited',
  'capped',
  'cancelled',
  'rejected',
  'coupon_failed',
  /** The friend's coupon ran out (a day past its last valid day) with no order: nothing more happens. */
  'expired',
] as const
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number]

export const REFERRAL_REASONS = [
  'already_customer',
  'self_email',
  'similar_email',
  'same_cpf',
  'same_phone',
  'same_name',
  'ip_limit',
  'not_first_order',
] as const
export type ReferralReason = (typeof REFERRAL_REASONS)[number]

export const ReferralDecision = v.object({
  decision: v.picklist(['approved', 'rejected']),
  reason: v.nullable(v.string()),
  /** The merchant's e-mail. */
  by: v.string(),
  at: DateTime,
})

export const ReferralView = v.object({
  id: Uuid,
  status: v.picklist(REFERRAL_STATUSES),
  advocate: v.object({ memberId: v.number(), name: v.nullable(v.string()), email: v.string() }),
  friendEmail: v.string(),
  claimedAt: DateTime,
  /** Why it was held (empty when it never was). */
  reasons: v.array(v.picklist(REFERRAL_REASONS)),
  couponCode: v.nullable(v.string()),
  /** The last São Paulo day the friend's coupon is valid (null until it is created). */
  couponValidUntil: v.nullable(IsoDate),
  /** The LI order number of the friend's first order. */
  orderId: v.nullable(v.string()),
  creditAvailableOn: v.nullable(IsoDate),
  creditedAt: v.nullable(DateTime),
  decisions: v.array(ReferralDecision),
})
export type ReferralView = v.InferOutput<typeof ReferralView>

export const ReferralListQuery = v.object({
  status: v.optional(v.picklist(['review', 'all'], 'must be review or all'), 'review'),
  cursor: v.optional(v.string()),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, 'must be a whole number'),
      v.transform(Number),
      v.number(),
      v.minValue(1),
      v.maxValue(100),
    ),
  ),
})
export const ReferralPage = Page(ReferralView)
export type ReferralPage = v.InferOutput<typeof ReferralPage>

export const ReferralApproveBody = v.object({ reason: v.optional(v.pipe(v.string(), v.maxLength(500))) })
export const ReferralRejectBody = v.object({ reason: NonEmpty(500) })

/** `GET /v1/widget/:programKey/me/referral`. */
export const MeReferral = v.variant('enabled', [
  v.object({ enabled: v.literal(false) }),
  v.object({
    enabled: v.literal(true),
    code: v.string(),
    link: v.string(),
    /** Placeholders filled. */
    shareText: v.string(),
    /** "https://wa.me/?text=" + the encoded share text. */
    whatsappUrl: v.string(),
    friendCouponCents: v.number(),
    friendMinOrderCents: v.number(),
    advocateReward: v.number(),
    counts: v.object({ invited: v.number(), credited: v.number() }),
  }),
])
export type MeReferral = v.InferOutput<typeof MeReferral>

/** `GET /v1/widget/:programKey/referrals/:code` (public). */
export const ReferralLanding = v.object({
  friendCouponCents: v.number(),
  friendMinOrderCents: v.number(),
  advocateFirstName: v.nullable(v.string()),
})
export type ReferralLanding = v.InferOutput<typeof ReferralLanding>

export const ReferralClaimBody = v.object({ email: Email })
/** 202, the same whether the coupon goes out or the claim is held for review. */
export const ReferralClaimAccepted = v.object({ email: v.string() })
export type ReferralClaimAccepted = v.InferOutput<typeof ReferralClaimAccepted>

/** Referral codes: 8 symbols from this alphabet (no 0/O, 1/I/L, 2/Z, 5/S, 8/B). */
export const REFERRAL_CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679'
export const REFERRAL_CODE_LENGTH = 8
export const ReferralCodeParam = v.pipe(
  v.string(),
  v.toUpperCase(),
  v.regex(/^[ACDEFGHJKMNPQRTUVWXY34679]{8}$/, 'must be a referral code'),
)

export const referralsDescription =
  'Referrals: a member shares `<site URL>?indicacao=<CODE>`; a friend claims a single-use coupon by ' +
  'e-mail (sent by e-mail, never shown). Claims failing a fraud check (already a customer, the ' +
  "advocate's own or a near-copy e-mail, too many claims from one IP in a week) are held in `review`. " +
  "The friend's first order in an awarding status makes the referral `ordered`; after the program's " +
  'pending period the advocate is credited once (`referral:<id>`), at most `advocateMonthlyCap` a ' +
  'São Paulo month (then `capped`). A cancelled order before that day makes it `cancelled`. Only ' +
  "orders placed by the coupon's last valid day count; a day after it, a referral still without an " +
  'order becomes `expired` (the one-day margin lets an order placed in its last minutes arrive).'
