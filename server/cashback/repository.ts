import type { Updateable } from 'kysely'
import type { Executor } from '../db/database.ts'
import type { AmountRedemptionRulesTable, CashbackRulesTable } from '../db/schema.ts'
import { anyOf } from '../db/sql.ts'

// Every query is scoped by program (design rule 4).

export const findCashbackRules = (db: Executor, programId: string) =>
  db.selectFrom('cashback_rules').selectAll().where('program_id', '=', programId).executeTakeFirst()

export const upsertCashbackRules = (
  db: Executor,
  programId: string,
  insert: { percent_bp: number },
  set: Updateable<CashbackRulesTable>,
) =>
  db
    .insertInto('cashback_rules')
    .values({ ...insert, ...set, program_id: programId, updated_at: new Date() })
    .onConflict((oc) => oc.column('program_id').doUpdateSet({ ...set, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow()

export const findAmountRules = (db: Executor, programId: string) =>
  db.selectFrom('amount_redemption_rules').selectAll().where('program_id', '=', programId).executeTakeFirst()

export const upsertAmountRules = (db: Executor, programId: string, set: Updateable<AmountRedemptionRulesTable>) =>
  db
    .insertInto('amount_redemption_rules')
    .values({ ...set, program_id: programId, updated_at: new Date() })
    .onConflict((oc) => oc.column('program_id').doUpdateSet({ ...set, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow()

/**
 * Which of `codes` are coupons this program issued. It reads the redemptions table's coupon_code
 * (unique per program: redemptions_program_code_key) directly because the order sync, which must
 * decide earning before anything else runs, sits below the redemptions feature in the layers;
 * only this one column of issued codes is read.
 */
export async function programCouponCodes(db: Executor, programId: string, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set()
  const rows = await db
    .selectFrom('redemptions')
    .select('coupon_code')
    .where('program_id', '=', programId)
    .where('coupon_code', '=', anyOf(codes, 'text'))
    .execute()
  return new Set(rows.map((r) => r.coupon_code))
}
