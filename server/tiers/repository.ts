import { sql } from 'kysely'
import type { TierBasis, TierWindow } from '../../shared/api/tiers.ts'
import type { Executor, Trx } from '../db/database.ts'
import { anyOf } from '../db/sql.ts'

export const findRules = (db: Executor, programId: string) =>
  db.selectFrom('tier_rules').selectAll().where('program_id', '=', programId).executeTakeFirst()

export const listTiers = (db: Executor, programId: string) =>
  db.selectFrom('tiers').selectAll().where('program_id', '=', programId).orderBy('threshold').execute()

export async function saveRules(trx: Trx, programId: string, basis: TierBasis, window: TierWindow) {
  await trx
    .insertInto('tier_rules')
    .values({ program_id: programId, basis, period: window })
    .onConflict((oc) => oc.column('program_id').doUpdateSet({ basis, period: window, updated_at: new Date() }))
    .execute()
}

/** Keeps a rules body for the tiers-apply job; a program without rules gets its row (and no tiers yet). */
export async function savePending(trx: Trx, programId: string, body: unknown, basis: TierBasis, window: TierWindow) {
  const pending = { pending_body: JSON.stringify(body), pending_since: new Date() }
  await trx
    .insertInto('tier_rules')
    .values({ program_id: programId, basis, period: window, ...pending })
    .onConflict((oc) => oc.column('program_id').doUpdateSet(pending))
    .execute()
}

/** The rules row locked for the tiers-apply job (a second job of the program waits here). */
export const lockRules = (trx: Trx, programId: string) =>
  trx.selectFrom('tier_rules').selectAll().where('program_id', '=', programId).forUpdate().executeTakeFirst()

export async function clearPending(trx: Trx, programId: string) {
  await trx
    .updateTable('tier_rules')
    .set({ pending_body: null, pending_since: null })
    .where('program_id', '=', programId)
    .execute()
}

export interface TierWrite {
  id?: string | undefined
  name: string
  color: string
  threshold: number
  multiplierPct: number
  entryReward: number
  entryRewardId?: string | null | undefined
}

/** Makes the program's tiers exactly `tiers`: known ids are updated, others inserted, the rest deleted. */
export async function replaceTiers(trx: Trx, programId: string, tiers: readonly TierWrite[]) {
  const known = new Set((await listTiers(trx, programId)).map((t) => t.id))
  const keep = tiers.flatMap((t) => (t.id && known.has(t.id) ? [t.id] : []))
  let del = trx.deleteFrom('tiers').where('program_id', '=', programId)
  if (keep.length) del = del.where('id', '<>', sql<string>`all(${sql.val(keep)}::uuid[])`)
  await del.execute()
  for (const t of tiers) {
    const values = {
      name: t.name,
      color: t.color,
      threshold: t.threshold,
      multiplier_pct: t.multiplierPct,
      entry_reward: t.entryReward,
      entry_reward_id: t.entryRewardId ?? null,
    }
    if (t.id && known.has(t.id))
      await trx
        .updateTable('tiers')
        .set({ ...values, updated_at: new Date() })
        .where('program_id', '=', programId)
        .where('id', '=', t.id)
        .execute()
    else
      await trx
        .insertInto('tiers')
        .values({ program_id: programId, ...values })
        .execute()
  }
}

/** Turns tiers off: rules, tiers and every member's standing go (the ledger keeps what was paid). */
export async function deleteRules(trx: Trx, programId: string) {
  await trx.deleteFrom('member_tiers').where('program_id', '=', programId).execute()
  await trx.deleteFrom('tiers').where('program_id', '=', programId).execute()
  await trx.deleteFrom('tier_rules').where('program_id', '=', programId).execute()
}

export interface Qualifying {
  member_id: number
  current: number
  previous: number
}

