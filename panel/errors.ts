import type { ErrorBody, ErrorCode } from '../shared/errors.ts'
import { t } from './i18n.ts'
import type { FieldMessages } from './i18n/errors.ts'

export type { FieldMessages }

/** An API answer that was not 2xx (status 0 and code `network` = no answer at all). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    readonly field: string | null,
    /** Every input the API refused (`error.fields`, dotted), the first being `field`. */
    readonly fields: readonly string[] = field ? [field] : [],
    /** When a rate-limited call may be tried again (epoch ms): the body's `retryAfter`, else `Retry-After`. */
    readonly retryAt: number | null = null,
    /** The balance an `insufficient_points` answer reports. */
    readonly balance: number | null = null,
  ) {
    super(code)
  }

  static fromBody(status: number, body: unknown, retryAfter?: string | null, now = Date.now()): ApiError {
    const e = (body as Partial<ErrorBody> | null)?.error as
      | (Partial<ErrorBody['error']> & { retryAfter?: unknown; balance?: unknown })
      | undefined
    const field = e?.field ?? null
    const listed = Array.isArray(e?.fields) ? e.fields.map((f) => f.field).filter((f) => typeof f === 'string') : []
    const fields = listed.length ? listed : field ? [field] : []
    const wait = Number(e?.retryAfter ?? retryAfter)
    return new ApiError(
      status,
      e?.code ?? 'internal',
      field,
      fields,
      wait > 0 ? now + wait * 1000 : null,
      typeof e?.balance === 'number' ? e.balance : null,
    )
  }
}

/**
 * The API names the field it refused (`error.field`, dotted for nested ones, e.g.
 * `rewardAllowlist.3`); the panel shows a pt-BR message next to that field. Messages are chosen by
 * field and error code from the dictionary, never taken from the API's English text.
 */
export function fieldOf(err: ApiError): string | null {
  return err.field ? topField(err.field) : null
}

const topField = (dotted: string) => dotted.split('.')[0]!

/**
 * The message for a refused field; `own` are one form's messages, which win over the shared ones
 * (two forms, one field name, other limits).
 */
export function fieldMessage(err: ApiError, own: FieldMessages = {}, field = fieldOf(err)): string {
  const mine = field ? own[field] : undefined
  const byField = field ? t.fields[field] : undefined
  const code = err.code === 'network' ? 'internal' : err.code
  return mine?.[code] ?? mine?.validation_failed ?? byField?.[code] ?? byField?.validation_failed ?? t.errors.invalid
}

/** Codes whose message does not depend on the field the API names. */
const NOT_ABOUT_A_FIELD = new Set<ApiError['code']>([
  'network',
  'unauthorized',
  'not_found',
  'rate_limited',
  'li_unavailable',
])

/**
 * The one pt-BR message for a failed call: the refused field's message when the API names one,
 * else the message of the error code (the dictionary has one per code). A rate limit says how
 * long is left, counted from `now` (the form shows it counting down: components.tsx useForm).
 */
export function messageFor(err: unknown, now = Date.now()): string {
  if (!(err instanceof ApiError)) return t.errorCodes.internal
  if (err.code === 'network') return t.errors.network
  if (err.code === 'rate_limited' && err.retryAt !== null) {
    const left = Math.ceil((err.retryAt - now) / 1000)
    return left > 0 ? t.errors.wait(left) : t.errors.waitOver
  }
  if (err.field && !NOT_ABOUT_A_FIELD.has(err.code)) return fieldMessage(err)
  return t.errorCodes[err.code] ?? t.errorCodes.internal
}

export interface FormErrorOptions {
  /**
   * Errors the API answers without a field that are still about one of the form's fields, e.g.
   * `{ insufficient_points: 'amount' }`: a removal beyond the balance is the amount's fault.
   */
  codeFields?: Partial<Record<ErrorCode, string>>
  now?: number
}

/**
 * Splits an error for a form: every refused field the form shows gets its message at once
 * (`{ fields: { name: '…', earnRate: '…' } }`); a refusal of nothing the form shows, or not about
 * a field at all, is `{ general: '…' }`.
 */
export function formErrors(
  err: unknown,
  shown: readonly string[],
  own: FieldMessages = {},
  opts: FormErrorOptions = {},
): { fields: Record<string, string>; general: string | null } {
  if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 429) {
    const named = [...new Set(err.fields.map(topField))]
    const byCode = err.code === 'network' ? undefined : opts.codeFields?.[err.code]
    if (named.length === 0 && byCode) named.push(byCode)
    const mine = named.filter((f) => shown.includes(f))
    if (mine.length) {
      const fields: Record<string, string> = {}
      for (const f of mine) fields[f] = fieldMessage(err, own, f)
      // Refused inputs the form has no place for still need saying.
      const hidden = named.length > mine.length
      return { fields, general: hidden && err.code !== 'network' ? t.errorCodes[err.code] : null }
    }
  }
  return { fields: {}, general: messageFor(err, opts.now) }
}
