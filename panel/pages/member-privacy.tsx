import { useState } from 'preact/hooks'
import type { MemberView } from '../../shared/api/members.ts'
import type { ProgramView } from '../../shared/api/programs.ts'
import { ConfirmDialog, Notice } from '../components.tsx'
import { saveFile } from '../download.ts'
import { endpoints } from '../endpoints.ts'
import { messageFor } from '../errors.ts'
import { t } from '../i18n.ts'

/** A member's LGPD section: download their data (JSON, CSV) and erase it, after a confirmation. */
export function MemberPrivacy({
  program,
  member,
  onErased,
}: {
  program: ProgramView
  member: MemberView
  onErased: () => void
}) {
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState(false)
  const download = async (format: 'json' | 'csv') => {
    setError(null)
    try {
      const text = await endpoints.memberData(program.id, member.id, format)
      saveFile(text, `participante-${member.id}.${format}`, format === 'csv' ? 'text/csv' : 'application/json')
    } catch (err) {
      setError(messageFor(err))
    }
  }
  const erase = async () => {
    setBusy(true)
    setError(null)
    try {
      await endpoints.eraseMember(program.id, member.id)
      setOpen(false)
      setDone(true)
      onErased()
    } catch (err) {
      setError(messageFor(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section class="card" aria-labelledby="privacy-title">
      <h2 id="privacy-title">{t.privacy.memberTitle}</h2>
      {done && <Notice kind="ok">{t.privacy.erased}</Notice>}
      {member.erasedAt ? <p>{t.privacy.erasedAt(t.date(member.erasedAt))}</p> : <p>{t.privacy.memberIntro}</p>}
      {error && !open && <Notice kind="error">{error}</Notice>}
      <div class="actions">
        <button type="button" class="secondary" onClick={() => void download('json')}>
          {t.privacy.downloadJson}
        </button>
        <button type="button" class="secondary" onClick={() => void download('csv')}>
          {t.privacy.downloadCsv}
        </button>
        {!member.erasedAt && (
          <button type="button" class="danger" onClick={() => setOpen(true)}>
            {t.privacy.erase}
          </button>
        )}
      </div>
      <ConfirmDialog
        open={open}
        title={t.privacy.eraseTitle}
        body={t.privacy.eraseBody}
        confirm={t.privacy.eraseConfirm}
        cancel={t.common.cancel}
        busy={busy}
        error={open ? error : null}
        onConfirm={() => void erase()}
        onCancel={() => setOpen(false)}
      />
    </section>
  )
}