/**
 * What counts per member, in one grouped scan of the program's orders (never a query per member):
 * orders in an awarding state (`awarded`; a cancelled one is `reversed` and stops counting),
 * summed by purchase time, split at `currentFrom` (the window before it is the previous calendar
 * year). `spend` sums the eligible amount (subtotal − discount, shipping never), `earned` what
 * the order credited (`points_awarded`: points, or cents in cashback; bonuses never count).
 *
 * Orders are owned by server/orders, above this feature (its award rules need the tier
 * multiplier); this read of their state columns is the one place tiers look at them, in SQL,
 * because a set-based aggregate cannot go through a service call (as cashback's read of coupon codes).
 */
export async function qualifyingAmounts(
  db: Executor,
  programId: string,
  basis: TierBasis,
  bounds: { currentFrom: Date | null; previousFrom: Date | null },
  memberIds: readonly number[] | null,
): Promise<Qualifying[]> {
  const amount = basis === 'spend' ? sql`greatest(subtotal_cents - discount_cents, 0)` : sql`points_awarded`
  const from = bounds.previousFrom ?? bounds.currentFrom
  const split = bounds.currentFrom
  const current =
    split === null ? sql`sum(${amount})` : sql`coalesce(sum(${amount}) filter (where placed_at >= ${split}), 0)`
  const previous =
    split === null || bounds.previousFrom === null
      ? sql`0`
      : sql`coalesce(sum(${amount}) filter (where placed_at < ${split}), 0)`
  const res = await sql<{ member_id: number; current: number | string; previous: number | string }>`
    select member_id, (${current})::bigint as current, (${previous})::bigint as previous
    from orders
    where program_id = ${programId} and award_state = 'awarded' and member_id is not null
      ${from === null ? sql`` : sql`and placed_at >= ${from}`}
      ${memberIds === null ? sql`` : sql`and member_id = ${anyOf([...memberIds], 'bigint')}`}
    group by member_id`.execute(db)
  return res.rows.map((r) => ({
    member_id: Number(r.member_id),
    current: Number(r.current),
    previous: Number(r.previous),
  }))
}

export async function storedStandings(db: Executor, programId: string, memberIds: readonly number[] | null) {
  let q = db
    .selectFrom('member_tiers')
    .select(['member_id', 'tier_id', 'qualifying', 'previous_qualifying', 'kept_until'])
    .where('program_id', '=', programId)
  if (memberIds !== null) q = q.where('member_id', '=', anyOf([...memberIds], 'bigint'))
  return q.execute()
}

export interface StandingWrite {
  memberId: number
  tierId: string | null
  qualifying: number
  previousQualifying: number
  keptUntil: string | null
}

/** Writes changed standings in one statement (columns as arrays through unnest, like the order upsert). */
export async function upsertStandings(trx: Trx, programId: string, rows: readonly StandingWrite[]) {
  if (rows.length === 0) return
  const col = <T>(f: (r: StandingWrite) => T) => rows.map(f)
  await sql`
    insert into member_tiers (program_id, member_id, tier_id, qualifying, previous_qualifying, kept_until)
    select ${programId}::uuid, * from unnest(${col((r) => r.memberId)}::bigint[], ${col((r) => r.tierId)}::uuid[],
      ${col((r) => r.qualifying)}::bigint[], ${col((r) => r.previousQualifying)}::bigint[],
      ${col((r) => r.keptUntil)}::date[])
    on conflict (program_id, member_id) do update set tier_id = excluded.tier_id,
      qualifying = excluded.qualifying, previous_qualifying = excluded.previous_qualifying,
      kept_until = excluded.kept_until, evaluated_at = now()`.execute(trx)
}

export async function deleteStandings(trx: Trx, programId: string, memberIds: readonly number[]) {
  if (memberIds.length === 0) return
  await trx
    .deleteFrom('member_tiers')
    .where('program_id', '=', programId)
    .where('member_id', '=', anyOf([...memberIds], 'bigint'))
    .execute()
}

