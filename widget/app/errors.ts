import { ApiError } from './api.ts'
import { t } from './i18n.ts'

/** The field a refusal names, without the object it sits in (`join.cpf` → `cpf`). */
export const fieldOf = (err: unknown): string | null =>
  err instanceof ApiError && err.field ? err.field.split('.').pop()! : null

/** The rule of a field the API refused, in words ("CPF inválido: …"); null for a field the widget has no words for. */
export function fieldMessage(field: string | null): string | null {
  return field && Object.hasOwn(t.fieldErrors, field) ? t.fieldErrors[field as keyof typeof t.fieldErrors] : null
}

/**
 * The one pt-BR message for a failed call, by the API's error code (the dictionary has one per
 * code), made precise where the answer says more: the field refused and its rule, or how long a
 * rate limit lasts (counted from `now`).
 */
export function messageFor(err: unknown, now = Date.now()): string {
  if (!(err instanceof ApiError)) return t.errorCodes.internal
  if (err.code === 'network') return t.errors.network
  // The code step's refusals (wrong, expired or malformed code) all name the `code` field.
  if (err.field === 'code') return t.errors.code
  if (err.code === 'rate_limited' && err.retryAt !== null) {
    const left = Math.ceil((err.retryAt - now) / 1000)
    return left > 0 ? t.errors.wait(left) : t.errors.waitOver
  }
  if (err.code === 'validation_failed') return fieldMessage(fieldOf(err)) ?? t.errorCodes.validation_failed
  return t.errorCodes[err.code] ?? t.errorCodes.internal
}
