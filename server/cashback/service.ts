import type { Updateable } from 'kysely'
import {
  type AmountRedemptionView,
  type CashbackRulesView,
  DEFAULT_AMOUNT_REDEMPTION,
  DEFAULT_CASHBACK_RULES,
  type ProgramMode,
  type UpdateAmountRedemptionBody,
  type UpdateCashbackRulesBody,
} from '../../shared/api/cashback.ts'
import type { Executor, Trx } from '../db/database.ts'
import type { AmountRedemptionRulesTable, Program } from '../db/schema.ts'
import { AppError } from '../lib/errors.ts'
import { findRules, updateCashbackLifecycle } from '../points/service.ts'
import * as repo from './repository.ts'
import type { AmountSettings, BalanceUnit, CashbackEarnRules } from './rules.ts'

/** Reads other features need, through this service rather than the repository. */
export { programCouponCodes } from './repository.ts'

/** Refuses a route of the other mode: cashback rules of a points program, and the reverse. */
export function requireMode(program: Pick<Program, 'mode'>, mode: ProgramMode): void {
  if (program.mode !== mode)
    throw new AppError(
      'wrong_program_mode',
      mode === 'cashback'
        ? 'This setting exists only in cashback programs'
        : 'This setting exists only in points programs',
      { field: 'mode' },
    )
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v))

/** Latest of the rows' update times (the view's `updatedAt`); null when none was ever saved. */
const latest = (...dates: Array<Date | undefined>) => {
  const ds = dates.filter((d): d is Date => d !== undefined)
  return ds.length ? new Date(Math.max(...ds.map((d) => d.getTime()))).toISOString() : null
}

export async function getCashbackRules(db: Executor, programId: string): Promise<CashbackRulesView> {
  const [cb, amount, life] = await Promise.all([
    repo.findCashbackRules(db, programId),
    repo.findAmountRules(db, programId),
    findRules(db, programId),
  ])
  return {
    percentBp: cb?.percent_bp ?? DEFAULT_CASHBACK_RULES.percentBp,
    minimumOrderCents: num(cb?.minimum_order_cents ?? null) ?? DEFAULT_CASHBACK_RULES.minimumOrderCents,
    pendingDays: life?.pending_days ?? DEFAULT_CASHBACK_RULES.pendingDays,
    validityDays: life?.expiry_days ?? DEFAULT_CASHBACK_RULES.validityDays,
    earnOnProgramCouponOrders: cb?.earn_on_program_coupon_orders ?? DEFAULT_CASHBACK_RULES.earnOnProgramCouponOrders,
    minRedemptionCents: num(amount?.min_redemption_cents ?? null) ?? DEFAULT_CASHBACK_RULES.minRedemptionCents,
    maxRedemptionCents: amount ? num(amount.max_redemption_cents) : DEFAULT_CASHBACK_RULES.maxRedemptionCents,
    maxOrderSharePct: amount?.max_order_share_pct ?? DEFAULT_CASHBACK_RULES.maxOrderSharePct,
    updatedAt: latest(cb?.updated_at, amount?.updated_at, cb || amount ? life?.updated_at : undefined),
  }
}

/** The bounds of a redemption must stay consistent after a partial change (min ≤ max). */
function checkBounds(min: number, max: number | null, body: { maxRedemptionCents?: number | null }) {
  if (max !== null && max < min)
    throw new AppError('validation_failed', 'maxRedemptionCents must be at least minRedemptionCents', {
      field: body.maxRedemptionCents !== undefined ? 'maxRedemptionCents' : 'minRedemptionCents',
    })
}

function amountSet(body: {
  minRedemptionCents?: number
  maxRedemptionCents?: number | null
  maxOrderSharePct?: number
}): Updateable<AmountRedemptionRulesTable> {
  const set: Updateable<AmountRedemptionRulesTable> = {}
  if (body.minRedemptionCents !== undefined) set.min_redemption_cents = body.minRedemptionCents
  if (body.maxRedemptionCents !== undefined) set.max_redemption_cents = body.maxRedemptionCents
  if (body.maxOrderSharePct !== undefined) set.max_order_share_pct = body.maxOrderSharePct
  return set
}

/**
 * Saves a cashback program's rules. Like the points rules, changes apply from now on: what was
 * credited keeps its amount and a cancellation reverses exactly that (orders.points_awarded).
 */
