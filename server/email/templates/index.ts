import type { LIFECYCLE_EMAIL_KINDS } from '../../../shared/api/emails.ts'
import type { EmailCategory } from '../../db/email-schema.ts'
import type { Block, Brand, EmailContent } from './layout.ts'
import { ptBR } from './pt-BR.ts'

export { renderEmail, type Brand, type EmailContent, type RenderedEmail } from './layout.ts'

/** Minutes a login code is valid; the login flow uses the same constant for the code's expiry. */
export const LOGIN_CODE_VALID_MINUTES = 10

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

const l = ptBR.layout
const cb = ptBR.cashback

export const templates: { [K in EmailKind]: EmailTemplate<TemplateDataMap[K]> } = {
  login_code: {
    category: 'transactional',
    sensitive: true,
    expiresInMs: (d) => (d.validMinutes ?? LOGIN_CODE_VALID_MINUTES) * 60_000,
    defaultReason: (b) => ptBR.loginCode.reason(b.programName),
    content: (d, b) => {
      // Fail at the sender: a malformed code would send a useless e-mail.
      if (!/^[0-9]{6}$/.test(d.code)) throw new Error('login code must be exactly 6 digits')
      const minutes = d.validMinutes ?? LOGIN_CODE_VALID_MINUTES
      const t = ptBR.loginCode
      return {
        subject: t.subject(b.programName),
        preheader: t.preheader(minutes),
        heading: t.heading,
        blocks: [
          { type: 'paragraph', text: l.greeting(d.name) },
          { type: 'paragraph', text: t.intro(b.programName) },
          { type: 'code', code: d.code },
          { type: 'paragraph', text: t.validity(minutes) },
          { type: 'note', text: t.neverShare },
          { type: 'note', text: t.notYou },
        ],
      }
    },
  },

  erasure_code: {
    category: 'transactional',
    sensitive: true,
    expiresInMs: (d) => (d.validMinutes ?? LOGIN_CODE_VALID_MINUTES) * 60_000,
    defaultReason: (b) => ptBR.erasureCode.reason(b.programName),
    content: (d, b) => {
      if (!/^[0-9]{6}$/.test(d.code)) throw new Error('erasure code must be exactly 6 digits')
      const minutes = d.validMinutes ?? LOGIN_CODE_VALID_MINUTES
      const t = ptBR.erasureCode
      return {
        subject: t.subject(b.programName),
        preheader: t.preheader(minutes),
        heading: t.heading,
        blocks: [
          { type: 'paragraph', text: l.greeting(d.name) },
          { type: 'paragraph', text: t.intro(b.programName) },
          { type: 'code', code: d.code },
          { type: 'paragraph', text: t.validity(minutes) },
          { type: 'note', text: t.notYou },
        ],
      }
    },
  },

  welcome: {
    category: 'marketing',
    sensitive: false,
    defaultReason: (b) => ptBR.welcome.reason(b.programName),
    content: (d, b) => {
      const t = ptBR.welcome
      return {
        subject: t.subject(b.programName),
        preheader: t.preheader(b.programName),
        heading: t.heading,
        blocks:
          d.mode === 'cashback'
            ? [
                { type: 'paragraph', text: l.greeting(d.name) },
                { type: 'paragraph', text: cb.welcome.joined(b.programName) },
                { type: 'paragraph', text: cb.balance(d.points) },
                ...cta(b, cb.welcome.cta),
              ]
            : [
                { type: 'paragraph', text: l.greeting(d.name) },
                { type: 'paragraph', text: t.joined(b.programName, d.pointsName) },
                { type: 'paragraph', text: t.balance(d.points, d.pointsName) },
                ...cta(b, t.cta),
              ],
      }
    },
  },

  points_earned: lifecycle((d, b) => {
    const t = ptBR.pointsEarned
    if (d.mode === 'cashback')
      return {
        subject: cb.earned.subject(d.total),
        preheader: t.preheader(d.day, b.programName),
        heading: cb.earned.heading(d.total),
        blocks: lifecycleBody(
          d,
          b,
          t.intro(d.day, b.programName),
          pointsList(
            d,
            d.lines.map((x) => cb.earned.line(x.text, x.points, x.orderDay)),
          ),
          cb.earned.cta,
        ),
      }
    return {
      subject: t.subject(d.total, d.pointsName),
      preheader: t.preheader(d.day, b.programName),
      heading: t.heading(d.total, d.pointsName),
      blocks: lifecycleBody(
        d,
        b,
        t.intro(d.day, b.programName),
        pointsList(
          d,
          d.lines.map((x) => t.line(x.text, x.points, d.pointsName, x.orderDay)),
        ),
        t.cta,
      ),
    }
  }),

  reward_redeemed: lifecycle((d, b) => {
    const t = ptBR.rewardRedeemed
    return {
      subject: t.subject(d.rewardTitle),
      preheader: t.preheader(d.benefit, d.validUntil),
      heading: t.heading,
      blocks: lifecycleBody(
        d,
        b,
        d.gift
          ? t.giftIntro(d.gift, d.rewardTitle)
          : d.mode === 'cashback'
            ? cb.redeemed.intro(d.pointsSpent)
            : t.intro(d.rewardTitle, d.pointsSpent, d.pointsName),
        couponBlocks(d, t.oneUse),
        t.cta,
      ),
    }
  }),

  points_expiring: lifecycle((d, b) => {
    const t = ptBR.pointsExpiring
    const total = d.lots.reduce((s, x) => s + x.points, 0)
    // The service writes this e-mail only for members with lots; without one there is no day to name.
    const last = d.lots[d.lots.length - 1]?.day
    if (d.mode === 'cashback')
      return {
        subject: cb.expiring.subject(total, d.windowDays),
        preheader: last ? cb.expiring.preheader(last) : '',
        heading: cb.expiring.heading,
        blocks: lifecycleBody(
          d,
          b,
          cb.expiring.intro(total, d.windowDays),
          pointsList(
            d,
            d.lots.map((x) => cb.expiring.lot(x.points, x.day)),
          ),
          cb.expiring.cta,
        ),
      }
    return {
      subject: t.subject(total, d.pointsName, d.windowDays),
      preheader: last ? t.preheader(last) : '',
      heading: t.heading,
      blocks: lifecycleBody(
        d,
        b,
        t.intro(total, d.pointsName, d.windowDays),
        pointsList(
          d,
          d.lots.map((x) => t.lot(x.points, d.pointsName, x.day)),
        ),
        t.cta,
      ),
    }
  }),

  coupon_expiring: lifecycle((d, b) => {
    const t = ptBR.couponExpiring
    return {
      subject: t.subject(d.daysLeft),
      preheader: t.preheader(d.couponCode, d.validUntil),
      heading: t.heading,
      blocks: lifecycleBody(
        d,
        b,
        t.intro(d.rewardTitle, d.validUntil),
        couponBlocks(d, d.mode === 'cashback' ? cb.couponRefundNote : t.refundNote),
        t.cta,
      ),
    }
  }),

  webhook_disabled: webhookDisabled(),

  referral_coupon: {
    category: 'transactional',
    sensitive: false,
    defaultReason: (b) => ptBR.referralCoupon.reason(b.programName),
    content: (d, b) => {
      const t = ptBR.referralCoupon
      return {
        subject: t.subject(b.programName),
        preheader: t.preheader(d.valueCents, d.validUntil),
        heading: t.heading,
        blocks: [
          { type: 'paragraph', text: l.greeting(null) },
          { type: 'paragraph', text: t.intro(d.valueCents) },
          ...couponBlocks(
            {
              couponCode: d.couponCode,
              benefit: ptBR.rewardRedeemed.money(d.valueCents),
              validUntil: d.validUntil,
              minimumOrderCents: d.minimumOrderCents,
            },
            t.firstOrder,
          ),
          ...cta(b, t.cta),
        ],
      }
    },
  },
}

