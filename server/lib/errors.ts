import type { ErrorCode } from '../../shared/errors.ts'

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  malformed_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  rate_limited: 429,
  insufficient_points: 409,
  idempotency_conflict: 409,
  reward_unavailable: 409,
  out_of_stock: 409,
  limit_reached: 409,
  program_paused: 409,
  program_mode_locked: 409,
  wrong_program_mode: 409,
  amount_redemption_off: 409,
  li_credentials_rejected: 422,
  li_unavailable: 502,
  signup_required: 409,
  setup_closed: 409,
  referral_code_unknown: 404,
  referral_not_in_review: 409,
  internal: 500,
  not_implemented: 501,
  service_unavailable: 503,
}

/**
 * The one error type of the server. Services throw it; `app.onError` turns it into HTTP once.
 * `message` is shown to API callers (English, for developers); UIs translate by `code`.
 */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly field: string | undefined
  readonly status: number
  /** Extra headers for the response, e.g. Retry-After on rate_limited. */
  readonly headers: Record<string, string>
  /** Extra machine-readable details merged into the error body (never secrets). */
  readonly details: Record<string, unknown> | undefined

  constructor(
    code: ErrorCode,
    message: string,
    opts: { field?: string; headers?: Record<string, string>; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'AppError'
    this.code = code
    this.field = opts.field
    this.status = STATUS[code]
    this.headers = opts.headers ?? {}
    this.details = opts.details
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`)
