import type { Executor } from '../../db/database.ts'
import { addDays, addMonths, startOfSaoPauloDay } from '../../lib/calendar.ts'
import { upcomingExpiries } from '../../points/expiry.ts'
import { expiryCandidates, findRules, ledgerFacts, programsWithDailyWork } from '../../points/service.ts'
import type { ExpirySource } from './expiring.ts'

/**
 * The points lifecycle's expiry (server/points/: FIFO lots, `upcomingExpiries`) as the notices
 * need it. Candidates: members with a credit earned `expiry_months` before the window (a few days
 * of slack for month-end clamping) or refunded since — a refund gives back points with their
 * original dates; `upcomingExpiries` then decides exactly.
 */
export const lifecycleExpirySource: ExpirySource = {
  async programs(db: Executor) {
    return (await programsWithDailyWork(db)).filter((r) => r.expiry_months).map((r) => r.program_id)
  },
  async candidates(db, programId, today, withinDays, afterId, limit) {
    const months = (await findRules(db, programId))?.expiry_months
    if (!months) return []
    const from = startOfSaoPauloDay(addDays(addMonths(today, -months), -4))
    const to = startOfSaoPauloDay(addDays(addMonths(addDays(today, withinDays), -months), 2))
    return expiryCandidates(db, programId, { from, to, refundsSince: from }, afterId, limit)
  },
  async upcoming(db, programId, memberIds, today, withinDays) {
    const months = (await findRules(db, programId))?.expiry_months ?? null
    const facts = await ledgerFacts(db, programId, memberIds)
    return new Map([...facts].map(([id, entries]) => [id, upcomingExpiries(entries, months, today, { withinDays })]))
  },
}
