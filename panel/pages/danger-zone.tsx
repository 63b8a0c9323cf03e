import { useState } from 'preact/hooks'
import type { ProgramView } from '../../shared/api/programs.ts'
import { Field, Notice } from '../components.tsx'
import { endpoints } from '../endpoints.ts'
import { ApiError, messageFor } from '../errors.ts'
import { t } from '../i18n.ts'
import { replaceProgram } from '../state.ts'

/**
 * Configurações > Programa, at the bottom: deleting the program (typed confirmation, the 48-hour
 * grace period stated), and while it is scheduled, the date it goes and "Desfazer".
 */
export function DangerZone({ program }: { program: ProgramView }) {
  const [typed, setTyped] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const run = async (f: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await f()
    } catch (err) {
      setError(
        err instanceof ApiError && err.field === 'confirmName' ? t.danger.confirmLabel(program.name) : messageFor(err),
      )
    } finally {
      setBusy(false)
    }
  }
  const update = (d: { deletionRequestedAt: string | null; purgeAfter: string | null }) =>
    replaceProgram({ ...program, ...d })
  return (
    <section class="card danger-zone" aria-labelledby="danger-title">
      <h2 id="danger-title">{t.danger.title}</h2>
      {error && <Notice kind="error">{error}</Notice>}
      {notice && <Notice kind="ok">{notice}</Notice>}
      {program.purgeAfter ? (
        <>
          <Notice kind="warn">{t.danger.scheduled(t.dateTime(program.purgeAfter))}</Notice>
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                update(await endpoints.restoreProgram(program.id))
                setNotice(t.danger.undone)
              })
            }
          >
            {t.danger.undo}
          </button>
        </>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            void run(async () => {
              update(await endpoints.deleteProgram(program.id, typed))
              setTyped('')
            })
          }}
        >
          <p>{t.danger.intro}</p>
          <p>
            <strong>{t.danger.grace}</strong>
          </p>
          <Field id="confirm-name" label={t.danger.confirmLabel(program.name)} error={undefined}>
            {(p) => (
              <input
                {...p}
                type="text"
                autocomplete="off"
                value={typed}
                onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
              />
            )}
          </Field>
          <button type="submit" class="danger" disabled={busy || typed.trim() !== program.name.trim()}>
            {t.danger.submit}
          </button>
        </form>
      )}
    </section>
  )
}
