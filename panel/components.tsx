import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiError, formErrors, type FieldMessages, type FormErrorOptions } from './errors.ts'
import { t } from './i18n.ts'
import { href, type Route } from './router.ts'
import { flash, navigate } from './state.ts'

/** An in-app link: a real <a href> (open in new tab works), history navigation on plain clicks. */
export function Link({
  to,
  children,
  ...rest
}: {
  to: Route
  children: ComponentChildren
  class?: string
  'aria-current'?: 'page'
  'aria-label'?: string
}) {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
    e.preventDefault()
    navigate(to)
  }
  return (
    <a {...rest} href={href(to)} onClick={onClick}>
      {children}
    </a>
  )
}

/**
 * A page: sets the tab title, shows where it sits in the menu, and takes focus on arrival so screen
 * readers announce it.
 */
export function Page({
  title,
  crumbs,
  intro,
  children,
  wide,
}: {
  title: string
  crumbs?: string[]
  intro?: string
  children: ComponentChildren
  wide?: boolean
}) {
  const h1 = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = t.title(title)
    h1.current?.focus({ preventScroll: true })
  }, [title])
  return (
    <div class={wide ? 'page wide' : 'page'}>
      {crumbs && (
        <nav aria-label={t.nav.breadcrumb} class="crumbs">
          <ol>
            {crumbs.map((c) => (
              <li key={c}>{c}</li>
            ))}
            <li aria-current="page">{title}</li>
          </ol>
        </nav>
      )}
      <h1 ref={h1} tabIndex={-1}>
        {title}
      </h1>
      {intro && <p class="intro">{intro}</p>}
      {flash.value && <Notice kind="ok">{flash.value}</Notice>}
      {children}
    </div>
  )
}

export interface FieldProps {
  id: string
  'aria-describedby'?: string
  'aria-invalid'?: boolean
}

/** Label, control, help text and error, tied together with for/aria-describedby. */
export function Field({
  id,
  label,
  help,
  error,
  optional,
  children,
}: {
  id: string
  label: string
  help?: ComponentChildren
  error?: string | null | undefined
  optional?: boolean
  children: (p: FieldProps) => ComponentChildren
}) {
  const described = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>
        {label}
        {optional && <span class="opt"> {t.common.optional}</span>}
      </label>
      {help && (
        <p id={`${id}-help`} class="help">
          {help}
        </p>
      )}
      {children({
        id,
        ...(described ? { 'aria-describedby': described } : {}),
        ...(error ? { 'aria-invalid': true } : {}),
      })}
      {error && (
        <p id={`${id}-error`} class="error" data-field-error={id}>
          {error}
        </p>
      )}
    </div>
  )
}

