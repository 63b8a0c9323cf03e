import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { api } from './api.ts'
import { Link, Notice, Page } from './components.tsx'
import { Loading } from './data.tsx'
import { endpoints } from './endpoints.ts'
import { messageFor } from './errors.ts'
import { t } from './i18n.ts'
import { EmailsPage } from './pages/emails.tsx'
import { DashboardRoute, HomePage } from './pages/home.tsx'
import { InstallPage, PreviewPage } from './pages/install.tsx'
import { IntegrationPage } from './pages/integration.tsx'
import { WebhooksPage } from './pages/webhooks.tsx'
import { FirstRunPage, LoginPage } from './pages/login.tsx'
import { CashbackPage } from './pages/cashback.tsx'
import { TiersPage } from './pages/tiers.tsx'
import { ReferralsPage } from './pages/referrals.tsx'
import { MemberPage, MembersPage } from './pages/members.tsx'
import { PointsPage } from './pages/points.tsx'
import { ProgramPage } from './pages/program.tsx'
import { RedemptionListPage } from './pages/redemption-list.tsx'
import { RewardPage } from './pages/reward-editor.tsx'
import { RewardsPage } from './pages/rewards.tsx'
import { SentEmailsPage } from './pages/sent-emails.tsx'
import { PrivacyPage } from './pages/privacy.tsx'
import { section, type Route } from './router.ts'
import { currentProgram, loggedIn, loginNotice, programId, programs, route } from './state.ts'
// One stylesheet per area, in cascade order (esbuild bundles them into one file, in this order).
import './styles/base.css'
import './styles/layout.css'
import './styles/forms.css'
import './styles/buttons.css'
import './styles/messages.css'
import './styles/tables.css'
import './styles/pages.css'
import './styles/dashboard.css'

api.onUnauthorized(() => {
  loggedIn.value = false
  programs.value = null
  loginNotice.value = t.errorCodes.unauthorized
})

function App() {
  const r = route.value
  // The preview is public (it needs only the program key) and has no panel chrome.
  if (r.name === 'preview') return <PreviewPage programKey={r.programKey} />
  if (!loggedIn.value) return <LoginPage />
  return <Programs />
}

function Programs() {
  const [error, setError] = useState<unknown>(null)
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    if (programs.value !== null) return
    setError(null)
    endpoints.programs().then((list) => {
      programs.value = list.items
      if (!list.items.some((p) => p.id === programId.value)) programId.value = list.items[0]?.id ?? null
    }, setError)
  }, [programs.value, attempt])
  if (error)
    return (
      <main class="login" id="main">
        <div class="card">
          <Notice kind="error">{messageFor(error)}</Notice>
          <button type="button" class="primary" onClick={() => setAttempt((n) => n + 1)}>
            {t.common.retry}
          </button>
        </div>
      </main>
    )
  if (programs.value === null) return <Loading />
  if (programs.value.length === 0) return <FirstRunPage />
  return <Shell />
}

const MENU: Array<{ to: Route; key: ReturnType<typeof section>; label: string }> = [
  { to: { name: 'home' }, key: 'home', label: t.nav.home },
  { to: { name: 'dashboard' }, key: 'dashboard', label: t.nav.dashboard },
  { to: { name: 'members', q: '' }, key: 'members', label: t.nav.members },
  { to: { name: 'rewards', tab: 'manual', q: '' }, key: 'rewards', label: t.nav.rewards },
  { to: { name: 'redemptions', status: '', q: '' }, key: 'redemptions', label: t.nav.redemptions },
  { to: { name: 'sent-emails', kind: '', status: '', q: '' }, key: 'sent-emails', label: t.nav.sentEmails },
  { to: { name: 'install' }, key: 'install', label: t.nav.install },
  { to: { name: 'privacy' }, key: 'privacy', label: t.privacy.nav },
]

