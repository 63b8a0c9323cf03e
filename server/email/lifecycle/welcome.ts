import type { Executor } from '../../db/database.ts'
import { emailDeps } from '../service.ts'
import { ptBR } from '../templates/pt-BR.ts'
import { lifecycleGate, type LifecycleDeps } from './gate.ts'
import * as repo from './repository.ts'
import { planSlots, slotSpacingMs } from './rules.ts'
import { send } from './send.ts'

// ---- markers --------------------------------------------------------------------------------------

/**
 * The enrolment hook: members just created (or a shopper who just joined in the widget) are due
 * a welcome. One statement per call, in the caller's transaction; no e-mail is written here —
 * the drip does that at the configured pace, and only once the integration is active.
 * `person`: somebody is waiting for it (widget join, enrolment by hand), so it goes first.
 */
export async function noteEnrolled(
  db: Executor,
  programId: string,
  memberIds: number[],
  who: 'bulk' | 'person',
): Promise<void> {
  await repo.insertWelcomeMarkers(db, programId, memberIds, who === 'person' ? 0 : 1)
}
// ---- the drip -----------------------------------------------------------------------------------

export interface DripReport {
  programs: number
  backfilled: number
  queued: number
  skipped: number
}

/** Past this many late welcomes (a minute's worth) the mail server is not keeping up: write no more for now. */
const lateCeiling = (perMinute: number) => Math.max(10, perMinute)
/** Pending markers read per run beyond the free slots: skipped members (unsubscribed, …) use no slot. */
const SKIP_SLACK = 100

/**
 * One run of the welcome drip (every minute). Per program with work: backfill markers once per
 * activation, then turn the next pending markers into outbox rows, each with a send time from
 * `planSlots` — all in one transaction with the settings row locked, so two processes never
 * plan the same slots and a crash loses nothing (the markers stay pending) and repeats nothing.
 */
export async function runWelcomeDrip(deps: LifecycleDeps, now = new Date()): Promise<DripReport> {
  const report: DripReport = { programs: 0, backfilled: 0, queued: 0, skipped: 0 }
  for (const p of await repo.programsWithWelcomeWork(deps.db)) {
    report.programs++
    const r = await dripProgram(deps, p.program_id, p.activated_at, now)
    report.backfilled += r.backfilled
    report.queued += r.queued
    report.skipped += r.skipped
  }
  return report
}

async function dripProgram(deps: LifecycleDeps, programId: string, activatedAt: Date | null, now: Date) {
  const perMinute = deps.config.emailWelcomePerMinute
  const email = emailDeps(deps)
  return deps.db.transaction().execute(async (trx) => {
    const out = { backfilled: 0, queued: 0, skipped: 0 }
    const settings = await repo.lockSettings(trx, programId)
    if ((settings.welcome_backfill_for?.getTime() ?? null) !== (activatedAt?.getTime() ?? null)) {
      // Members enrolled before this activation (the store's existing customers) are due one too.
      out.backfilled = await repo.backfillWelcomeMarkers(trx, programId)
      await repo.setDripState(trx, programId, { welcome_backfill_for: activatedAt })
    }
    const gate = await lifecycleGate(trx, programId, 'welcome')
    if (!gate.open) {
      // The kill switch drops pending welcomes; an inactive program keeps them for its activation.
      if (gate.why === 'disabled' || gate.why === 'kind_disabled')
        out.skipped = await repo.skipPendingWelcomes(trx, programId, gate.why)
      return out
    }
    if ((await repo.countLateWelcomes(trx, programId)) >= lateCeiling(perMinute)) return out
    const plan = planSlots({
      nextSlot: settings.welcome_next_slot_at,
      now,
      perMinute,
      pending: Number.MAX_SAFE_INTEGER,
    })
    if (plan.slots.length === 0) return out
    const rows = await repo.lockPendingWelcomes(trx, programId, plan.slots.length + SKIP_SLACK)
    let used = 0
    for (const m of rows) {
      if (used === plan.slots.length) break
      const result = await send(trx, email, {
        programId,
        member: { id: m.member_id, email: m.email, name: m.name, email_consent: m.email_consent },
        kind: 'welcome',
        data: { name: m.name, points: m.balance, pointsName: gate.pointsName, mode: gate.mode },
        reason:
          m.priority === 0 ? ptBR.welcome.reason(gate.programName) : ptBR.welcome.reasonCustomer(gate.programName),
        dedupeKey: `welcome:${m.member_id}`,
        sendAfter: plan.slots[used]!,
      })
      if (result.status === 'queued' || result.status === 'duplicate') {
        // A duplicate was written before (by an older marker): recorded, never sent twice, no slot used.
        if (result.status === 'queued') {
          used++
          out.queued++
        }
        await repo.decideWelcome(trx, m.member_id, { status: 'queued', outbox_id: result.email.id, decided_at: now })
      } else {
        out.skipped++
        await repo.decideWelcome(trx, m.member_id, { status: 'skipped', skip_reason: result.status, decided_at: now })
      }
    }
    // Only slots that got an e-mail advance the pace: skipped members cost no time.
    if (used > 0)
      await repo.setDripState(trx, programId, {
        welcome_next_slot_at: new Date(plan.slots[used - 1]!.getTime() + slotSpacingMs(perMinute)),
      })
    return out
  })
}
