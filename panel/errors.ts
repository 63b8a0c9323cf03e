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
  ) {
    super(code)
  }

  static fromBody(status: number, body: unknown): ApiError {
    const e = (body as Partial<ErrorBody> | null)?.error
    return new ApiError(status, e?.code ?? 'internal', e?.field ?? null)
  }
}

/**
 * The API names the field it refused (`error.field`, dotted for nested ones, e.g.
 * `rewardAllowlist.3`); the panel shows a pt-BR message next to that field. Messages are chosen by
 * field and error code from the dictionary, never taken from the API's English text.
 */
export function fieldOf(err: ApiError): string | null {
  return err.field ? err.field.split('.')[0]! : null
}

/**
 * The message for a refused field; `own` are one form's messages, which win over the shared ones
 * (two forms, one field name, other limits).
 */
export function fieldMessage(err: ApiError, own: FieldMessages = {}): string {
  const field = fieldOf(err)
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
 * else the message of the error code (the dictionary has one per code).
 */
export function messageFor(err: unknown): string {
  if (!(err instanceof ApiError)) return t.errorCodes.internal
  if (err.code === 'network') return t.errors.network
  if (err.field && !NOT_ABOUT_A_FIELD.has(err.code)) return fieldMessage(err)
  return t.errorCodes[err.code] ?? t.errorCodes.internal
}

/**
 * Splits an error for a form: `{ fields: { apiKey: '…' } }` when the refused field is one the
 * form shows, else `{ general: '…' }`.
 */
export function formErrors(
  err: unknown,
  shown: readonly string[],
  own: FieldMessages = {},
): { fields: Record<string, string>; general: string | null } {
  if (err instanceof ApiError) {
    const field = fieldOf(err)
    if (
      field &&
      shown.includes(field) &&
      err.status >= 400 &&
      err.status < 500 &&
      err.status !== 401 &&
      err.status !== 429
    ) {
      return { fields: { [field]: fieldMessage(err, own) }, general: null }
    }
  }
  return { fields: {}, general: messageFor(err) }
}
