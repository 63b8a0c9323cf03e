import { useEffect, useState } from 'preact/hooks'
import type { EmailKind, EmailStatus, OutboxEmailView } from '../../shared/api/emails.ts'
import type { ProgramView } from '../../shared/api/programs.ts'
import { emailFailure, emailKinds, emailStatuses } from '../activity.ts'
import { Link, Page } from '../components.tsx'
import { LoadMore, LoadState, Table, usePaged } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { FilterActions, FilterSelect, SearchField } from '../filters.tsx'
import { t } from '../i18n.ts'
import { navigate } from '../state.ts'

type Filters = { kind: EmailKind | ''; status: EmailStatus | ''; q: string }

/**
 * E-mails enviados: what the program sent its members, newest first, by kind and status and
 * searched by recipient; a failure says why in pt-BR, then the mail server's own words.
 */
export function SentEmailsPage({ program, kind, status, q }: { program: ProgramView } & Filters) {
  const m = t.activity.emails
  const [text, setText] = useState(q)
  useEffect(() => setText(q), [q])
  const list = usePaged(
    (cursor) =>
      endpoints.emails(program.id, {
        limit: '25',
        kind: kind || undefined,
        status: status || undefined,
        q: q || undefined,
        cursor: cursor ?? undefined,
      }),
    [program.id, kind, status, q],
  )
  const go = (next: Partial<Filters>) => navigate({ name: 'sent-emails', kind, status, q: text.trim(), ...next })
  const filtered = kind !== '' || status !== '' || q !== ''

  return (
    <Page title={m.title} intro={m.intro}>
      <form class="filters" role="search" aria-label={m.search} onSubmit={(e) => (e.preventDefault(), go({}))}>
        <FilterSelect
          id="email-kind"
          label={m.kind}
          anyLabel={t.activity.anyKind}
          value={kind}
          options={emailKinds}
          labels={m.kinds}
          onChange={(v) => go({ kind: v })}
        />
        <FilterSelect
          id="email-status"
          label={m.status}
          anyLabel={t.activity.anyStatus}
          value={status}
          options={emailStatuses}
          labels={m.statuses}
          onChange={(v) => go({ status: v })}
        />
        <SearchField id="email-q" label={m.search} help={m.searchHelp} value={text} maxLength={254} onInput={setText} />
        <FilterActions
          clear={filtered && <Link to={{ name: 'sent-emails', kind: '', status: '', q: '' }}>{t.activity.clear}</Link>}
        />
      </form>
      <LoadState of={list.first} />
      {list.first.data && list.items.length === 0 && <p>{filtered ? m.emptyFiltered : m.empty}</p>}
      {list.items.length > 0 && (
        <Table
          data="sent-emails"
          columns={[m.columns.when, m.columns.to, m.columns.kind, m.columns.status, m.columns.subject]}
        >
          {list.items.map((e) => (
            <Row key={e.id} e={e} />
          ))}
        </Table>
      )}
      <LoadMore list={list} />
    </Page>
  )
}

function Row({ e }: { e: OutboxEmailView }) {
  const m = t.activity.emails
  // A failure's reason: for a failed e-mail, and for a pending one whose last try failed.
  const failure = e.lastError && e.status !== 'sent' ? e.lastError : null
  return (
    <tr data-email={e.id}>
      <td>
        {t.dateTime(e.sentAt ?? e.createdAt)}
        {!e.sentAt && (
          <>
            <br />
            <span class="help">{m.queuedAt}</span>
          </>
        )}
      </td>
      <td>{e.memberId !== null ? <Link to={{ name: 'member', id: e.memberId }}>{e.to}</Link> : e.to}</td>
      <td>{m.kinds[e.kind] ?? e.kind}</td>
      <td data-email-status={e.status}>
        {m.statuses[e.status] ?? e.status}
        {failure && (
          <>
            <br />
            <span class="help" data-email-failure>
              {e.status === 'pending' ? m.retrying : m.failures[emailFailure(failure)]}
            </span>
            <br />
            <span class="help">
              {m.serverSaid} <code>{failure}</code>
            </span>
          </>
        )}
        {e.attempts > 1 && (
          <>
            <br />
            <span class="help">{m.attempts(e.attempts)}</span>
          </>
        )}
      </td>
      <td>{e.subject}</td>
    </tr>
  )
}
