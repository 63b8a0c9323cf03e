import type { ComponentChildren, ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { ProgramView } from '../../shared/api/programs.ts'
import { Link, Page } from '../components.tsx'
import { Loading, LoadState, useLoad } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { t } from '../i18n.ts'
import type { Route } from '../router.ts'
import { loadIntegration } from './integration.tsx'
import { SyncHealth } from './sync.tsx'

type DashboardPage = ComponentType<{ program: ProgramView; children?: ComponentChildren }>
let dashboardModule: Promise<DashboardPage> | null = null

/**
 * The dashboard page, loaded on first use: its module and the charting library (uPlot) are a
 * chunk of their own (server/panel-assets/build.ts), so no other page downloads them.
 */
function LazyDashboard({ program, children }: { program: ProgramView; children?: ComponentChildren }) {
  const [Page, setPage] = useState<DashboardPage | null>(null)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    dashboardModule ??= import('./dashboard.tsx').then((m) => m.DashboardPage)
    dashboardModule.then(
      (p) => setPage(() => p),
      (err) => {
        dashboardModule = null
        setError(err)
      },
    )
  }, [])
  if (error) return <LoadState of={{ data: null, error, loading: false }} />
  if (!Page) return <Loading />
  return <Page program={program}>{children}</Page>
}

/** Resultados (`/panel/resultados`): the dashboard, whatever the set-up. */
export function DashboardRoute({ program }: { program: ProgramView }) {
  return <LazyDashboard program={program} />
}

/**
 * Início: while set-up is incomplete, the checklist (what is done, what is left); once it is done,
 * the panel opens on the dashboard. Sync health below either, once an integration exists.
 */
export function HomePage({ program }: { program: ProgramView }) {
  const loaded = useLoad(async () => {
    const [integration, rewards] = await Promise.all([
      loadIntegration(program.id),
      endpoints.rewards(program.id, { active: 'true', limit: '1' }),
    ])
    return { integration, hasRewards: rewards.items.length > 0 }
  }, [program.id])
  const i = loaded.data?.integration ?? null
  const steps: Array<{ label: string; done: boolean | null; to: Route }> = loaded.data
    ? [
        { label: t.home.stepKey, done: !!i?.keyVerifiedAt && !i.credentialsRejectedAt, to: { name: 'integration' } },
        {
          label: t.home.stepStatuses(program.mode === 'cashback'),
          done: (i?.awardingStatusIds.length ?? 0) > 0,
          to: { name: 'integration' },
        },
        {
          label: t.home.stepProgram(program.mode === 'cashback'),
          done: program.updatedAt !== program.createdAt,
          to: { name: 'program' },
        },
        { label: t.home.stepRewards, done: loaded.data.hasRewards, to: { name: 'rewards', tab: 'manual', q: '' } },
        // Whether the snippet is on the store cannot be seen from here.
        { label: t.home.stepInstall, done: null, to: { name: 'install' } },
        { label: t.home.stepActivate, done: !!i?.active, to: { name: 'integration' } },
      ]
    : []
  // "Install" cannot be checked from here (null): every step that can be is done.
  if (loaded.data && steps.every((s) => s.done !== false))
    return <LazyDashboard program={program}>{i && <SyncHealth programId={program.id} />}</LazyDashboard>
  return (
    <Page title={t.home.title} intro={t.home.intro(program.name)}>
      <LoadState of={loaded} />
      {loaded.data && (
        <section class="card" aria-labelledby="steps-title">
          <h2 id="steps-title">{t.home.steps}</h2>
          <ol class="steps">
            {steps.map((s) => (
              <li key={s.label} class={s.done ? 'done' : ''}>
                <span class={`badge ${s.done ? 'ok' : 'muted'}`}>
                  {s.done === null ? t.home.check : s.done ? t.home.done : t.home.pending}
                </span>{' '}
                <Link to={s.to}>{s.label}</Link>
              </li>
            ))}
          </ol>
        </section>
      )}
      {i && <SyncHealth programId={program.id} />}
    </Page>
  )
}
