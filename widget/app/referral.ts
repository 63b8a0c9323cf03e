/**
 * A friend's referral code on the store, pure apart from the storage handed in: read from the
 * link (`?indicacao=CODE`), kept for 30 days so it survives the shopper's walk through the store's
 * other pages (and a visit some days later), and marked once the coupon was asked for or the
 * teaser dismissed. Only the referral chunks import this; main.tsx has its own one-line check
 * (`REFERRAL_PARAM`), so none of it costs the first click.
 */

/** The link's parameter (the server builds `<site URL>?indicacao=<CODE>`). */
export const REFERRAL_PARAM = 'indicacao'
/** How long a code is remembered after the link was opened. */
export const REFERRAL_DAYS = 30
const DAY_MS = 86_400_000

/** What is kept under `fidelis:<programKey>:referral`. */
export interface KeptReferral {
  code: string
  /** Epoch ms after which the code is forgotten. */
  until: number
  /** The coupon was asked for: no more offer on this browser. */
  claimed?: boolean
  /** The teaser beside the launcher was closed: the offer stays in the panel, the teaser does not come back. */
  dismissed?: boolean
}

export const referralKey = (programKey: string) => `fidelis:${programKey}:referral`

/**
 * The code in a query string, upper-cased (people retype links), or null when absent or not
 * shaped like a code (8 symbols of the server's alphabet: shared/api/referrals.ts).
 */
export function codeFromSearch(search: string): string | null {
  const raw = new URLSearchParams(search).get(REFERRAL_PARAM)
  const code = raw?.trim().toUpperCase() ?? ''
  return /^[ACDEFGHJKMNPQRTUVWXY34679]{8}$/.test(code) ? code : null
}

/** A stored value back, or null when missing, unreadable or expired. */
export function parseKept(raw: string | null, now: number): KeptReferral | null {
  if (!raw) return null
  try {
    const v = JSON.parse(raw) as Partial<KeptReferral>
    if (typeof v.code !== 'string' || typeof v.until !== 'number' || v.until <= now) return null
    return {
      code: v.code,
      until: v.until,
      ...(v.claimed ? { claimed: true } : {}),
      ...(v.dismissed ? { dismissed: true } : {}),
    }
  } catch {
    return null
  }
}

/**
 * What to keep after this page view: a code in the link starts (or restarts) the 30 days; the
 * same code again keeps its marks (a friend reopening the link after asking for the coupon is not
 * offered it again), another code replaces the old one. Without a code in the link the kept one
 * stays as it is.
 */
export function nextKept(kept: KeptReferral | null, linkCode: string | null, now: number): KeptReferral | null {
  if (!linkCode) return kept
  const until = now + REFERRAL_DAYS * DAY_MS
  if (kept && kept.code === linkCode) return { ...kept, until }
  return { code: linkCode, until }
}

/** The small storage a browser may refuse (private mode, sandboxed frames): failures read as "nothing kept". */
export interface KeptStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export function loadKept(storage: KeptStorage | null, programKey: string, now: number): KeptReferral | null {
  try {
    return parseKept(storage?.getItem(referralKey(programKey)) ?? null, now)
  } catch {
    return null
  }
}

export function saveKept(storage: KeptStorage | null, programKey: string, kept: KeptReferral | null) {
  try {
    if (kept) storage?.setItem(referralKey(programKey), JSON.stringify(kept))
    else storage?.removeItem(referralKey(programKey))
  } catch {
    // storage refused: the code lasts as long as the page
  }
}
