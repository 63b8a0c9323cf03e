import { useEffect, useState } from 'preact/hooks'
import { t } from '../i18n.ts'
import { dataTexts as d } from '../i18n-data.ts'
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
        <p role="status">{d.erased}</p>
        {back}
      </>
    )
  const p = data?.profile
  return (
    <>
      <ErrorBox error={error} />
      {p && (
        <>
          <p>{d.intro}</p>
          <ul>
            <li>{`${d.email}: ${p.email}`}</li>
            <li>{`${d.name}: ${p.name ?? d.none}`}</li>
            <li>{`${d.cpf}: ${p.cpf ?? d.none}`}</li>
            <li>{`${d.birthDate}: ${p.birthDate ? t.day(p.birthDate) : d.none}`}</li>
          </ul>
          {data.consent.termsVersion && data.consent.termsAcceptedAt && (
            <p class="muted">{d.terms(data.consent.termsVersion, t.date(data.consent.termsAcceptedAt))}</p>
          )}
          <p class="muted">{d.emails(data.consent.emailConsent)}</p>
          <p class="muted">{d.counts(data.ledger.length, data.redemptions.length, data.emails.length)}</p>
        </>
      )}
      <button class="pr" type="button" disabled={busy} onClick={() => void download('json')}>
        {d.json}
      </button>
      <button class="pr" type="button" disabled={busy} onClick={() => void download('csv')}>
        {d.csv}
      </button>
      {step === 'view' && (
        <button class="sc" type="button" onClick={() => setStep('warn')}>
          {d.erase}
        </button>
      )}
      {step === 'warn' && (
        <>
          <p role="alert">{d.eraseWarn}</p>
          <button
            class="sc"
            type="button"
            disabled={busy}
            onClick={() => void run(async () => (await store.api.erasureCode(), setStep('code')))}
          >
            {d.sendCode}
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
          <p>{d.codeSent}</p>
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
            {d.eraseGo}
          </button>
        </form>
      )}
      {back}
    </>
  )
}
