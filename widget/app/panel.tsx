// Types only: the screens themselves are lazy chunks (lazyScreen below).
import type { CodeStep as CodeStepScreen, EmailStep as EmailStepScreen } from './screens/login.tsx'
import type { Offer as OfferScreen } from './screens/offer.tsx'
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { showOnTop } from '../placement.ts'
import { t } from './i18n.ts'
import { Me } from './screens/me.tsx'
import { Confirm, Result } from './screens/rewards.tsx'
import { Signup, Welcome } from './screens/welcome.tsx'
import { useStore } from './state.ts'
import { lazyScreen } from './ui.tsx'

/** The dialog: header, the current screen, focus kept inside (Tab wraps), Esc closes. */
export function Panel({ onClose }: { onClose: () => void }) {
  const { ctx, config, screen } = useStore()
  const ref = useRef<HTMLDivElement>(null)
  const [spot, setSpot] = useState(() => spotAbove(ctx.launcher, config.launcherOffsetX))
  // Into the top layer before the first paint; placed again when the window changes size.
  useLayoutEffect(() => {
    if (ref.current) showOnTop(ref.current)
    const resize = () => setSpot(spotAbove(ctx.launcher, config.launcherOffsetX))
    addEventListener('resize', resize)
    return () => removeEventListener('resize', resize)
  }, [])
  // Focus moves into the panel on open and on every screen change.
  useEffect(() => {
    const el = ref.current
    el?.querySelector<HTMLElement>('input,button:not(.x),a')?.focus()
  }, [screen.value.name])
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') return onClose()
    if (e.key !== 'Tab' || !ref.current) return
    const items = [...ref.current.querySelectorAll<HTMLElement>('button,a[href],input')].filter(
      (x) => !(x as HTMLButtonElement).disabled,
    )
    const first = items[0]
    const last = items[items.length - 1]
    const active = (ref.current.getRootNode() as ShadowRoot).activeElement
    if (e.shiftKey && active === first) {
      e.preventDefault()
      last?.focus()
    } else if (!e.shiftKey && active === last) {
      e.preventDefault()
      first?.focus()
    }
  }
  const s = screen.value
  return (
    <div
      ref={ref}
      class={`p ${ctx.position}`}
      popover="manual"
      style={{ '--pb': `${spot.bottom}px`, '--px': `${spot.side}px` }}
      role="dialog"
      aria-modal="true"
      aria-labelledby="fid-title"
      onKeyDown={onKey}
    >
      <header>
        <h2 id="fid-title">{config.name}</h2>
        <button class="x" type="button" aria-label={t.close} onClick={onClose}>
          ×
        </button>
      </header>
      <main>
        {s.name === 'welcome' && <Welcome />}
        {s.name === 'login' && <EmailStep key="login" join={false} />}
        {s.name === 'join' && <EmailStep key="join" join />}
        {s.name === 'code' && <CodeStep email={s.email} join={s.join} />}
        {s.name === 'me' && <Me />}
        {s.name === 'data' && <MyData />}
        {s.name === 'signup' && <Signup email={s.email} />}
        {s.name === 'confirm' && <Confirm reward={s.reward} />}
        {s.name === 'amount' && <Amount />}
        {s.name === 'result' && <Result first={s.redemption} />}
        {s.name === 'invite' && <Invite />}
        {s.name === 'offer' && <Offer code={s.code} offer={s.offer} />}
      </main>
    </div>
  )
}

/**
 * The panel's place on a desktop: on the launcher's side at the merchant's offset, 12 px above it (which may have been
 * lifted past a chat float), but never so high that less than 480 px is left for it (it then
 * covers the launcher, which does nothing while the panel is open). Phones get a full-screen sheet (styles.ts).
 */
function spotAbove(launcher: HTMLElement, side: number): { bottom: number; side: number } {
  const r = launcher.getBoundingClientRect()
  const bottom = Math.max(16, Math.min(innerHeight - r.top + 12, innerHeight - 16 - 480))
  return { bottom: Math.round(bottom), side }
}

// Chunks fetched on the first visit (ui.tsx lazyScreen: the first click's 20 KB budget).
const MyData = lazyScreen<Record<string, never>>(() => import('./screens/data.tsx').then((m) => m.MyData))
const Amount = lazyScreen<Record<string, never>>(() => import('./screens/amount.tsx').then((m) => m.Amount))
const EmailStep = lazyScreen<Parameters<typeof EmailStepScreen>[0]>(() =>
  import('./screens/login.tsx').then((m) => m.EmailStep),
)
const CodeStep = lazyScreen<Parameters<typeof CodeStepScreen>[0]>(() =>
  import('./screens/login.tsx').then((m) => m.CodeStep),
)
// Referrals: the member's "Indique e ganhe" and the friend's offer (main.tsx starts its chunk).
const Invite = lazyScreen<Record<string, never>>(() => import('./screens/invite.tsx').then((m) => m.Invite))
const Offer = lazyScreen<Parameters<typeof OfferScreen>[0]>(() => import('./screens/offer.tsx').then((m) => m.Offer))
