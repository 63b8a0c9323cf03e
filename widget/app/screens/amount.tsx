import { useRef, useState } from 'preact/hooks'
import { minimumOrderForAmount } from '../../../shared/cashback.ts'
import { amountError, parseReais, reaisText } from '../amount.ts'
import { singularOf, t } from '../i18n.ts'
import { backToMe, loadMe } from '../session.ts'
import { useStore } from '../state.ts'
import { ErrorBox, Field } from '../ui.tsx'
import { newKey } from './rewards.tsx'

/**
 * "Quanto você quer usar?": the shopper picks a value between the program's minimum and what
 * they may use now (balance and program maximum), sees the coupon's minimum order as they type
 * (value ÷ the share cap, rounded up: shared/cashback.ts), and gets a coupon of exactly that
 * value. Cashback programs, and points programs with the "any amount" option (then the points it
 * costs are shown too).
 */
export function Amount() {
  const store = useStore()
  const { config } = store
  const a = store.me.value?.amountRedemption
  const key = useRef(newKey())
  const [text, setText] = useState(a?.maxCents ? reaisText(a.maxCents) : '')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  if (!a) return null
  const cents = parseReais(text)
  const wrong = amountError(cents, a)
  const ok = !wrong && cents !== null
  const submit = async (e: Event) => {
    e.preventDefault()
    if (!ok || busy) return
    setBusy(true)
    setError(null)
    try {
      const redemption = await store.api.redeemAmount(cents, key.current)
      store.screen.value = { name: 'result', redemption }
      void loadMe(store).catch(() => undefined)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <form onSubmit={submit} noValidate>
      <h3>{t.amount.title}</h3>
      <p class="muted">{t.amount.worth(t.money(a.availableCents))}</p>
      {a.maxCents ? (
        <>
          <p class="muted">{t.amount.range(t.money(a.minCents), t.money(a.maxCents))}</p>
          <Field
            label={t.amount.label}
            id="fid-amount"
            inputMode="decimal"
            autoComplete="off"
            value={text}
            error={text ? (wrong ?? undefined) : undefined}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          {ok && (
            <p data-amount-preview>
              {t.amount.minOrder(t.money(minimumOrderForAmount(cents, a.maxOrderSharePct)))}
              {a.maxOrderSharePct < 100 && ` ${t.amount.share(a.maxOrderSharePct)}`}
              {a.centsPerPoint && (
                <>
                  <br />
                  {t.amount.cost(t.points(cents / a.centsPerPoint, singularOf(config.pointsName), config.pointsName))}
                </>
              )}
            </p>
          )}
          <p class="muted">{t.amount.hint}</p>
          <ErrorBox error={error} />
          <button class="pr" type="submit" disabled={busy || !ok || !config.loginOpen}>
            {ok ? t.amount.use(t.money(cents)) : t.amount.open}
          </button>
        </>
      ) : (
        <p>{t.amount.short(t.money(a.minCents), t.money(a.minCents - a.availableCents))}</p>
      )}
      <button class="sc" type="button" onClick={() => backToMe(store, 'history')}>
        {t.cancel}
      </button>
    </form>
  )
}
