import type { CouponType, Reward } from '../db/schema.ts'
import { AppError } from '../lib/errors.ts'
import { dateToSaoPauloDay, naiveSaoPauloToDate } from '../lib/sao-paulo-time.ts'
import { LiError } from '../loja-integrada/client.ts'
import { CODE_ALPHABET, CODE_LENGTH, CODE_PREFIX } from '../lib/coupon-code.ts'

export { CODE_PREFIX }

/** Pure redemption rules: no I/O, tested directly (rules.test.ts). */

/** A new coupon code, `FID` + 12 symbols (15 characters; LI allows 32). `randomBytes` is injectable for tests. */
export function generateCouponCode(randomBytes: (n: number) => Uint8Array): string {
  let out = CODE_PREFIX
  // Rejection sampling: bytes ≥ 248 (8 × 31) are dropped so every symbol is equally likely.
  while (out.length < CODE_PREFIX.length + CODE_LENGTH) {
    for (const b of randomBytes(16)) {
      if (b >= 248) continue
      out += CODE_ALPHABET[b % 31]
      if (out.length === CODE_PREFIX.length + CODE_LENGTH) break
    }
  }
  return out
}

export interface CouponSpec {
  type: CouponType
  /** Cents for 'fixo', percent × 100 for 'porcentagem', 0 for 'frete_gratis'. */
  value: number
  minimumOrderCents: number | null
}

const unavailable = (message: string) => new AppError('reward_unavailable', message, { field: 'rewardId' })

/**
 * The coupon a reward becomes. A product becomes a fixed coupon of the price the shopper would
 * pay (the sale price when there is one), with that price as the minimum order: the coupon
 * pays for the product and cannot be spent on something cheaper.
 */
export function couponSpec(
  reward: Pick<Reward, 'kind' | 'value_cents' | 'percent' | 'price_cents' | 'sale_price_cents' | 'minimum_order_cents'>,
): CouponSpec {
  const minimum = reward.minimum_order_cents ?? null
  switch (reward.kind) {
    case 'fixed_discount':
      if (!reward.value_cents) throw unavailable('This reward has no discount value')
      return { type: 'fixo', value: reward.value_cents, minimumOrderCents: minimum }
    case 'percent_discount':
      if (!reward.percent) throw unavailable('This reward has no discount percentage')
      return { type: 'porcentagem', value: reward.percent * 100, minimumOrderCents: minimum }
    case 'free_shipping':
      return { type: 'frete_gratis', value: 0, minimumOrderCents: minimum }
    case 'product': {
      const price = effectivePrice(reward)
      if (price === null) throw unavailable('This product reward has no price, so it cannot become a coupon')
      return { type: 'fixo', value: price, minimumOrderCents: Math.max(price, minimum ?? 0) }
    }
  }
}

export function effectivePrice(reward: Pick<Reward, 'price_cents' | 'sale_price_cents'>): number | null {
  const { price_cents: price, sale_price_cents: sale } = reward
  if (price === null) return sale
  return sale !== null && sale < price ? sale : price
}

export interface Validity {
  /** São Paulo calendar day sent to LI as `validade` (the coupon works through its last second). */
  day: string
  /** The last second of that day, as an instant. */
  expiresAt: Date
}

/** A coupon created at `now` with `days` of validity: valid through the São Paulo day `days` ahead. */
export function couponValidity(now: Date, days: number): Validity {
  const day = dateToSaoPauloDay(new Date(now.getTime() + days * 86_400_000))
  return { day, expiresAt: naiveSaoPauloToDate(`${day}T23:59:59`) }
}

/** Validity as LI reports it back (a naive São Paulo date-time), falling back to ours. */
export function validityFromLi(validUntil: Date | null, ours: Validity): Validity {
  if (!validUntil) return ours
  return { day: dateToSaoPauloDay(validUntil), expiresAt: validUntil }
}

export type CouponFailure =
  /** The code already exists in the store: a earlier attempt of ours created it. */
  | { kind: 'duplicate_code' }
  /** LI refused the coupon itself: retrying the same request cannot succeed. */
  | { kind: 'refused'; detail: string }
  /** LI rejected the integration's key: the merchant must save a new one. */
  | { kind: 'credentials' }
  /** LI unreachable, timing out, rate-limiting or answering 5xx: worth retrying later. */
  | { kind: 'transient'; detail: string }

const DUPLICATE = /j[aá] existe|already exists|duplicad/i

/** Sorts an error from creating a coupon into what the job does next. */
export function classifyCouponError(err: unknown): CouponFailure {
  if (!(err instanceof LiError)) return { kind: 'transient', detail: err instanceof Error ? err.message : String(err) }
  if (err.kind === 'auth') return { kind: 'credentials' }
  if (err.kind === 'validation' || err.kind === 'conflict') {
    const body = err.body as Record<string, unknown> | string | undefined
    const codeErrors = typeof body === 'object' && body !== null ? body.codigo : undefined
    const text = JSON.stringify(body ?? err.message)
    if (
      (Array.isArray(codeErrors) && codeErrors.some((m) => DUPLICATE.test(String(m)))) ||
      (err.kind === 'conflict' && DUPLICATE.test(text))
    ) {
      return { kind: 'duplicate_code' }
    }
    return { kind: 'refused', detail: `${err.status ?? ''} ${text}`.trim().slice(0, 500) }
  }
  if (err.kind === 'not_found') return { kind: 'refused', detail: err.message }
  return { kind: 'transient', detail: `${err.kind}: ${err.message}` }
}

/** Attempts of the coupon job before a redemption fails and its points come back. */
export const MAX_COUPON_ATTEMPTS = 6

/**
 * How long a coupon that could not be created yet waits after attempt `attempts` (1, 2, …):
 * 20 s, 40 s, 80 s, 160 s, 320 s — about ten minutes from the first attempt to the last. Past
 * the attempts only an unexpected error (the database, a bug) retries, at most an hour apart.
 */
export const couponRetryDelayMs = (attempts: number): number =>
  Math.min(3_600_000, 20_000 * 2 ** Math.max(0, attempts - 1))
