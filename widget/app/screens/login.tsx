import { useEffect, useState } from 'preact/hooks'
import { ApiError } from '../api.ts'
import { messageFor } from '../errors.ts'
import { t } from '../i18n.ts'
import { loadMe } from '../session.ts'
import { useStore, type Store } from '../state.ts'
import { ErrorBox } from '../ui.tsx'

/** Sends the request; on `signup_required` the shopper goes to the store's sign-up page. */
async function requestCode(store: Store, run: () => Promise<unknown>, email: string, setError: (m: string | null) => void, setBusy: (b: boolean) => void) {
  setBusy(true)
  setError(null)
  try {
    await run()
    store.screen.value = { name: 'code', email }
  } catch (err) {
    if (err instanceof ApiError && err.code === 'signup_required') store.screen.value = { name: 'signup' }
    else setError(messageFor(err))
  } finally {
    setBusy(false)
  }
}

/** "Enviar código" and "Voltar", the end of both e-mail forms. */
function SendCodeButtons({ busy }: { busy: boolean }) {
  const { screen } = useStore()
  return (
    <>
      <button class="pr" type="submit" disabled={busy}>
        {t.sendCode}
      </button>
      <button class="sc" type="button" onClick={() => (screen.value = { name: 'welcome' })}>
        {t.back}
      </button>
    </>
  )
}

/** "Já participo": the e-mail a code is sent to. */
export function EmailStep() {
  const store = useStore()
  const [email, setEmail] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void requestCode(store, () => store.api.startLogin(email.trim()), email.trim(), setError, setBusy)
      }}
    >
      <ErrorBox message={error} />
      <label>
        {t.email}
        <input type="email" autocomplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
      <SendCodeButtons busy={busy} />
    </form>
  )
}

/** "Quero participar": the sign-up form; the field the API refuses is marked. */
export function JoinStep() {
  const store = useStore()
  const [f, setF] = useState({ name: '', email: '', cpf: '', birthDate: '', emailConsent: false })
  const [error, setError] = useState<string | null>(null)
  const [bad, setBad] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const field = (k: 'name' | 'email' | 'cpf' | 'birthDate') => ({
    value: f[k],
    'aria-invalid': bad === k ? ('true' as const) : undefined,
    onInput: (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value }),
  })
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        const input = {
          name: f.name.trim(),
          email: f.email.trim(),
          emailConsent: f.emailConsent,
          ...(f.cpf.trim() ? { cpf: f.cpf.trim() } : {}),
          ...(f.birthDate ? { birthDate: f.birthDate } : {}),
        }
        void requestCode(
          store,
          async () => {
            try {
              await store.api.join(input)
            } catch (err) {
              setBad(err instanceof ApiError ? err.field : null)
              throw err
            }
          },
          input.email,
          setError,
          setBusy,
        )
      }}
    >
      <ErrorBox message={error} />
      <label>
        {t.name}
        <input type="text" autocomplete="name" required {...field('name')} />
      </label>
      <label>
        {t.email}
        <input type="email" autocomplete="email" required {...field('email')} />
      </label>
      <label>
        {t.cpf}
        <input inputmode="numeric" autocomplete="off" {...field('cpf')} />
      </label>
      <label>
        {t.birthDate}
        <input type="date" {...field('birthDate')} />
      </label>
      <label class="c">
        <input type="checkbox" checked={f.emailConsent} onChange={(e) => setF({ ...f, emailConsent: e.currentTarget.checked })} />
        <span>{t.consent}</span>
      </label>
      <SendCodeButtons busy={busy} />
    </form>
  )
}

/** The 6-digit code from the e-mail; "Reenviar" after 60 s. */
export function CodeStep({ email }: { email: string }) {
  const store = useStore()
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [wait, setWait] = useState(60)
  useEffect(() => {
    if (wait <= 0) return
    const id = setTimeout(() => setWait(wait - 1), 1000)
    return () => clearTimeout(id)
  }, [wait])
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault()
        setBusy(true)
        setError(null)
        try {
          await store.api.verify(email, code.trim())
          await loadMe(store)
          store.screen.value = { name: 'me' }
        } catch (err) {
          setError(messageFor(err))
        } finally {
          setBusy(false)
        }
      }}
    >
      <p>{t.codeSentTo(email)}</p>
      <ErrorBox message={error} />
      <label>
        {t.code}
        <input inputmode="numeric" autocomplete="one-time-code" maxLength={6} pattern="[0-9]{6}" required value={code} onInput={(e) => setCode(e.currentTarget.value)} />
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
          void store.api.startLogin(email).catch((err) => setError(messageFor(err)))
        }}
      >
        {wait > 0 ? t.resendIn(wait) : t.resend}
      </button>
    </form>
  )
}
