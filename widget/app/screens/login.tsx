import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiError } from '../api.ts'
import { fieldMessage, fieldOf } from '../errors.ts'
import { t } from '../i18n.ts'
import { loadMe, rememberedEmail, rememberEmail } from '../session.ts'
import { useStore } from '../state.ts'
import { ErrorBox, Field } from '../ui.tsx'
import { emailError, joinErrors, type FieldErrors } from '../validate.ts'

/** Moves focus to the first field marked invalid in `form`, so its rule is read out. */
const focusInvalid = (form: HTMLElement | null) => form?.querySelector<HTMLElement>('[aria-invalid=true]')?.focus()

/**
 * The e-mail, first and alone, for both "Já participo" and "Quero participar": the server answers
 * whether this shopper may enter (a member, or a store customer while joining is open) before
 * anyone types a name or a CPF. `signup_required` sends them to the store's sign-up page with the
 * e-mail kept (session.ts); otherwise the code is on its way, and a joining shopper is asked
 * the rest of the join form beside the code.
 */
export function EmailStep({ join }: { join: boolean }) {
  const store = useStore()
  const form = useRef<HTMLFormElement>(null)
  const [email, setEmail] = useState(() => rememberedEmail(store))
  const [error, setError] = useState<unknown>(null)
  const [bad, setBad] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  return (
    <form
      ref={form}
      noValidate
      onSubmit={async (e) => {
        e.preventDefault()
        const address = email.trim()
        const problem = emailError(address)
        setBad(problem)
        setError(null)
        if (problem) return setTimeout(() => focusInvalid(form.current))
        setBusy(true)
        try {
          await store.api.startLogin(address)
          store.screen.value = { name: 'code', email: address, join }
        } catch (err) {
          if (err instanceof ApiError && err.code === 'signup_required') {
            rememberEmail(store, address)
            store.screen.value = { name: 'signup', email: address }
          } else {
            setBad(fieldOf(err) === 'email' ? (fieldMessage('email') ?? undefined) : undefined)
            setError(err)
          }
        } finally {
          setBusy(false)
        }
      }}
    >
      {join && <p>{t.joinEmailHint}</p>}
      <ErrorBox error={error} />
      <Field
        label={t.email}
        id="fid-email"
        type="email"
        autocomplete="email"
        required
        error={bad}
        value={email}
        onInput={(e: Event) => setEmail((e.currentTarget as HTMLInputElement).value)}
      />
      <button class="pr" type="submit" disabled={busy}>
        {join ? t.continue : t.sendCode}
      </button>
      <button class="sc" type="button" onClick={() => (store.screen.value = { name: 'welcome' })}>
        {t.back}
      </button>
    </form>
  )
}

/**
 * The 6-digit code from the e-mail; for a joining shopper, the join form above it (filled while
 * the e-mail arrives, sent with the code). Every refused field says why, all at once; "Reenviar"
 * after 60 s.
 */
export function CodeStep({ email, join }: { email: string; join: boolean }) {
  const store = useStore()
  const form = useRef<HTMLFormElement>(null)
  const [code, setCode] = useState('')
  const [f, setF] = useState({ name: '', cpf: '', birthDate: '', emailConsent: false })
  const [bad, setBad] = useState<FieldErrors>({})
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [wait, setWait] = useState(60)
  useEffect(() => {
    if (wait <= 0) return
    const id = setTimeout(() => setWait(wait - 1), 1000)
    return () => clearTimeout(id)
  }, [wait])
  const field = (k: 'name' | 'cpf' | 'birthDate') => ({
    id: `fid-${k}`,
    value: f[k],
    error: bad[k],
    onInput: (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value }),
  })
  return (
    <form
      ref={form}
      noValidate
      onSubmit={async (e) => {
        e.preventDefault()
        const found = join ? joinErrors(f) : {}
        const count = Object.keys(found).length
        setBad(found)
        setError(count ? t.errors.fields(count) : null)
        if (count) return setTimeout(() => focusInvalid(form.current))
        setBusy(true)
        try {
          const profile = {
            name: f.name.trim(),
            emailConsent: f.emailConsent,
            ...(f.cpf.trim() ? { cpf: f.cpf.trim() } : {}),
            ...(f.birthDate ? { birthDate: f.birthDate } : {}),
          }
          await store.api.verify(email, code.trim(), join ? profile : undefined)
          rememberEmail(store, null)
          await loadMe(store)
          store.screen.value = { name: 'me' }
        } catch (err) {
          const k = fieldOf(err)
          const rule = fieldMessage(k)
          if (k && k !== 'code' && rule) {
            setBad({ [k]: rule })
            setTimeout(() => focusInvalid(form.current))
          }
          setError(err)
        } finally {
          setBusy(false)
        }
      }}
    >
      <p>{t.codeSentTo(email)}</p>
      <ErrorBox error={error} />
      {join && (
        <>
          <p>{t.joinDetails}</p>
          <Field label={t.name} type="text" autocomplete="name" required {...field('name')} />
          <Field label={t.cpf} inputmode="numeric" autocomplete="off" {...field('cpf')} />
          <Field label={t.birthDate} type="date" {...field('birthDate')} />
          <p class="muted" data-privacy-version={t.privacyNotice.version}>
            {t.privacyNotice.text}
          </p>
          <label class="c">
            <input
              type="checkbox"
              checked={f.emailConsent}
              onChange={(e) => setF({ ...f, emailConsent: e.currentTarget.checked })}
            />
            <span>{t.consent}</span>
          </label>
        </>
      )}
      <label>
        {t.code}
        <input
          inputmode="numeric"
          autocomplete="one-time-code"
          maxLength={6}
          pattern="[0-9]{6}"
          required
          value={code}
          onInput={(e) => setCode(e.currentTarget.value)}
        />
      </label>
      <button class="pr" type="submit" disabled={busy}>
        {t.confirm}
      </button>
      <button
        class="sc"
        type="button"
        disabled={wait > 0}
        onClick={() => {
          setWait(60)
          void store.api.startLogin(email).catch(setError)
        }}
      >
        {wait > 0 ? t.resendIn(wait) : t.resend}
      </button>
    </form>
  )
}
