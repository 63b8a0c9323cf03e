import { api } from '../api.ts'
import { ErrorSummary, Field, Notice, useForm } from '../components.tsx'
import { Loading } from '../data.tsx'
import { PROGRAM_MODES, type ProgramMode } from '../../shared/api/cashback.ts'
import { endpoints } from '../endpoints.ts'
import { ApiError, formErrors } from '../errors.ts'
import { t } from '../i18n.ts'
import { loggedIn, loginNotice, programId, programs } from '../state.ts'
import { useEffect, useState } from 'preact/hooks'

/**
 * The way in. A server with no account at all (`GET /v1/setup`) offers to create the first one
 * here, so a newcomer never needs the command line (which, on the embedded database, cannot run
 * beside the server); once any account exists it is the login form only.
 */
export function LoginPage() {
  const [firstAccountOpen, setFirstAccountOpen] = useState<boolean | null>(null)
  useEffect(() => {
    // An unanswered check shows the login form: it says itself when the server cannot be reached.
    api.setupStatus().then(
      (s) => setFirstAccountOpen(s.firstAccountOpen),
      () => setFirstAccountOpen(false),
    )
  }, [])
  if (firstAccountOpen === null) return <Loading />
  if (firstAccountOpen)
    return (
      <FirstAccountForm
        onClosed={() => {
          // Someone else made the first account meanwhile: log in with it.
          loginNotice.value = t.errorCodes.setup_closed
          setFirstAccountOpen(false)
        }}
      />
    )
  return <LoginForm />
}

function FirstAccountForm({ onClosed }: { onClosed: () => void }) {
  const form = useForm({ name: '', email: '', password: '' })
  const { errors, bind } = form
  const f = t.firstAccount
  useEffect(() => {
    document.title = t.title(f.title)
  }, [])
  const submit = async (e: Event) => {
    e.preventDefault()
    form.clear()
    form.setBusy(true)
    try {
      await api.createFirstAccount(form.values)
      loginNotice.value = null
      loggedIn.value = true
    } catch (err) {
      if (err instanceof ApiError && err.code === 'setup_closed') onClosed()
      else form.fail(err, ['name', 'email', 'password'], f.fields)
    } finally {
      form.setBusy(false)
    }
  }
  return (
    <main class="login" id="main">
      <form class="card" onSubmit={submit} noValidate aria-labelledby="first-account-title">
        <h1 id="first-account-title">{f.title}</h1>
        <p class="intro">{f.intro}</p>
        <ErrorSummary
          fields={errors.fields}
          general={errors.general}
          labels={{ name: f.name, email: f.email, password: f.password }}
          title={t.errors.summaryCheck}
        />
        <Field id="name" label={f.name} error={errors.fields.name}>
          {(p) => (
            <input {...p} {...bind('name')} type="text" autoComplete="name" maxLength={120} aria-required autoFocus />
          )}
        </Field>
        <Field id="email" label={f.email} error={errors.fields.email}>
          {(p) => <input {...p} {...bind('email')} type="email" autoComplete="username" aria-required />}
        </Field>
        <Field id="password" label={f.password} help={f.passwordHelp} error={errors.fields.password}>
          {(p) => <input {...p} {...bind('password')} type="password" autoComplete="new-password" aria-required />}
        </Field>
        <button type="submit" class="primary" disabled={form.busy}>
          {form.busy ? f.submitting : f.submit}
        </button>
      </form>
    </main>
  )
}

function LoginForm() {
  const form = useForm({ email: '', password: '' })
  const { errors, bind } = form
  useEffect(() => {
    document.title = t.title(t.login.title)
  }, [])
  const submit = async (e: Event) => {
    e.preventDefault()
    form.clear()
    form.setBusy(true)
    try {
      await api.login(form.values.email, form.values.password)
      loginNotice.value = null
      loggedIn.value = true
    } catch (err) {
      // One answer for a wrong e-mail or password: the API does not say which.
      if (err instanceof ApiError && err.status === 401) form.setErrors({ fields: {}, general: t.login.wrong })
      else form.fail(err, ['email', 'password'])
    } finally {
      form.setBusy(false)
    }
  }
  return (
    <main class="login" id="main">
      <form class="card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <h1 id="login-title">{t.login.title}</h1>
        <p class="intro">{t.login.intro}</p>
        {loginNotice.value && <Notice kind="warn">{loginNotice.value}</Notice>}
        <ErrorSummary
          fields={errors.fields}
          general={errors.general}
          labels={{ email: t.login.email, password: t.login.password }}
          title={t.errors.summaryCheck}
        />
        <Field id="email" label={t.login.email} error={errors.fields.email}>
          {(p) => <input {...p} {...bind('email')} type="email" autoComplete="username" aria-required autoFocus />}
        </Field>
        <Field id="password" label={t.login.password} error={errors.fields.password}>
          {(p) => <input {...p} {...bind('password')} type="password" autoComplete="current-password" aria-required />}
        </Field>
        <button type="submit" class="primary" disabled={form.busy}>
          {form.busy ? t.login.submitting : t.login.submit}
        </button>
      </form>
    </main>
  )
}

/** A merchant with no program yet: name it, and the rest is set up in the panel. */
export function FirstRunPage() {
  const form = useForm({ name: '', mode: 'points' as ProgramMode })
  const { errors, bind, values } = form
  useEffect(() => {
    document.title = t.title(t.firstRun.title)
  }, [])
  const submit = async (e: Event) => {
    e.preventDefault()
    form.clear()
    form.setBusy(true)
    try {
      const p = await endpoints.createProgram({ name: values.name, mode: values.mode })
      programs.value = [p]
      programId.value = p.id
    } catch (err) {
      form.setErrors(formErrors(err, ['name', 'mode']))
    } finally {
      form.setBusy(false)
    }
  }
  return (
    <main class="login" id="main">
      <form class="card" onSubmit={submit} noValidate aria-labelledby="first-title">
        <h1 id="first-title">{t.firstRun.title}</h1>
        <p class="intro">{t.firstRun.intro}</p>
        <ErrorSummary
          fields={errors.fields}
          general={errors.general}
          labels={{ name: t.firstRun.name, mode: t.mode.legend }}
        />
        <Field id="name" label={t.firstRun.name} help={t.firstRun.nameHelp} error={errors.fields.name}>
          {(p) => <input {...p} {...bind('name')} type="text" maxLength={120} aria-required autoFocus />}
        </Field>
        <fieldset class={errors.fields.mode ? 'field invalid modes' : 'field modes'} data-program-mode>
          <legend>{t.mode.legend}</legend>
          <p class="help" id="mode-help">
            {t.mode.help}
          </p>
          {PROGRAM_MODES.map((m) => (
            <label class="radio mode" key={m}>
              <input
                type="radio"
                name="mode"
                id={m === 'points' ? 'mode' : undefined}
                value={m}
                checked={values.mode === m}
                aria-describedby={`mode-help mode-${m}-text`}
                onChange={() => form.setValues((v) => ({ ...v, mode: m }))}
              />{' '}
              <strong>{t.mode[m]}</strong>
              <span class="help" id={`mode-${m}-text`}>
                {m === 'points' ? t.mode.pointsText : t.mode.cashbackText}
              </span>
            </label>
          ))}
          {errors.fields.mode && (
            <p id="mode-error" class="error" data-field-error="mode">
              {errors.fields.mode}
            </p>
          )}
        </fieldset>
        <button type="submit" class="primary" disabled={form.busy}>
          {t.firstRun.submit}
        </button>
      </form>
    </main>
  )
}
