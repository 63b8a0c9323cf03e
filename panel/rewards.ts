import type { RewardView } from '../shared/api/rewards.ts'
import { blankToNull, centsToInput, numberOr, parseCents, parseInteger } from './forms.ts'

export type RewardKind = RewardView['kind']

/** What the merchant reads in the "Situação" column; the first reason a shopper cannot redeem wins. */
export function rewardStatus(
  r: Pick<RewardView, 'active' | 'removedFromFeedAt' | 'remainingStock'>,
): 'available' | 'inactive' | 'removed' | 'soldOut' {
  if (!r.active) return 'inactive'
  if (r.removedFromFeedAt) return 'removed'
  if (r.remainingStock === 0) return 'soldOut'
  return 'available'
}

/** The reward form's fields, as typed. */
export interface RewardForm {
  kind: RewardKind
  title: string
  description: string
  imageUrl: string
  pointsCost: string
  valueCents: string
  percent: string
  priceCents: string
  link: string
  minimumOrderCents: string
  totalStock: string
  perMemberLimit: string
}

export function emptyRewardForm(): RewardForm {
  return {
    kind: 'fixed_discount',
    title: '',
    description: '',
    imageUrl: '',
    pointsCost: '',
    valueCents: '',
    percent: '',
    priceCents: '',
    link: '',
    minimumOrderCents: '',
    totalStock: '',
    perMemberLimit: '',
  }
}

export function rewardToForm(r: RewardView): RewardForm {
  const n = (x: number | null) => (x === null ? '' : String(x))
  return {
    kind: r.kind,
    title: r.title,
    description: r.description ?? '',
    imageUrl: r.imageUrl ?? '',
    pointsCost: String(r.pointsCost),
    valueCents: centsToInput(r.valueCents),
    percent: n(r.percent),
    priceCents: centsToInput(r.priceCents),
    link: r.link ?? '',
    minimumOrderCents: centsToInput(r.minimumOrderCents),
    totalStock: n(r.totalStock),
    perMemberLimit: n(r.perMemberLimit),
  }
}

/** Which fields the form shows for a kind and source (feed products: the feed owns title, image, price, link). */
export function rewardFields(kind: RewardKind, source: 'manual' | 'feed'): Array<keyof RewardForm> {
  if (source === 'feed') return ['description', 'pointsCost', 'totalStock', 'perMemberLimit']
  const extra: Record<RewardKind, Array<keyof RewardForm>> = {
    fixed_discount: ['valueCents', 'minimumOrderCents'],
    percent_discount: ['percent', 'minimumOrderCents'],
    free_shipping: ['minimumOrderCents'],
    product: ['priceCents', 'link'],
  }
  return ['title', 'description', 'pointsCost', ...extra[kind], 'imageUrl', 'totalStock', 'perMemberLimit']
}

/**
 * The API body for the fields the form shows: blanks become null (no limit / none), numbers are
 * parsed pt-BR style, and anything unparseable is sent as typed so the API names the field.
 */
export function rewardBody(form: RewardForm, source: 'manual' | 'feed', create: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = create ? { kind: form.kind } : {}
  for (const f of rewardFields(form.kind, source)) {
    const text = form[f]
    switch (f) {
      case 'kind':
        break
      case 'title':
        body.title = text.trim()
        break
      case 'description':
      case 'imageUrl':
      case 'link':
        body[f] = blankToNull(text)
        break
      case 'pointsCost':
      case 'percent':
        body[f] = numberOr(text, parseInteger, text)
        break
      case 'totalStock':
      case 'perMemberLimit':
        body[f] = numberOr(text, parseInteger, null)
        break
      case 'valueCents':
        body[f] = numberOr(text, parseCents, text)
        break
      case 'priceCents':
      case 'minimumOrderCents':
        body[f] = numberOr(text, parseCents, null)
        break
    }
  }
  // A new reward without an image or link simply leaves them out.
  if (create) for (const k of Object.keys(body)) if (body[k] === null) delete body[k]
  return body
}
