import type {
  CampaignView,
  CreateCampaignBody,
  PointsRulesView,
  UpdateCampaignBody,
  UpdatePointsRulesBody,
} from '../../shared/api/lifecycle.ts'
import type { Executor, Trx } from '../db/database.ts'
import type { Campaign, CampaignsTable, PointsRules, PointsRulesTable } from '../db/schema.ts'
import { AppError, notFound } from '../lib/errors.ts'
import { cashbackReasons, reasons } from '../i18n/reasons.ts'
import { findProgramById } from '../programs/service.ts'
import { postEntries } from '../ledger/service.ts'
import type { Updateable } from 'kysely'
import { saoPauloDay } from '../lib/calendar.ts'
import * as repo from './repository.ts'
import { signupBonusKey, type CampaignLike } from './rules.ts'

/** Reads and writes other features need, through this service rather than the repository. */
export { expiryCandidates, findRules, ledgerFacts, programsWithDailyWork } from './repository.ts'

/** Settings of a program that never saved any: everything off. */
export const DEFAULT_RULES = { expiryMonths: null, signupBonus: 0, birthdayBonus: 0, pendingDays: 0 } as const

export function toRulesView(r: PointsRules | undefined): PointsRulesView {
  if (!r) return { ...DEFAULT_RULES, updatedAt: null }
  return {
    expiryMonths: r.expiry_months,
    signupBonus: r.signup_bonus,
    birthdayBonus: r.birthday_bonus,
    pendingDays: r.pending_days,
    updatedAt: r.updated_at.toISOString(),
  }
}

export async function getRules(db: Executor, programId: string): Promise<PointsRulesView> {
  return toRulesView(await repo.findRules(db, programId))
}

/**
 * Saves the program's rules. Changing the expiry makes the next daily run look at every member
 * again (a shorter expiry can make old points due at once). Turning the pending period off
 * releases the points still waiting at the next hourly run rather than leaving them on the old
 * schedule. Changes apply to what happens from now on: points already earned keep their amounts.
 */
export async function updateRules(trx: Trx, programId: string, body: UpdatePointsRulesBody): Promise<PointsRulesView> {
  const before = toRulesView(await repo.findRules(trx, programId))
  const set: Updateable<PointsRulesTable> = {}
  if (body.expiryMonths !== undefined) {
    set.expiry_months = body.expiryMonths
    // One expiry per program: months (points) replace a cashback validity in days.
    if (body.expiryMonths !== null) set.expiry_days = null
    if (body.expiryMonths !== before.expiryMonths) set.expiry_checked_through = null
  }
  if (body.signupBonus !== undefined) set.signup_bonus = body.signupBonus
  if (body.birthdayBonus !== undefined) {
    set.birthday_bonus = body.birthdayBonus
    // Switched on: birthdays count from today, not from whenever it was last on.
    if (body.birthdayBonus > 0 && before.birthdayBonus === 0) set.birthdays_checked_through = null
  }
  if (body.pendingDays !== undefined) {
    set.pending_days = body.pendingDays
    if (body.pendingDays === 0 && before.pendingDays > 0)
      await repo.releaseAllPending(trx, programId, saoPauloDay(new Date()))
  }
  return toRulesView(await repo.upsertRules(trx, programId, set))
}

/**
 * A cashback program's pending period and validity (server/cashback/service.ts), kept in the same
 * row the pending and expiry jobs read: validity is counted in days (`expiry_days`), and setting
 * it clears any expiry in months, so one program never has both.
 */
export async function updateCashbackLifecycle(
  trx: Trx,
  programId: string,
  body: { pendingDays?: number; validityDays?: number | null },
): Promise<PointsRules> {
  const before = await repo.findRules(trx, programId)
  const set: Updateable<PointsRulesTable> = {}
  if (body.validityDays !== undefined) {
    set.expiry_days = body.validityDays
    set.expiry_months = null
    if (body.validityDays !== (before?.expiry_days ?? null)) set.expiry_checked_through = null
  }
  if (body.pendingDays !== undefined) {
    set.pending_days = body.pendingDays
    if (body.pendingDays === 0 && (before?.pending_days ?? 0) > 0)
      await repo.releaseAllPending(trx, programId, saoPauloDay(new Date()))
  }
  return repo.upsertRules(trx, programId, set)
}

// ---- campaigns ---------------------------------------------------------------------------------

