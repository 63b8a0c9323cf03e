import { isValidCpf } from '../../shared/cpf.ts'
import { NAME_MAX } from '../../shared/api/widget-limits.ts'
import { t } from './i18n.ts'

/**
 * The join form's rules, checked before sending so every refused field is named at once (the
 * API stops at the first). The same rules as the API's schema (shared/api/widget.ts JoinProfile;
 * validate.test.ts holds them side by side); the API still has the last word.
 */
export type JoinFields = { name: string; cpf: string; birthDate: string }
export type FieldErrors = Partial<Record<'email' | keyof JoinFields, string>>

/** Loose on purpose: the API's check decides; this only catches what is surely not an address. */
export const emailError = (email: string): string | undefined =>
  email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? t.fieldErrors.email : undefined

export function joinErrors(f: JoinFields, today = new Date().toISOString().slice(0, 10)): FieldErrors {
  const e: FieldErrors = {}
  const name = f.name.trim()
  if (!name) e.name = t.fieldErrors.name
  else if (name.length > NAME_MAX) e.name = t.nameLong(NAME_MAX)
  const cpf = f.cpf.replace(/[.\-\s]/g, '')
  if (cpf && !isValidCpf(cpf)) e.cpf = t.fieldErrors.cpf
  const d = f.birthDate
  // A day that exists (the date input may hand over what the keyboard typed), 1900 to today.
  const time = new Date(d + 'T00:00:00Z').getTime()
  if (d && (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== d || d < '1900-01-01' || d > today))
    e.birthDate = t.fieldErrors.birthDate
  return e
}