/** Tier multipliers above × 1 of these members (the order sync reads them once per batch). */
export async function multipliersOf(db: Executor, programId: string, memberIds: readonly number[]) {
  if (memberIds.length === 0) return []
  return db
    .selectFrom('member_tiers as mt')
    .innerJoin('tiers as t', 't.id', 'mt.tier_id')
    .select(['mt.member_id', 't.multiplier_pct', 't.name'])
    .where('mt.program_id', '=', programId)
    .where('mt.member_id', '=', anyOf([...memberIds], 'bigint'))
    .where('t.multiplier_pct', '>', 100)
    .execute()
}

/** The tier (id, name, colour) of these members who hold one. */
export async function badgesOf(db: Executor, programId: string, memberIds: readonly number[]) {
  if (memberIds.length === 0) return []
  return db
    .selectFrom('member_tiers as mt')
    .innerJoin('tiers as t', 't.id', 'mt.tier_id')
    .select(['mt.member_id', 't.id', 't.name', 't.color'])
    .where('mt.program_id', '=', programId)
    .where('mt.member_id', '=', anyOf([...memberIds], 'bigint'))
    .execute()
}

export const findStanding = (db: Executor, programId: string, memberId: number) =>
  db
    .selectFrom('member_tiers')
    .selectAll()
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .executeTakeFirst()

/** Program ids with tiers (the daily evaluation). */
export async function programsWithTiers(db: Executor): Promise<string[]> {
  return (await db.selectFrom('tier_rules').select('program_id').execute()).map((r) => r.program_id)
}

/** The program's member count (the preview's "no tier"): an index-only count, like members' own. */
export async function countMembers(db: Executor, programId: string): Promise<number> {
  const row = await db
    .selectFrom('members')
    .select(sql<string>`count(*)`.as('n'))
    .where('program_id', '=', programId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Which of `rewardIds` are rewards of this program. The catalogue is owned by server/rewards,
 * above this feature; this one existence check is the place tiers read it, as qualifyingAmounts
 * reads orders, so a tier cannot name another program's reward.
 */
export async function ownRewardIds(db: Executor, programId: string, rewardIds: readonly string[]) {
  if (rewardIds.length === 0) return new Set<string>()
  const rows = await db
    .selectFrom('rewards')
    .select('id')
    .where('program_id', '=', programId)
    .where('id', '=', anyOf([...rewardIds], 'uuid'))
    .execute()
  return new Set(rows.map((r) => r.id))
}

export interface GrantWrite {
  memberId: number
  tierId: string
  tierName: string
  rewardId: string
  key: string
}

/** Records entry coupons once per member and key (one statement); answers how many were new. */
export async function insertGrants(trx: Trx, programId: string, rows: readonly GrantWrite[]): Promise<number> {
  if (rows.length === 0) return 0
  const col = <T>(f: (r: GrantWrite) => T) => rows.map(f)
  const res = await sql<{ id: number }>`
    insert into tier_reward_grants (program_id, member_id, tier_id, tier_name, reward_id, grant_key)
    select ${programId}::uuid, * from unnest(${col((r) => r.memberId)}::bigint[], ${col((r) => r.tierId)}::uuid[],
      ${col((r) => r.tierName)}::text[], ${col((r) => r.rewardId)}::uuid[], ${col((r) => r.key)}::text[])
    on conflict (program_id, member_id, grant_key) do nothing
    returning id`.execute(trx)
  return res.rows.length
}

/**
 * Up to `limit` grants still to hand over, oldest first, locked for this transaction; grants
 * another worker holds are skipped (several processes poll at once).
 */
export const lockPendingGrants = (trx: Trx, limit: number) =>
  trx
    .selectFrom('tier_reward_grants')
    .selectAll()
    .where('handled_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()

export async function markGrantHandled(
  trx: Trx,
  id: number,
  outcome: 'redemption' | 'reward_unavailable' | 'program_paused',
  redemptionId: number | null,
) {
  await trx
    .updateTable('tier_reward_grants')
    .set({ handled_at: new Date(), outcome, redemption_id: redemptionId })
    .where('id', '=', id)
    .execute()
}
