import type { Executor } from '../../db/database.ts'
import type { Day } from '../../lib/calendar.ts'
import * as repo from './repository.ts'

// What the reward-redeemed e-mail and the coupon reminder read about a page of redemptions.

/** A `date` column may come back as a Date or a string, depending on the driver's parsers. */
export function dayOf(v: string | Date): Day {
  return typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10)
}

export type MemberRow = Awaited<ReturnType<typeof repo.membersByIds>>[number]

/**
 * For one page of redemptions: the dedupe keys already in the outbox and the members — one query
 * of each per program on the page, not two per redemption.
 */
export async function redemptionPageFacts(
  db: Executor,
  rows: repo.RedemptionFacts[],
  keyOf: (r: repo.RedemptionFacts) => string,
) {
  const byProgram = new Map<string, repo.RedemptionFacts[]>()
  for (const r of rows) byProgram.set(r.program_id, [...(byProgram.get(r.program_id) ?? []), r])
  const done = new Set<string>()
  const members = new Map<number, MemberRow>()
  for (const [programId, rs] of byProgram) {
    for (const key of await repo.existingDedupeKeys(db, programId, rs.map(keyOf))) done.add(key)
    for (const m of await repo.membersByIds(
      db,
      programId,
      rs.map((r) => r.member_id),
    ))
      members.set(m.id, m)
  }
  return { done, members }
}
