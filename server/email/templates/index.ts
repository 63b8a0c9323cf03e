import type { Block, Brand } from './layout.ts'
import { ptBR } from './pt-BR.ts'

export { renderEmail, type Brand, type EmailContent, type RenderedEmail } from './layout.ts'
export type {
  LoginCodeData,
  WelcomeData,
  PointsEarnedData,
  RewardRedeemedData,
  PointsExpiringData,
  CouponExpiringData,
  ReferralCouponData,
  WebhookDisabledData,
  TemplateDataMap,
  LifecycleKind,
  EmailKind,
  EmailTemplate,
} from './data.ts'
import type { WebhookDisabledData, TemplateDataMap, EmailKind, EmailTemplate } from './data.ts'

/** Minutes a login code is valid; the login flow uses the same constant for the code's expiry. */
export const LOGIN_CODE_VALID_MINUTES = 10

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
