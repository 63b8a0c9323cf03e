import type { CouponView, MemberRewards, WidgetOriginsView } from '../../shared/api/widget.ts'
import { benefitText } from '../i18n/benefit.ts'
import type { ActiveCouponRow } from './repository.ts'
import type { Db, Executor } from '../db/database.ts'
import { AppError } from '../lib/errors.ts'
import { findIntegration } from '../integrations/service.ts'
import { getBalance, history } from '../ledger/service.ts'
import { meCashbackJson, meLifecycleJson, NO_LIFECYCLE_JSON } from '../points/me.ts'
import type { WidgetAmountRedemption } from '../../shared/api/cashback.ts'
import { type AmountSettings, amountWindow, minimumOrderForAmount } from '../cashback/rules.ts'
import { getOwnedProgram } from '../programs/service.ts'
import { memberTier } from '../tiers/service.ts'
import type { WidgetProgram, WidgetPrograms } from './programs.ts'
import { originOf } from './programs.ts'
import * as repo from './repository.ts'
import { rewardsForMember } from './rewards.ts'
import type { HistoryCache } from './history-cache.ts'
import type { MemberSnapshots } from './snapshots.ts'

const memberGone = () => new AppError('unauthorized', 'This member no longer exists in the program')

/** Entries the widget's `me` shows. */
export const ME_HISTORY_ENTRIES = 20

export interface MeDeps {
  db: Executor
  snapshots: MemberSnapshots
  histories: HistoryCache
}

/**
 * The member's page as UTF-8 JSON: balance, name and the newest entry id are read on every
 * request (a prepared primary-key query, batched with concurrent requests: MemberSnapshots); the
 * history is reused, already encoded, while that id is unchanged (see HistoryCache for why that
 * is exact and why bytes). Built by splicing: on a cache hit only the answer's own buffer and
 * the short head and tail strings are allocated. widget.test.ts checks the result against WidgetMe.
 *
 * `pendingPoints` and `expiring` come from server/points/me.ts: a constant, no query, unless the
 * program has a pending period or points expiry.
 */
export async function meJson(deps: MeDeps, program: WidgetProgram, memberId: number): Promise<Buffer<ArrayBuffer>> {
  const m = await deps.snapshots.load(program.id, memberId)
  if (m === undefined) throw memberGone()
  let history: Buffer = EMPTY_LIST
  if (m.last_entry_id !== null)
    history =
      deps.histories.get(memberId, m.last_entry_id) ?? (await loadHistory(deps, program.id, memberId, m.last_entry_id))
  const p = program.pointsRules
  // The same test meLifecycleJson makes first, repeated here so the common case (neither rule
  // on) does not pay for an extra promise and await on this hot path.
  const lifecycle =
    !p.expiryMonths && !p.expiryDays && p.pendingDays === 0
      ? NO_LIFECYCLE_JSON
      : await meLifecycleJson(deps.db, program.id, p, memberId, m.last_entry_id)
  const cashback =
    program.mode === 'cashback'
      ? await meCashbackJson(deps.db, program.id, p, memberId, m.balance, m.last_entry_id)
      : 'null'
  const head =
    '{"member":{"id":' +
    memberId +
    ',"name":' +
    JSON.stringify(m.name) +
    ',"email":' +
    JSON.stringify(m.email) +
    '},"mode":"' +
    program.mode +
    '","pointsName":' +
    program.pointsNameJson +
    ',"balance":' +
    m.balance +
    ',' +
    lifecycle +
    ',"history":'
  const tail =
    ',"coupons":' +
    (m.coupons ? JSON.stringify(m.coupons.map(toCouponView)) : '[]') +
    ',"cashback":' +
    cashback +
    ',"amountRedemption":' +
    (program.amount ? JSON.stringify(amountRedemptionView(m.balance, program.amount, program.mode)) : 'null') +
    ',"tier":' +
    (program.hasTiers
      ? JSON.stringify(
          await memberTier(deps.db, { id: program.id, mode: program.mode, points_name: program.pointsName }, memberId),
        )
      : 'null') +
    '}'
  const headBytes = Buffer.byteLength(head)
  const out = Buffer.allocUnsafe(headBytes + history.length + Buffer.byteLength(tail))
  out.write(head, 0)
  history.copy(out, headBytes)
  out.write(tail, headBytes + history.length)
  return out
}

const EMPTY_LIST = Buffer.from('[]')

async function loadHistory(deps: MeDeps, programId: string, memberId: number, snapshotId: number): Promise<Buffer> {
  const page = await history(deps.db, programId, memberId, { limit: ME_HISTORY_ENTRIES })
  const json = Buffer.from(JSON.stringify(page.items))
  // Keyed by the member's newest entry id the page is known to include: read after the snapshot,
  // it holds every entry up to the snapshot's id, and any newer one it shows (posted since) is
  // newer still. The page is sorted by when things happened, so its newest id may sit anywhere in
  // it — or not be in it at all (an old order imported today lands below the 20 shown), hence
  // the snapshot's id as the floor: keyed by the page alone, such a member would miss every time.
  let key = snapshotId
  for (const e of page.items) if (e.id > key) key = e.id
  deps.histories.set(memberId, key, json)
  return json
}

/** The widget's redeem screen bounds (shared/api/cashback.ts WidgetAmountRedemption). */
export function amountRedemptionView(
  balance: number,
  s: AmountSettings,
  mode: WidgetProgram['mode'],
): WidgetAmountRedemption {
  const w = amountWindow(balance, s)
  return {
    availableCents: w.availableCents,
    minCents: w.minCents,
    maxCents: w.maxCents,
    stepCents: w.stepCents,
    centsPerPoint: mode === 'cashback' ? null : s.centsPerPoint,
    maxOrderSharePct: s.maxOrderSharePct,
    maxCentsMinimumOrderCents: minimumOrderForAmount(w.maxCents, s.maxOrderSharePct),
  }
}

function toCouponView(r: ActiveCouponRow): CouponView {
  return {
    redemptionId: r.id,
    code: r.coupon_code,
    title: r.reward_title,
    rewardKind: r.reward_kind,
    benefit: benefitText({ type: r.coupon_type, value: r.coupon_value }),
    minimumOrderCents: r.minimum_order_cents,
    validUntil: r.valid_until_day,
    gift: r.gift_reason ?? null,
  }
}

export async function memberRewards(db: Executor, program: WidgetProgram, memberId: number): Promise<MemberRewards> {
  let balance: number
  try {
    balance = await getBalance(db, program.id, memberId)
  } catch {
    throw memberGone()
  }
  return rewardsForMember(db, program.id, balance)
}

export async function getOrigins(db: Db, merchantId: string, programId: string): Promise<WidgetOriginsView> {
  const program = await getOwnedProgram(db, merchantId, programId)
  const integration = await findIntegration(db, program.id)
  return { storeOrigin: originOf(integration?.site_url), origins: await repo.listOrigins(db, program.id) }
}

export async function setOrigins(
  db: Db,
  programs: WidgetPrograms,
  merchantId: string,
  programId: string,
  origins: string[],
): Promise<WidgetOriginsView> {
  const program = await getOwnedProgram(db, merchantId, programId)
  await db.transaction().execute((trx) => repo.replaceOrigins(trx, program.id, [...new Set(origins)].sort()))
  programs.invalidate(program.id)
  return getOrigins(db, merchantId, programId)
}
