import { useState } from 'preact/hooks'
import type { ProgramView } from '../../shared/api/programs.ts'
import type { ReferralView } from '../../shared/api/referrals.ts'
import { Field, Link, Notice } from '../components.tsx'
import { LoadMore, LoadState, usePaged } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { ApiError, fieldMessage, messageFor } from '../errors.ts'
import { t } from '../i18n.ts'

const x = t.referrals

/**
 * The program's referrals, newest first: those waiting for a decision ("Em análise", the default)
 * or all of them. Cards, not a table, so every line reads whole on a phone.
 */
export function ReferralList({ program, list }: { program: ProgramView; list: 'review' | 'all' }) {
  const page = usePaged(
    (cursor) => endpoints.referrals(program.id, { status: list, limit: '25', cursor: cursor ?? undefined }),
    [program.id, list],
  )
  const [decided, setDecided] = useState<Record<string, ReferralView>>({})
  return (
    <section class="referral-list" aria-labelledby="referral-list-title" data-referral-list={list}>
      <h2 id="referral-list-title">{x.listTitle}</h2>
      <nav class="tabs" aria-label={x.listLabel}>
        {(['review', 'all'] as const).map((k) => (
          <Link key={k} to={{ name: 'referrals', list: k }} aria-current={k === list ? 'page' : undefined}>
            {x.views[k]}
          </Link>
        ))}
      </nav>
      <LoadState of={page.first} />
      {page.first.data && page.items.length === 0 && <p>{list === 'review' ? x.emptyReview : x.emptyAll}</p>}
      {page.items.length > 0 && (
        <ul class="referrals">
          {page.items.map((r) => (
            <Card
              // Per view: the confirmation of a decision stays with the view it was made in.
              key={`${list}:${r.id}`}
              program={program}
              r={decided[r.id] ?? r}
              onDecided={(v) => setDecided((d) => ({ ...d, [v.id]: v }))}
            />
          ))}
        </ul>
      )}
      <LoadMore list={page} />
    </section>
  )
}

function Card({
  program,
  r,
  onDecided,
}: {
  program: ProgramView
  r: ReferralView
  onDecided: (v: ReferralView) => void
}) {
  const [done, setDone] = useState<boolean | null>(null)
  return (
    <li data-referral={r.id} data-status={r.status}>
      <p>
        <span class={`badge ${r.status === 'review' ? 'warn' : r.status === 'credited' ? 'ok' : 'muted'}`}>
          {x.statuses[r.status]}
        </span>
      </p>
      {done !== null && <Notice kind="ok">{x.decided(done)}</Notice>}
      <dl>
        <dt>{x.advocate}</dt>
        <dd>
          <Link to={{ name: 'member', id: r.advocate.memberId }}>{r.advocate.name ?? r.advocate.email}</Link>
          {r.advocate.name && <span class="help"> · {r.advocate.email}</span>}
        </dd>
        <dt>{x.friend}</dt>
        <dd data-friend-email>{r.friendEmail}</dd>
        <dt>{x.claimedAt}</dt>
        <dd>{t.dateTime(r.claimedAt)}</dd>
        {r.couponCode && (
          <>
            <dt>{x.coupon}</dt>
            <dd>
              <code class="coupon-code">{r.couponCode}</code>
              {r.couponValidUntil && !r.orderId && (
                <span class="help">
                  {' · '}
                  {x.couponValid(t.calendarDay(r.couponValidUntil), r.status === 'expired')}
                </span>
              )}
            </dd>
          </>
        )}
        {r.orderId && (
          <>
            <dt>{x.order}</dt>
            <dd>
              {x.orderNumber(r.orderId)}
              {r.status === 'ordered' && r.creditAvailableOn && (
                <span class="help"> · {x.creditOn(t.calendarDay(r.creditAvailableOn))}</span>
              )}
              {r.creditedAt && <span class="help"> · {x.creditedAt(t.dateTime(r.creditedAt))}</span>}
            </dd>
          </>
        )}
      </dl>
      {r.reasons.length > 0 && (
        <div data-reasons>
          <h3>{r.status === 'review' ? x.reasonsTitle : x.heldFor}</h3>
          <ul>
            {r.reasons.map((k) => (
              <li key={k}>{x.reasons[k]}</li>
            ))}
          </ul>
        </div>
      )}
      {r.decisions.length > 0 && (
        <div data-decisions>
          <h3>{x.history}</h3>
          <ul>
            {r.decisions.map((d) => (
              <li key={d.at + d.decision}>
                {x.decision(d.decision === 'approved', d.by, t.dateTime(d.at))}
                {d.reason && (
                  <>
                    <br />
                    <span class="help">{x.decisionReason(d.reason)}</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {r.status === 'review' && (
        <Decide
          program={program}
          r={r}
          onDecided={(v, approved) => {
            setDone(approved)
            onDecided(v)
          }}
        />
      )}
    </li>
  )
}

/** Approve (reason optional) or reject (reason required): the choice first, then its reason and a confirmation. */
function Decide({
  program,
  r,
  onDecided,
}: {
  program: ProgramView
  r: ReferralView
  onDecided: (v: ReferralView, approved: boolean) => void
}) {
  const [choice, setChoice] = useState<'approve' | 'reject' | null>(null)
  const [reason, setReason] = useState('')
  const [fieldError, setFieldError] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const id = `reason-${r.id}`
  if (!choice)
    return (
      <div class="actions">
        <button type="button" class="primary" onClick={() => setChoice('approve')}>
          {x.approve}
        </button>
        <button type="button" class="secondary" onClick={() => setChoice('reject')}>
          {x.reject}
        </button>
      </div>
    )
  const approve = choice === 'approve'
  const submit = async (e: Event) => {
    e.preventDefault()
    const text = reason.trim()
    setError(null)
    // Said before sending (the API refuses it too): a rejection needs its reason.
    const local = !approve && !text ? x.reasonRequired : text.length > 500 ? x.reasonLong : null
    setFieldError(local)
    if (local) return document.getElementById(id)?.focus()
    setBusy(true)
    try {
      const v = approve
        ? await endpoints.approveReferral(program.id, r.id, text ? { reason: text } : {})
        : await endpoints.rejectReferral(program.id, r.id, { reason: text })
      onDecided(v, approve)
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.field === 'reason')
        setFieldError(fieldMessage(err, x.decisionFields))
      else setError(messageFor(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form onSubmit={submit} noValidate aria-label={approve ? x.approveTitle : x.rejectTitle} data-decide={choice}>
      <h3>{approve ? x.approveTitle : x.rejectTitle}</h3>
      {error && <Notice kind="error">{error}</Notice>}
      <Field
        id={id}
        label={x.reason}
        optional={approve}
        help={approve ? x.approveHelp : x.rejectHelp}
        error={fieldError}
      >
        {(p) => (
          <textarea
            {...p}
            rows={2}
            maxLength={600}
            value={reason}
            onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)}
          />
        )}
      </Field>
      <div class="actions">
        <button type="submit" class={approve ? 'primary' : 'danger'} disabled={busy}>
          {approve ? x.confirmApprove : x.confirmReject}
        </button>
        <button type="button" class="secondary" onClick={() => (setChoice(null), setFieldError(null))}>
          {t.common.cancel}
        </button>
      </div>
    </form>
  )
}
