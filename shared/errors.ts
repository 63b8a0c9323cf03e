/**
 * The closed set of error codes the API answers with, shared by the server and the UIs (which
 * map each code to a pt-BR message). Adding a code is a contract change: add its HTTP status in
 * server/http/errors.ts in the same commit.
 */
export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'malformed_json',
  'unsupported_media_type',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'rate_limited',
  'insufficient_points',
  'idempotency_conflict',
  /** The reward cannot be redeemed now (deactivated, left the feed, no price). */
  'reward_unavailable',
  /** The reward's stock is used up. */
  'out_of_stock',
  /** The member already holds as many of this reward as the merchant allows. */
  'limit_reached',
  /** The program is paused: its store connection is not active, so no coupon can be created. */
  'program_paused',
  /** A program's mode (points or cashback) is fixed at creation: balances would change meaning. */
  'program_mode_locked',
  /** The route belongs to the other mode (cashback rules of a points program, and the reverse). */
  'wrong_program_mode',
  /** The program does not redeem chosen amounts (a points program without the option). */
  'amount_redemption_off',
  'li_credentials_rejected',
  'li_unavailable',
  /** A shopper who cannot join here (not a customer of the store, joining closed, …): the body carries `signupUrl`. */
  'signup_required',
  /** `POST /v1/setup/first-merchant` once a merchant exists: the first account is made only once. */
  'setup_closed',
  /** A referral link's code that names no member of the program, or referrals are off (issue 19). */
  'referral_code_unknown',
  /** A review decision on a referral that is not waiting for one. */
  'referral_not_in_review',
  'internal',
  /** The route is part of the contract but its feature is not built yet (e.g. redemptions before the rewards issue). */
  'not_implemented',
  'service_unavailable',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** One refused input field of a `validation_failed` answer: its dotted path and what is wrong (English). */
export interface FieldError {
  field: string
  message: string
}

/**
 * Every error body: `{ error: { code, message, field?, fields? }, requestId }`. `field` names the
 * (first) input the error is about; a `validation_failed` answer also lists in `fields` every
 * input it refused, each with its first broken rule, so a form can mark them all at once.
 * Some codes add their own details (`retryAfter` on rate_limited, `signupUrl`, `balance`).
 */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string; fields?: FieldError[] }
  requestId: string
}
