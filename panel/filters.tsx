import type { ComponentChildren } from 'preact'
import { t } from './i18n.ts'

/*
 * The filter bar above a list page (Resgates, E-mails enviados): a select per filter, a search
 * field with its help, and Buscar / Limpar. Filters live in the URL; the page navigates on change.
 */

/** A filter select; the empty value means "any" (`anyLabel`). */
export function FilterSelect<V extends string>({
  id,
  label,
  anyLabel,
  value,
  options,
  labels,
  onChange,
}: {
  id: string
  label: string
  anyLabel: string
  value: V | ''
  options: readonly V[]
  labels: Record<V, string>
  onChange: (value: V | '') => void
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value as V | '')}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {labels[o]}
          </option>
        ))}
      </select>
    </div>
  )
}

/** The search field: its help tied to it, the text kept by the page until Buscar. */
export function SearchField({
  id,
  label,
  help,
  value,
  maxLength,
  onInput,
}: {
  id: string
  label: string
  help: string
  value: string
  maxLength: number
  onInput: (value: string) => void
}) {
  return (
    <div class="field grow">
      <label for={id}>{label}</label>
      <p class="help" id={`${id}-help`}>
        {help}
      </p>
      <input
        id={id}
        type="search"
        value={value}
        maxLength={maxLength}
        aria-describedby={`${id}-help`}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
    </div>
  )
}

/** Buscar, and a way back to the unfiltered list while any filter is on. */
export function FilterActions({ clear }: { clear: ComponentChildren | false }) {
  return (
    <div class="actions">
      <button type="submit" class="secondary">
        {t.members.searchSubmit}
      </button>
      {clear}
    </div>
  )
}
