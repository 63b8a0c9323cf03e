import { render } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { signal } from '@preact/signals'
import type { AppContext } from '../loader.ts'
import { ApiError, createApi, type Api } from './api.ts'
import { safeColours } from './contrast.ts'
import { singularOf, t } from './i18n.ts'
import { css } from './styles.ts'
import type { CouponView, MemberReward, MemberRewards, RedemptionView, WidgetConfig, WidgetMe } from './types.ts'

type Screen =
  | { name: 'welcome' }
  | { name: 'login' }
  | { name: 'join' }
  | { name: 'code'; email: string }
  | { name: 'me' }
  | { name: 'signup' }
  | { name: 'confirm'; reward: MemberReward }
  | { name: 'result'; redemption: RedemptionView }
type Tab = 'history' | 'rewards' | 'coupons'

const open = signal(false)
const screen = signal<Screen>({ name: 'welcome' })
const me = signal<WidgetMe | null>(null)
const tab = signal<Tab>('history')
const rewards = signal<MemberRewards | null>(null)

function messageFor(err: unknown): string {
  if (!(err instanceof ApiError)) return t.errors.server
  if (err.code === 'network') return t.errors.network
  if (err.status === 429) return t.errors.rate
  if (err.code === 'invalid_code' || err.field === 'code') return t.errors.code
  if (err.status === 400 || err.status === 422) return t.errors.field
  return t.errors.server
}

function Panel({ api, ctx, config, onClose }: { api: Api; ctx: AppContext; config: WidgetConfig; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null)
  // Focus moves into the panel on open and stays there (Tab wraps); Esc closes.
  useEffect(() => {
    const el = ref.current
    el?.querySelector<HTMLElement>('input,button:not(.x),a')?.focus()
  }, [screen.value.name])
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') return onClose()
    if (e.key !== 'Tab' || !ref.current) return
    const items = [...ref.current.querySelectorAll<HTMLElement>('button,a[href],input')].filter((x) => !(x as HTMLButtonElement).disabled)
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
    <div ref={ref} class={`p ${ctx.position}`} role="dialog" aria-modal="true" aria-labelledby="fid-title" onKeyDown={onKey}>
      <header>
        <h2 id="fid-title">{config.name}</h2>
        <button class="x" type="button" aria-label={t.close} onClick={onClose}>
          ×
        </button>
      </header>
      <main>
        {s.name === 'welcome' && <Welcome config={config} />}
        {s.name === 'login' && <EmailStep api={api} />}
        {s.name === 'join' && <JoinStep api={api} />}
        {s.name === 'code' && <CodeStep api={api} email={s.email} ctx={ctx} />}
        {s.name === 'me' && <Me api={api} config={config} ctx={ctx} />}
        {s.name === 'signup' && <Signup config={config} />}
        {s.name === 'confirm' && <Confirm api={api} ctx={ctx} config={config} reward={s.reward} />}
        {s.name === 'result' && <Result api={api} ctx={ctx} first={s.redemption} />}
      </main>
    </div>
  )
}

function Welcome({ config }: { config: WidgetConfig }) {
  return (
    <>
      <p>
        <strong>{t.welcomeTitle(config.name)}</strong>
      </p>
      <p>{t.welcomeText(config.pointsName)}</p>
      {config.joiningOpen && (
        <button class="pr" type="button" onClick={() => (screen.value = { name: 'join' })}>
          {t.join}
        </button>
      )}
      <button class="sc" type="button" onClick={() => (screen.value = { name: 'login' })}>
        {t.login}
      </button>
    </>
  )
}

function ErrorBox({ message }: { message: string | null }) {
  return message ? (
    <p class="err" role="alert">
      {message}
    </p>
  ) : null
}

/** Sends the request; on `signup_required` the shopper goes to the store's sign-up page. */
async function requestCode(run: () => Promise<unknown>, email: string, setError: (m: string | null) => void, setBusy: (b: boolean) => void) {
  setBusy(true)
  setError(null)
  try {
    await run()
    screen.value = { name: 'code', email }
  } catch (err) {
    if (err instanceof ApiError && err.code === 'signup_required') screen.value = { name: 'signup' }
    else setError(messageFor(err))
  } finally {
    setBusy(false)
  }
}

