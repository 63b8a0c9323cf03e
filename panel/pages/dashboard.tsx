import type { ComponentChildren } from 'preact'
import { useMemo, useState } from 'preact/hooks'
import type { DashboardExport, DashboardFigures, DashboardView } from '../../shared/api/dashboard.ts'
import type { ProgramView } from '../../shared/api/programs.ts'
import { WeeklyChart } from '../charts.tsx'
import { Notice, Page } from '../components.tsx'
import { LoadState, useLoad } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { messageFor } from '../errors.ts'
import { t } from '../i18n.ts'
import { brl, count, num } from '../i18n/format.ts'

/**
 * Resultados: the program's figures for 30, 90 or 365 days beside the period before, weekly
 * charts (charts.tsx, uPlot) and the CSV downloads. Loaded lazily (pages/home.tsx), with its
 * charting library, only when the merchant opens it.
 */

const PERIODS = [30, 90, 365] as const
const percent = new Intl.NumberFormat('pt-BR', { style: 'percent', maximumFractionDigits: 1 })
const brDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`
const money = (c: number | null) => (c === null ? t.dashboard.noValue : brl.format(c / 100))
const rate = (r: number | null) => (r === null ? t.dashboard.noValue : percent.format(r))
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

const COLORS = { members: '#5b21b6', nonMembers: '#8c959f', issued: '#1a7f37', redeemed: '#5b21b6' }
const COLORS2 = { expired: '#9a6700', reversed: '#cf222e', newMembers: '#0969da' }

export function DashboardPage({ program, children }: { program: ProgramView; children?: ComponentChildren }) {
  const [days, setDays] = useState<number>(30)
  const loaded = useLoad(() => endpoints.dashboard(program.id, days), [program.id, days])
  const view = loaded.data
  return (
    <Page title={t.dashboard.title} intro={t.dashboard.intro} wide>
      <fieldset class="period-picker">
        <legend>{t.dashboard.period}</legend>
        {PERIODS.map((d) => (
          <label key={d} class={d === days ? 'on' : ''}>
            <input type="radio" name="dashboard-days" value={d} checked={d === days} onChange={() => setDays(d)} />
            {t.dashboard.days(d)}
          </label>
        ))}
      </fieldset>
      <LoadState of={loaded} />
      {view && <Figures view={view} program={program} />}
      {view && <Downloads programId={program.id} days={days} />}
      {children}
    </Page>
  )
}

function unitLabel(view: DashboardView, program: ProgramView) {
  return view.unit === 'cents' ? t.dashboard.cashbackUnit : cap(program.pointsName)
}

function Figures({ view, program }: { view: DashboardView; program: ProgramView }) {
  const c = view.current
  const p = view.previous
  const unit = unitLabel(view, program)
  const amount = (n: number) => (view.unit === 'cents' ? brl.format(n / 100) : num.format(n))
  const cards: Array<{
    label: string
    value: string
    now: number | null
    before: number | null
    shown: string
    extra?: string
  }> = [
    {
      label: t.dashboard.membersTotal,
      value: num.format(c.members.total),
      now: c.members.total,
      before: p.members.total,
      shown: num.format(p.members.total),
      extra: t.dashboard.membersNew(num.format(c.members.new)),
    },
    pct(t.dashboard.buyerShare, (f) => f.members.buyerShare, c, p),
    {
      ...moneyCard(t.dashboard.memberRevenue, (f) => f.byMembers.revenueCents, c, p),
      extra: t.dashboard.orders(num.format(c.byMembers.orders)),
    },
    {
      ...moneyCard(t.dashboard.nonMemberRevenue, (f) => f.byNonMembers.revenueCents, c, p),
      extra: t.dashboard.orders(num.format(c.byNonMembers.orders)),
    },
    moneyCard(t.dashboard.memberAverage, (f) => f.byMembers.averageOrderCents, c, p),
    moneyCard(t.dashboard.nonMemberAverage, (f) => f.byNonMembers.averageOrderCents, c, p),
    pct(t.dashboard.memberRepeat, (f) => f.byMembers.repeatRate, c, p),
    pct(t.dashboard.nonMemberRepeat, (f) => f.byNonMembers.repeatRate, c, p),
    {
      ...moneyCard(t.dashboard.couponRevenue, (f) => f.couponOrders.revenueCents, c, p),
      extra: t.dashboard.orders(num.format(c.couponOrders.orders)),
    },
    ...(['issued', 'redeemed', 'expired', 'reversed'] as const).map((k) => ({
      label: t.dashboard[k](unit),
      value: amount(c.ledger[k]),
      now: c.ledger[k],
      before: p.ledger[k],
      shown: amount(p.ledger[k]),
    })),
    pct(t.dashboard.redemptionRate, (f) => f.ledger.redemptionRate, c, p),
    {
      label: t.dashboard.liability,
      value: view.unit === 'cents' ? money(c.liability.balance) : `${num.format(c.liability.balance)}`,
      now: c.liability.balance,
      before: p.liability.balance,
      shown: amount(p.liability.balance),
      ...(view.unit === 'points' && c.liability.cents !== null
        ? { extra: t.dashboard.liabilityValue(money(c.liability.cents)) }
        : {}),
    },
    {
      label: t.dashboard.coupons,
      value: t.dashboard.couponsValue(num.format(c.redemptions.couponsIssued), num.format(c.redemptions.couponsUsed)),
      now: c.redemptions.couponsUsed,
      before: p.redemptions.couponsUsed,
      shown: t.dashboard.couponsValue(num.format(p.redemptions.couponsIssued), num.format(p.redemptions.couponsUsed)),
    },
  ]
  const how = view.pointValue
  const howText =
    how.basis === 'fixed_discount' || how.basis === 'product'
      ? t.dashboard.liabilityHow[how.basis](
          count((how.milliCentsPerPoint ?? 0) / 1000, 'centavo', 'centavos'),
          how.rewards,
        )
      : t.dashboard.liabilityHow[how.basis]()
  return (
    <>
      <p class="period-range" data-period>
        {t.dashboard.range(brDay(view.period.from), brDay(view.period.to))}{' '}
        <span class="muted">
          {t.dashboard.previousRange(brDay(view.previousPeriod.from), brDay(view.previousPeriod.to))}
        </span>
      </p>
      <section aria-label={t.dashboard.cards}>
        <ul class="figure-cards" data-cards>
          {cards.map((card) => (
            <li key={card.label} class="figure-card">
              <span class="figure-label">{card.label}</span>
              <strong class="figure-value">{card.value}</strong>
              {card.extra && <span class="figure-extra">{card.extra}</span>}
              <span class="figure-before">
                {t.dashboard.previous(card.shown)} <Delta now={card.now} before={card.before} />
              </span>
            </li>
          ))}
        </ul>
        <p class="help">{howText}</p>
      </section>
      <Charts view={view} unit={unit} amount={amount} />
      {view.tiers && <MembersPerTier tiers={view.tiers} />}
      <TopRewards view={view} unit={unit} amount={amount} />
    </>
  )
}

type Card = { label: string; value: string; now: number | null; before: number | null; shown: string }

function moneyCard(
  label: string,
  pick: (f: DashboardFigures) => number | null,
  c: DashboardFigures,
  p: DashboardFigures,
): Card {
  return { label, value: money(pick(c)), now: pick(c), before: pick(p), shown: money(pick(p)) }
}

function pct(
  label: string,
  pick: (f: DashboardFigures) => number | null,
  c: DashboardFigures,
  p: DashboardFigures,
): Card {
  return { label, value: rate(pick(c)), now: pick(c), before: pick(p), shown: rate(pick(p)) }
}

/** The change against the period before, as an arrow and words (the words are what a screen reader says). */
function Delta({ now, before }: { now: number | null; before: number | null }) {
  if (now === null || before === null || before === 0) return null
  const change = (now - before) / Math.abs(before)
  if (Math.abs(change) < 0.0005) return <span class="delta">{t.dashboard.same}</span>
  const text = percent.format(Math.abs(change))
  return change > 0 ? (
    <span class="delta up">▲ {t.dashboard.up(text)}</span>
  ) : (
    <span class="delta down">▼ {t.dashboard.down(text)}</span>
  )
}

function Charts({ view, unit, amount }: { view: DashboardView; unit: string; amount: (n: number) => string }) {
  const weeks = useMemo(() => view.weeks.map((w) => `${w.start.slice(8, 10)}/${w.start.slice(5, 7)}`), [view])
  // Cashback amounts are cents: the chart shows reais, like the revenue.
  const perUnit = view.unit === 'cents' ? 100 : 1
  const series = useMemo(() => {
    const pick = (k: keyof DashboardView['weeks'][number], scale = 1) => view.weeks.map((w) => Number(w[k]) / scale)
    return {
      // In reais, not cents: the axis reads "10 mil" for R$ 10.000.
      revenue: [
        { label: t.dashboard.members, color: COLORS.members, values: pick('memberRevenueCents', 100) },
        { label: t.dashboard.nonMembers, color: COLORS.nonMembers, values: pick('nonMemberRevenueCents', 100) },
      ],
      points: [
        { label: t.dashboard.issued(unit), color: COLORS.issued, values: pick('issued', perUnit) },
        { label: t.dashboard.redeemed(unit), color: COLORS.redeemed, values: pick('redeemed', perUnit) },
        { label: t.dashboard.expired(unit), color: COLORS2.expired, values: pick('expired', perUnit) },
        { label: t.dashboard.reversed(unit), color: COLORS2.reversed, values: pick('reversed', perUnit) },
      ],
      members: [{ label: t.dashboard.newMembers, color: COLORS2.newMembers, values: pick('newMembers') }],
    }
  }, [view, unit])
  return (
    <section aria-label={t.dashboard.charts} class="charts">
      <WeeklyChart
        data="revenue"
        title={t.dashboard.revenueChart}
        weeks={weeks}
        series={series.revenue}
        format={(reais) => brl.format(reais)}
      />
      <WeeklyChart
        data="points"
        title={t.dashboard.pointsChart(unit)}
        weeks={weeks}
        series={series.points}
        format={(v) => amount(v * perUnit)}
      />
      <WeeklyChart
        data="members"
        title={t.dashboard.membersChart}
        weeks={weeks}
        series={series.members}
        bars
        format={(n) => num.format(n)}
      />
    </section>
  )
}

/** The most redeemed rewards: a table whose bars are its own cells (a ranking reads best as text). */
function TopRewards({ view, unit, amount }: { view: DashboardView; unit: string; amount: (n: number) => string }) {
  const top = view.topRewards
  const max = Math.max(1, ...top.map((r) => r.redemptions))
  return (
    <section class="card" aria-labelledby="top-rewards">
      <h2 id="top-rewards">{t.dashboard.topRewards}</h2>
      {top.length === 0 ? (
        <p>{t.dashboard.topRewardsEmpty}</p>
      ) : (
        <div class="table-wrap">
          <table data-table="top-rewards" class="top-rewards">
            <thead>
              <tr>
                <th scope="col">{t.dashboard.reward}</th>
                <th scope="col" class="num">
                  {t.dashboard.redemptions}
                </th>
                <th scope="col" class="num">
                  {t.dashboard.spent(unit)}
                </th>
              </tr>
            </thead>
            <tbody>
              {top.map((r) => (
                <tr key={r.rewardId}>
                  <th scope="row">
                    {r.title}
                    <span class="bar" aria-hidden="true" style={{ width: `${(100 * r.redemptions) / max}%` }} />
                  </th>
                  <td class="num">{num.format(r.redemptions)}</td>
                  <td class="num">{amount(r.points)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/** Members in each VIP tier now: a table whose bars, in the tier's colour, are its own cells. */
function MembersPerTier({ tiers }: { tiers: NonNullable<DashboardView['tiers']> }) {
  const rows = [
    ...tiers.tiers,
    { id: 'none', name: t.dashboard.noTier, color: COLORS.nonMembers, members: tiers.noTier },
  ]
  const total = rows.reduce((n, r) => n + r.members, 0)
  const max = Math.max(1, ...rows.map((r) => r.members))
  return (
    <section class="card" aria-labelledby="members-per-tier">
      <h2 id="members-per-tier">{t.dashboard.membersPerTier}</h2>
      <p class="help">{t.dashboard.membersPerTierHelp}</p>
      <div class="table-wrap">
        <table data-table="members-per-tier" class="top-rewards">
          <thead>
            <tr>
              <th scope="col">{t.dashboard.tier}</th>
              <th scope="col" class="num">
                {t.dashboard.members}
              </th>
              <th scope="col" class="num">
                {t.dashboard.share}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-tier={r.name}>
                <th scope="row">
                  {r.name}
                  <span
                    class="bar"
                    aria-hidden="true"
                    style={{ width: `${(100 * r.members) / max}%`, background: r.color }}
                  />
                </th>
                <td class="num">{num.format(r.members)}</td>
                <td class="num">{rate(total === 0 ? null : r.members / total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function Downloads({ programId, days }: { programId: string; days: number }) {
  const [busy, setBusy] = useState<DashboardExport | null>(null)
  const [error, setError] = useState<unknown>(null)
  const download = async (figure: DashboardExport) => {
    setBusy(figure)
    setError(null)
    try {
      const { blob, name } = await endpoints.dashboardCsv(programId, figure, days)
      const url = URL.createObjectURL(blob)
      const a = document.createElement('a')
      a.href = url
      a.download = name
      document.body.append(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(null)
    }
  }
  return (
    <section class="card" aria-labelledby="downloads">
      <h2 id="downloads">{t.dashboard.downloads}</h2>
      <p class="help">{t.dashboard.downloadsHelp}</p>
      {error !== null && <Notice kind="error">{messageFor(error)}</Notice>}
      <div class="downloads">
        {(['summary', 'weekly', 'rewards', 'members'] as const).map((f) => (
          <button key={f} type="button" class="secondary" disabled={busy !== null} onClick={() => download(f)}>
            {busy === f ? t.dashboard.downloading : t.dashboard.download[f]}
          </button>
        ))}
      </div>
    </section>
  )
}
