import { ApiError } from './api.ts'
import { t } from './i18n.ts'

/** The one pt-BR message for a failed call, by the API's error code (the dictionary has one per code). */
export function messageFor(err: unknown): string {
  if (!(err instanceof ApiError)) return t.errorCodes.internal
  if (err.code === 'network') return t.errors.network
  // The code step's refusals (wrong, expired or malformed code) all name the `code` field.
  if (err.field === 'code') return t.errors.code
  return t.errorCodes[err.code] ?? t.errorCodes.internal
}
