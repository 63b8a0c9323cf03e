import { render } from 'preact'
import { signal } from '@preact/signals'
import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import { ApiError } from '../api.ts'
import { fieldOf } from '../errors.ts'
import { t } from '../i18n.ts'
import { referralTexts as r } from '../i18n-referral.ts'
import { codeFromSearch, type KeptReferral, loadKept, nextKept, saveKept } from '../referral.ts'
import { referralApi } from '../referral-api.ts'
import { addStyle } from '../referral-style.ts'
import { type Store, StoreContext, useStore } from '../state.ts'
import type { ReferralLanding } from '../types.ts'
import { ErrorBox, Field } from '../ui.tsx'
import { emailError } from '../validate.ts'

/**
 * The friend's side of a referral: a shopper who came through `?indicacao=CODE`. A chunk of its
 * own, loaded by main.tsx only when the link has a code or one is kept from an earlier page.
 *
 * What a shopper would expect without being pushed: a small teaser above the launcher ("Ganhe
 * R$ 20,00 na primeira compra", closable, on every page until the coupon is asked for or it is
 * closed), and the panel opening on the offer while it is unclaimed. Never a panel opened by
 * itself: on a phone it covers the whole store. A member (a session on this browser) sees none
 * of it, nor does anyone when the code is unknown or referrals are off (404: the code is
 * forgotten, nothing is said).
 */

const storage = () => {
  try {
    return localStorage
  } catch {
    return null
  }
}

const css =
  `.tz{position:fixed;z-index:2147483646;inset:auto;margin:0;padding:0;border:0;background:none;overflow:visible;` +
  `display:flex;align-items:flex-start;gap:4px;max-width:min(300px,calc(100vw - 16px));` +
  `font:15px/1.35 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}` +
  `.tz .tb{flex:1;min-width:0;padding:10px 14px;border:0;border-radius:12px;background:#fff;color:#1f2328;` +
  `box-shadow:0 4px 18px rgba(0,0,0,.25);font-weight:600;text-align:left;cursor:pointer;overflow-wrap:anywhere}` +
  `.tz .tx{flex:none;width:32px;height:32px;border:0;border-radius:999px;background:#fff;color:#1f2328;` +
  `box-shadow:0 2px 8px rgba(0,0,0,.25);font-size:18px;line-height:1;cursor:pointer}` +
  `.tz button:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}`

/** Called by main.tsx at mount: keeps the link's code, asks for its offer, shows the teaser. */
export function start(store: Store) {
  const { programKey } = store.ctx
  const now = Date.now()
  const kept = nextKept(loadKept(storage(), programKey, now), codeFromSearch(location.search), now)
  saveKept(storage(), programKey, kept)
  if (!kept || kept.claimed || store.api.hasSession() || !store.config.loginOpen) return
  referralApi(store.api)
    .landing(kept.code)
    .then(
      (offer) => {
        // Logged in meanwhile: a member is not offered a friend's coupon.
        if (store.me.value || store.api.hasSession()) return
        if (store.screen.value.name === 'welcome') store.screen.value = { name: 'offer', code: kept.code, offer }
        if (!kept.dismissed) showTeaser(store, kept, offer)
      },
      (err) => {
        if (err instanceof ApiError && err.status === 404) saveKept(storage(), programKey, null)
      },
    )
}

/** Marks the kept code (claimed, dismissed) for the next pages. */
function mark(store: Store, change: Partial<KeptReferral>) {
  const kept = loadKept(storage(), store.ctx.programKey, Date.now())
  if (kept) saveKept(storage(), store.ctx.programKey, { ...kept, ...change })
}

const gone = signal(false)

function showTeaser(store: Store, kept: KeptReferral, offer: ReferralLanding) {
  addStyle(store, 'ref-offer', css)
  const root = store.ctx.launcher.getRootNode() as ShadowRoot
  const holder = document.createElement('div')
  root.append(holder)
  gone.value = false
  render(
    <StoreContext.Provider value={store}>
      <Teaser code={kept.code} offer={offer} />
    </StoreContext.Provider>,
    holder,
  )
}

