import type { LIFECYCLE_EMAIL_KINDS } from '../../../shared/api/emails.ts'
import type { EmailCategory } from '../../db/email-schema.ts'
import type { Brand, EmailContent } from './layout.ts'

// The data every e-mail kind's template needs, and the template's shape (index.ts holds the templates).

export interface LoginCodeData {
  /** Six digits. Rendered into the body only; never into the subject, a log line or a job payload. */
  code: string
  name?: string | null
  validMinutes?: number
}

export interface WelcomeData {
  /** A cashback program's e-mail speaks of reais (amounts are then cents); points when absent. */
  mode?: 'points' | 'cashback'
  name?: string | null
  points: number
  pointsName: string
}

/** The daily digest of what a member earned on one São Paulo day. */
export interface PointsEarnedData {
  /** A cashback program's e-mail speaks of reais (amounts are then cents); points when absent. */
  mode?: 'points' | 'cashback'
  name?: string | null
  pointsName: string
  /** 'YYYY-MM-DD', São Paulo. */
  day: string
  total: number
  /**
   * Each entry's readable reason (the ledger's pt-BR text) and its points; for a purchase's
   * points, `orderDay` ('YYYY-MM-DD', São Paulo) is when the order was placed — it may be days
   * before `day`, when the points came in (a first import, a late delivery).
   */
  lines: Array<{ text: string; points: number; orderDay?: string }>
  balance: number
}

export interface RewardRedeemedData {
  /** A cashback program's e-mail speaks of reais (amounts are then cents); points when absent. */
  mode?: 'points' | 'cashback'
  name?: string | null
  rewardTitle: string
  /** benefitText() of the coupon: "R$ 10,00 de desconto", "Frete grátis", … */
  benefit: string
  couponCode: string
  /** 'YYYY-MM-DD', the São Paulo day the coupon is valid through. */
  validUntil: string
  minimumOrderCents: number | null
  pointsSpent: number
  pointsName: string
  /** A coupon given, not bought (a tier's entry reward): why, pt-BR ("Presente de boas-vindas ao nível Ouro"). */
  gift?: string | null
}

export interface PointsExpiringData {
  /** A cashback program's e-mail speaks of reais (amounts are then cents); points when absent. */
  mode?: 'points' | 'cashback'
  name?: string | null
  pointsName: string
  /** The notice: 30 or 7 days ahead. */
  windowDays: number
  /** What expires when, oldest first ('YYYY-MM-DD', São Paulo). */
  lots: Array<{ points: number; day: string }>
  balance: number
}

export interface CouponExpiringData {
  /** A cashback program's e-mail speaks of reais (amounts are then cents); points when absent. */
  mode?: 'points' | 'cashback'
  name?: string | null
  rewardTitle: string
  benefit: string
  couponCode: string
  validUntil: string
  /** Whole São Paulo days from today to validUntil. */
  daysLeft: number
}

/** To a referred friend: their single-use first-order coupon (server/referrals). */
export interface ReferralCouponData {
  couponCode: string
  valueCents: number
  minimumOrderCents: number
  /** 'YYYY-MM-DD', the São Paulo day the coupon is valid through. */
  validUntil: string
}

/** To the merchant: an event webhook endpoint turned off after 3 days of failures. */
export interface WebhookDisabledData {
  url: string
  /** ISO instant of the first failure of the run. */
  failingSince: string
  lastError: string | null
  /** The panel's webhooks page. */
  panelUrl: string
}

/** Every e-mail kind and the data its template needs. */
export interface TemplateDataMap {
  login_code: LoginCodeData
  /** Confirms a shopper's request to erase their data (LGPD); same shape as a login code. */
  erasure_code: LoginCodeData
  welcome: WelcomeData
  points_earned: PointsEarnedData
  reward_redeemed: RewardRedeemedData
  points_expiring: PointsExpiringData
  coupon_expiring: CouponExpiringData
  webhook_disabled: WebhookDisabledData
  referral_coupon: ReferralCouponData
}

/** The lifecycle kinds (issue 8): marketing, each with its own unsubscribe scope. */
export type LifecycleKind = (typeof LIFECYCLE_EMAIL_KINDS)[number]

export type EmailKind = keyof TemplateDataMap

export interface EmailTemplate<D> {
  category: EmailCategory
  /** The body holds a secret: blanked in the outbox once sent or given up. */
  sensitive: boolean
  /** After this long the e-mail is pointless (the code expired): the worker gives up instead. */
  expiresInMs?: (data: D) => number
  /** Why the shopper gets it, unless the caller gives a more specific reason. */
  defaultReason(brand: Brand): string
  content(data: D, brand: Brand): EmailContent
}
