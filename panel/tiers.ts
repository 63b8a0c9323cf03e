import type { ProgramMode } from '../shared/api/cashback.ts'
import type { TierBasis, TierRulesView, TierWindow } from '../shared/api/tiers.ts'
import { centsToInput, decimalToInput, numberOr, parseCents, parseDecimal, parseInteger } from './forms.ts'

/**
 * The VIP tiers form (Mais > Configurações > Níveis VIP), pure: a flat record of strings whose
 * keys are the API's field names (`tiers.1.threshold`), so a refusal lands next to its input.
 */
export const MIN_TIERS = 2
export const MAX_TIERS = 5
export const TIER_FIELDS = ['name', 'color', 'threshold', 'multiplierPct', 'entryReward', 'entryRewardId'] as const
export type TierField = (typeof TIER_FIELDS)[number]
export type TiersForm = Record<string, string>

export const tierKey = (i: number, f: TierField) => `tiers.${i}.${f}`

/** Thresholds and rewards in cents when they are money (spend, or anything in a cashback program). */
export const thresholdInCents = (basis: string, mode: ProgramMode) => basis === 'spend' || mode === 'cashback'

const SUGGESTED = [
  { name: 'Bronze', color: '#8c5a2b' },
  { name: 'Prata', color: '#6b7280' },
  { name: 'Ouro', color: '#a16207' },
  { name: 'Platina', color: '#334155' },
  { name: 'Diamante', color: '#1d4ed8' },
]

/** A new tier row's name and colour (the merchant changes them). */
export const suggestedTier = (i: number) => SUGGESTED[i] ?? { name: `Nível ${i + 1}`, color: '#334155' }

export function tiersToForm(view: TierRulesView, mode: ProgramMode): TiersForm {
  const form: TiersForm = { basis: view.basis, window: view.window }
  const rows: Array<{
    id: string
    name: string
    color: string
    threshold: number | null
    multiplierPct: number
    entryReward: number
    entryRewardId: string | null
  }> =
    view.tiers.length >= MIN_TIERS
      ? view.tiers
      : [0, 1].map((i) => ({
          ...suggestedTier(i),
          id: '',
          threshold: null,
          multiplierPct: 100,
          entryReward: 0,
          entryRewardId: null,
        }))
  form.count = String(rows.length)
  const money = thresholdInCents(view.basis, mode)
  rows.forEach((r, i) => {
    form[`tiers.${i}.id`] = r.id
    form[tierKey(i, 'name')] = r.name
    form[tierKey(i, 'color')] = r.color
    form[tierKey(i, 'threshold')] = r.threshold === null ? '' : money ? centsToInput(r.threshold) : String(r.threshold)
    form[tierKey(i, 'multiplierPct')] = decimalToInput(r.multiplierPct / 100)
    form[tierKey(i, 'entryReward')] =
      r.entryReward > 0 ? (mode === 'cashback' ? centsToInput(r.entryReward) : String(r.entryReward)) : ''
    form[tierKey(i, 'entryRewardId')] = r.entryRewardId ?? ''
  })
  return form
}

/** Adds a row (up to five) with a suggested name and colour. */
export function addTier(form: TiersForm): TiersForm {
  const n = Number(form.count)
  if (n >= MAX_TIERS) return form
  const s = suggestedTier(n)
  return {
    ...form,
    count: String(n + 1),
    [`tiers.${n}.id`]: '',
    [tierKey(n, 'name')]: s.name,
    [tierKey(n, 'color')]: s.color,
    [tierKey(n, 'threshold')]: '',
    [tierKey(n, 'multiplierPct')]: '1',
    [tierKey(n, 'entryReward')]: '',
    [tierKey(n, 'entryRewardId')]: '',
  }
}

/** Removes row `at` (never below two); later rows move up. */
export function removeTier(form: TiersForm, at: number): TiersForm {
  const n = Number(form.count)
  if (n <= MIN_TIERS) return form
  const next: TiersForm = { ...form, count: String(n - 1) }
  for (let i = at; i < n - 1; i++) {
    next[`tiers.${i}.id`] = form[`tiers.${i + 1}.id`] ?? ''
    for (const f of TIER_FIELDS) next[tierKey(i, f)] = form[tierKey(i + 1, f)] ?? ''
  }
  delete next[`tiers.${n - 1}.id`]
  for (const f of TIER_FIELDS) delete next[tierKey(n - 1, f)]
  return next
}

/**
 * The body of `PUT …/tiers` and `POST …/tier-preview`. Numbers the merchant typed wrong go as
 * typed, so the API names the field. "1,5" × → 150 hundredths; a blank multiplier is × 1 and a
 * blank reward none.
 */
export function tiersBody(form: TiersForm, mode: ProgramMode) {
  const money = thresholdInCents(form.basis ?? 'spend', mode)
  const n = Number(form.count)
  const tiers = []
  for (let i = 0; i < n; i++) {
    const get = (f: TierField) => form[tierKey(i, f)] ?? ''
    const mult = get('multiplierPct').trim() === '' ? 1 : parseDecimal(get('multiplierPct'))
    const id = form[`tiers.${i}.id`]
    tiers.push({
      ...(id ? { id } : {}),
      name: get('name'),
      color: get('color'),
      threshold: numberOr(get('threshold'), money ? parseCents : parseInteger, get('threshold')),
      multiplierPct: mult === null ? get('multiplierPct') : Math.round(mult * 100),
      entryReward: numberOr(get('entryReward'), mode === 'cashback' ? parseCents : parseInteger, 0),
      // A reward of the catalogue whose coupon is given on entry; '' = none.
      entryRewardId: get('entryRewardId') || null,
    })
  }
  return { basis: (form.basis ?? 'spend') as TierBasis, window: (form.window ?? 'lifetime') as TierWindow, tiers }
}
