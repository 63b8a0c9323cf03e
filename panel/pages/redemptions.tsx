import type { ProgramView } from '../../shared/api/programs.ts'
import type { AdminRedemptionView } from '../../shared/api/redemptions.ts'
import { LoadState, Table, useLoad } from '../data.tsx'
import { endpoints } from '../endpoints.ts'
import { t } from '../i18n.ts'

/** A member's redemptions with their status and coupon code (`GET …/redemptions?memberId=`). */
export function Redemptions({ program, memberId }: { program: ProgramView; memberId: number }) {
  const c = t.members.redemptionColumns
  const loaded = useLoad(
    () => endpoints.redemptions(program.id, { memberId: String(memberId), limit: '50' }),
    [program.id, memberId],
  )
  return (
    <section class="card" aria-labelledby="redemptions-title" data-redemptions>
      <h2 id="redemptions-title">{t.members.redemptions}</h2>
      <LoadState of={loaded} />
      {loaded.data && loaded.data.items.length === 0 && <p>{t.members.redemptionsEmpty}</p>}
      {loaded.data && loaded.data.items.length > 0 && (
        <Table
          data="redemptions"
          columns={[
            c.date,
            c.reward,
            `#${program.mode === 'cashback' ? t.members.value : c.points}`,
            c.status,
            c.coupon,
          ]}
        >
          {loaded.data.items.map((r) => (
            <tr key={r.id}>
              <td>{t.dateTime(r.createdAt)}</td>
              <td>
                {r.title}
                <br />
                <span class="help">{r.benefit}</span>
              </td>
              <td class="num">{spent(r, program)}</td>
              <StatusCell r={r} cashback={program.mode === 'cashback'} />
              <td>
                {r.couponCode ? <code>{r.couponCode}</code> : t.common.none}
                {r.validUntil && (
                  <>
                    <br />
                    <span class="help">{t.members.validUntil(t.date(`${r.validUntil}T12:00:00Z`))}</span>
                  </>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  )
}

/** What a redemption cost, in the program's unit; a gift cost nothing ("Presente"). */
export function spent(r: AdminRedemptionView, program: ProgramView): string {
  if (r.gift) return t.members.gift
  return program.mode === 'cashback' ? t.inUnit(r.pointsSpent, program) : t.number(r.pointsSpent)
}

/** A redemption's status, with why it failed and what the store check found (member page and Resgates). */
export function StatusCell({ r, cashback }: { r: AdminRedemptionView; cashback: boolean }) {
  // A cashback program gives back reais, not points; a gift gives back nothing.
  const own = r.gift
    ? t.members.redemptionStatusesGift[r.status]
    : cashback
      ? t.members.redemptionStatusesCashback[r.status]
      : undefined
  return (
    <td>
      {own ?? t.members.redemptionStatuses[r.status] ?? r.status}
      {r.failureReason && (
        <>
          <br />
          <span class="help">{r.failureReason}</span>
        </>
      )}
      {r.storeCheck && (
        <>
          <br />
          <span class="help" data-store-check={r.storeCheck}>
            {t.members.storeChecks[r.storeCheck]}
          </span>
        </>
      )}
    </td>
  )
}