/** "Enviar código" and "Voltar", the end of both e-mail forms. */
function SendCodeButtons({ busy }: { busy: boolean }) {
  return (
    <>
      <button class="pr" type="submit" disabled={busy}>
        {t.sendCode}
      </button>
      <button class="sc" type="button" onClick={() => (screen.value = { name: 'welcome' })}>
        {t.back}
      </button>
    </>
  )
}

function EmailStep({ api }: { api: Api }) {
  const [email, setEmail] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void requestCode(() => api.startLogin(email.trim()), email.trim(), setError, setBusy)
      }}
    >
      <ErrorBox message={error} />
      <label>
        {t.email}
        <input type="email" autocomplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
      <SendCodeButtons busy={busy} />
    </form>
  )
}

function JoinStep({ api }: { api: Api }) {
  const [f, setF] = useState({ name: '', email: '', cpf: '', birthDate: '', emailConsent: false })
  const [error, setError] = useState<string | null>(null)
  const [bad, setBad] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const field = (k: 'name' | 'email' | 'cpf' | 'birthDate') => ({
    value: f[k],
    'aria-invalid': bad === k ? ('true' as const) : undefined,
    onInput: (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value }),
  })
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        const input = {
          name: f.name.trim(),
          email: f.email.trim(),
          emailConsent: f.emailConsent,
          ...(f.cpf.trim() ? { cpf: f.cpf.trim() } : {}),
          ...(f.birthDate ? { birthDate: f.birthDate } : {}),
        }
        void requestCode(
          async () => {
            try {
              await api.join(input)
            } catch (err) {
              setBad(err instanceof ApiError ? err.field : null)
              throw err
            }
          },
          input.email,
          setError,
          setBusy,
        )
      }}
    >
      <ErrorBox message={error} />
      <label>
        {t.name}
        <input type="text" autocomplete="name" required {...field('name')} />
      </label>
      <label>
        {t.email}
        <input type="email" autocomplete="email" required {...field('email')} />
      </label>
      <label>
        {t.cpf}
        <input inputmode="numeric" autocomplete="off" {...field('cpf')} />
      </label>
      <label>
        {t.birthDate}
        <input type="date" {...field('birthDate')} />
      </label>
      <label class="c">
        <input type="checkbox" checked={f.emailConsent} onChange={(e) => setF({ ...f, emailConsent: e.currentTarget.checked })} />
        <span>{t.consent}</span>
      </label>
      <SendCodeButtons busy={busy} />
    </form>
  )
}

function CodeStep({ api, email, ctx }: { api: Api; email: string; ctx: AppContext }) {
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [wait, setWait] = useState(60)
  useEffect(() => {
    if (wait <= 0) return
    const id = setTimeout(() => setWait(wait - 1), 1000)
    return () => clearTimeout(id)
  }, [wait])
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault()
        setBusy(true)
        setError(null)
        try {
          await api.verify(email, code.trim())
          await loadMe(api, ctx)
          screen.value = { name: 'me' }
        } catch (err) {
          setError(messageFor(err))
        } finally {
          setBusy(false)
        }
      }}
    >
      <p>{t.codeSentTo(email)}</p>
      <ErrorBox message={error} />
      <label>
        {t.code}
        <input inputmode="numeric" autocomplete="one-time-code" maxLength={6} pattern="[0-9]{6}" required value={code} onInput={(e) => setCode(e.currentTarget.value)} />
      </label>
      <button class="pr" type="submit" disabled={busy}>
        {t.confirm}
      </button>
      <button
        class="sc"
        type="button"
        disabled={wait > 0}
        onClick={() => {
          setWait(60)
          void api.startLogin(email).catch((err) => setError(messageFor(err)))
        }}
      >
        {wait > 0 ? t.resendIn(wait) : t.resend}
      </button>
    </form>
  )
}

/** The points badge on the loader's launcher: the balance when logged in, empty otherwise. */
function setBadge(ctx: AppContext, balance: number | null) {
  const badge = ctx.launcher.querySelector('[data-badge]')
  if (badge) badge.textContent = balance === null ? '' : t.number(balance)
}

async function loadMe(api: Api, ctx: AppContext) {
  me.value = await api.me()
  setBadge(ctx, me.value.balance)
}

