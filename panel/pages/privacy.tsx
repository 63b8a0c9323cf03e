import { useState } from 'preact/hooks'
import type { PrivacyRequestView } from '../../shared/api/privacy.ts'
import type { ProgramView } from '../../shared/api/programs.ts'
import { ErrorSummary, Field, Notice, Page, useForm } from '../components.tsx'
import { LoadMore, LoadState, Table, usePaged } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { messageFor } from '../errors.ts'
import { numberOr, parseInteger } from '../forms.ts'
import { t } from '../i18n.ts'

const KINDS = ['access', 'portability', 'correction', 'erasure'] as const

/**
 * Privacidade (LGPD): every privacy request of the program with its due date (15 days), newest
 * first; requests that came by other channels are registered here, and any open one completed.
 */
export function PrivacyPage({ program }: { program: ProgramView }) {
  const [reload, setReload] = useState(0)
  const list = usePaged(
    (cursor) => endpoints.privacyRequests(program.id, cursor ? { cursor } : {}),
    [program.id, reload],
  )
  const [error, setError] = useState<string | null>(null)
  const complete = async (r: PrivacyRequestView) => {
    setError(null)
    try {
      await endpoints.completePrivacyRequest(program.id, r.id)
      setReload((n) => n + 1)
    } catch (err) {
      setError(messageFor(err))
    }
  }
  const now = Date.now()
  return (
    <Page title={t.privacy.title} intro={t.privacy.intro}>
      <Register program={program} onDone={() => setReload((n) => n + 1)} />
      <section class="card" aria-labelledby="requests-title">
        <h2 id="requests-title">{t.privacy.title}</h2>
        {error && <Notice kind="error">{error}</Notice>}
        <LoadState of={list.first} />
        {list.first.data && list.items.length === 0 && <p>{t.privacy.empty}</p>}
        {list.items.length > 0 && (
          <Table data="privacy-requests" columns={Object.values(t.privacy.columns).concat([''])}>
            {list.items.map((r) => (
              <tr key={r.id} data-request={r.id}>
                <td>{r.memberLabel}</td>
                <td>
                  {t.privacy.kinds[r.kind]}
                  <span class="opt"> {t.privacy.channels[r.channel]}</span>
                </td>
                <td>
                  {t.privacy.states[r.state]}
                  {r.state === 'open' && Date.parse(r.dueAt) < now && <strong> · {t.privacy.overdue}</strong>}
                </td>
                <td>{t.date(r.requestedAt)}</td>
                <td>{t.date(r.dueAt)}</td>
                <td>{r.doneAt ? t.date(r.doneAt) : t.common.none}</td>
                <td>
                  {r.state === 'open' && (
                    <button type="button" class="secondary" onClick={() => void complete(r)}>
                      {r.kind === 'erasure' ? t.privacy.completeErasure : t.privacy.complete}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
        <LoadMore list={list} />
      </section>
    </Page>
  )
}

function Register({ program, onDone }: { program: ProgramView; onDone: () => void }) {
  const form = useForm({ memberId: '', kind: 'access', note: '' })
  const [done, setDone] = useState(false)
  const { errors, bind, values } = form
  const submit = async (e: Event) => {
    e.preventDefault()
    form.clear()
    setDone(false)
    form.setBusy(true)
    try {
      await endpoints.registerPrivacyRequest(program.id, {
        memberId: numberOr(values.memberId, parseInteger, values.memberId),
        kind: values.kind,
        ...(values.note.trim() ? { note: values.note.trim() } : {}),
      })
      form.setValues({ memberId: '', kind: 'access', note: '' })
      setDone(true)
      onDone()
    } catch (err) {
      form.fail(err, ['memberId', 'kind', 'note'])
    } finally {
      form.setBusy(false)
    }
  }
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="register-title">
      <h2 id="register-title">{t.privacy.registerTitle}</h2>
      <ErrorSummary
        fields={errors.fields}
        general={errors.general}
        labels={{ memberId: t.privacy.memberId, kind: t.privacy.kind, note: t.privacy.note }}
      />
      {done && <Notice kind="ok">{t.privacy.registered}</Notice>}
      <Field id="memberId" label={t.privacy.memberId} help={t.privacy.memberIdHelp} error={errors.fields.memberId}>
        {(p) => <input {...p} {...bind('memberId')} type="text" inputMode="numeric" class="short" aria-required />}
      </Field>
      <Field id="kind" label={t.privacy.kind} error={errors.fields.kind}>
        {(p) => (
          <select {...p} {...bind('kind')}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t.privacy.kinds[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="note" label={t.privacy.note} help={t.privacy.noteHelp} error={errors.fields.note} optional>
        {(p) => <input {...p} {...bind('note')} type="text" maxLength={500} />}
      </Field>
      <button type="submit" class="primary" disabled={form.busy}>
        {t.privacy.register}
      </button>
    </form>
  )
}