/** The merchant's notice that a webhook endpoint was turned off (transactional: no unsubscribe). */
function webhookDisabled(): EmailTemplate<WebhookDisabledData> {
  return {
    category: 'transactional',
    sensitive: false,
    defaultReason: (b) => ptBR.webhookDisabled.reason(b.programName),
    content: (d, b) => {
      const t = ptBR.webhookDisabled
      const rows: Array<[string, string]> = [[t.since, brDateTime(d.failingSince)]]
      if (d.lastError) rows.push([t.lastError, d.lastError])
      return {
        subject: t.subject(b.programName),
        preheader: t.preheader,
        heading: t.heading,
        blocks: [
          { type: 'paragraph', text: l.greeting(null) },
          { type: 'paragraph', text: t.intro(d.url) },
          { type: 'facts', rows },
          { type: 'paragraph', text: t.next },
          { type: 'button', label: t.cta, url: d.panelUrl },
        ],
      }
    },
  }
}

/** São Paulo date and time, pt-BR ("07/12/2026 10:30"). */
function brDateTime(iso: string): string {
  return new Intl.DateTimeFormat('pt-BR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'America/Sao_Paulo' })
    .format(new Date(iso))
    .replace(',', '')
}

/** A lifecycle template: marketing (unsubscribe links), nothing secret, a member's generic reason. */
function lifecycle<D>(content: EmailTemplate<D>['content']): EmailTemplate<D> {
  return { category: 'marketing', sensitive: false, defaultReason: (b) => l.memberReason(b.programName), content }
}

/** A coupon as both coupon e-mails show it: the code, what it is worth until when, and a note. */
function couponBlocks(
  d: { couponCode: string; benefit: string; validUntil: string; minimumOrderCents?: number | null },
  note: string,
): Block[] {
  const t = ptBR.rewardRedeemed
  const rows: Array<[string, string]> = [
    [t.benefit, d.benefit],
    [t.validUntil, t.validUntilValue(d.validUntil)],
  ]
  if (d.minimumOrderCents) rows.push([t.minimumOrder, t.money(d.minimumOrderCents)])
  return [
    { type: 'code', code: d.couponCode },
    { type: 'facts', rows },
    { type: 'note', text: note },
  ]
}

/** Every lifecycle e-mail's body: the greeting, the intro, what it is about, the store as the call to action. */
function lifecycleBody(
  d: { name?: string | null },
  b: Brand,
  intro: string,
  about: Block[],
  ctaLabel: string,
): Block[] {
  return [
    { type: 'paragraph', text: l.greeting(d.name) },
    { type: 'paragraph', text: intro },
    ...about,
    ...cta(b, ctaLabel),
  ]
}

/** Both points e-mails (earned, expiring): which points, then the balance they leave. */
function pointsList(d: { balance: number; pointsName: string; mode?: string }, items: string[]): Block[] {
  return [
    { type: 'list', items },
    {
      type: 'paragraph',
      text: d.mode === 'cashback' ? cb.balance(d.balance) : ptBR.pointsEarned.balance(d.balance, d.pointsName),
    },
  ]
}

/** The store's site as the call to action, when the program has one. */
function cta(b: Brand, label: string) {
  return b.siteUrl ? [{ type: 'button' as const, label, url: b.siteUrl }] : []
}
