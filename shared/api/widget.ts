import * as v from 'valibot'
import { DateTime, Email, IsoDate, NonEmpty } from './common.ts'
import { Cpf, LedgerEntryView } from './members.ts'
import { LauncherCorner } from './programs.ts'
import { REWARD_KINDS } from './rewards.ts'
import { NAME_MAX } from './widget-limits.ts'

/**
 * The storefront widget's API, under `/v1/widget/{programKey}/…`: what the widget sends and
 * reads. The program key is public (it is in the store's page); shopper routes take the access
 * token from `…/login/verify` as `Authorization: Bearer …`.
 */

export const ProgramKey = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a program key'))
export const ProgramKeyParams = v.object({ programKey: ProgramKey })

// ---- rewards ------------------------------------------------------------------------------------

export const RewardSummary = v.object({
  id: v.string(),
  kind: v.picklist(REWARD_KINDS),
  /** pt-BR, shown as is. */
  title: v.string(),
  /** What the coupon gives, pt-BR: "R$ 10,00 de desconto", "Frete grátis", … */
  benefit: v.string(),
  description: v.nullable(v.string()),
  pointsCost: v.number(),
  imageUrl: v.nullable(v.string()),
  /** Minimum order for the coupon, in cents. */
  minimumOrderCents: v.nullable(v.number()),
})

export const MemberReward = v.object({
  ...RewardSummary.entries,
  /** The member's balance covers `pointsCost`. */
  affordable: v.boolean(),
  /** Points still missing (0 when affordable). */
  pointsMissing: v.number(),
})

export const MemberRewards = v.object({ balance: v.number(), items: v.array(MemberReward) })

export { RedeemBody, RedemptionList, RedemptionView } from './redemptions.ts'

export const CouponView = v.object({
  redemptionId: v.number(),
  code: v.string(),
  /** The reward's title. */
  title: v.string(),
  /** pt-BR, e.g. "R$ 10,00 de desconto". */
  benefit: v.string(),
  minimumOrderCents: v.nullable(v.number()),
  /** Last day (São Paulo) the code works. */
  validUntil: IsoDate,
})

// ---- config ----------------------------------------------------------------------------------

export const WidgetConfig = v.object({
  programKey: v.string(),
  name: v.string(),
  pointsName: v.string(),
  primaryColor: v.string(),
  textColor: v.string(),
  /** New shoppers may join (store customers only). */
  joiningOpen: v.boolean(),
  /** The program is live (the merchant activated the integration): codes can be e-mailed. */
  loginOpen: v.boolean(),
  /** Where shoppers who cannot join are sent (the store's sign-up page, or its site). */
  signupUrl: v.nullable(v.string()),
  rewards: v.object({ count: v.number(), items: v.array(RewardSummary) }),
  /** Where the launcher sits (the merchant's choice): a bottom corner, px from the side and the bottom. */
  launcherCorner: LauncherCorner,
  launcherOffsetX: v.number(),
  launcherOffsetY: v.number(),
})

// ---- identity ----------------------------------------------------------------------------------

export const LoginStartBody = v.object({ email: Email })

/** A calendar day that exists (isoDate alone takes 1990-02-30), not in the future, not before 1900. */
const BirthDate = v.pipe(
  IsoDate,
  v.check((s) => {
    const d = new Date(s + 'T00:00:00Z')
    return (
      !Number.isNaN(d.getTime()) &&
      d.toISOString().slice(0, 10) === s &&
      s >= '1900-01-01' &&
      s <= new Date().toISOString().slice(0, 10)
    )
  }, 'must be a real birth date'),
)

/** The join form without the e-mail: sent to `…/join`, or with the code to `…/login/verify`. */
export const JoinProfile = v.object({
  name: NonEmpty(NAME_MAX),
  /** Check digits are validated; punctuation is dropped. */
  cpf: v.optional(Cpf),
  birthDate: v.optional(BirthDate),
  /** The shopper's answer to "quero receber e-mails do programa"; asked, never pre-ticked. */
  emailConsent: v.boolean(),
})

export const JoinBody = v.object({ email: Email, ...JoinProfile.entries })