/** Errors of a refused save, at the top of the form, each linking to its field. */
export function ErrorSummary({
  fields,
  general,
  labels,
  title = t.errors.summary,
}: {
  fields: Record<string, string>
  general: string | null
  labels: Record<string, string>
  /** The line above the list; the default speaks of saving. */
  title?: string
}) {
  const ref = useRef<HTMLDivElement>(null)
  const entries = Object.entries(fields)
  useEffect(() => {
    if (entries.length || general) ref.current?.focus()
  }, [fields, general])
  if (!entries.length && !general) return null
  return (
    <div ref={ref} class="alert error" role="alert" tabIndex={-1}>
      {general && <p>{general}</p>}
      {entries.length > 0 && (
        <>
          <p>{title}</p>
          <ul>
            {entries.map(([f, msg]) => (
              <li key={f}>
                <a href={`#${f}`} onClick={(e) => (e.preventDefault(), focusField(f))}>
                  {labels[f] ?? f}
                </a>
                : {msg}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}

/** Focus a field by id; for a group (radios, checkboxes) its first control. */
function focusField(id: string) {
  const el = document.getElementById(id)
  const control = el?.matches('input,select,textarea') ? el : el?.querySelector<HTMLElement>('input,select,textarea')
  ;(control ?? el)?.focus()
}

export function Notice({
  kind = 'info',
  children,
}: {
  kind?: 'info' | 'ok' | 'warn' | 'error'
  children: ComponentChildren
}) {
  return (
    <div class={`alert ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  )
}

/** A checkbox that reads as an on/off switch. */
export function Switch({
  id,
  label,
  help,
  checked,
  disabled,
  onChange,
}: {
  id: string
  label: string
  help?: string
  checked: boolean
  disabled?: boolean
  onChange: (on: boolean) => void
}) {
  return (
    <div class="switch-row">
      <input
        type="checkbox"
        role="switch"
        id={id}
        class="switch"
        checked={checked}
        aria-checked={checked}
        disabled={disabled}
        aria-describedby={help ? `${id}-help` : undefined}
        onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      <div>
        <label for={id}>
          {label} <span class="state">({checked ? t.common.on : t.common.off})</span>
        </label>
        {help && (
          <p id={`${id}-help`} class="help">
            {help}
          </p>
        )}
      </div>
    </div>
  )
}

/**
 * A modal confirmation on the native <dialog>: the browser traps focus, Esc cancels, and focus
 * returns to the button that opened it.
 */
export function ConfirmDialog({
  open,
  title,
  body,
  confirm,
  cancel,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean
  title: string
  body: string[]
  confirm: string
  cancel: string
  busy?: boolean
  error?: string | null
  onConfirm: () => void
  onCancel: () => void
}) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) d.showModal()
    if (!open && d.open) d.close()
  }, [open])
  return (
    <dialog ref={ref} aria-labelledby="dialog-title" onCancel={(e) => (e.preventDefault(), onCancel())} class="confirm">
      <h2 id="dialog-title">{title}</h2>
      {body.map((p) => (
        <p key={p}>{p}</p>
      ))}
      {error && <Notice kind="error">{error}</Notice>}
      <div class="actions">
        <button type="button" class="secondary" onClick={onCancel} autoFocus>
          {cancel}
        </button>
        <button type="button" class="primary" onClick={onConfirm} disabled={busy}>
          {confirm}
        </button>
      </div>
    </dialog>
  )
}

/** Form state as strings, one entry per field, plus the errors the API named. */
export function useForm<F extends Record<string, string>>(initial: F) {
  const [values, setValues] = useState<F>(initial)
  const [errors, setErrors] = useState<{ fields: Record<string, string>; general: string | null }>({
    fields: {},
    general: null,
  })
  const [busy, setBusy] = useState(false)
  const countdown = useRef<ReturnType<typeof setInterval> | undefined>(undefined)
  useEffect(() => () => clearInterval(countdown.current), [])
  const bind = (name: keyof F & string) => ({
    name,
    value: values[name],
    onInput: (e: Event) => setValues((v) => ({ ...v, [name]: (e.currentTarget as HTMLInputElement).value })),
  })
  const clear = () => {
    clearInterval(countdown.current)
    setErrors({ fields: {}, general: null })
  }
  /**
   * Shows a refusal: every refused field the form shows (`shown`) at its field, the rest on top.
   * A rate limit's wait counts down each second until the API's retryAfter has passed.
   */
  const fail = (err: unknown, shown: readonly string[], own?: FieldMessages, opts?: FormErrorOptions) => {
    clearInterval(countdown.current)
    setErrors(formErrors(err, shown, own, opts))
    if (err instanceof ApiError && err.code === 'rate_limited' && err.retryAt !== null) {
      const until = err.retryAt
      countdown.current = setInterval(() => {
        setErrors(formErrors(err, shown, own, opts))
        if (Date.now() >= until) clearInterval(countdown.current)
      }, 1000)
    }
  }
  /**
   * One save: clears the errors, marks the form busy, and puts a refusal next to the field the API
   * named (one of `shown`) or on top. True when `save` went through.
   */
  const run = async (shown: readonly string[], save: () => Promise<void>, own?: FieldMessages): Promise<boolean> => {
    clear()
    setBusy(true)
    try {
      await save()
      return true
    } catch (err) {
      fail(err, shown, own)
      return false
    } finally {
      setBusy(false)
    }
  }
  return { values, setValues, errors, setErrors, busy, setBusy, bind, clear, fail, run }
}
