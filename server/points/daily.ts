import type { Db } from '../db/database.ts'
import type { PointsRules } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { cashbackReasons, reasons } from '../i18n/reasons.ts'
import { findProgramById } from '../programs/service.ts'
import { lockBalances, postEntries, type EntryInput } from '../ledger/service.ts'
import { addDays, brDay, saoPauloDay, startOfSaoPauloDay, type Day } from '../lib/calendar.ts'
import { dueExpiries, expireKey, expiryOf, subtractExpiry } from './expiry.ts'
import * as repo from './repository.ts'
import { birthdayBonusKey, birthdaysBetween } from './rules.ts'

export type DailyDeps = Pick<AppDeps, 'db' | 'log'>

/** Members handled per transaction: short locks, bounded memory, progress kept on a crash. */
const MEMBERS_PER_BATCH = 500
/** A birthday missed while the job could not run is still paid this many days later. */
export const BIRTHDAY_CATCH_UP_DAYS = 6

export interface DailyCounts {
  programs: number
  expiredMembers: number
  expiredPoints: number
  birthdayBonuses: number
}

/**
 * The daily lifecycle run (just after midnight, São Paulo): expire due points and pay birthday
 * bonuses, program by program. Idempotent twice over: each program remembers the day it finished
 * (`*_checked_through`), so a second run the same day looks at nothing new, and every entry has a
 * key (`expire:<member>:<day>:<lot>`, `bonus:birthday:<member>:<year>`), so even a run that
 * crashed half-way and starts over posts nothing twice.
 */
export async function runDaily(deps: DailyDeps, today: Day = saoPauloDay(new Date())): Promise<DailyCounts> {
  const counts: DailyCounts = { programs: 0, expiredMembers: 0, expiredPoints: 0, birthdayBonuses: 0 }
  for (const rules of await repo.programsWithDailyWork(deps.db)) {
    counts.programs++
    if (expiryOf(rules)) {
      const e = await expireProgram(deps.db, rules, today)
      counts.expiredMembers += e.members
      counts.expiredPoints += e.points
    }
    if (rules.birthday_bonus > 0) counts.birthdayBonuses += await birthdayProgram(deps.db, rules, today)
  }
  return counts
}

/**
 * Posts the expire entries of one program. Which members to look at: those with a credit whose
 * expiry day fell since the last run (earned `expiry_months` before; a few days of slack either
 * side absorb month-end clamping), plus those refunded since (a refund gives back points with
 * their original dates, which may be past). After an expiry change, everyone with points. Each
 * member's FIFO is computed under the member's row lock, from the entries as they are then.
 */
export async function expireProgram(
  db: Db,
  rules: Pick<PointsRules, 'program_id' | 'expiry_months' | 'expiry_days' | 'expiry_checked_through'>,
  today: Day,
) {
  // Months for points, days for a cashback program's validity (expiry.ts Expiry).
  const months = expiryOf(rules)!
  // Only a cashback program's validity is counted in days (cashback/service.ts): its words then.
  const expireReason = rules.expiry_days ? cashbackReasons.expire : reasons.expire
  const through = rules.expiry_checked_through
  let members = 0
  let points = 0
  if (through !== null && through >= today) return { members, points }
  const window =
    through === null
      ? null
      : {
          from: startOfSaoPauloDay(addDays(subtractExpiry(through, months), -4)),
          to: startOfSaoPauloDay(addDays(subtractExpiry(today, months), 4)),
          refundsSince: startOfSaoPauloDay(addDays(through, -1)),
        }
  let after = 0
  for (;;) {
    const ids = await repo.expiryCandidates(db, rules.program_id, window, after, MEMBERS_PER_BATCH)
    if (ids.length === 0) break
    after = ids[ids.length - 1]!
    const posted = await db.transaction().execute(async (trx) => {
      const locked = await lockBalances(trx, rules.program_id, ids)
      const entries: EntryInput[] = []
      for (const [memberId, facts] of await repo.ledgerFacts(trx, rules.program_id, ids)) {
        for (const d of dueExpiries(facts, months, today)) {
          entries.push({
            memberId,
            kind: 'expire',
            amount: -d.points,
            reason: expireReason(brDay(d.on)),
            idempotencyKey: expireKey(memberId, d),
          })
        }
      }
      return postEntries(trx, rules.program_id, entries, locked)
    })
    const created = posted.filter((r) => r.created)
    members += new Set(created.map((r) => r.entry.member_id)).size
    points -= created.reduce((sum, r) => sum + r.entry.amount, 0)
  }
  await repo.setCheckedThrough(db, rules.program_id, { expiry_checked_through: today })
  return { members, points }
}

/**
 * Pays one program's birthday bonuses for the days since the last run (today only after the bonus
 * was switched on; at most BIRTHDAY_CATCH_UP_DAYS back after an outage). 29 February birthdays
 * are paid on 28 February in other years.
 */
export async function birthdayProgram(
  db: Db,
  rules: Pick<PointsRules, 'program_id' | 'birthday_bonus' | 'birthdays_checked_through'>,
  today: Day,
): Promise<number> {
  const through = rules.birthdays_checked_through
  let from = through === null ? today : addDays(through, 1)
  if (from < addDays(today, -BIRTHDAY_CATCH_UP_DAYS)) from = addDays(today, -BIRTHDAY_CATCH_UP_DAYS)
  if (from > today) return 0
  const monthDays: Array<[number, number]> = []
  for (let d = from; d <= today; d = addDays(d, 1)) {
    const [, m, day] = d.split('-').map(Number) as [number, number, number]
    monthDays.push([m, day])
    if (m === 2 && day === 28 && addDays(d, 1).endsWith('-03-01')) monthDays.push([2, 29])
  }
  let paid = 0
  let after = 0
  const words = (await findProgramById(db, rules.program_id))?.mode === 'cashback' ? cashbackReasons : reasons
  for (;;) {
    const batch = await repo.membersBornOn(db, rules.program_id, monthDays, after, MEMBERS_PER_BATCH)
    if (batch.length === 0) break
    after = batch[batch.length - 1]!.id
    const entries: EntryInput[] = []
    for (const m of batch) {
      for (const b of birthdaysBetween(m.birth_date!, saoPauloDay(m.created_at), from, today)) {
        entries.push({
          memberId: m.id,
          kind: 'bonus',
          amount: rules.birthday_bonus,
          reason: words.birthdayBonus(b.year),
          idempotencyKey: birthdayBonusKey(m.id, b.year),
        })
      }
    }
    if (entries.length)
      paid += (await db.transaction().execute((trx) => postEntries(trx, rules.program_id, entries))).filter(
        (r) => r.created,
      ).length
  }
  await repo.setCheckedThrough(db, rules.program_id, { birthdays_checked_through: today })
  return paid
}
