/**
 * The shape of the coupon codes Fidelis creates, in one place: redemptions generate them
 * (server/redemptions/rules.ts) and the layers below redemptions (orders, the sync) recognise them
 * on an LI order without reading another feature's rows.
 *
 * Letters and digits a shopper cannot confuse when typing a code at checkout (no 0/O, 1/I/L).
 * 31 symbols × 12 positions ≈ 59 bits: unguessable within LI's 100 requests per minute.
 */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export const CODE_LENGTH = 12
export const CODE_PREFIX = 'FID'

const OURS = new RegExp(`^${CODE_PREFIX}[${CODE_ALPHABET}]{${CODE_LENGTH}}$`)

/**
 * Whether an LI order's coupon code is one Fidelis generated. A merchant's own code of exactly
 * this shape (FID + 12 of these symbols) would be taken for ours; exact matches against a
 * program's redemptions are for the layers that may read them (the dashboard). LI may return the
 * code in another case than it was created in (unconfirmed): compared upper-cased.
 */
export function isFidelisCouponCode(code: string | null | undefined): boolean {
  return typeof code === 'string' && OURS.test(code.trim().toUpperCase())
}
