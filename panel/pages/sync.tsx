import { useEffect, useRef, useState } from 'preact/hooks'
import type { SyncStatusView } from '../../shared/api/integrations.ts'
import { Notice } from '../components.tsx'
import { endpoints } from '../endpoints.ts'
import { messageFor } from '../errors.ts'
import { t } from '../i18n.ts'
import { modeWords } from '../i18n/mode-words.ts'
import { currentProgram } from '../state.ts'
import { countsToShow, shouldPoll, syncNotes, type SyncRequest } from '../sync-health.ts'

/** Integration and sync texts in the program's own words (points or cashback). */
const w = () => modeWords(currentProgram())

/**
 * Sync health: what the program holds from the store (customers, orders, points since the
 * activation) beside the last and next run, what the last run counted, the last error with what to do, and
 * "Sincronizar agora". Polls every 2 s while a run is in progress or one was just asked for.
 */
export function SyncHealth({ programId, refreshKey = 0 }: { programId: string; refreshKey?: number }) {
  const [status, setStatus] = useState<SyncStatusView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [request, setRequest] = useState<SyncRequest | null>(null)
  const [busy, setBusy] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  const load = async () => {
    try {
      const s = await endpoints.syncStatus(programId)
      setStatus(s)
      setError(null)
      return s
    } catch (err) {
      setError(messageFor(err))
      return null
    }
  }

  useEffect(() => {
    void load()
  }, [programId, refreshKey])

  useEffect(() => {
    clearTimeout(timer.current)
    if (status && shouldPoll(status, request, Date.now())) timer.current = setTimeout(() => void load(), 2000)
    return () => clearTimeout(timer.current)
  }, [status, request])

  const syncNow = async () => {
    setBusy(true)
    try {
      await endpoints.syncNow(programId)
      setRequest({ at: Date.now(), finishedBefore: status?.orders.lastRunFinishedAt ?? null })
      await load()
    } catch (err) {
      setError(messageFor(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="card" aria-labelledby="sync-title" data-sync>
      <h2 id="sync-title">{w().sync.title}</h2>
      {error && <Notice kind="error">{error}</Notice>}
      {status && !status.active && <p>{w().sync.inactive}</p>}
      {status?.credentialsRejected && <Notice kind="error">{w().sync.rejected}</Notice>}
      {status?.active && (
        <>
          <p class="help">{w().sync.every(status.intervalMinutes)}</p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{w().sync.what}</th>
                  <th scope="col" class="num">
                    {w().sync.total}
                  </th>
                  <th scope="col">{w().sync.lastRun}</th>
                  <th scope="col">{w().sync.result}</th>
                </tr>
              </thead>
              <tbody>
                {(['customers', 'orders'] as const).map((r) => {
                  const res = status[r]
                  return (
                    <tr key={r} data-resource={r}>
                      <th scope="row">{w().sync.resource[r]}</th>
                      <td class="num" data-total>
                        {w().sync.totals[r](status.totals[r])}
                      </td>
                      <td>
                        {res.running
                          ? w().sync.running
                          : res.lastRunFinishedAt
                            ? t.dateTime(res.lastRunFinishedAt)
                            : w().sync.neverRan}
                      </td>
                      <td>
                        {countsToShow(res.lastCounts)
                          .map(([k, n]) => w().sync.counts[k]!(n))
                          .join(', ') || t.common.none}
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
          {status.totals.since && (
            <p data-points-awarded>
              {status.totals.pointsAwarded > 0
                ? w().sync.pointsAwarded(
                    currentProgram()?.mode === 'cashback'
                      ? t.inUnit(status.totals.pointsAwarded, currentProgram()!)
                      : t.points(
                          status.totals.pointsAwarded,
                          currentProgram()?.pointsName ?? w().sync.defaultPointsName,
                        ),
                    t.date(status.totals.since),
                  )
                : w().sync.noPointsYet(t.date(status.totals.since))}
            </p>
          )}
          {status.nextRunAt && !status.credentialsRejected && (
            <p>
              {w().sync.nextRun}: {t.dateTime(status.nextRunAt)}
            </p>
          )}
          {(['customers', 'orders'] as const).flatMap((r) =>
            syncNotes(status[r].running ? status[r].currentCounts : status[r].lastCounts).map((note) => (
              <Notice kind="info" key={`${r}-${note}`}>
                <p>{w().sync.notes[note]}</p>
              </Notice>
            )),
          )}
          {(['customers', 'orders'] as const).map((r) =>
            status[r].lastError && !status.credentialsRejected ? (
              <Notice kind="warn" key={r}>
                <p>
                  <strong>
                    {w().sync.failed(
                      w().sync.resource[r],
                      t.dateTime(status[r].lastErrorAt ?? status[r].lastRunStartedAt ?? new Date().toISOString()),
                    )}
                  </strong>
                </p>
                <p>{w().sync.errorHint}</p>
                <details>
                  <summary>{w().sync.technical}</summary>
                  <code>{status[r].lastError}</code>
                </details>
              </Notice>
            ) : null,
          )}
          {request && shouldPoll(status, request, Date.now()) && <Notice kind="info">{w().sync.queued}</Notice>}
          {!status.credentialsRejected && (
            <button type="button" class="primary" onClick={syncNow} disabled={busy}>
              {w().sync.now}
            </button>
          )}
        </>
      )}
    </section>
  )
}
