import { useEffect, useState } from 'preact/hooks'
import type { AdminRedemptionView, RedemptionStatus } from '../../shared/api/redemptions.ts'
import type { ProgramView } from '../../shared/api/programs.ts'
import { redemptionStatuses } from '../activity.ts'
import { Link, Page } from '../components.tsx'
import { LoadMore, LoadState, Table, usePaged } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { FilterActions, FilterSelect, SearchField } from '../filters.tsx'
import { t } from '../i18n.ts'
import { navigate } from '../state.ts'
import { spent, StatusCell } from './redemptions.tsx'

/**
 * Resgates: every redemption of the program, newest first, by status and searched by coupon code
 * or e-mail, each linking to its member. Read-only, so it works on a phone.
 */
export function RedemptionListPage({
  program,
  status,
  q,
}: {
  program: ProgramView
  status: RedemptionStatus | ''
  q: string
}) {
  const r = t.activity.redemptions
  const [text, setText] = useState(q)
  useEffect(() => setText(q), [q])
  const list = usePaged(
    (cursor) =>
      endpoints.redemptions(program.id, {
        limit: '25',
        status: status || undefined,
        q: q || undefined,
        cursor: cursor ?? undefined,
      }),
    [program.id, status, q],
  )
  const go = (next: { status?: RedemptionStatus | ''; q?: string }) =>
    navigate({ name: 'redemptions', status, q: text.trim(), ...next })
  const filtered = status !== '' || q !== ''

  return (
    <Page title={r.title} intro={r.intro}>
      <form class="filters" role="search" aria-label={r.search} onSubmit={(e) => (e.preventDefault(), go({}))}>
        <FilterSelect
          id="redemption-status"
          label={r.status}
          anyLabel={t.activity.anyStatus}
          value={status}
          options={redemptionStatuses}
          labels={r.statuses}
          onChange={(v) => go({ status: v })}
        />
        <SearchField
          id="redemption-q"
          label={r.search}
          help={r.searchHelp}
          value={text}
          maxLength={200}
          onInput={setText}
        />
        <FilterActions
          clear={filtered && <Link to={{ name: 'redemptions', status: '', q: '' }}>{t.activity.clear}</Link>}
        />
      </form>
      <LoadState of={list.first} />
      {list.first.data && list.items.length === 0 && <p>{filtered ? r.emptyFiltered : r.empty}</p>}
      {list.items.length > 0 && (
        <Table
          data="all-redemptions"
          columns={[
            r.columns.date,
            r.columns.member,
            r.columns.coupon,
            r.columns.status,
            r.columns.reward,
            `#${program.mode === 'cashback' ? t.members.value : r.columns.points}`,
            r.columns.validUntil,
          ]}
        >
          {list.items.map((x) => (
            <Row key={x.id} r={x} program={program} />
          ))}
        </Table>
      )}
      <LoadMore list={list} />
    </Page>
  )
}

function Row({ r, program }: { r: AdminRedemptionView; program: ProgramView }) {
  return (
    <tr data-redemption={r.id}>
      <td>{t.dateTime(r.createdAt)}</td>
      <td>
        <Link to={{ name: 'member', id: r.memberId }}>{r.memberEmail}</Link>
        {r.memberName && (
          <>
            <br />
            <span class="help">{r.memberName}</span>
          </>
        )}
      </td>
      <td>{r.couponCode ? <code class="coupon-code">{r.couponCode}</code> : t.common.none}</td>
      <StatusCell r={r} cashback={program.mode === 'cashback'} />
      <td>
        {r.title}
        <br />
        <span class="help">{r.benefit}</span>
      </td>
      <td class="num">{spent(r, program)}</td>
      <td>{r.validUntil ? t.calendarDay(r.validUntil) : t.common.none}</td>
    </tr>
  )
}
