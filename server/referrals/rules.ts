import {
  REFERRAL_CODE_ALPHABET,
  REFERRAL_CODE_LENGTH,
  type ReferralReason,
  type ReferralSettings,
} from '../../shared/api/referrals.ts'
import { addDays, saoPauloDay, type Day } from '../lib/calendar.ts'
import type { StatusTarget } from '../orders/rules.ts'

/** Pure referral rules: no I/O, tested directly (rules.test.ts, with properties). */

export function defaultSettings(mode: 'points' | 'cashback'): ReferralSettings {
  return {
    enabled: false,
    friendCouponCents: 2000,
    friendMinOrderCents: 10_000,
    advocateReward: mode === 'cashback' ? 2000 : 500,
    advocateMonthlyCap: 10,
    claimsPerIpPerWeek: 10,
    shareText: 'Oi! Ganhe {valor} na sua primeira compra na {loja}: {link}',
  }
}

/** A member's code: 8 symbols of the shared alphabet, each equally likely. `randomBytes` is injectable. */
export function generateReferralCode(randomBytes: (n: number) => Uint8Array): string {
  const n = REFERRAL_CODE_ALPHABET.length
  const limit = Math.floor(256 / n) * n
  let out = ''
  while (out.length < REFERRAL_CODE_LENGTH) {
    for (const b of randomBytes(16)) {
      if (b >= limit) continue // rejection sampling: no symbol favoured
      out += REFERRAL_CODE_ALPHABET[b % n]
      if (out.length === REFERRAL_CODE_LENGTH) break
    }
  }
  return out
}

/**
 * The form two addresses of one mailbox share, for the near-copy check and the one-claim-per-friend
 * key: lower case, `+tag` dropped and dots removed from the local part (Gmail ignores both; other
 * providers may not, but a friend with a dotted twin of an address is rare enough to send to review).
 */
export function normaliseEmail(email: string): string {
  const lower = email.trim().toLowerCase()
  const at = lower.lastIndexOf('@')
  if (at < 0) return lower
  let local = lower.slice(0, at)
  let domain = lower.slice(at + 1)
  const plus = local.indexOf('+')
  if (plus >= 0) local = local.slice(0, plus)
  local = local.replace(/\./g, '')
  if (domain === 'googlemail.com') domain = 'gmail.com'
  return `${local}@${domain}`
}

/**
 * Damerau–Levenshtein distance (optimal string alignment: insert, delete, substitute, swap two
 * neighbours), stopping early once it must exceed `max`: the answer is then `max + 1`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev2: number[] = []
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1)
      cur.push(d)
      rowMin = Math.min(rowMin, d)
    }
    if (rowMin > max) return max + 1
    prev2 = prev
    prev = cur
  }
  return Math.min(prev[b.length]!, max + 1)
}

/** The advocate's own address (`self_email`), or a near copy of it (`similar_email`). */
export function emailReason(friend: string, advocate: string): ReferralReason | null {
  const f = friend.trim().toLowerCase()
  const a = advocate.trim().toLowerCase()
  if (f === a) return 'self_email'
  if (editDistance(normaliseEmail(f), normaliseEmail(a), 1) <= 1) return 'similar_email'
  return null
}

export interface ClaimFacts {
  friendEmail: string
  advocateEmail: string
  /** A member or an order of the program has this address (normalised as stored). */
  alreadyCustomer: boolean
  /** Claims from the same IP in the program over the last 7 days, this one not counted. */
  ipClaimsThisWeek: number
  claimsPerIpPerWeek: number
}

/** Why a claim waits for the merchant; empty = the coupon goes out. */
export function claimReasons(f: ClaimFacts): ReferralReason[] {
  const out: ReferralReason[] = []
  if (f.alreadyCustomer) out.push('already_customer')
  const e = emailReason(f.friendEmail, f.advocateEmail)
  if (e) out.push(e)
  if (f.ipClaimsThisWeek >= f.claimsPerIpPerWeek) out.push('ip_limit')
  return out
}

/** Digits only: "123.456.789-09" and "12345678909" are one CPF. */
export const cpfDigits = (cpf: string | null | undefined): string | null => {
  const d = (cpf ?? '').replace(/\D/g, '')
  return d.length > 0 ? d : null
}

