import { saoPauloDay, type Day } from '../../lib/calendar.ts'
import { emailDeps, type EmailDeps } from '../service.ts'
import { ptBR } from '../templates/pt-BR.ts'
import { lifecycleGate, type Gate, type LifecycleDeps } from './gate.ts'
import * as repo from './repository.ts'
import { composeDigest, dayBounds, digestDays, type CreditFact } from './rules.ts'
import { PAGE, send } from './send.ts'

// Points earned: the daily digest.

export interface DigestReport {
  programs: number
  queued: number
  skipped: number
}

/**
 * The "points earned" digests due at `now` (see digestDays): per program and São Paulo day, the
 * members with credits that day, one e-mail each, keyed `points_earned:<member>:<day>`. Members
 * already written for that day are filtered before any work, so a second run reads and writes
 * almost nothing.
 */
export async function runPointsDigest(deps: LifecycleDeps, now = new Date()): Promise<DigestReport> {
  const report: DigestReport = { programs: 0, queued: 0, skipped: 0 }
  const email = emailDeps(deps)
  for (const p of await repo.activePrograms(deps.db)) {
    const gate = await lifecycleGate(deps.db, p.program_id, 'points_earned')
    if (!gate.open || !gate.activatedAt) continue
    report.programs++
    for (const day of digestDays(now)) {
      // Nothing from before the activation: those days were never the program's to report.
      if (day < saoPauloDay(gate.activatedAt)) continue
      const r = await digestProgramDay(deps, email, p.program_id, gate, day)
      report.queued += r.queued
      report.skipped += r.skipped
    }
  }
  return report
}

async function digestProgramDay(
  deps: LifecycleDeps,
  email: EmailDeps,
  programId: string,
  gate: Extract<Gate, { open: true }>,
  day: Day,
) {
  const out = { queued: 0, skipped: 0 }
  const { start, end } = dayBounds(day)
  const key = (memberId: number) => `points_earned:${memberId}:${day}`
  for (let afterId = 0; ; ) {
    const ids = await repo.membersWithCredits(deps.db, programId, start, end, afterId, PAGE)
    if (ids.length === 0) break
    afterId = ids[ids.length - 1]!
    const done = await repo.existingDedupeKeys(deps.db, programId, ids.map(key))
    const todo = ids.filter((id) => !done.has(key(id)))
    if (todo.length === 0) continue

    const entries = await repo.dayEntries(deps.db, programId, todo, start, end)
    const members = new Map((await repo.membersByIds(deps.db, programId, todo)).map((m) => [m.id, m]))
    const markers = new Map((await repo.welcomeMarkers(deps.db, programId, todo)).map((w) => [w.member_id, w]))
    const refs = [...new Set(entries.filter((e) => e.kind === 'earn' && e.order_ref).map((e) => e.order_ref!))]
    const placed = await repo.placedAtByRef(deps.db, programId, refs)

    await deps.db.transaction().execute(async (trx) => {
      for (const id of todo) {
        const member = members.get(id)
        const marker = markers.get(id)
        // The welcome goes first and reports the balance; until it is decided there is nothing to add.
        if (!member || marker?.status === 'pending') continue
        const mine = entries.filter((e) => e.member_id === id)
        const reversedByRef = new Map<string, number>()
        for (const e of mine)
          if (e.kind === 'reverse' && e.order_ref)
            reversedByRef.set(e.order_ref, (reversedByRef.get(e.order_ref) ?? 0) - e.amount)
        const credits: CreditFact[] = mine
          .filter((e) => e.kind !== 'reverse')
          .map((e) => ({
            id: e.id,
            kind: e.kind,
            amount: e.amount,
            reason: e.reason,
            orderRef: e.order_ref,
            createdAt: e.created_at,
            occurredAt: e.occurred_at,
          }))
        const digest = composeDigest({
          day,
          credits,
          reversedByRef,
          placedAtByRef: placed,
          cutoff: marker?.decided_at ?? gate.activatedAt,
        })
        if (!digest) continue
        const result = await send(trx, email, {
          programId,
          member,
          kind: 'points_earned',
          data: {
            name: member.name,
            pointsName: gate.pointsName,
            day,
            total: digest.total,
            lines: digest.lines,
            balance: member.balance,
            mode: gate.mode,
          },
          reason:
            gate.mode === 'cashback'
              ? ptBR.cashback.earned.reason(day, digest.causes)
              : ptBR.pointsEarned.reason(day, digest.causes),
          dedupeKey: key(id),
        })
        if (result.status === 'queued') out.queued++
        else out.skipped++
      }
    })
  }
  return out
}