export async function updateCashbackRules(
  trx: Trx,
  programId: string,
  body: UpdateCashbackRulesBody,
): Promise<CashbackRulesView> {
  const before = await getCashbackRules(trx, programId)
  checkBounds(
    body.minRedemptionCents ?? before.minRedemptionCents,
    body.maxRedemptionCents !== undefined ? body.maxRedemptionCents : before.maxRedemptionCents,
    body,
  )
  const set: Parameters<typeof repo.upsertCashbackRules>[3] = {}
  if (body.percentBp !== undefined) set.percent_bp = body.percentBp
  if (body.minimumOrderCents !== undefined) set.minimum_order_cents = body.minimumOrderCents
  if (body.earnOnProgramCouponOrders !== undefined) set.earn_on_program_coupon_orders = body.earnOnProgramCouponOrders
  // Written on every save so the view's defaults become the stored rules the first time.
  await repo.upsertCashbackRules(trx, programId, { percent_bp: before.percentBp }, set)
  // The redemption bounds live with the points option (one redemption path); always on here.
  await repo.upsertAmountRules(trx, programId, { ...amountSet(body), enabled: true, cents_per_point: 1 })
  if (body.pendingDays !== undefined || body.validityDays !== undefined)
    await updateCashbackLifecycle(trx, programId, { pendingDays: body.pendingDays, validityDays: body.validityDays })
  return getCashbackRules(trx, programId)
}

export async function getAmountRedemption(db: Executor, programId: string): Promise<AmountRedemptionView> {
  const r = await repo.findAmountRules(db, programId)
  if (!r) return { ...DEFAULT_AMOUNT_REDEMPTION, updatedAt: null }
  return {
    enabled: r.enabled,
    centsPerPoint: r.cents_per_point,
    minRedemptionCents: Number(r.min_redemption_cents),
    maxRedemptionCents: num(r.max_redemption_cents),
    maxOrderSharePct: r.max_order_share_pct,
    updatedAt: r.updated_at.toISOString(),
  }
}

export async function updateAmountRedemption(
  trx: Trx,
  programId: string,
  body: UpdateAmountRedemptionBody,
): Promise<AmountRedemptionView> {
  const before = await getAmountRedemption(trx, programId)
  checkBounds(
    body.minRedemptionCents ?? before.minRedemptionCents,
    body.maxRedemptionCents !== undefined ? body.maxRedemptionCents : before.maxRedemptionCents,
    body,
  )
  const set = amountSet(body)
  if (body.enabled !== undefined) set.enabled = body.enabled
  if (body.centsPerPoint !== undefined) set.cents_per_point = body.centsPerPoint
  await repo.upsertAmountRules(trx, programId, set)
  return getAmountRedemption(trx, programId)
}

/**
 * What bounds a redemption of a chosen amount in this program, or null when it has none (a
 * points program without the option). Cashback programs always have it, at 1 cent per unit.
 */
export async function amountSettings(
  db: Executor,
  program: Pick<Program, 'id' | 'mode'>,
): Promise<AmountSettings | null> {
  if (program.mode === 'cashback') {
    const r = await getCashbackRules(db, program.id)
    return {
      centsPerPoint: 1,
      minCents: r.minRedemptionCents,
      maxCents: r.maxRedemptionCents,
      maxOrderSharePct: r.maxOrderSharePct,
    }
  }
  const r = await getAmountRedemption(db, program.id)
  if (!r.enabled) return null
  return {
    centsPerPoint: r.centsPerPoint,
    minCents: r.minRedemptionCents,
    maxCents: r.maxRedemptionCents,
    maxOrderSharePct: r.maxOrderSharePct,
  }
}

/** The earning rules of a cashback program (read once per sync batch), or null in points mode. */
export async function cashbackEarnRules(
  db: Executor,
  program: Pick<Program, 'id' | 'mode'>,
): Promise<CashbackEarnRules | null> {
  if (program.mode !== 'cashback') return null
  const r = await getCashbackRules(db, program.id)
  return {
    percentBp: r.percentBp,
    minimumOrderCents: r.minimumOrderCents,
    earnOnProgramCouponOrders: r.earnOnProgramCouponOrders,
  }
}

/** How the program's balances read (admin member views, e-mails). */
export async function balanceUnit(
  db: Executor,
  program: Pick<Program, 'id' | 'mode' | 'points_name'>,
): Promise<BalanceUnit> {
  if (program.mode === 'cashback') return { mode: 'cashback', pointsName: program.points_name, centsPerPoint: 1 }
  const s = await amountSettings(db, program)
  return { mode: 'points', pointsName: program.points_name, centsPerPoint: s?.centsPerPoint ?? null }
}

export const POINTS_UNIT = (pointsName: string): BalanceUnit => ({ mode: 'points', pointsName, centsPerPoint: null })
