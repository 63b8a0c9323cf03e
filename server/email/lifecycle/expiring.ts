import type { Executor } from '../../db/database.ts'
import { addDays, saoPauloDay, type Day } from '../../lib/calendar.ts'
import { emailDeps } from '../service.ts'
import { ptBR } from '../templates/pt-BR.ts'
import { lifecycleGate, type LifecycleDeps } from './gate.ts'
import * as repo from './repository.ts'
import { EXPIRY_NOTICES, noticeLots, saoPauloHour, SEND_FROM_HOUR, type ExpiringLot } from './rules.ts'
import { PAGE, send } from './send.ts'

// Points expiring: the 30- and 7-day notices.

/**
 * Where "points expiring in the next N days" comes from: the points lifecycle (server/points/,
 * expiry rules of issue 8 item 2). Kept behind this interface so the e-mail job does not depend
 * on how lots are computed, and tests can feed it directly.
 */
export interface ExpirySource {
  /** Programs whose points expire. */
  programs(db: Executor): Promise<string[]>
  /** Members who may have points expiring in [today, today + withinDays], keyset-paged by id. */
  candidates(
    db: Executor,
    programId: string,
    today: Day,
    withinDays: number,
    afterId: number,
    limit: number,
  ): Promise<number[]>
  /** Their points expiring in [today, today + withinDays], per expiry day, soonest first. */
  upcoming(
    db: Executor,
    programId: string,
    memberIds: number[],
    today: Day,
    withinDays: number,
  ): Promise<Map<number, ExpiringLot[]>>
}

/**
 * The 30- and 7-day notices (see EXPIRY_NOTICES): per member at most one of each window per
 * window length, keyed by member, window and the first expiry day announced.
 */
export async function runExpiryNotices(deps: LifecycleDeps, source: ExpirySource, now = new Date()): Promise<number> {
  if (saoPauloHour(now) < SEND_FROM_HOUR) return 0
  const email = emailDeps(deps)
  const today = saoPauloDay(now)
  const widest = Math.max(...EXPIRY_NOTICES.map((n) => n.days))
  let queued = 0
  for (const programId of await source.programs(deps.db)) {
    const gate = await lifecycleGate(deps.db, programId, 'points_expiring')
    if (!gate.open) continue
    for (let afterId = 0; ; ) {
      const ids = await source.candidates(deps.db, programId, today, widest, afterId, PAGE)
      if (ids.length === 0) break
      afterId = ids[ids.length - 1]!
      const upcoming = await source.upcoming(deps.db, programId, ids, today, widest)
      const members = new Map((await repo.membersByIds(deps.db, programId, ids)).map((m) => [m.id, m]))
      for (const notice of EXPIRY_NOTICES) {
        const last = await repo.lastNoticeAt(
          deps.db,
          programId,
          ids,
          'points_expiring',
          `points_expiring:%:${notice.days}:%`,
        )
        const since = addDays(today, -notice.days + 1)
        await deps.db.transaction().execute(async (trx) => {
          for (const id of ids) {
            const member = members.get(id)
            const lots = noticeLots(upcoming.get(id) ?? [], notice, today)
            if (!member || lots.length === 0) continue
            const prev = last.get(id)
            if (prev && saoPauloDay(prev) >= since) continue
            const total = lots.reduce((s, l) => s + l.points, 0)
            const res = await send(trx, email, {
              programId,
              member,
              kind: 'points_expiring',
              data: {
                name: member.name,
                pointsName: gate.pointsName,
                windowDays: notice.days,
                lots: lots.map((l) => ({ points: l.points, day: l.on })),
                balance: member.balance,
                mode: gate.mode,
              },
              reason:
                gate.mode === 'cashback'
                  ? ptBR.cashback.expiring.reason(total, lots[lots.length - 1]!.on, notice.days)
                  : ptBR.pointsExpiring.reason(total, gate.pointsName, lots[lots.length - 1]!.on, notice.days),
              dedupeKey: `points_expiring:${id}:${notice.days}:${lots[0]!.on}`,
            })
            if (res.status === 'queued') queued++
          }
        })
      }
    }
  }
  return queued
}
