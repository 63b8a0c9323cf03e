import type { ProgramMode } from '../shared/api/cashback.ts'
import type { ReferralSettings } from '../shared/api/referrals.ts'
import { centsToInput, numberOr, parseCents, parseInteger } from './forms.ts'

/**
 * The referral settings form (Mais > Configurações > Indicações), pure: as typed (strings keyed
 * by the API's field names, so a refusal lands at its input) ↔ the API's body, and the WhatsApp
 * message the merchant reads while typing. Whatever does not parse goes as typed, so the API
 * refuses it by name (one source of rules).
 */
export type ReferralForm = {
  friendCouponCents: string
  friendMinOrderCents: string
  advocateReward: string
  advocateMonthlyCap: string
  claimsPerIpPerWeek: string
  shareText: string
}

export const REFERRAL_FIELDS = [
  'enabled',
  'friendCouponCents',
  'friendMinOrderCents',
  'advocateReward',
  'advocateMonthlyCap',
  'claimsPerIpPerWeek',
  'shareText',
] as const

/** The advocate's reward is points in a points program, cents of cashback in a cashback one. */
export function referralToForm(s: ReferralSettings, mode: ProgramMode): ReferralForm {
  return {
    friendCouponCents: centsToInput(s.friendCouponCents),
    friendMinOrderCents: centsToInput(s.friendMinOrderCents),
    advocateReward: mode === 'cashback' ? centsToInput(s.advocateReward) : String(s.advocateReward),
    advocateMonthlyCap: String(s.advocateMonthlyCap),
    claimsPerIpPerWeek: String(s.claimsPerIpPerWeek),
    shareText: s.shareText,
  }
}

const whole = (s: string) => numberOr(s, parseInteger, s)

/** The PUT body: a blank minimum order is 0 (any order); other blanks go as typed and are refused. */
export function referralBody(f: ReferralForm, enabled: boolean, mode: ProgramMode): Record<string, unknown> {
  return {
    enabled,
    friendCouponCents: numberOr(f.friendCouponCents, parseCents, f.friendCouponCents),
    friendMinOrderCents: numberOr(f.friendMinOrderCents, parseCents, 0),
    advocateReward:
      mode === 'cashback' ? numberOr(f.advocateReward, parseCents, f.advocateReward) : whole(f.advocateReward),
    advocateMonthlyCap: whole(f.advocateMonthlyCap),
    claimsPerIpPerWeek: whole(f.claimsPerIpPerWeek),
    shareText: f.shareText,
  }
}

/** An example link for the preview: the store's address when the integration has one. */
export function exampleLink(siteUrl: string | null): string {
  const base = siteUrl?.trim() || 'https://sualoja.com.br'
  return `${base}${base.includes('?') ? '&' : '?'}indicacao=EXEMPLO7`
}

/**
 * The message as a member's friend receives it: `{valor}` the friend's coupon as typed (the
 * unfilled placeholder stays while it does not parse), `{loja}` the program's name, `{link}` an
 * example link. The server fills the same placeholders (contract: shared/api/referrals.ts).
 */
export function sharePreview(
  text: string,
  f: { couponText: string; programName: string; link: string },
  money: (cents: number) => string,
): string {
  const cents = parseCents(f.couponText)
  return text
    .replaceAll('{valor}', cents === null ? '{valor}' : money(cents))
    .replaceAll('{loja}', f.programName)
    .replaceAll('{link}', f.link)
}

/** What the preview says is missing before saving could work (the API still decides). */
export const shareTextProblem = (text: string): 'empty' | 'link' | 'long' | null =>
  text.trim() === '' ? 'empty' : !text.includes('{link}') ? 'link' : text.length > 500 ? 'long' : null