export function toCampaignView(c: Campaign): CampaignView {
  return {
    id: c.id,
    name: c.name,
    multiplier: c.multiplier_pct / 100,
    startsOn: c.starts_on,
    endsOn: c.ends_on,
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
  }
}

const pct = (multiplier: number) => Math.round(multiplier * 100)

export async function listCampaigns(db: Executor, programId: string): Promise<CampaignView[]> {
  return (await repo.listCampaigns(db, programId)).map(toCampaignView)
}

export async function getCampaign(db: Executor, programId: string, id: string): Promise<CampaignView> {
  const c = await repo.findCampaign(db, programId, id)
  if (!c) throw notFound('Campaign')
  return toCampaignView(c)
}

export async function createCampaign(db: Executor, programId: string, body: CreateCampaignBody): Promise<CampaignView> {
  return toCampaignView(
    await repo.insertCampaign(db, {
      program_id: programId,
      name: body.name,
      multiplier_pct: pct(body.multiplier),
      starts_on: body.startsOn,
      ends_on: body.endsOn,
    }),
  )
}

/**
 * Changes a campaign. Orders already awarded keep what they earned (and a cancellation takes
 * back exactly that); the change applies to orders awarded from now on.
 */
export async function updateCampaign(
  trx: Trx,
  programId: string,
  id: string,
  body: UpdateCampaignBody,
): Promise<CampaignView> {
  const current = await repo.findCampaign(trx, programId, id)
  if (!current) throw notFound('Campaign')
  const startsOn = body.startsOn ?? current.starts_on
  const endsOn = body.endsOn ?? current.ends_on
  if (endsOn < startsOn)
    throw new AppError('validation_failed', 'endsOn must be on or after startsOn', {
      field: body.endsOn !== undefined ? 'endsOn' : 'startsOn',
    })
  const set: Updateable<CampaignsTable> = {}
  if (body.name !== undefined) set.name = body.name
  if (body.multiplier !== undefined) set.multiplier_pct = pct(body.multiplier)
  if (body.startsOn !== undefined) set.starts_on = body.startsOn
  if (body.endsOn !== undefined) set.ends_on = body.endsOn
  const row = await repo.updateCampaign(trx, programId, id, set)
  if (!row) throw notFound('Campaign')
  return toCampaignView(row)
}

export async function deleteCampaign(db: Executor, programId: string, id: string): Promise<void> {
  if (!(await repo.deleteCampaign(db, programId, id))) throw notFound('Campaign')
}

// ---- what awarding needs -------------------------------------------------------------------------

/**
 * The pending period and campaigns for applying orders, read once per sync run, webhook or ERP
 * sale (never per order): orders/service.ts AwardContext.lifecycle.
 */
export async function awardLifecycle(
  db: Executor,
  programId: string,
): Promise<{ pendingDays: number; campaigns: CampaignLike[] }> {
  const [rules, campaigns] = await Promise.all([repo.findRules(db, programId), repo.listCampaigns(db, programId)])
  return {
    pendingDays: rules?.pending_days ?? 0,
    campaigns: campaigns.map((c) => ({
      id: c.id,
      name: c.name,
      multiplierPct: c.multiplier_pct,
      startsOn: c.starts_on,
      endsOn: c.ends_on,
    })),
  }
}

/**
 * The signup bonus of members just enrolled, in the enrolling transaction — by the sync's
 * customer pages, the widget join, a webhook's new customer (all through
 * members/store-customers.ts), an ERP sale or the admin API. One settings read and one posting
 * per batch; the key `bonus:signup:<member>` makes it once per member whatever path runs twice.
 */
export async function grantSignupBonus(trx: Trx, programId: string, memberIds: number[]): Promise<number> {
  if (memberIds.length === 0) return 0
  const bonus = (await repo.findRules(trx, programId))?.signup_bonus ?? 0
  if (bonus <= 0) return 0
  // In a cashback program the bonus is cents, and says so.
  const words = (await findProgramById(trx, programId))?.mode === 'cashback' ? cashbackReasons : reasons
  const posted = await postEntries(
    trx,
    programId,
    [...memberIds]
      .sort((a, b) => a - b)
      .map((memberId) => ({
        memberId,
        kind: 'bonus' as const,
        amount: bonus,
        reason: words.signupBonus(),
        idempotencyKey: signupBonusKey(memberId),
      })),
  )
  return posted.filter((p) => p.created).length
}
