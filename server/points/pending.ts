import type { Db } from '../db/database.ts'
import { reasons } from '../i18n/reasons.ts'
import { postEntries, type EntryInput } from '../ledger/service.ts'
import { saoPauloDay, type Day } from '../lib/calendar.ts'
import * as repo from './repository.ts'
import { idempotencyKey } from './rules.ts'

/**
 * The pending period, released. Design: points of an order that reaches an awarding status while
 * the program has `pending_days` are *not* posted; the order row waits in award_state 'pending'
 * with its points (points_awarded), the São Paulo day they become spendable (available_on) and
 * the reason its entry will carry. This job posts that `earn` entry once the day comes, under the
 * very key an immediate award would have used (`order:<source>:<id>:earn:<cycle>`), and marks
 * the order 'awarded'.
 *
 * Why not post at once and lock the points: a cancellation inside the period then only flips the
 * order to 'reversed' (orders/rules.ts decideAward: 'drop'), with no ledger entry at all — the
 * balance cannot go below zero and the shopper's history shows no earn-then-reverse noise; the
 * spendable balance stays `members.balance`, which redemptions already check, so no other code
 * path had to learn about locked points. Pending points are summed from the orders for display
 * (orders_member_pending_idx).
 *
 * Runs hourly; a run twice in a row finds nothing the second time (the orders are no longer
 * pending, and the keys would refuse a second entry anyway).
 */
export async function releasePending(db: Db, today: Day = saoPauloDay(new Date())): Promise<number> {
  let released = 0
  for (;;) {
    const due = await repo.dueOrders(db, today, 500)
    if (due.length === 0) return released
    const byProgram = new Map<string, typeof due>()
    for (const o of due) {
      const list = byProgram.get(o.program_id)
      if (list) list.push(o)
      else byProgram.set(o.program_id, [o])
    }
    for (const [programId, orders] of byProgram) {
      released += await db.transaction().execute(async (trx) => {
        const rows = await repo.lockPendingOrders(trx, programId, orders)
        const ready = rows.filter((r) => r.available_on !== null && r.available_on <= today)
        // A member deleted meanwhile (orders.member_id is set null): nobody to credit, the order just stops waiting.
        const orphans = ready.filter((r) => r.member_id === null)
        const credit = ready.filter((r) => r.member_id !== null)
        const entries: EntryInput[] = credit.map((r) => ({
          memberId: r.member_id!,
          kind: 'earn',
          amount: r.points_awarded,
          // applyOrders always stores the reason with the pending state; the fallback is only a guard.
          reason: r.pending_reason ?? reasons.saleEarn(r.external_id),
          idempotencyKey: idempotencyKey(r.source, r.external_id, 'earn', r.award_cycle),
          orderRef: `${r.source}:${r.external_id}`,
          // Dated like an immediate award: by the purchase, not by the end of the waiting period.
          occurredAt: r.placed_at,
        }))
        await postEntries(trx, programId, entries)
        for (const source of ['li', 'erp'] as const) {
          await repo.markReleased(
            trx,
            programId,
            source,
            credit.filter((r) => r.source === source).map((r) => r.external_id),
            'awarded',
          )
          await repo.markReleased(
            trx,
            programId,
            source,
            orphans.filter((r) => r.source === source).map((r) => r.external_id),
            'none',
          )
        }
        return credit.length
      })
    }
  }
}
