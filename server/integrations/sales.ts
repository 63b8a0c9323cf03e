import type { SaleBody, SaleResponse } from '../../shared/api/integrations.ts'
import type { Trx } from '../db/database.ts'
import type { Order } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { AppError } from '../lib/errors.ts'
import { lockBalances } from '../ledger/service.ts'
import { findMembersByEmails, insertMembersIgnoringConflicts } from '../members/service.ts'
import { normalizeEmail } from '../merchants/service.ts'
import { listOrdersByIds } from '../orders/service.ts'
import { pointsFor } from '../orders/rules.ts'
import { applyOrders, type AwardContext } from '../orders/service.ts'
import { noteEnrolled } from '../email/lifecycle/service.ts'
import { cashbackEarnRules } from '../cashback/service.ts'
import { awardLifecycle, grantSignupBonus } from '../points/service.ts'
import { getOwnedProgram } from '../programs/service.ts'
import { findIntegration } from './repository.ts'

const MAX_POINTS_PER_SALE = 1_000_000_000

/**
 * A sale reported by the merchant's ERP (the generic `POST /v1/programs/:id/sales`). It goes
 * through the same `applyOrders` as Loja Integrada orders, so the award rules cannot disagree,
 * and it is idempotent by external id: a replay finds the stored sale and changes nothing.
 */
export async function recordSale(
  deps: Pick<AppDeps, 'db'>,
  merchantId: string,
  programId: string,
  body: SaleBody,
): Promise<SaleResponse> {
  const email = normalizeEmail(body.customerEmail)
  return deps.db.transaction().execute(async (trx) => {
    const program = await getOwnedProgram(trx, merchantId, programId)
    const integration = await findIntegration(trx, program.id)
    const known = await findSale(trx, program.id, body.externalId)

    // A cancellation of a sale we already hold is still taken, even with ERP sales off: the
    // points it earned must come back (design rule 2), whatever the toggle says today.
    const reversingKnown = !body.valid && known !== undefined
    if (!integration?.erp_sales && !reversingKnown) {
      throw new AppError(
        'conflict',
        'ERP sales are off for this program: turn them on (PUT ' +
          '/v1/programs/{programId}/integrations/loja-integrada/erp-sales) before sending sales',
      )
    }
    if (known) assertSameSale(known, email, body)
    // Points and balances are 32-bit integers in the ledger: refuse here, with the field, rather
    // than fail deep in an INSERT.
    if (pointsFor(body.amountCents, Number(program.earn_rate)) > MAX_POINTS_PER_SALE) {
      throw new AppError(
        'validation_failed',
        `amountCents earns more than ${MAX_POINTS_PER_SALE} points at this program's earn rate`,
        { field: 'amountCents' },
      )
    }

    const memberId = known?.member_id ?? (await enrolByEmail(trx, program.id, email, body.customerName ?? null))
    // Locking the member serialises concurrent reports of this customer's sales, so a retry that
    // races the first request sees the sale the first one stored (and `created` stays honest).
    await lockBalances(trx, program.id, [memberId])
    const stored = known ? known : await findSale(trx, program.id, body.externalId)
    if (stored && stored !== known) assertSameSale(stored, email, body)

    // An ERP sale reported cancelled stays cancelled: with no change timestamp from the ERP, a
    // later "valid" report of it is far more likely a stale retry than a revived sale.
    const cancelledBefore = stored?.status_code === 'reverse'
    if (!(cancelledBefore && body.valid)) {
      const now = new Date()
      const ctx: AwardContext = {
        programId: program.id,
        earnRate: Number(program.earn_rate),
        awardingIds: new Set(),
        salesOn: integration?.erp_sales ?? false,
        statuses: new Map(),
        lifecycle: await awardLifecycle(trx, program.id),
        cashback: await cashbackEarnRules(trx, program),
      }
      await applyOrders(trx, ctx, [
        {
          source: 'erp',
          externalId: body.externalId,
          liCustomerId: null,
          customerEmail: email,
          memberId,
          status: null,
          target: body.valid ? 'award' : 'reverse',
          subtotalCents: body.amountCents,
          shippingCents: 0,
          discountCents: 0,
          totalCents: body.amountCents,
          placedAt: stored?.placed_at ?? saleDate(body.date),
          // The ERP sends no change time; the moment we hear a state is the newest we know.
          updatedAt: stored && stored.source_updated_at > now ? stored.source_updated_at : now,
        },
      ])
    }

    const after = (await findSale(trx, program.id, body.externalId))!
    return {
      externalId: after.external_id,
      memberId: after.member_id ?? memberId,
      pointsAwarded: after.points_awarded,
      state: after.award_state,
      created: !stored,
    }
  })
}

async function findSale(trx: Trx, programId: string, externalId: string): Promise<Order | undefined> {
  return (await listOrdersByIds(trx, programId, 'erp', [externalId]))[0]
}

/**
 * The same external id must describe the same sale. A different customer would move the order
 * to someone who never got its points (a later cancellation would take them from the wrong
 * member); a different amount would silently be ignored. Both are caller bugs: say so.
 */
function assertSameSale(stored: Order, email: string, body: SaleBody) {
  if (stored.customer_email !== null && stored.customer_email !== email) {
    throw new AppError(
      'idempotency_conflict',
      `Sale ${body.externalId} was already recorded for another customer e-mail`,
      { field: 'customerEmail' },
    )
  }
  if (stored.subtotal_cents !== body.amountCents) {
    throw new AppError(
      'idempotency_conflict',
      `Sale ${body.externalId} was already recorded with another amount (${stored.subtotal_cents} cents)`,
      {
        field: 'amountCents',
      },
    )
  }
}

/** The member with this e-mail, enrolled now if the ERP is the first to tell us about them. */
async function enrolByEmail(trx: Trx, programId: string, email: string, name: string | null): Promise<number> {
  const [found] = await findMembersByEmails(trx, programId, [email])
  if (found) return found.id
  const [inserted] = await insertMembersIgnoringConflicts(trx, [{ program_id: programId, email, name }])
  if (inserted) {
    await grantSignupBonus(trx, programId, [inserted.id])
    await noteEnrolled(trx, programId, [inserted.id], 'bulk')
    return inserted.id
  }
  // A concurrent request enrolled them between our read and insert (its row is committed now).
  const [winner] = await findMembersByEmails(trx, programId, [email])
  if (!winner) throw new AppError('internal', 'Member vanished while enrolling from an ERP sale')
  return winner.id
}

/** A bare date is a day in São Paulo (no daylight saving since 2019): midnight there. */
function saleDate(date: string): Date {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00-03:00` : date)
}
