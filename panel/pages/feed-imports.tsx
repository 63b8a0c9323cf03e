import { useEffect, useRef, useState } from 'preact/hooks'
import type { ProgramView } from '../../shared/api/programs.ts'
import type { FeedImportView } from '../../shared/api/rewards.ts'
import { Notice } from '../components.tsx'
import { Loading } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { ApiError, fieldOf, messageFor } from '../errors.ts'
import { t } from '../i18n.ts'
import { POLL_AFTER_REQUEST_MS } from '../sync-health.ts'

/** The last feed import's report and "Importar agora"; polls while an import runs or was just asked for. */
export function FeedImports({ program, onImported }: { program: ProgramView; onImported: () => void }) {
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