function Me({ api, config, ctx }: { api: Api; config: WidgetConfig; ctx: AppContext }) {
  const [error, setError] = useState<string | null>(null)
  const data = me.value
  const one = singularOf(config.pointsName)
  if (!data) {
    return (
      <>
        <ErrorBox message={error ?? null} />
        <button class="pr" type="button" onClick={() => void loadMe(api, ctx).catch((err) => setError(messageFor(err)))}>
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
      {data.expiring?.[0] && <p class="muted">{t.expiring(t.points(data.expiring[0].points, one, config.pointsName), t.day(data.expiring[0].on))}</p>}
      <div class="tabs" role="tablist" aria-label={config.name}>
        {(['history', 'rewards', 'coupons'] as const).map((k) => (
          <button key={k} type="button" role="tab" id={`fid-t-${k}`} aria-selected={tab.value === k} aria-controls="fid-tp" onClick={() => (tab.value = k)}>
            {t.tabs[k]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="fid-tp" aria-labelledby={`fid-t-${tab.value}`}>
        {tab.value === 'history' && <History data={data} />}
        {tab.value === 'rewards' && <Rewards api={api} config={config} />}
        {tab.value === 'coupons' && <Coupons coupons={data.coupons} />}
      </div>
      <button
        class="sc"
        type="button"
        onClick={async () => {
          await api.logout().catch(() => undefined)
          me.value = null
          rewards.value = null
          tab.value = 'history'
          setBadge(ctx, null)
          screen.value = { name: 'welcome' }
        }}
      >
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
            <span class="muted">{t.date(h.createdAt)}</span>
          </span>
          <span class={`amt ${h.amount >= 0 ? 'pos' : 'neg'}`}>{(h.amount > 0 ? '+' : '') + t.number(h.amount)}</span>
        </li>
      ))}
    </ul>
  )
}

const conditions = (r: { benefit: string; minimumOrderCents: number | null }) =>
  r.benefit + (r.minimumOrderCents ? ` · ${t.minimumOrder(t.money(r.minimumOrderCents))}` : '')

function Rewards({ api, config }: { api: Api; config: WidgetConfig }) {
  const [error, setError] = useState<string | null>(null)
  const one = singularOf(config.pointsName)
  const load = () => {
    setError(null)
    api.rewards().then((r) => (rewards.value = r), (err) => setError(messageFor(err)))
  }
  useEffect(load, [])
  const list = rewards.value
  if (error) {
    return (
      <>
        <ErrorBox message={error} />
        <button class="sc" type="button" onClick={load}>
          {t.retry}
        </button>
      </>
    )
  }
  if (!list) return <p class="muted" aria-busy="true">…</p>
  if (list.items.length === 0) return <p class="muted">{t.noRewards}</p>
  return (
    <ul>
      {list.items.map((r) => (
        <li key={r.id}>
          <span>
            <strong>{r.title}</strong>
            <br />
            <span class="muted">{conditions(r)}</span>
            <br />
            <span class="cost">{t.points(r.pointsCost, one, config.pointsName)}</span>
          </span>
          <button class="mini" type="button" disabled={!r.affordable} aria-label={`${t.redeem}: ${r.title}`} onClick={() => (screen.value = { name: 'confirm', reward: r })}>
            {r.affordable ? t.redeem : t.missing(t.points(r.pointsMissing, one, config.pointsName))}
          </button>
        </li>
      ))}
    </ul>
  )
}

/** One key per confirmation screen: a retry after a network error resends it, so it stays one redemption. */
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2))

function backToMe(api: Api, ctx: AppContext, to: Tab) {
  tab.value = to
  rewards.value = null
  screen.value = { name: 'me' }
  void loadMe(api, ctx).catch(() => undefined)
}

function Confirm({ api, ctx, config, reward }: { api: Api; ctx: AppContext; config: WidgetConfig; reward: MemberReward }) {
  const key = useRef(newKey())
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const cost = t.points(reward.pointsCost, singularOf(config.pointsName), config.pointsName)
  return (
    <>
      <h3>{t.confirmTitle}</h3>
      <p>
        <strong>{t.confirmText(cost, reward.title)}</strong>
      </p>
      <p class="muted">{conditions(reward)}</p>
      <p class="muted">{t.confirmHint}</p>
      <ErrorBox message={error} />
      <button
        class="pr"
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true)
          setError(null)
          try {
            const redemption = await api.redeem(reward.id, key.current)
            screen.value = { name: 'result', redemption }
            void loadMe(api, ctx).catch(() => undefined)
          } catch (err) {
            setError((err instanceof ApiError && t.redeemErrors[err.code]) || messageFor(err))
          } finally {
            setBusy(false)
          }
        }}
      >
        {t.confirmGo}
      </button>
      <button class="sc" type="button" onClick={() => backToMe(api, ctx, 'rewards')}>
        {t.cancel}
      </button>
    </>
  )
}

