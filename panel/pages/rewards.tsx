import { useEffect, useState } from 'preact/hooks'
import type { ProgramView } from '../../shared/api/programs.ts'
import type { RewardView } from '../../shared/api/rewards.ts'
import { Link, Notice, Page } from '../components.tsx'
import { LoadState, Table, useLoad } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { ApiError, fieldMessage, fieldOf, messageFor } from '../errors.ts'
import { parseInteger } from '../forms.ts'
import { t } from '../i18n.ts'
import { rewardStatus } from '../rewards.ts'
import { navigate } from '../state.ts'
import { FeedImports } from './feed-imports.tsx'

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
