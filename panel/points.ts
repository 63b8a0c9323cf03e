import type { CampaignView, PointsRulesView } from '../shared/api/lifecycle.ts'
import { decimalToInput, numberOr, parseDecimal, parseInteger } from './forms.ts'

/** The points rules form, as typed. Expiry is "never" or a number of months. */
export type RulesForm = {
  expires: 'never' | 'months'
  expiryMonths: string
  signupBonus: string
  birthdayBonus: string
  pendingDays: string
}

export function rulesToForm(r: PointsRulesView): RulesForm {
  return {
    expires: r.expiryMonths === null ? 'never' : 'months',
    expiryMonths: r.expiryMonths === null ? '12' : String(r.expiryMonths),
    signupBonus: String(r.signupBonus),
    birthdayBonus: String(r.birthdayBonus),
    pendingDays: String(r.pendingDays),
  }
}

/**
 * The PATCH body: every field, parsed. "Never" is `expiryMonths: null`; anything that is not a
 * whole number (blank included) goes as typed so the API refuses it by name.
 */
export function rulesBody(f: RulesForm): Record<string, unknown> {
  const whole = (s: string) => numberOr(s, parseInteger, s)
  return {
    expiryMonths: f.expires === 'never' ? null : whole(f.expiryMonths),
    signupBonus: whole(f.signupBonus),
    birthdayBonus: whole(f.birthdayBonus),
    pendingDays: whole(f.pendingDays),
  }
}

/** The campaign form, as typed; dates as `<input type="date">` gives them (YYYY-MM-DD, São Paulo days). */
export type CampaignForm = {
  name: string
  multiplier: string
  startsOn: string
  endsOn: string
}

export const emptyCampaignForm = (): CampaignForm => ({ name: '', multiplier: '2', startsOn: '', endsOn: '' })

export function campaignToForm(c: CampaignView): CampaignForm {
  return { name: c.name, multiplier: decimalToInput(c.multiplier), startsOn: c.startsOn, endsOn: c.endsOn }
}

export function campaignBody(f: CampaignForm): Record<string, unknown> {
  return {
    name: f.name.trim(),
    multiplier: numberOr(f.multiplier, parseDecimal, f.multiplier),
    startsOn: f.startsOn,
    endsOn: f.endsOn,
  }
}

const spDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Sao_Paulo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** Today's São Paulo calendar day, YYYY-MM-DD (campaign days are São Paulo days). */
export function saoPauloToday(now: Date = new Date()): string {
  return spDay.format(now)
}

/** Whether a campaign is running on `today` (both ends inclusive), still to come, or over. */
export function campaignState(
  c: Pick<CampaignView, 'startsOn' | 'endsOn'>,
  today: string,
): 'running' | 'scheduled' | 'ended' {
  if (today < c.startsOn) return 'scheduled'
  if (today > c.endsOn) return 'ended'
  return 'running'
}
