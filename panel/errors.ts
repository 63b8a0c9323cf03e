import type { ErrorBody } from '../shared/errors.ts'
import { t } from './i18n.ts'

/** An API answer that was not 2xx (status 0 = no answer at all). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
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

/** Messages for one form, by field and code, that win over the shared ones (two forms, one field name, other limits). */
export type FieldMessages = Record<string, Partial<Record<string, string>>>

export function fieldMessage(err: ApiError, own: FieldMessages = {}): string {
  const field = fieldOf(err)
  const mine = field ? own[field] : undefined
  const byField = field ? t.fields[field] : undefined
  return mine?.[err.code] ?? mine?.validation_failed ?? byField?.[err.code] ?? byField?.validation_failed ?? t.errors.invalid
}

/** A message for errors that belong to no field (or to a field the form does not show). */
export function generalMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return t.errors.server
  if (err.status === 0) return t.errors.network
  if (err.status === 429) return t.errors.rate
  if (err.status === 401) return t.errors.sessionExpired
  if (err.status === 404) return t.errors.notFound
  if (err.code === 'li_unavailable') return t.errors.liUnavailable
  if (err.field) return fieldMessage(err)
  return t.errors.server
}

/**
 * Splits an error for a form: `{ fields: { apiKey: '…' } }` when the refused field is one the
 * form shows, else `{ general: '…' }`.
 */
export function formErrors(err: unknown, shown: readonly string[], own: FieldMessages = {}): { fields: Record<string, string>; general: string | null } {
  if (err instanceof ApiError) {
    const field = fieldOf(err)
    if (field && shown.includes(field) && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 429) {
      return { fields: { [field]: fieldMessage(err, own) }, general: null }
    }
  }
  return { fields: {}, general: generalMessage(err) }
}
