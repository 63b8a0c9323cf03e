import { ApiError } from './api.ts'
import { t } from './i18n.ts'

/** The one pt-BR message for a failed call, by the API's error code (the dictionary has one per code). */
export function messageFor(err: unknown): string {
  if (!(err instanceof ApiError)) return t.errors.internal
  if (err.code === 'network') return t.network
  // The code step's refusals (wrong, expired or malformed code) all name the `code` field.
  if (err.field === 'code') return t.badCode
  return t.errors[err.code] ?? t.errors.internal
}