export const CodeSent = v.object({
  sent: v.literal(true),
  /** The code's validity. */
  expiresInSeconds: v.number(),
  codeLength: v.literal(6),
})

export const VerifyBody = v.object({
  email: Email,
  code: v.pipe(v.string(), v.trim(), v.regex(/^[0-9]{6}$/, 'must be the 6 digits from the e-mail')),
  /**
   * The join form, for a shopper who asked for the code with only their e-mail (`…/login`) and
   * then filled it in: applied as `…/join` would, once the code is right.
   */
  join: v.optional(JoinProfile),
})

export const WidgetMemberView = v.object({
  id: v.number(),
  name: v.nullable(v.string()),
  email: v.string(),
})

export const WidgetSession = v.object({
  tokenType: v.literal('Bearer'),
  /** JWT for `Authorization: Bearer …` on shopper routes; short-lived. */
  accessToken: v.string(),
  accessTokenExpiresAt: DateTime,
  /** Single use: `…/session/refresh` answers a new one. Keep it out of URLs and logs. */
  refreshToken: v.string(),
  refreshTokenExpiresAt: DateTime,
  member: WidgetMemberView,
})

export const RefreshBody = v.object({ refreshToken: v.pipe(v.string(), v.minLength(20), v.maxLength(200)) })

// ---- the member's page ---------------------------------------------------------------------------

export const WidgetMe = v.object({
  member: WidgetMemberView,
  pointsName: v.string(),
  /** Spendable points. */
  balance: v.number(),
  /** Points of orders still in the program's pending period: earned, not spendable yet (not in `balance`). */
  pendingPoints: v.number(),
  /** The next points to expire (at most 3 days), soonest first; empty when points never expire. */
  expiring: v.array(
    v.object({
      points: v.number(),
      /** São Paulo day the points expire: they can be spent until the day before. */
      on: IsoDate,
    }),
  ),
  /** The last 20 movements, newest first; `reason` is pt-BR. */
  history: v.array(LedgerEntryView),
  coupons: v.array(CouponView),
})

// ---- admin: allowed origins ----------------------------------------------------------------------

/** `https://host[:port]` with nothing after it (a trailing slash is dropped). */
export const Origin = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(300),
  v.check((s) => {
    try {
      const u = new URL(s)
      return (
        (u.protocol === 'https:' || u.protocol === 'http:') &&
        (u.pathname === '/' || u.pathname === '') &&
        !u.search &&
        !u.hash &&
        !u.username &&
        !s.includes('*')
      )
    } catch {
      return false
    }
  }, 'must be an origin like https://www.loja.com.br (no path)'),
  v.transform((s) => new URL(s).origin),
)

export const WidgetOriginsBody = v.object({
  origins: v.pipe(v.array(Origin), v.maxLength(20, 'must have at most 20 origins')),
})

export const WidgetOriginsView = v.object({
  /** The store's own site (from the integration's siteUrl); always allowed. */
  storeOrigin: v.nullable(v.string()),
  /** Extra origins the admin allowed. */
  origins: v.array(v.string()),
})

export type WidgetConfig = v.InferOutput<typeof WidgetConfig>
export type JoinBody = v.InferOutput<typeof JoinBody>
export type JoinProfile = v.InferInput<typeof JoinProfile>
export type WidgetSession = v.InferOutput<typeof WidgetSession>
export type WidgetMe = v.InferOutput<typeof WidgetMe>
export type WidgetMemberView = v.InferOutput<typeof WidgetMemberView>
export type MemberRewards = v.InferOutput<typeof MemberRewards>
export type MemberReward = v.InferOutput<typeof MemberReward>
export type RewardSummary = v.InferOutput<typeof RewardSummary>
export type CouponView = v.InferOutput<typeof CouponView>
export type CodeSent = v.InferOutput<typeof CodeSent>
export type LoginStartBody = v.InferInput<typeof LoginStartBody>
export type VerifyBody = v.InferInput<typeof VerifyBody>
export type RefreshBody = v.InferInput<typeof RefreshBody>
export type WidgetOriginsView = v.InferOutput<typeof WidgetOriginsView>
