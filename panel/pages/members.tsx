import { useEffect, useState } from 'preact/hooks'
import type { LedgerEntryView, MemberListItem } from '../../shared/api/members.ts'
import type { ProgramView } from '../../shared/api/programs.ts'
import { ErrorSummary, Field, Link, Notice, Page, useForm } from '../components.tsx'
import { LoadState, Table, useLoad } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { ApiError } from '../errors.ts'
import { numberOr, parseCents, parseInteger } from '../forms.ts'
import { t } from '../i18n.ts'
import { navigate } from '../state.ts'
import { Redemptions } from './redemptions.tsx'
import { MemberPrivacy } from './member-privacy.tsx'

/**
 * Members: search by e-mail or name, filter by VIP tier (when the program has tiers), newest
 * first, "Carregar mais". Read-only, so it works on a phone.
 */
export function MembersPage({ program, q, tier }: { program: ProgramView; q: string; tier: string }) {
  const [text, setText] = useState(q)
  const [items, setItems] = useState<MemberListItem[]>([])
  const [more, setMore] = useState(false)
  const pageOf = (cursor: string | null) => {
    return endpoints.members(program.id, { limit: '25', q, cursor: cursor ?? undefined, tier: tier || undefined })
  }
  const first = useLoad(() => pageOf(null), [program.id, q, tier])
  const rules = useLoad(() => endpoints.tiers(program.id), [program.id])
  const tiers = rules.data?.enabled ? rules.data.tiers : []
  const [next, setNext] = useState<string | null>(null)
  useEffect(() => {
    if (first.data) {
      setItems(first.data.items)
      setNext(first.data.nextCursor)
    }
  }, [first.data])
  useEffect(() => setText(q), [q])

  const loadMore = async () => {
    setMore(true)
    try {
      const page = await pageOf(next)
      setItems((xs) => [...xs, ...page.items])
      setNext(page.nextCursor)
    } finally {
      setMore(false)
    }
  }

  return (
    <Page title={t.members.title} intro={t.members.intro}>
      <form
        class="search"
        role="search"
        onSubmit={(e) => (e.preventDefault(), navigate({ name: 'members', q: text.trim(), tier }))}
      >
        <label for="member-q">{t.members.search}</label>
        <p class="help" id="member-q-help">
          {t.members.searchHelp}
        </p>
        <div class="inline">
          <input
            id="member-q"
            type="search"
            value={text}
            aria-describedby="member-q-help"
            onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit" class="secondary">
            {t.members.searchSubmit}
          </button>
        </div>
        {tiers.length > 0 && (
          <>
            <label for="member-tier">{t.members.tierFilter}</label>
            <select
              id="member-tier"
              value={tier}
              onChange={(e) => navigate({ name: 'members', q, tier: (e.currentTarget as HTMLSelectElement).value })}
            >
              <option value="">{t.members.allTiers}</option>
              {tiers.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </>
        )}
      </form>
      <LoadState of={first} />
      {first.data && items.length === 0 && <p>{t.members.empty}</p>}
      {items.length > 0 && (
        <Table
          data="members"
          columns={[
            // The balance next to the name: on a phone it is what the merchant looks for first.
            t.members.columns.name,
            `#${t.members.columns.balance}`,
            ...(tiers.length > 0 ? [t.members.columns.tier] : []),
            t.members.columns.email,
            t.members.columns.since,
          ]}
        >
          {items.map((m) => (
            <tr key={m.id}>
              <td>
                <Link to={{ name: 'member', id: m.id }}>{m.name ?? t.members.noName}</Link>
              </td>
              <td class="num" data-balance>
                {program.mode === 'cashback' ? t.inUnit(m.balance, program) : t.number(m.balance)}
              </td>
              {tiers.length > 0 && <td data-tier>{m.tier?.name ?? ''}</td>}
              <td>{m.email}</td>
              <td>{t.date(m.createdAt)}</td>
            </tr>
          ))}
        </Table>
      )}
      {next && (
        <button type="button" class="secondary" onClick={loadMore} disabled={more}>
          {t.common.loadMore}
        </button>
      )}
    </Page>
  )
}

type AdjustmentResponse = Awaited<ReturnType<typeof endpoints.adjustPoints>>

/** One member: balance, details, history, manual adjustment (reason required) and redemptions. */
export function MemberPage({ program, memberId }: { program: ProgramView; memberId: number }) {
  const loaded = useLoad(() => endpoints.member(program.id, memberId), [program.id, memberId])
  const [history, setHistory] = useState<{ items: LedgerEntryView[]; nextCursor: string | null }>({
    items: [],
    nextCursor: null,
  })
  const [balance, setBalance] = useState(0)
  useEffect(() => {
    if (!loaded.data) return
    setHistory(loaded.data.history)
    setBalance(loaded.data.member.balance)
  }, [loaded.data])

  const loadMore = async () => {
    const page = await endpoints.ledger(program.id, memberId, { limit: '50', cursor: history.nextCursor! })
    setHistory((h) => ({ items: [...h.items, ...page.items], nextCursor: page.nextCursor }))
  }

  const m = loaded.data?.member
  return (
    <Page title={m ? (m.name ?? m.email) : t.members.title} crumbs={[t.members.title]}>
      <LoadState of={loaded} />
      {m && (
        <>
          <div class="split">
            <section class="card" aria-labelledby="balance-title">
              <h2 id="balance-title">{t.members.balance}</h2>
              <p class="big" data-member-balance>
                {t.inUnit(balance, program)}
              </p>
              <dl class="facts">
                <dt>{t.members.email}</dt>
                <dd>{m.email}</dd>
                {m.cpf && (
                  <>
                    <dt>{t.members.cpf}</dt>
                    <dd>{t.cpf(m.cpf)}</dd>
                  </>
                )}
                {m.birthDate && (
                  <>
                    <dt>{t.members.birthDate}</dt>
                    <dd>{t.date(`${m.birthDate}T12:00:00Z`)}</dd>
                  </>
                )}
                {m.liCustomerId !== null && (
                  <>
                    <dt>{t.members.liCustomer}</dt>
                    <dd>#{m.liCustomerId}</dd>
                  </>
                )}
                <dt>{t.members.since}</dt>
                <dd>{t.date(m.createdAt)}</dd>
                {loaded.data?.tier && (
                  <>
                    <dt>{t.members.tier}</dt>
                    <dd data-member-tier>
                      {loaded.data.tier.tier?.name ?? t.members.noTier}
                      {/* pt-BR sentences from the server (server/i18n/tiers.ts), as the shopper reads them. */}
                      {loaded.data.tier.nextText && <div class="muted">{loaded.data.tier.nextText}</div>}
                      {loaded.data.tier.keepText && <div class="muted">{loaded.data.tier.keepText}</div>}
                    </dd>
                  </>
                )}
              </dl>
            </section>
            <Adjustment
              program={program}
              memberId={memberId}
              balance={balance}
              onPosted={(res) => {
                setBalance(res.balance)
                if (res.created) setHistory((h) => ({ ...h, items: [res.entry, ...h.items] }))
              }}
            />
          </div>
          <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">{t.members.history}</h2>
            {history.items.length === 0 ? (
              <p>{t.members.historyEmpty}</p>
            ) : (
              <Table
                data="history"
                columns={[
                  t.members.historyColumns.date,
                  t.members.historyColumns.kind,
                  t.members.historyColumns.reason,
                  `#${program.mode === 'cashback' ? t.members.value : t.members.historyColumns.amount}`,
                ]}
              >
                {history.items.map((e) => (
                  <tr key={e.id}>
                    <td data-occurred-at>
                      {t.dateTime(e.occurredAt)}
                      {t.date(e.occurredAt) !== t.date(e.createdAt) && (
                        <span class="opt"> {t.members.recordedOn(t.date(e.createdAt))}</span>
                      )}
                    </td>
                    <td>{t.members.kinds[e.kind] ?? e.kind}</td>
                    <td>{e.reason}</td>
                    <td class={e.amount < 0 ? 'num neg' : 'num pos'}>{t.signedInUnit(e.amount, program)}</td>
                  </tr>
                ))}
              </Table>
            )}
            {history.nextCursor && (
              <button type="button" class="secondary" onClick={loadMore}>
                {t.common.loadMore}
              </button>
            )}
          </section>
          <Redemptions program={program} memberId={memberId} />
          <MemberPrivacy program={program} member={m} onErased={loaded.reload} />
        </>
      )}
    </Page>
  )
}

/** "-10,50" → -1050, "10" → 1000: a signed amount in reais, as cents; null when it is not one. */
const signedCents = (text: string): number | null => {
  const s = text.trim()
  const minus = s.startsWith('-')
  const cents = parseCents(minus ? s.slice(1) : s.replace(/^\+/, ''))
  return cents === null ? null : minus ? -cents : cents
}

function Adjustment({
  program,
  memberId,
  balance,
  onPosted,
}: {
  program: ProgramView
  memberId: number
  /** The balance shown, for a refusal that does not carry one. */
  balance: number
  onPosted: (r: AdjustmentResponse) => void
}) {
  const form = useForm({ amount: '', reason: '' })
  const [done, setDone] = useState<string | null>(null)
  // One key per intended adjustment: a retried click after a lost answer posts once.
  const [key, setKey] = useState(() => crypto.randomUUID())
  const { errors, bind, values } = form
  // A cashback program's ledger is in cents: the merchant types reais.
  const cashback = program.mode === 'cashback'
  const amountLabel = cashback ? t.members.amountCashback : t.members.amount
  const submit = async (e: Event) => {
    e.preventDefault()
    form.clear()
    setDone(null)
    // Checked here too, both at once, so the merchant hears it before any request.
    const amount = cashback ? signedCents(values.amount) : parseInteger(values.amount)
    const local: Record<string, string> = {}
    if (amount === null || amount === 0)
      local.amount = cashback ? t.members.amountCashbackInvalid : t.fields.amount!.validation_failed!
    if (values.reason.trim() === '') local.reason = t.fields.reason!.validation_failed!
    if (Object.keys(local).length) {
      form.setErrors({ fields: local, general: null })
      return
    }
    form.setBusy(true)
    try {
      const res = await endpoints.adjustPoints(program.id, memberId, {
        amount: numberOr(values.amount, cashback ? signedCents : parseInteger, values.amount),
        reason: values.reason.trim(),
        idempotencyKey: key,
      })
      onPosted(res)
      setDone(t.members.adjusted(t.inUnit(res.balance, program)))
      form.setValues({ amount: '', reason: '' })
      setKey(crypto.randomUUID())
    } catch (err) {
      // A removal beyond the balance is the amount's fault: said at the amount, with the balance.
      const left = err instanceof ApiError && err.balance !== null ? err.balance : balance
      form.fail(
        err,
        ['amount', 'reason'],
        {
          amount: {
            insufficient_points: t.members.notEnough(t.inUnit(left, program)),
            ...(cashback ? { validation_failed: t.members.amountCashbackInvalid } : {}),
          },
        },
        { codeFields: { insufficient_points: 'amount' } },
      )
    } finally {
      form.setBusy(false)
    }
  }
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="adjust-title">
      <h2 id="adjust-title">{cashback ? t.members.adjustTitleCashback : t.members.adjustTitle}</h2>
      <ErrorSummary
        fields={errors.fields}
        general={errors.general}
        labels={{ amount: amountLabel, reason: t.members.reason }}
      />
      {done && <Notice kind="ok">{done}</Notice>}
      <Field
        id="amount"
        label={amountLabel}
        help={cashback ? t.members.amountCashbackHelp : t.members.amountHelp}
        error={errors.fields.amount}
      >
        {(p) => (
          <input
            {...p}
            {...bind('amount')}
            type="text"
            inputMode={cashback ? 'decimal' : 'numeric'}
            aria-required
            class="short"
          />
        )}
      </Field>
      <Field id="reason" label={t.members.reason} help={t.members.reasonHelp} error={errors.fields.reason}>
        {(p) => <input {...p} {...bind('reason')} type="text" maxLength={300} aria-required />}
      </Field>
      <button type="submit" class="primary" disabled={form.busy}>
        {t.members.adjustSubmit}
      </button>
    </form>
  )
}
