import * as v from 'valibot'
import { ProgramMode, WidgetAmountRedemption, WidgetCashback } from './cashback.ts'
import { MemberTier } from './tiers.ts'
import { DateTime, Email, IsoDate, NonEmpty } from './common.ts'
import { Cpf, LedgerEntryView } from './members.ts'
import { LauncherCorner } from './programs.ts'
import { REDEMPTION_KINDS } from './redemptions.ts'
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
export { AmountRedeemBody } from './cashback.ts'

export const CouponView = v.object({
  redemptionId: v.number(),
  code: v.string(),
  /** The reward's title. */
  title: v.string(),
  /** A product reward's coupon pays for that product: the widget shows it as the product. `amount`: a chosen value. */
  rewardKind: v.picklist(REDEMPTION_KINDS),
  /** pt-BR, e.g. "R$ 10,00 de desconto". */
  benefit: v.string(),
  minimumOrderCents: v.nullable(v.number()),
  /** Last day (São Paulo) the code works. */
  validUntil: IsoDate,
  /** A coupon given, not bought (a VIP tier's entry reward): why, pt-BR; null otherwise. */
  gift: v.nullable(v.string()),
})

// ---- config ----------------------------------------------------------------------------------

export const WidgetConfig = v.object({
  programKey: v.string(),
  name: v.string(),
  /** `cashback`: balances are reais (cents); `points`: points named `pointsName`. */
  mode: ProgramMode,
  /** Shoppers can turn their balance into a coupon of a chosen value (always in cashback mode). */
  amountRedemption: v.boolean(),
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
  /**
   * Referrals are on (the merchant's switch, with the store connection active): only then does the
   * widget show "Indique e ganhe" and ask for `…/me/referral`.
   */
  referrals: v.boolean(),
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
  /** `cashback`: `balance`, `pendingPoints`, `expiring` and history amounts are cents. */
  mode: ProgramMode,
  pointsName: v.string(),
  /** Spendable points (cents in a cashback program). */
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
  /** Cashback programs: the balance in cents, what becomes available when, what expires when; null in points mode. */
  cashback: v.nullable(WidgetCashback),
  /** When the program redeems chosen amounts (cashback, or points with the option on); null otherwise. */
  amountRedemption: v.nullable(WidgetAmountRedemption),
  /** The member's VIP tier: badge, what is missing for the next one, until when it is kept; null without tiers. */
  tier: v.nullable(MemberTier),
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

// Descriptions of the routes that use these schemas, in /openapi.json.

/** GET /v1/programs/:programId/widget/origins */
export const widgetOriginsDescription =
  "The store's own site (`storeOrigin`, from the integration's siteUrl) is always allowed; `origins` are the extra " +
  'ones.'

/** PUT /v1/programs/:programId/widget/origins */
export const replaceWidgetOriginsDescription =
  'Origins like `https://minhaloja.lojaintegrada.com.br` (scheme, host and port only; up to 20). Replaces the list. ' +
  'Other API processes apply the change within 10 seconds.'

/** GET /v1/widget/:programKey/me */
export const meDescription =
  'Balance (spendable points), points name, the last 20 ledger entries (newest first, reasons in pt-BR) and active ' +
  "coupons. `pendingPoints`: points of orders still in the program's pending period (not in `balance`). `expiring`: " +
  "the next points to expire and the São Paulo day they do (empty when the program's points never expire). " +
  '`mode`: in a `cashback` program every amount is in cents, and `cashback` adds what is available now, what ' +
  'becomes available on which day and what expires on which day (null in points mode). `amountRedemption` ' +
  '(cashback, or points with the option on; null otherwise): the bounds of `POST …/redemptions/amount` and the ' +
  'minimum order of its largest amount.'

/** GET /v1/widget/:programKey/rewards */
export const memberRewardsDescription =
  'The redeemable rewards (active, in stock, still in the feed), cheapest first, with `affordable` and ' +
  '`pointsMissing` computed against the member balance. A reward may still be refused at redemption time (stock ' +
  'taken meanwhile, per-member limit): the redemption answer is the truth.'

/** GET /v1/widget/:programKey/redemptions */
export const memberRedemptionsDescription =
  'The last 50, with their status (`pending` → `issued` with the coupon code and last valid day, or `failed` with ' +
  'the points given back and why).'

/** GET /v1/widget/:programKey/redemptions/:redemptionId */
export const memberRedemptionDescription =
  'Poll this after redeeming until `status` leaves `pending` (usually within seconds; longer when the store is slow ' +
  'or down).'

/** POST /v1/widget/:programKey/redemptions */
export const redeemDescription =
  'Exactly once per `idempotencyKey` (make one per click and resend the same key after a network error): 201 with ' +
  'the new redemption, or 200 with the first one when the key was used before. The points are debited at once and ' +
  'the redemption is `pending` while the coupon is created in the store; poll `GET …/redemptions/{id}`. Refusals: ' +
  '409 `insufficient_points` (with `balance` and `pointsCost`), `reward_unavailable`, `out_of_stock`, ' +
  '`limit_reached`, `idempotency_conflict` (the key was used for another reward), `program_paused` (the store ' +
  'connection is not active: nothing is debited); 404 when the reward does not exist; 401 when the session has ended ' +
  '(logout, or a reused refresh token), even though the access token has not expired.'

/** POST /v1/widget/:programKey/login/verify */
export const verifyLoginDescription =
  'Answers a 15-minute access token (JWT, for `Authorization: Bearer …` on this program only) and a 30-day refresh ' +
  'token (single use; see `…/session/refresh`). `join` (optional) carries the join form of a shopper who asked for ' +
  'the code with only their e-mail: once the code is right it is applied as `…/join` would (profile and consent to ' +
  'e-mails); a refused field is named as `join.cpf`, … and spends no try of the code. A wrong, expired or used-up ' +
  'code answers 401 with `field: "code"`, the same whether the e-mail exists or not; after 5 wrong codes only a new ' +
  'code works. Limited per IP and per e-mail (5 a minute, 20 an hour).'

/** POST /v1/widget/:programKey/session/refresh */
export const refreshSessionDescription =
  'Each refresh token is swapped once for a new pair. Within 30 seconds of that swap the same token may be presented ' +
  'again (another tab of the same shopper refreshing at the same moment): it answers the same new refresh token, ' +
  'with a fresh access token. Presented again later, it revokes the whole session (every token descended from that ' +
  'login): a copy was made, so both holders must log in again. 401 for unknown, expired, revoked or reused tokens.'

/** POST /v1/widget/:programKey/logout */
export const logoutDescription =
  'Revokes the refresh token and its whole session. Always 200 (an unknown or revoked token has nothing left to ' +
  "end). From then on the session's access token can no longer redeem; it still reads (`me`, rewards, redemptions) " +
  'until it expires within 15 minutes, and the widget forgets it.'

/** What the login and join descriptions share: the limits and the answers. */
const loginLimitsText =
  'Limited per IP and per e-mail (5 a minute, 20 an hour): 429 with Retry-After. A code is valid 10 minutes for 5 ' +
  'tries; asking again replaces it. Members and store customers get the same 202; anyone who cannot enter gets 409 ' +
  '`signup_required` with `signupUrl` (not a customer of the store, joining closed, or the program not active yet) — ' +
  'the only answer that tells an e-mail apart. 502 `li_unavailable` when the store could not be asked.'

/** POST /v1/widget/:programKey/login */
export const loginStartDescription =
  'For members, and for customers of the store who are not members yet (they are enrolled when the code is verified, ' +
  'while joining is open). ' +
  loginLimitsText

/** POST /v1/widget/:programKey/join */
export const joinDescription =
  "Name, optional CPF (check digits validated) and birth date, and the shopper's consent to e-mails. Nothing is " +
  'saved until the code is verified; then the customer is enrolled (linked to their Loja Integrada customer) or, if ' +
  'already a member, their profile and consent are updated. A "no" to e-mails stops marketing e-mails; login codes ' +
  'are always sent. ' +
  loginLimitsText

/** GET /v1/widget/:programKey/config, with the config's Cache-Control max-age */
export const widgetConfigDescription = (maxAgeSeconds: number) =>
  'Name, points name, colours, whether joining/login are open, whether referrals are on, the sign-up URL and a ' +
  'rewards summary (empty until rewards exist). No personal data. Cacheable: `Cache-Control: public, max-age=' +
  maxAgeSeconds +
  '` and an `ETag`; send `If-None-Match` to get 304. A settings change (colours, rewards, referrals on or off, …) ' +
  "is in the answer, with a new `ETag`, within 10 seconds. Only the store's origin and origins the admin allowed " +
  'get CORS headers on any widget route.'
