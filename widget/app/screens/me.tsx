import { useState } from 'preact/hooks'
import { singularOf, t } from '../i18n.ts'
import { loadMe, logOut } from '../session.ts'
import { useStore } from '../state.ts'
import type { CouponView, WidgetMe } from '../types.ts'
import { contrastRatio } from '../contrast.ts'
import { Code, couponName, couponNote, ErrorBox, lazyScreen } from '../ui.tsx'
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
  const cb = data.cashback
  const pts = (n: number) => t.points(n, one, config.pointsName)
  return (
    <>
      <p class="muted">{t.balance}</p>
      {cb ? (
        <>
          <p class="bal" data-balance>
            {t.money(cb.availableCents)} <small>{t.available(cb.availableCents / 100)}</small>
          </p>
          {cb.pending.map((p) => (
            <p class="muted" key={p.availableOn} data-pending>
              {t.availableOn(p.cents / 100, t.money(p.cents), t.day(p.availableOn))}
            </p>
          ))}
          {cb.expiring.map((x) => (
            <p class="muted" key={x.on} data-expiring>
              {t.expiring(x.cents / 100, t.money(x.cents), t.day(x.on))}
            </p>
          ))}
        </>
      ) : (
        <>
          <p class="bal" data-balance>
            {pts(data.balance)}
          </p>
          {data.pendingPoints > 0 && <p class="muted">{t.pending(pts(data.pendingPoints))}</p>}
          {data.expiring?.[0] && (
            <p class="muted">
              {t.expiring(data.expiring[0].points, pts(data.expiring[0].points), t.day(data.expiring[0].on))}
            </p>
          )}
        </>
      )}
      {data.tier && (
        <div data-tier>
          {data.tier.tier && (
            <p class="tier">
              <span
                style={{
                  background: data.tier.tier.color,
                  // The merchant's colour with whichever of black or white reads better on it.
                  color:
                    contrastRatio(data.tier.tier.color, '#000000') >= contrastRatio(data.tier.tier.color, '#ffffff')
                      ? '#000000'
                      : '#ffffff',
                }}
              >
                {data.tier.tier.name}
              </span>
            </p>
          )}
          {/* pt-BR sentences written by the server (server/i18n/tiers.ts), like history reasons. */}
          {data.tier.nextText && <p class="muted">{data.tier.nextText}</p>}
          {data.tier.keepText && <p class="muted">{data.tier.keepText}</p>}
        </div>
      )}
      {data.amountRedemption && (
        <button
          class="pr"
          type="button"
          disabled={!config.loginOpen}
          onClick={() => (store.screen.value = { name: 'amount' })}
        >
          {t.amount.open}
        </button>
      )}
      {/* Off: neither the chunk nor `me/referral` is fetched (every page view of a member mounts this). */}
      {config.referrals && <InviteEntry />}
      <div class="tabs" role="tablist" aria-label={config.name}>
        {(cb ? (['history', 'coupons'] as const) : (['history', 'rewards', 'coupons'] as const)).map((k) => (
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
        {tab.value === 'history' && <History data={data} money={!!cb} />}
        {tab.value === 'rewards' && <Rewards />}
        {tab.value === 'coupons' && <Coupons coupons={data.coupons} />}
      </div>
      <button class="sc" type="button" onClick={() => (store.screen.value = { name: 'data' })}>
        {t.myDataOpen}
      </button>
      <button class="sc" type="button" onClick={() => void logOut(store)}>
        {t.logout}
      </button>
    </>
  )
}

/** `money`: a cashback program, whose amounts are cents ("+R$ 12,30"). */
function History({ data, money }: { data: WidgetMe; money: boolean }) {
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
          <span class={`amt ${h.amount >= 0 ? 'pos' : 'neg'}`}>
            {(h.amount > 0 ? '+' : '') + (money ? t.money(h.amount) : t.number(h.amount))}
          </span>
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
          {c.gift && <span class="muted">{c.gift}</span>}
          <span class="muted">{[couponNote(c), t.validUntil(t.day(c.validUntil))].filter(Boolean).join(' · ')}</span>
          <Code code={c.code} />
        </li>
      ))}
    </ul>
  )
}

/** "Indique e ganhe", a chunk with its screen: mounted only when the config says referrals are on. */
const InviteEntry = lazyScreen<Record<string, never>>(() => import('./invite.tsx').then((m) => m.InviteEntry), true)
