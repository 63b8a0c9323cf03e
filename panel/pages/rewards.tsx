import { useEffect, useRef, useState } from 'preact/hooks'
import type { ProgramView } from '../../shared/api/programs.ts'
import type { FeedImportView, RewardView } from '../../shared/api/rewards.ts'
import { ErrorSummary, Field, Link, Loading, LoadState, Notice, Page, Table, useForm, useLoad } from '../components.tsx'
import { endpoints } from '../endpoints.ts'
import { ApiError, fieldMessage, fieldOf, formErrors, messageFor } from '../errors.ts'
import { parseInteger } from '../forms.ts'
import { t } from '../i18n.ts'
import {
  emptyRewardForm,
  rewardBody,
  rewardFields,
  rewardStatus,
  rewardToForm,
  type RewardForm,
  type RewardKind,
} from '../rewards.ts'
import { navigate } from '../state.ts'
import { POLL_AFTER_REQUEST_MS } from '../sync-health.ts'

const KINDS: RewardKind[] = ['fixed_discount', 'percent_discount', 'free_shipping', 'product']

function costText(r: RewardView, program: ProgramView) {
  return t.points(r.pointsCost, program.pointsName)
}

/** Rewards: the merchant's own coupons and the products imported from the feed, in two tabs. */
export function RewardsPage({ program, tab, q }: { program: ProgramView; tab: 'manual' | 'feed'; q: string }) {
  const c = t.rewards.columns
  const [text, setText] = useState(q)
  const [items, setItems] = useState<RewardView[]>([])
  const [next, setNext] = useState<string | null>(null)
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const pageOf = (cursor: string | null) => {
    return endpoints.rewards(program.id, { source: tab, limit: '50', q, cursor: cursor ?? undefined })
  }
  const first = useLoad(() => pageOf(null), [program.id, tab, q])
  useEffect(() => {
    if (!first.data) return
    setItems(first.data.items)
    setNext(first.data.nextCursor)
  }, [first.data])
  useEffect(() => setText(q), [q])

  const replace = (r: RewardView) => setItems((xs) => xs.map((x) => (x.id === r.id ? r : x)))
  const toggle = async (r: RewardView) => {
    setMessage(null)
    try {
      const updated = await (r.active ? endpoints.deactivateReward : endpoints.activateReward)(program.id, r.id)
      replace(updated)
      setMessage({
        kind: 'ok',
        text: updated.active ? t.rewards.activated(updated.title) : t.rewards.deactivated(updated.title),
      })
    } catch (err) {
      setMessage({ kind: 'error', text: messageFor(err) })
    }
  }

  return (
    <Page title={t.rewards.title} intro={t.rewards.intro} wide>
      <div class="toolbar">
        <nav class="tabs" aria-label={t.rewards.tabs}>
          <Link to={{ name: 'rewards', tab: 'manual', q: '' }} aria-current={tab === 'manual' ? 'page' : undefined}>
            {t.rewards.manualTab}
          </Link>
          <Link to={{ name: 'rewards', tab: 'feed', q: '' }} aria-current={tab === 'feed' ? 'page' : undefined}>
            {t.rewards.feedTab}
          </Link>
        </nav>
        {tab === 'manual' && (
          <Link to={{ name: 'reward-new' }} class="button primary">
            {t.rewards.new}
          </Link>
        )}
      </div>
      {tab === 'feed' && <FeedImports program={program} onImported={first.reload} />}
      <form
        class="search"
        role="search"
        onSubmit={(e) => (e.preventDefault(), navigate({ name: 'rewards', tab, q: text.trim() }))}
      >
        <label for="reward-q">{t.rewards.search}</label>
        <div class="inline">
          <input
            id="reward-q"
            type="search"
            value={text}
            onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit" class="secondary">
            {t.rewards.searchSubmit}
          </button>
        </div>
      </form>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <LoadState of={first} />
      {first.data && items.length === 0 && <p>{tab === 'feed' ? t.rewards.emptyFeed : t.rewards.empty}</p>}
      {items.length > 0 && (
        <Table
          data={`rewards-${tab}`}
          columns={[c.title, ...(tab === 'manual' ? [c.kind] : []), c.cost, c.status, c.stock, c.actions]}
        >
          {items.map((r) => (
            <tr key={r.id}>
              <td>
                <Link to={{ name: 'reward', id: r.id }}>{r.title}</Link>
                {r.feedItemId && <span class="help"> · {r.feedItemId}</span>}
              </td>
              {tab === 'manual' && <td>{t.rewards.kinds[r.kind]}</td>}
              <td>
                {tab === 'feed' ? (
                  <CostOverride program={program} reward={r} onSaved={replace} />
                ) : (
                  costText(r, program)
                )}
              </td>
              <td>
                <span class={`badge ${rewardStatus(r) === 'available' ? 'ok' : 'muted'}`}>
                  {t.rewards.statuses[rewardStatus(r)]}
                </span>
              </td>
              <td>{t.rewards.stock(r.remainingStock, r.totalStock)}</td>
              <td class="cell-actions">
                <Link to={{ name: 'reward', id: r.id }} aria-label={`${t.common.edit}: ${r.title}`}>
                  {t.common.edit}
                </Link>
                <button
                  type="button"
                  class="link"
                  onClick={() => void toggle(r)}
                  aria-label={`${r.active ? t.rewards.deactivate : t.rewards.activate}: ${r.title}`}
                >
                  {r.active ? t.rewards.deactivate : t.rewards.activate}
                </button>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {next && (
        <button
          type="button"
          class="secondary"
          onClick={async () => {
            const page = await pageOf(next)
            setItems((xs) => [...xs, ...page.items])
            setNext(page.nextCursor)
          }}
        >
          {t.common.loadMore}
        </button>
      )}
    </Page>
  )
}

/** Per-item points override of a feed product; "Voltar ao sugerido" drops it. */
function CostOverride({
  program,
  reward,
  onSaved,
}: {
  program: ProgramView
  reward: RewardView
  onSaved: (r: RewardView) => void
}) {
  const [value, setValue] = useState(String(reward.pointsCost))
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => setValue(String(reward.pointsCost)), [reward.pointsCost])
  const id = `cost-${reward.id}`
  const save = async (pointsCost: number | string | null) => {
    setBusy(true)
    setError(null)
    try {
      onSaved(await endpoints.updateReward(program.id, reward.id, { pointsCost }))
    } catch (err) {
      setError(err instanceof ApiError && fieldOf(err) === 'pointsCost' ? fieldMessage(err) : messageFor(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="cost" onSubmit={(e) => (e.preventDefault(), void save(parseInteger(value) ?? value))} noValidate>
      <label for={id} class="sr-only">
        {t.rewards.costFor(reward.title)}
      </label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        class="tiny"
        value={value}
        aria-invalid={!!error}
        aria-describedby={`${id}-help${error ? ` ${id}-error` : ''}`}
        onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)}
      />
      <button type="submit" class="secondary small" disabled={busy}>
        {t.rewards.saveCost}
      </button>
      <p id={`${id}-help`} class="help">
        {reward.suggestedPointsCost !== null &&
          t.rewards.suggested(t.points(reward.suggestedPointsCost, program.pointsName))}
        {reward.pointsCostOverride && ` · ${t.rewards.override}`}
      </p>
      {reward.pointsCostOverride && (
        <button type="button" class="link small" disabled={busy} onClick={() => void save(null)}>
          {t.rewards.useSuggested}
        </button>
      )}
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
    </form>
  )
}

/** The last feed import's report and "Importar agora"; polls while an import runs or was just asked for. */
function FeedImports({ program, onImported }: { program: ProgramView; onImported: () => void }) {
  const [last, setLast] = useState<FeedImportView | null | undefined>(undefined)
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null)
  const [waitingSince, setWaitingSince] = useState<{ at: number; lastId: number | null } | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  // Bumped by every look, so polling goes on even when the answer did not change (still no import).
  const [looks, setLooks] = useState(0)
  const lastRef = useRef<FeedImportView | null | undefined>(undefined)
  const load = async () => {
    try {
      const list = await endpoints.feedImports(program.id, { limit: '1' })
      const newest = list.items[0] ?? null
      const prev = lastRef.current
      lastRef.current = newest
      // An import finished since the last look (not on the first load): the list changed.
      const finished = newest && newest.status !== 'running' && (prev?.id !== newest.id || prev.status === 'running')
      if (prev !== undefined && finished) {
        onImported()
        setMessage((m) => (m?.kind === 'info' ? null : m))
      }
      setLast(newest)
    } catch (err) {
      setMessage({ kind: 'error', text: messageFor(err) })
    } finally {
      setLooks((n) => n + 1)
    }
  }
  useEffect(() => {
    void load()
  }, [program.id])
  useEffect(() => {
    clearTimeout(timer.current)
    const waiting =
      waitingSince && Date.now() - waitingSince.at < POLL_AFTER_REQUEST_MS && (last?.id ?? null) === waitingSince.lastId
    if (last?.status === 'running' || waiting) timer.current = setTimeout(() => void load(), 2000)
    return () => clearTimeout(timer.current)
  }, [last, waitingSince, looks])

  const importNow = async () => {
    setMessage(null)
    try {
      await endpoints.importFeed(program.id)
      setWaitingSince({ at: Date.now(), lastId: last?.id ?? null })
      setMessage({ kind: 'info', text: t.rewards.importQueued })
    } catch (err) {
      setMessage({
        kind: 'error',
        text: err instanceof ApiError && fieldOf(err) === 'feedUrl' ? t.rewards.noFeedUrl : messageFor(err),
      })
    }
  }

  return (
    <section class="card" aria-labelledby="feed-title" data-feed-import>
      <h2 id="feed-title">{t.rewards.feedTitle}</h2>
      {last === undefined && <Loading />}
      {last === null && <p>{t.rewards.noImport}</p>}
      {last && (
        <>
          <p>
            <strong>{t.rewards.lastImport}:</strong> {t.dateTime(last.startedAt)} —{' '}
            {t.rewards.importStatus[last.status]}
          </p>
          {last.fatal && <Notice kind="error">{last.fatal.message}</Notice>}
          {last.status !== 'running' && !last.fatal && (
            <p>
              {t.rewards.importCounts(last)} {t.rewards.importSkipped(last)}
            </p>
          )}
          {last.errors.length > 0 && <ReportEntries title={t.rewards.importErrors} entries={last.errors} />}
          {last.warnings.length > 0 && <ReportEntries title={t.rewards.importWarnings} entries={last.warnings} />}
          {last.report && (
            <details>
              <summary>{t.rewards.fullReport}</summary>
              <pre class="report">{last.report}</pre>
            </details>
          )}
        </>
      )}
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <button type="button" class="secondary" onClick={importNow} disabled={last?.status === 'running'}>
        {t.rewards.importNow}
      </button>
    </section>
  )
}

function ReportEntries({ title, entries }: { title: string; entries: FeedImportView['errors'] }) {
  return (
    <>
      <h3>{title}</h3>
      <ul class="report-list">
        {entries.map((e, i) => (
          <li key={i}>
            {t.rewards.line(e.line)}
            {e.itemId && ` (${e.itemId})`}: {e.message}
          </li>
        ))}
      </ul>
    </>
  )
}

const LABELS: Record<keyof RewardForm, string> = {
  kind: t.rewards.kind,
  title: t.rewards.titleField,
  description: t.rewards.description,
  imageUrl: t.rewards.imageUrl,
  pointsCost: t.rewards.pointsCost,
  valueCents: t.rewards.valueCents,
  percent: t.rewards.percent,
  priceCents: t.rewards.priceCents,
  link: t.rewards.link,
  minimumOrderCents: t.rewards.minimumOrderCents,
  totalStock: t.rewards.totalStock,
  perMemberLimit: t.rewards.perMemberLimit,
}

const HELP: Partial<Record<keyof RewardForm, string>> = {
  title: t.rewards.titleHelp,
  description: t.rewards.descriptionHelp,
  imageUrl: t.rewards.imageUrlHelp,
  pointsCost: t.rewards.pointsCostHelp,
  valueCents: t.rewards.valueCentsHelp,
  percent: t.rewards.percentHelp,
  priceCents: t.rewards.priceCentsHelp,
  link: t.rewards.linkHelp,
  minimumOrderCents: t.rewards.minimumOrderCentsHelp,
  totalStock: t.rewards.totalStockHelp,
  perMemberLimit: t.rewards.perMemberLimitHelp,
}

const OPTIONAL = new Set<keyof RewardForm>([
  'description',
  'imageUrl',
  'priceCents',
  'link',
  'minimumOrderCents',
  'totalStock',
  'perMemberLimit',
])

/** Create (no id) or edit a reward; feed products only take what the feed does not own. */
export function RewardPage({ program, rewardId }: { program: ProgramView; rewardId: string | null }) {
  const loaded = useLoad(
    () => (rewardId ? endpoints.reward(program.id, rewardId) : Promise.resolve(null)),
    [program.id, rewardId],
  )
  const title = rewardId ? t.rewards.editTitle : t.rewards.newTitle
  return (
    <Page title={title} crumbs={[t.rewards.title]}>
      <LoadState of={loaded} />
      {!loaded.loading && !loaded.error && (
        <RewardEditor key={rewardId ?? 'new'} program={program} reward={loaded.data} />
      )}
    </Page>
  )
}

function RewardEditor({ program, reward }: { program: ProgramView; reward: RewardView | null }) {
  const [current, setCurrent] = useState(reward)
  const form = useForm<Record<keyof RewardForm, string>>(reward ? rewardToForm(reward) : emptyRewardForm())
  const [saved, setSaved] = useState(false)
  const source = current?.source ?? 'manual'
  const kind = form.values.kind as RewardKind
  const fields = rewardFields(kind, source)
  const { errors, bind } = form

  const submit = async (e: Event) => {
    e.preventDefault()
    form.clear()
    setSaved(false)
    form.setBusy(true)
    try {
      const body = rewardBody(form.values as unknown as RewardForm, source, !current)
      if (current) {
        const r = await endpoints.updateReward(program.id, current.id, body)
        setCurrent(r)
        setSaved(true)
      } else {
        const r = await endpoints.createReward(program.id, body)
        navigate({ name: 'reward', id: r.id }, { replace: true, flash: t.rewards.created })
      }
    } catch (err) {
      form.setErrors(formErrors(err, ['kind', ...fields]))
    } finally {
      form.setBusy(false)
    }
  }

  return (
    <form class="card narrow" onSubmit={submit} noValidate aria-label={current?.title ?? t.rewards.newTitle}>
      <ErrorSummary fields={errors.fields} general={errors.general} labels={LABELS} />
      {saved && <Notice kind="ok">{t.common.saved}</Notice>}
      {current?.source === 'feed' && (
        <Notice kind="info">
          <strong>{current.title}</strong> — {t.rewards.feedOwned}
        </Notice>
      )}
      <Field id="kind" label={t.rewards.kind} help={t.rewards.kindHelp} error={errors.fields.kind}>
        {(p) => (
          <select {...p} {...bind('kind')} onChange={bind('kind').onInput} disabled={!!current}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t.rewards.kinds[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {fields.map((f) => (
        <Field key={f} id={f} label={LABELS[f]} help={HELP[f]} error={errors.fields[f]} optional={OPTIONAL.has(f)}>
          {(p) =>
            f === 'description' ? (
              <textarea {...p} {...bind(f)} rows={3} />
            ) : (
              <input
                {...p}
                {...bind(f)}
                type="text"
                inputMode={
                  f === 'imageUrl' || f === 'link'
                    ? 'url'
                    : f.endsWith('Cents')
                      ? 'decimal'
                      : f === 'title'
                        ? 'text'
                        : 'numeric'
                }
                class={f === 'title' || f === 'imageUrl' || f === 'link' ? undefined : 'short'}
                aria-required={!OPTIONAL.has(f)}
              />
            )
          }
        </Field>
      ))}
      <div class="actions">
        <Link to={{ name: 'rewards', tab: source, q: '' }} class="button secondary">
          {t.common.back}
        </Link>
        <button type="submit" class="primary" disabled={form.busy}>
          {form.busy ? t.common.saving : current ? t.common.save : t.rewards.create}
        </button>
      </div>
    </form>
  )
}