/** Above the launcher, on its side; hidden while the panel is open or once a member logged in. */
function Teaser({ code, offer }: { code: string; offer: ReferralLanding }) {
  const store = useStore()
  const ref = useRef<HTMLDivElement>(null)
  const [spot, setSpot] = useState(() => spotOf(store))
  const hidden = gone.value || store.open.value || store.me.value !== null
  useLayoutEffect(() => {
    if (hidden || !ref.current) return
    // Into the top layer, like the launcher (placement.ts showOnTop, not imported: that would split
    // it out of the first click's bundle into a chunk of its own).
    const el = ref.current
    if ('showPopover' in el && !el.matches(':popover-open')) el.showPopover()
    // The loader may lift the launcher past a chat float a moment after it is drawn.
    const again = () => setSpot(spotOf(store))
    const id = setTimeout(again, 400)
    addEventListener('resize', again)
    return () => {
      clearTimeout(id)
      removeEventListener('resize', again)
    }
  }, [hidden])
  if (hidden) return null
  const side = store.ctx.position
  return (
    <div
      ref={ref}
      class="tz"
      popover="manual"
      data-referral-teaser
      style={{ bottom: `${spot.bottom}px`, [side]: `${spot.side}px` }}
    >
      <button
        class="tb"
        type="button"
        onClick={() => {
          store.screen.value = { name: 'offer', code, offer }
          store.ctx.launcher.click()
        }}
      >
        {r.offerTitle(t.money(offer.friendCouponCents))}
      </button>
      <button
        class="tx"
        type="button"
        aria-label={r.dismiss}
        onClick={() => {
          gone.value = true
          mark(store, { dismissed: true })
        }}
      >
        ×
      </button>
    </div>
  )
}

function spotOf(store: Store): { bottom: number; side: number } {
  const b = store.ctx.launcher.getBoundingClientRect()
  const side = store.ctx.position === 'left' ? b.left : innerWidth - b.right
  return { bottom: Math.round(innerHeight - b.top + 8), side: Math.max(8, Math.round(side)) }
}

/**
 * The offer in the panel: what the coupon is, the e-mail it goes to, and on 202 where it went
 * (never the coupon itself: receiving it proves the address).
 */
export function Offer({ code, offer }: { code: string; offer: ReferralLanding }) {
  const store = useStore()
  const [email, setEmail] = useState('')
  const [bad, setBad] = useState<string | undefined>(undefined)
  const [error, setError] = useState<unknown>(null)
  const [sent, setSent] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const program = (
    <button class="sc" type="button" onClick={() => (store.screen.value = { name: 'welcome' })}>
      {r.program}
    </button>
  )
  if (sent)
    return (
      <>
        <div role="status" data-referral-sent>
          <h3>{r.offerTitle(t.money(offer.friendCouponCents))}</h3>
          <p>{r.sent(sent)}</p>
          <p class="muted">{r.sentHint}</p>
        </div>
        {program}
      </>
    )
  const submit = async (e: Event) => {
    e.preventDefault()
    const address = email.trim()
    const problem = emailError(address)
    setBad(problem)
    setError(null)
    if (problem) return
    setBusy(true)
    try {
      const res = await referralApi(store.api).claim(code, address)
      mark(store, { claimed: true })
      gone.value = true
      setSent(res.email)
    } catch (err) {
      if (fieldOf(err) === 'email') setBad(t.fieldErrors.email)
      else setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <form noValidate onSubmit={submit} data-referral-offer>
      <h3>{r.offerTitle(t.money(offer.friendCouponCents))}</h3>
      {offer.advocateFirstName && <p>{r.offerFrom(offer.advocateFirstName)}</p>}
      <p class="muted">{offer.friendMinOrderCents > 0 ? r.offerMin(t.money(offer.friendMinOrderCents)) : r.offerAny}</p>
      <p>{r.offerHow}</p>
      <ErrorBox error={error} />
      <Field
        label={t.email}
        id="fid-ref-email"
        type="email"
        autocomplete="email"
        required
        error={bad}
        value={email}
        onInput={(e: Event) => setEmail((e.currentTarget as HTMLInputElement).value)}
      />
      <button class="pr" type="submit" disabled={busy}>
        {r.offerGo}
      </button>
      {program}
    </form>
  )
}
