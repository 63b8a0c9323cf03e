import { useEffect, useState } from 'preact/hooks'
import { t } from '../i18n.ts'
import { useStore } from '../state.ts'
import type { MemberExport } from '../types.ts'
import { ErrorBox } from '../ui.tsx'

/**
 * "Meus dados" (LGPD art. 18): what the program holds, two downloads (the server's JSON and
 * CSV), and erasure confirmed with a code e-mailed to the shopper.
 */
export function MyData() {
  const store = useStore()
  const [data, setData] = useState<MemberExport | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [step, setStep] = useState<'view' | 'warn' | 'code' | 'done'>('view')
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    void store.api.myData().then(setData, setError)
  }, [])
  const run = async (f: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await f()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  const download = (format: 'json' | 'csv') =>
    run(async () => {
      const text = await store.api.myDataFile(format)
      const url = URL.createObjectURL(new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' }))
      const a = document.createElement('a')
      a.href = url
      a.download = `meus-dados.${format}`
      a.click()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
    })
  const back = (
    <button
      class="sc"
      type="button"
      onClick={() => (store.screen.value = { name: step === 'done' ? 'welcome' : 'me' })}
    >
      {t.back}
    </button>
  )
  if (step === 'done')
    return (
      <>
        <p role="status">{t.data.erased}</p>
        {back}
      </>
    )
  const p = data?.profile
  return (
    <>
      <ErrorBox error={error} />
      {p && (
        <>
          <p>{t.data.intro}</p>
          <ul>
            <li>{`${t.data.email}: ${p.email}`}</li>
            <li>{`${t.data.name}: ${p.name ?? t.data.none}`}</li>
            <li>{`${t.data.cpf}: ${p.cpf ?? t.data.none}`}</li>
            <li>{`${t.data.birthDate}: ${p.birthDate ? t.day(p.birthDate) : t.data.none}`}</li>
          </ul>
          {data.consent.termsVersion && data.consent.termsAcceptedAt && (
            <p class="muted">{t.data.terms(data.consent.termsVersion, t.date(data.consent.termsAcceptedAt))}</p>
          )}
          <p class="muted">{t.data.emails(data.consent.emailConsent)}</p>
          <p class="muted">{t.data.counts(data.ledger.length, data.redemptions.length, data.emails.length)}</p>
        </>
      )}
      <button class="pr" type="button" disabled={busy} onClick={() => void download('json')}>
        {t.data.json}
      </button>
      <button class="pr" type="button" disabled={busy} onClick={() => void download('csv')}>
        {t.data.csv}
      </button>
      {step === 'view' && (
        <button class="sc" type="button" onClick={() => setStep('warn')}>
          {t.data.erase}
        </button>
      )}
      {step === 'warn' && (
        <>
          <p role="alert">{t.data.eraseWarn}</p>
          <button
            class="sc"
            type="button"
            disabled={busy}
            onClick={() => void run(async () => (await store.api.erasureCode(), setStep('code')))}
          >
            {t.data.sendCode}
          </button>
        </>
      )}
      {step === 'code' && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            void run(async () => {
              await store.api.erase(code.trim())
              store.me.value = null
              setStep('done')
            })
          }}
        >
          <p>{t.data.codeSent}</p>
          <label>
            {t.code}
            <input
              inputmode="numeric"
              autocomplete="one-time-code"
              maxLength={6}
              required
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </label>
          <button class="pr" type="submit" disabled={busy}>
            {t.data.eraseGo}
          </button>
        </form>
      )}
      {back}
    </>
  )
}
