import type { Executor } from '../../db/database.ts'
import { addDays, startOfSaoPauloDay } from '../../lib/calendar.ts'
import { expiryOf, subtractExpiry, upcomingExpiries } from '../../points/expiry.ts'
import { expiryCandidates, findRules, ledgerFacts, programsWithDailyWork } from '../../points/service.ts'
import type { ExpirySource } from './expiring.ts'

/**
 * The points lifecycle's expiry (server/points/: FIFO lots, `upcomingExpiries`) as the notices
 * need it. Candidates: members with a credit earned `expiry_months` (or a cashback program's
 * `expiry_days`) before the window (a few days of slack for month-end clamping) or refunded since — a refund gives back points with their
 * original dates; `upcomingExpiries` then decides exactly.
 */
export const lifecycleExpirySource: ExpirySource = {
  async programs(db: Executor) {
    return (await programsWithDailyWork(db)).filter((r) => expiryOf(r)).map((r) => r.program_id)
  },
  async candidates(db, programId, today, withinDays, afterId, limit) {
    const expiry = expiryOf(await findRules(db, programId))
    if (!expiry) return []
    const from = startOfSaoPauloDay(addDays(subtractExpiry(today, expiry), -4))
    const to = startOfSaoPauloDay(addDays(subtractExpiry(addDays(today, withinDays), expiry), 2))
    return expiryCandidates(db, programId, { from, to, refundsSince: from }, afterId, limit)
  },
  async upcoming(db, programId, memberIds, today, withinDays) {
    const expiry = expiryOf(await findRules(db, programId))
    const facts = await ledgerFacts(db, programId, memberIds)
    return new Map([...facts].map(([id, entries]) => [id, upcomingExpiries(entries, expiry, today, { withinDays })]))
  },
}