/** Names compared without case, accents or extra spaces ("José  da Silva" = "jose da silva"). */
export function normaliseName(name: string | null | undefined): string | null {
  const n = (name ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim()
  return n.length > 0 ? n : null
}

export const phoneDigits = (phone: string | null | undefined): string | null => {
  // Brazilian numbers with or without +55: compare the last 10–11 digits.
  const d = (phone ?? '').replace(/\D/g, '').replace(/^55(?=\d{10,11}$)/, '')
  return d.length >= 8 ? d : null
}

export interface Person {
  email: string
  cpf: string | null
  name: string | null
  phone: string | null
}

export interface ArrivalFacts {
  /** Who placed the order, as far as the store told us (the order's e-mail, its customer's member row). */
  buyer: Person
  advocate: Person
  /** The buyer had an earlier order in the store (by e-mail or LI customer). */
  earlierOrder: boolean
  /** The order was placed before the friend claimed: they were a customer already. */
  placedBeforeClaim: boolean
}

/** Why an order of a referred friend waits for the merchant; empty = it counts. */
export function arrivalReasons(f: ArrivalFacts): ReferralReason[] {
  const out: ReferralReason[] = []
  if (f.earlierOrder || f.placedBeforeClaim) out.push('not_first_order')
  const e = emailReason(f.buyer.email, f.advocate.email)
  if (e) out.push(e)
  const same = (x: string | null, y: string | null) => x !== null && y !== null && x === y
  if (same(cpfDigits(f.buyer.cpf), cpfDigits(f.advocate.cpf))) out.push('same_cpf')
  if (same(phoneDigits(f.buyer.phone), phoneDigits(f.advocate.phone))) out.push('same_phone')
  if (same(normaliseName(f.buyer.name), normaliseName(f.advocate.name))) out.push('same_name')
  return out
}

/** The São Paulo day the advocate's credit may be posted: the order's day plus the pending period. */
export const creditAvailableOn = (orderDay: Day, pendingDays: number): Day =>
  addDays(orderDay, Math.max(0, pendingDays))

/** What an `ordered` referral does today, given its order's status now. */
export function orderedStep(target: StatusTarget, availableOn: Day, today: Day): 'cancel' | 'credit' | 'wait' {
  if (target === 'reverse') return 'cancel'
  if (target === 'award' && availableOn <= today) return 'credit'
  return 'wait'
}

/**
 * The friend's coupon ran out with no order: its last valid São Paulo day ended more than a day
 * before `now`. The day of margin is the redemptions' reconciliation's (reconcile.ts): an order
 * placed in the coupon's last minutes may reach LI — and our sync — later.
 */
export const LAPSE_MARGIN_MS = 24 * 3600_000
export const couponLapsed = (validUntil: Day | null, now: Date): boolean =>
  validUntil !== null && validUntil < saoPauloDay(new Date(now.getTime() - LAPSE_MARGIN_MS))

/**
 * Whether an order counts for a referral: placed by the end of the coupon's last valid day (São
 * Paulo). The arrival matches the friend's orders by e-mail and LI customer as well as by the
 * coupon, so without this window a first order years later, without the coupon, would still credit
 * the advocate — and whether it did would depend on when the lapse ran. With it the rule is one:
 * the friend's first order while the coupon could be used, with or without it.
 */
export const placedWhileValid = (placedAt: Date, validUntil: Day | null): boolean =>
  validUntil === null || saoPauloDay(placedAt) <= validUntil

/** Credited referrals of the advocate this São Paulo month against the cap. */
export const capReached = (creditedThisMonth: number, cap: number): boolean => creditedThisMonth >= cap

export const saoPauloMonth = (day: Day): string => day.slice(0, 7)

/** The share text with its placeholders filled (every occurrence). */
export function fillShareText(text: string, values: { link: string; valor: string; loja: string }): string {
  return text.replaceAll('{link}', values.link).replaceAll('{valor}', values.valor).replaceAll('{loja}', values.loja)
}

export const whatsappUrl = (text: string): string => `https://wa.me/?text=${encodeURIComponent(text)}`

/** `<site URL>?indicacao=CODE`, keeping a query the site URL already has. */
export function referralLink(siteUrl: string, code: string): string {
  const u = new URL(siteUrl)
  u.searchParams.set('indicacao', code)
  return u.toString()
}

export const firstName = (name: string | null): string | null => name?.trim().split(/\s+/)[0] || null
