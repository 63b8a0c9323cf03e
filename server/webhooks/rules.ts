import { randomBytes } from 'node:crypto'

/** Pure rules of event webhooks: retry schedule, when to give up, when to turn an endpoint off. */

/** Retries stop this long after the delivery's window started (dispatch or "reenviar"). */
export const RETRY_WINDOW_MS = 24 * 3600_000
/** The longest pause between two attempts. */
export const MAX_RETRY_DELAY_MS = 6 * 3600_000
/** An endpoint failing for this long (no success in between) is turned off. */
export const DISABLE_AFTER_MS = 3 * 24 * 3600_000
/** The secret replaced by a rotation keeps signing this long. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000

/**
 * When to try again after the `attempts`-th failed attempt, or null to give up: the delay starts
 * at `baseMs` and doubles (10 s, 20 s, 40 s, … with the default base: about 15 attempts over 24 h),
 * capped at MAX_RETRY_DELAY_MS; an attempt that would fall after the window is not made.
 */
export function nextAttemptAt(windowStart: Date, attempts: number, now: Date, baseMs: number): Date | null {
  const delay = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS)
  const at = new Date(now.getTime() + delay)
  return at.getTime() - windowStart.getTime() > RETRY_WINDOW_MS ? null : at
}

/** Whether an endpoint failing since `failingSince` is to be turned off now. */
export function shouldDisable(failingSince: Date | null, now: Date): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS
}

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes (the spec asks 24 to 64). */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`
}

/** The stable message id of an outbox event: the same on every attempt and on "reenviar". */
export const messageId = (eventId: number) => `msg_${eventId}`

/**
 * Every `amount` in an event's data with the program's unit beside it: 'points', or 'cents' for a
 * cashback program (whose ledger counts cents). A program's mode is fixed when it is created, so
 * the unit read at delivery is the one of the event.
 */
export function stampUnit(data: unknown, unit: 'points' | 'cents'): unknown {
  if (Array.isArray(data)) return data.map((x) => stampUnit(x, unit))
  if (data === null || typeof data !== 'object') return data
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(data)) out[k] = stampUnit(v, unit)
  if ('amount' in out) out.unit = unit
  return out
}

/** Answers that count as delivered: any 2xx. A 3xx is a failure (redirects are not followed). */
export const isSuccess = (status: number) => status >= 200 && status <= 299