/** Shows a redemption until it settles: pending (polled), issued (the code) or failed (why). */
function Result({ api, ctx, first }: { api: Api; ctx: AppContext; first: RedemptionView }) {
  const [r, setR] = useState(first)
  const [polls, setPolls] = useState(0)
  useEffect(() => {
    if (r.status !== 'pending' || polls >= 40) return
    const id = setTimeout(() => {
      api.redemption(r.id).then(setR, () => undefined).finally(() => setPolls(polls + 1))
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
            <strong>{r.title}</strong> · {conditions(r)}
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
      <button class="sc" type="button" onClick={() => backToMe(api, ctx, r.status === 'issued' ? 'coupons' : 'rewards')}>
        {t.back}
      </button>
    </>
  )
}

/** The code in a read-only field (selectable by hand where the clipboard is refused) and a copy button. */
function Code({ code }: { code: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <div class="cp">
      <input class="code" readonly value={code} aria-label={t.code} onFocus={(e) => e.currentTarget.select()} />
      <button
        class="mini"
        type="button"
        onClick={() => {
          navigator.clipboard?.writeText(code).then(
            () => setCopied(true),
            () => undefined,
          )
        }}
      >
        {t.copy}
      </button>
      <span class="muted" aria-live="polite">
        {copied ? t.copied : ''}
      </span>
    </div>
  )
}

function Coupons({ coupons }: { coupons: CouponView[] }) {
  if (coupons.length === 0) return <p class="muted">{t.noCoupons}</p>
  return (
    <ul>
      {coupons.map((c) => (
        <li key={c.redemptionId} class="cl">
          <strong>{c.title}</strong>
          <span class="muted">
            {conditions(c)} · {t.validUntil(t.day(c.validUntil))}
          </span>
          <Code code={c.code} />
        </li>
      ))}
    </ul>
  )
}

function Signup({ config }: { config: WidgetConfig }) {
  return (
    <>
      <p>
        <strong>{t.signupTitle}</strong>
      </p>
      <p>{t.signupText}</p>
      {config.signupUrl && (
        <a class="pr" href={config.signupUrl} target="_top" rel="noopener">
          {t.signupGo}
        </a>
      )}
      <button class="sc" type="button" onClick={() => (screen.value = { name: 'welcome' })}>
        {t.back}
      </button>
    </>
  )
}

function mount(root: ShadowRoot, ctx: AppContext) {
  const config = ctx.config as unknown as WidgetConfig
  const api = createApi(ctx.base, ctx.programKey)
  const colours = safeColours(config.primaryColor, config.textColor)
  const style = document.createElement('style')
  style.textContent = css
  const holder = document.createElement('div')
  holder.style.setProperty('--c', colours.primary)
  holder.style.setProperty('--t', colours.text)
  root.append(style, holder)

  const close = () => {
    open.value = false
    ctx.launcher.setAttribute('aria-expanded', 'false')
    ctx.launcher.focus()
  }
  const App = () => (open.value ? <Panel api={api} ctx={ctx} config={config} onClose={close} /> : null)
  render(<App />, holder)

  // A returning shopper's session is resumed when they open the panel, not on every page view:
  // refresh tokens rotate, and a page left mid-refresh (shoppers click through stores fast) would
  // otherwise leave the next page holding an already-used token.
  let resumed = false
  const resume = () => {
    if (resumed || me.value || !api.hasSession()) return
    resumed = true
    void api
      .refresh()
      .then((ok) => (ok ? loadMe(api, ctx).then(() => (screen.value = { name: 'me' })) : undefined))
      .catch(() => undefined)
  }
  return {
    open: () => {
      open.value = true
      ctx.launcher.setAttribute('aria-expanded', 'true')
      resume()
    },
    close,
    destroy: () => {
      render(null, holder)
      holder.remove()
      style.remove()
    },
  }
}

;(window as unknown as { Fidelis: { __app?: unknown } }).Fidelis.__app = { mount }
