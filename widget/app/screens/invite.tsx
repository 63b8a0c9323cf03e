import { useEffect, useRef, useState } from 'preact/hooks'
import { singularOf, t } from '../i18n.ts'
import { referralTexts as r } from '../i18n-referral.ts'
import { referralApi } from '../referral-api.ts'
import { addStyle } from '../referral-style.ts'
import { type Store, useStore } from '../state.ts'
import type { MeReferral } from '../types.ts'
import { ErrorBox } from '../ui.tsx'

type Enabled = Extract<MeReferral, { enabled: true }>

/** The member's referral, per mount of the app (a new mount, a new member maybe, asks again). */
const known = new WeakMap<Store, Promise<MeReferral>>()
const load = (store: Store, fresh = false) => {
  let p = known.get(store)
  if (!p || fresh) {
    p = referralApi(store.api).mine()
    known.set(store, p)
    p.catch(() => known.delete(store))
  }
  return p
}

const css =
  `.ie{text-align:left}.ie strong,.ie span{display:block}.ie strong{font-weight:600}` +
  `.lk{margin:4px 0 8px;padding:10px;border:2px dashed #57606a;border-radius:8px;background:#f6f8fa;` +
  `font:600 15px/1.4 ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere;user-select:all;` +
  `-webkit-user-select:all}.ok{color:#116329;font-weight:600;min-height:21px}`

/** What one credited referral earns the member: points, or reais of cashback. */
function rewardText(store: Store, ref: Enabled) {
  const { config } = store
  return config.mode === 'cashback'
    ? r.cashback(t.money(ref.advocateReward))
    : t.points(ref.advocateReward, singularOf(config.pointsName), config.pointsName)
}

/**
 * "Indique e ganhe" on the member's page, shown only when the program has referrals on: nothing
 * while it loads or when the call fails (the rest of the page does not depend on it).
 */
export function InviteEntry() {
  const store = useStore()
  const [ref, setRef] = useState<MeReferral | null>(null)
  useEffect(() => {
    addStyle(store, 'ref-invite', css)
    load(store).then(setRef, () => undefined)
  }, [])
  if (!ref?.enabled) return null
  return (
    <button class="sc ie" type="button" data-invite-entry onClick={() => (store.screen.value = { name: 'invite' })}>
      <strong>{r.entry}</strong>
      <span class="muted">{r.entryHint(rewardText(store, ref))}</span>
    </button>
  )
}

/**
 * The member's link, readable whole (it wraps, never scrolls out of sight), "Copiar link" with
 * its confirmation on a line of its own, WhatsApp, what each side gets and the counts.
 */
export function Invite() {
  const store = useStore()
  const [ref, setRef] = useState<MeReferral | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [copied, setCopied] = useState<'' | 'ok' | 'manual'>('')
  const box = useRef<HTMLParagraphElement>(null)
  useEffect(() => {
    addStyle(store, 'ref-invite', css)
    // Fresh counts each time the screen opens.
    load(store, true).then(setRef, setError)
  }, [])
  const back = (
    <button class="sc" type="button" onClick={() => (store.screen.value = { name: 'me' })}>
      {t.back}
    </button>
  )
  if (!ref)
    return (
      <>
        <ErrorBox error={error} />
        {back}
      </>
    )
  if (!ref.enabled)
    return (
      <>
        <p>{r.off}</p>
        {back}
      </>
    )
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(ref.link)
      setCopied('ok')
    } catch {
      // No clipboard (an http store, an old browser) or refused: select the link, try the old way.
      const el = box.current
      const sel = getSelection()
      if (el && sel) sel.selectAllChildren(el)
      let done = false
      try {
        done = document.execCommand('copy')
      } catch {
        done = false
      }
      setCopied(done ? 'ok' : 'manual')
    }
  }
  return (
    <>
      <h3>{r.entry}</h3>
      <p>{r.intro}</p>
      <p>
        {r.friendGets(
          t.money(ref.friendCouponCents),
          ref.friendMinOrderCents > 0 ? t.money(ref.friendMinOrderCents) : null,
        )}
      </p>
      <p>{r.youGet(rewardText(store, ref))}</p>
      <span class="muted">{r.link}</span>
      <p class="lk" ref={box} data-referral-link translate={false}>
        {ref.link}
      </p>
      <button class="pr" type="button" onClick={() => void copy()}>
        {r.copy}
      </button>
      <p class={copied === 'ok' ? 'ok' : 'muted'} role="status" aria-live="polite">
        {copied === 'ok' ? r.copied : copied === 'manual' ? r.copyManual : ''}
      </p>
      <a class="pr" href={ref.whatsappUrl} target="_blank" rel="noopener">
        {r.whatsapp}
      </a>
      <p class="muted" data-referral-counts style={{ marginTop: '12px' }}>
        {r.counts(ref.counts.invited, ref.counts.credited)}
      </p>
      {back}
    </>
  )
}
