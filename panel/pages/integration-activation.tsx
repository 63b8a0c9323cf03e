import { useEffect, useRef, useState } from 'preact/hooks'
import type { IntegrationView } from '../../shared/api/integrations.ts'
import { ConfirmDialog, Notice } from '../components.tsx'
import { endpoints } from '../endpoints.ts'
import { ApiError, fieldOf, messageFor } from '../errors.ts'
import { t } from '../i18n.ts'
import { modeWords } from '../i18n/mode-words.ts'
import { currentProgram } from '../state.ts'

/** Integration and sync texts in the program's own words (points or cashback). */
const w = () => modeWords(currentProgram())

/** The integration page's activation card: activate or deactivate, each behind a confirmation. */
export function Activation({
  programId,
  integration,
  onChange,
}: {
  programId: string
  integration: IntegrationView | null
  onChange: (i: IntegrationView) => void
}) {
  const [dialog, setDialog] = useState<'activate' | 'deactivate' | null>(null)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const messageRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (message) messageRef.current?.focus()
  }, [message])

  const run = async (action: 'activate' | 'deactivate') => {
    setBusy(true)
    try {
      const res = await (action === 'activate' ? endpoints.activateIntegration : endpoints.deactivateIntegration)(
        programId,
      )
      onChange(res.integration)
      setMessage({ kind: 'ok', text: action === 'activate' ? w().integration.activated : w().integration.deactivated })
    } catch (err) {
      const field = err instanceof ApiError ? fieldOf(err) : null
      const text =
        err instanceof ApiError && err.status === 409 && field === 'apiKey'
          ? w().integration.refusedKey
          : err instanceof ApiError && err.status === 409 && field === 'awardingStatusIds'
            ? w().integration.refusedStatuses
            : messageFor(err)
      setMessage({ kind: 'error', text })
    } finally {
      setBusy(false)
      setDialog(null)
    }
  }

  const active = integration?.active ?? false
  return (
    <section class="card" aria-labelledby="activation-title" data-activation>
      <h2 id="activation-title">{w().integration.activationTitle}</h2>
      <p data-activation-state={active ? 'active' : 'inactive'}>
        {active
          ? w().integration.activeSince(t.dateTime(integration!.activatedAt ?? integration!.updatedAt))
          : w().integration.inactive}
      </p>
      {message && (
        <div ref={messageRef} tabIndex={-1}>
          <Notice kind={message.kind}>{message.text}</Notice>
        </div>
      )}
      {!integration && <p class="help">{w().integration.needSave}</p>}
      {/* Say beforehand what the API would refuse, so the button is not a guessing game. */}
      {integration && !active && integration.credentialsRejectedAt && <p class="help">{w().integration.refusedKey}</p>}
      {integration && !active && integration.awardingStatusIds.length === 0 && (
        <p class="help">{w().integration.refusedStatuses}</p>
      )}
      <button
        type="button"
        class={active ? 'secondary' : 'primary'}
        disabled={!integration || busy}
        onClick={() => (setMessage(null), setDialog(active ? 'deactivate' : 'activate'))}
      >
        {active ? w().integration.deactivate : w().integration.activate}
      </button>
      <ConfirmDialog
        open={dialog === 'activate'}
        title={w().integration.activateDialogTitle}
        body={w().integration.activateDialogBody}
        confirm={w().integration.activateConfirm}
        cancel={w().integration.activateCancel}
        busy={busy}
        onConfirm={() => void run('activate')}
        onCancel={() => setDialog(null)}
      />
      <ConfirmDialog
        open={dialog === 'deactivate'}
        title={w().integration.deactivateDialogTitle}
        body={w().integration.deactivateDialogBody}
        confirm={w().integration.deactivateConfirm}
        cancel={t.common.cancel}
        busy={busy}
        onConfirm={() => void run('deactivate')}
        onCancel={() => setDialog(null)}
      />
    </section>
  )
}
