import { useState } from 'preact/hooks'
import { singularOf, t } from '../i18n.ts'
import { loadMe, logOut } from '../session.ts'
import { useStore } from '../state.ts'
import type { CouponView, WidgetMe } from '../types.ts'
import { Code, couponName, couponNote, ErrorBox } from '../ui.tsx'
import { Rewards } from './rewards.tsx'

/** The member's page: balance, pending and expiring points, and the history / rewards / coupons tabs. */
export function Me() {
  const store = useStore()
  const { config, tab } = store
  const [error, setError] = useState<unknown>(null)
  const data = store.me.value
  const one = singularOf(config.pointsName)
  if (!data) {
    return (
      <>
        <ErrorBox error={error} />
        <button class="pr" type="button" onClick={() => void loadMe(store).catch(setError)}>
          {t.retry}
        </button>
      </>
    )
  }
  return (
    <>
      <p class="muted">{t.balance}</p>
      <p class="bal" data-balance>
        {t.points(data.balance, one, config.pointsName)}
      </p>
      {data.pendingPoints > 0 && <p class="muted">{t.pending(t.points(data.pendingPoints, one, config.pointsName))}</p>}
      {data.expiring?.[0] && (
        <p class="muted">
          {t.expiring(
            data.expiring[0].points,
            t.points(data.expiring[0].points, one, config.pointsName),
            t.day(data.expiring[0].on),
          )}
        </p>
      )}
      <div class="tabs" role="tablist" aria-label={config.name}>
        {(['history', 'rewards', 'coupons'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            id={`fid-t-${k}`}
            aria-selected={tab.value === k}
            aria-controls="fid-tp"
            onClick={() => (tab.value = k)}
          >
            {t.tabs[k]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="fid-tp" aria-labelledby={`fid-t-${tab.value}`}>
        {tab.value === 'history' && <History data={data} />}
        {tab.value === 'rewards' && <Rewards />}
        {tab.value === 'coupons' && <Coupons coupons={data.coupons} />}
      </div>
      <button class="sc" type="button" onClick={() => (store.screen.value = { name: 'data' })}>
        {t.data.open}
      </button>
      <button class="sc" type="button" onClick={() => void logOut(store)}>
        {t.logout}
      </button>
    </>
  )
}

function History({ data }: { data: WidgetMe }) {
  if (data.history.length === 0) return <p class="muted">{t.noHistory}</p>
  return (
    <ul>
      {data.history.map((h) => (
        <li key={h.id}>
          <span>
            {h.reason}
            <br />
            {/* When it happened (the order's date for a purchase), not when it was written: a first import writes months of orders on one day. */}
            <span class="muted">{t.date(h.occurredAt)}</span>
          </span>
          <span class={`amt ${h.amount >= 0 ? 'pos' : 'neg'}`}>{(h.amount > 0 ? '+' : '') + t.number(h.amount)}</span>
        </li>
      ))}
    </ul>
  )
}

function Coupons({ coupons }: { coupons: CouponView[] }) {
  if (coupons.length === 0) return <p class="muted">{t.noCoupons}</p>
  return (
    <ul>
      {coupons.map((c) => (
        <li key={c.redemptionId} class="cl">
          <strong>{couponName(c)}</strong>
          <span class="muted">{[couponNote(c), t.validUntil(t.day(c.validUntil))].filter(Boolean).join(' · ')}</span>
          <Code code={c.code} />
        </li>
      ))}
    </ul>
  )
}
