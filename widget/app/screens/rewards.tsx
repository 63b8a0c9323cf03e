import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { singularOf, t } from '../i18n.ts'
import { backToMe, loadMe } from '../session.ts'
import { useStore } from '../state.ts'
import type { MemberReward, RedemptionView } from '../types.ts'
import { FIRST_SCREEN, orderRewards } from '../reward-list.ts'
import { Code, conditions, couponName, couponNote, ErrorBox } from '../ui.tsx'
import { Paused } from './welcome.tsx'

/** A reward's name as the list shows it: a product is the thing itself ("Ganhe Garrafa Térmica"). */
const nameOf = (r: MemberReward) => (r.kind === 'product' ? t.productTitle(r.title) : r.title)
/** How the coupon works, one line: a product's coupon pays for it; other coupons say what they give. */
const noteOf = (r: MemberReward) => (r.kind === 'product' ? t.productNote : conditions(r))

/**
 * The "Prêmios" tab: what the member can redeem first, then the nearest (reward-list.ts), a
 * screenful at first and "Ver mais" for the rest. Pictures come from the store's feed, on the
 * store's domain: lazy, and sized so the list does not jump as they arrive.
 */
export function Rewards() {
  const { api, config, rewards, screen } = useStore()
  const [error, setError] = useState<unknown>(null)
  const [shown, setShown] = useState(FIRST_SCREEN)
  const list = useRef<HTMLUListElement>(null)
  const one = singularOf(config.pointsName)
  const load = () => {
    setError(null)
    api.rewards().then((r) => (rewards.value = r), setError)
  }
  useEffect(load, [])
  // After "Ver mais", focus goes to the first reward it revealed (the button itself is gone).
  // A layout effect: focus moves in the same frame the rewards appear, so nothing (a screen
  // reader, a fast keyboard user, a test) ever sees focus lost on the removed button.
  useLayoutEffect(() => {
    if (shown > FIRST_SCREEN) list.current?.querySelector<HTMLElement>(`[data-i="${FIRST_SCREEN}"]`)?.focus()
  }, [shown])
  if (error) {
    return (
      <>
        <ErrorBox error={error} />
        <button class="sc" type="button" onClick={load}>
          {t.retry}
        </button>
      </>
    )
  }
  if (!rewards.value)
    return (
      <p class="muted" aria-busy="true">
        …
      </p>
    )
  const items = orderRewards(rewards.value.items)
  if (items.length === 0) return <p class="muted">{t.noRewards}</p>
  // Paused while the member was logged in: the rewards stay visible, redeeming is refused.
  const paused = !config.loginOpen
  return (
    <>
      {paused && <Paused />}
      <ul ref={list}>
        {items.slice(0, shown).map((r, i) => (
          <li key={r.id} class="rw" data-i={i} tabIndex={-1}>
            {r.imageUrl && (
              <img
                src={r.imageUrl}
                alt={r.title}
                width={56}
                height={56}
                loading="lazy"
                decoding="async"
                onError={(e) => (e.currentTarget.style.visibility = 'hidden')}
              />
            )}
            <span class="rt">
              <strong>{nameOf(r)}</strong>
              {noteOf(r) && <span class="muted">{noteOf(r)}</span>}
              <span class="cost">{t.points(r.pointsCost, one, config.pointsName)}</span>
            </span>
            <button
              class="mini"
              type="button"
              disabled={paused || !r.affordable}
              aria-label={`${t.redeem}: ${r.title}`}
              onClick={() => (screen.value = { name: 'confirm', reward: r })}
            >
              {r.affordable ? t.redeem : t.missing(r.pointsMissing, t.points(r.pointsMissing, one, config.pointsName))}
            </button>
          </li>
        ))}
      </ul>
      {items.length > shown && (
        <button class="sc" type="button" onClick={() => setShown(items.length)}>
          {t.more(items.length - shown)}
        </button>
      )}
    </>
  )
}

/** One key per confirmation screen: a retry after a network error resends it, so it stays one redemption. */
export const newKey = () =>
  crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2)

/** "Trocar N pontos por …?": the redemption itself. */
export function Confirm({ reward }: { reward: MemberReward }) {
  const store = useStore()
  const { config } = store
  const key = useRef(newKey())
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const cost = t.points(reward.pointsCost, singularOf(config.pointsName), config.pointsName)
  return (
    <>
      <h3>{t.confirmTitle}</h3>
      <p>
        <strong>{t.confirmText(cost, reward.title)}</strong>
      </p>
      {noteOf(reward) && <p class="muted">{noteOf(reward)}</p>}
      <p class="muted">{t.confirmHint}</p>
      <ErrorBox error={error} />
      <button
        class="pr"
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true)
          setError(null)
          try {
            const redemption = await store.api.redeem(reward.id, key.current)
            store.screen.value = { name: 'result', redemption }
            void loadMe(store).catch(() => undefined)
          } catch (err) {
            setError(err)
          } finally {
            setBusy(false)
          }
        }}
      >
        {t.confirmGo}
      </button>
      <button class="sc" type="button" onClick={() => backToMe(store, 'rewards')}>
        {t.cancel}
      </button>
    </>
  )
}

/** Shows a redemption until it settles: pending (polled), issued (the code) or failed (why). */
export function Result({ first }: { first: RedemptionView }) {
  const store = useStore()
  const [r, setR] = useState(first)
  const [polls, setPolls] = useState(0)
  useEffect(() => {
    if (r.status !== 'pending' || polls >= 40) return
    const id = setTimeout(() => {
      store.api
        .redemption(r.id)
        .then(setR, () => undefined)
        .finally(() => setPolls(polls + 1))
    }, 1500)
    return () => clearTimeout(id)
  }, [r, polls])
  return (
    <>
      {r.status === 'pending' && (
        <p role="status" aria-live="polite">
          {polls >= 40 ? t.creatingSlow : t.creating}
        </p>
      )}
      {r.status === 'issued' && r.couponCode && (
        <div role="status" aria-live="polite">
          <h3>{t.issuedTitle}</h3>
          <p>{t.issuedHint}</p>
          <Code code={r.couponCode} />
          <p>
            <strong>{couponName(r)}</strong>
            {couponNote(r) && ` · ${couponNote(r)}`}
          </p>
          {r.validUntil && <p class="muted">{t.validUntil(t.day(r.validUntil))}</p>}
        </div>
      )}
      {(r.status === 'failed' || r.status === 'refunded') && (
        <div role="alert">
          <h3>{t.failedTitle}</h3>
          <p>{r.failureReason}</p>
        </div>
      )}
      <button
        class="sc"
        type="button"
        onClick={() =>
          backToMe(store, r.status === 'issued' ? 'coupons' : r.rewardKind === 'amount' ? 'history' : 'rewards')
        }
      >
        {t.back}
      </button>
    </>
  )
}