function Shell() {
  const program = currentProgram()!
  const current = section(route.value)
  const item = (to: Route, key: ReturnType<typeof section>, label: string) => (
    <Link to={to} aria-current={current === key ? 'page' : undefined}>
      {label}
    </Link>
  )
  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t.skip}
      </a>
      <header class="top">
        <span class="brand">{t.appName}</span>
        {programs.value!.length > 1 ? (
          <label class="program-select">
            <span class="sr-only">{t.nav.programSelect}</span>
            <select
              value={program.id}
              onChange={(e) => (programId.value = (e.currentTarget as HTMLSelectElement).value)}
            >
              {programs.value!.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span class="program-name">{program.name}</span>
        )}
        <button
          type="button"
          class="link logout"
          onClick={() => {
            api.logout()
            loggedIn.value = false
            programs.value = null
          }}
        >
          {t.nav.logout}
        </button>
      </header>
      <nav class="side" aria-label={t.nav.label}>
        <ul>
          {MENU.map((m) => (
            <li key={m.label}>{item(m.to, m.key, m.label)}</li>
          ))}
          <li>
            <span class="group">{t.nav.more}</span>
            <ul>
              <li>
                <span class="group sub">{t.nav.settings}</span>
                <ul>
                  <li>{item({ name: 'program' }, 'program', t.nav.program)}</li>
                  <li>
                    {/* A program's own rules: cashback programs earn reais, points programs points and campaigns. */}
                    {program.mode === 'cashback'
                      ? item({ name: 'cashback' }, 'cashback', t.nav.cashback)
                      : item({ name: 'points' }, 'points', t.nav.points)}
                  </li>
                  <li>{item({ name: 'tiers' }, 'tiers', t.nav.tiers)}</li>
                  <li>{item({ name: 'referrals', list: 'review' }, 'referrals', t.nav.referrals)}</li>
                  <li>{item({ name: 'emails' }, 'emails', t.nav.emails)}</li>
                  <li>
                    {item({ name: 'integration' }, 'integration', `${t.nav.integration} › ${t.nav.lojaIntegrada}`)}
                  </li>
                  <li>{item({ name: 'webhooks' }, 'webhooks', `${t.nav.integration} › ${t.nav.webhooks}`)}</li>
                </ul>
              </li>
            </ul>
          </li>
        </ul>
      </nav>
      <main id="main" class="content">
        <Screen program={program} />
      </main>
    </div>
  )
}

function Screen({ program }: { program: NonNullable<ReturnType<typeof currentProgram>> }) {
  const r = route.value
  switch (r.name) {
    case 'home':
      return <HomePage key={program.id} program={program} />
    case 'dashboard':
      return <DashboardRoute key={program.id} program={program} />
    case 'integration':
      return <IntegrationPage key={program.id} programId={program.id} programName={program.name} />
    case 'webhooks':
      return <WebhooksPage key={program.id} program={program} />
    case 'program':
      return <ProgramPage key={program.id} program={program} />
    // Each mode has its own rules page; a typed or old link to the other mode's lands on the right one.
    case 'points':
    case 'cashback':
      return program.mode === 'cashback' ? (
        <CashbackPage key={program.id} program={program} />
      ) : (
        <PointsPage key={program.id} program={program} />
      )
    case 'tiers':
      return <TiersPage key={program.id} program={program} />
    case 'referrals':
      return <ReferralsPage key={program.id} program={program} list={r.list} />
    case 'emails':
      return <EmailsPage key={program.id} program={program} />
    case 'rewards':
      return <RewardsPage key={r.tab} program={program} tab={r.tab} q={r.q} />
    case 'reward-new':
      return <RewardPage program={program} rewardId={null} />
    case 'reward':
      return <RewardPage program={program} rewardId={r.id} />
    case 'members':
      return <MembersPage program={program} q={r.q} tier={r.tier ?? ''} />
    case 'member':
      return <MemberPage program={program} memberId={r.id} />
    case 'redemptions':
      return <RedemptionListPage key={program.id} program={program} status={r.status} q={r.q} />
    case 'sent-emails':
      return <SentEmailsPage key={program.id} program={program} kind={r.kind} status={r.status} q={r.q} />
    case 'privacy':
      return <PrivacyPage key={program.id} program={program} />
    case 'install':
      return <InstallPage program={program} />
    default:
      return (
        <Page title={t.errors.pageNotFound}>
          <Notice kind="warn">{t.errors.pageNotFound}</Notice>
          <p>
            <Link to={{ name: 'home' }}>{t.nav.home}</Link>
          </p>
        </Page>
      )
  }
}

render(<App />, document.getElementById('app')!)
