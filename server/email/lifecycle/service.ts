import type { Executor, Trx } from '../../db/database.ts'
import type { AppDeps } from '../../deps.ts'
import { addDays, saoPauloDay, type Day } from '../../lib/calendar.ts'
import { benefitText } from '../../i18n/benefit.ts'
import { emailDeps, isMailable, queueEmail, type EmailDeps, type QueueEmailResult } from '../service.ts'
import type { LifecycleKind, TemplateDataMap } from '../templates/index.ts'
import { ptBR } from '../templates/pt-BR.ts'
import * as repo from './repository.ts'
import {
  composeDigest,
  couponReminderDue,
  dayBounds,
  digestDays,
  EXPIRY_NOTICES,
  noticeLots,
  planSlots,
  saoPauloHour,
  SEND_FROM_HOUR,
  slotSpacingMs,
  type CreditFact,
  type ExpiringLot,
} from './rules.ts'

/**
 * The lifecycle e-mails (issue 8): welcome (paced drip), daily "points earned" digest, reward
 * redeemed, points expiring (30 and 7 days), coupon expiring unused.
 *
 * Every one of them passes the same gate (design rule 7): the program's integration is active,
 * the merchant's kill switch is not pulled and the kind is not turned off; the member did not
 * refuse e-mails (join form) nor unsubscribe from it (queueEmail checks the unsubscribe table).
 * Each is written to the outbox with a dedupe key naming what it is about — member and day,
 * redemption, member and welcome — so every job can run again (or twice at once) and write
 * nothing new, and with a pt-BR reason saying why it was sent.
 */

export type LifecycleDeps = Pick<AppDeps, 'db' | 'jobs' | 'config' | 'secrets' | 'log'>

type GateClosed = 'no_program' | 'not_active' | 'disabled' | 'kind_disabled'
export type Gate = { open: true; programName: string; pointsName: string; activatedAt: Date | null } | { open: false; why: GateClosed }

export async function lifecycleGate(db: Executor, programId: string, kind: LifecycleKind): Promise<Gate> {
  const row = await repo.findGate(db, programId)
  if (!row) return { open: false, why: 'no_program' }
  if (!row.active) return { open: false, why: 'not_active' }
  if (row.enabled === false) return { open: false, why: 'disabled' }
  if (row.disabled_kinds?.includes(kind)) return { open: false, why: 'kind_disabled' }
  return { open: true, programName: row.name, pointsName: row.points_name, activatedAt: row.activated_at }
}

/** Gates of several programs, asked once per job run. */
function gateCache(db: Executor, kind: LifecycleKind) {
  const cache = new Map<string, Promise<Gate>>()
  return (programId: string) => {
    let g = cache.get(programId)
    if (!g) cache.set(programId, (g = lifecycleGate(db, programId, kind)))
    return g
  }
}

interface MemberFacts {
  id: number
  email: string
  name: string | null
  email_consent: boolean | null
}

type SendResult = QueueEmailResult | { status: 'no_consent' } | { status: 'invalid_address' }

/** Writes one lifecycle e-mail (the caller passed the gate); a member who said "no" gets none. */
async function send<K extends LifecycleKind>(
  trx: Trx,
  email: EmailDeps,
  input: { programId: string; member: MemberFacts; kind: K; data: TemplateDataMap[K]; reason: string; dedupeKey: string; sendAfter?: Date },
): Promise<SendResult> {
  if (input.member.email_consent === false) return { status: 'no_consent' }
  // An address the sync accepted but a mail server would not (a comma, quotes): skip this member
  // rather than fail, and so block, the whole batch. Checked before any SQL of queueEmail.
  if (!isMailable(input.member.email)) return { status: 'invalid_address' }
  return queueEmail(trx, email, {
    programId: input.programId,
    memberId: input.member.id,
    kind: input.kind,
    to: input.member.email,
    data: input.data,
    reason: input.reason,
    dedupeKey: input.dedupeKey,
    ...(input.sendAfter ? { sendAfter: input.sendAfter } : {}),
  })
}

// ---- welcome: markers ----------------------------------------------------------------------------

/**
 * The enrolment hook: members just created (or a shopper who just joined in the widget) are due
 * a welcome. One statement per call, in the caller's transaction; no e-mail is written here —
 * the drip does that at the configured pace, and only once the integration is active.
 * `person`: somebody is waiting for it (widget join, enrolment by hand), so it goes first.
 */
export async function noteEnrolled(db: Executor, programId: string, memberIds: number[], who: 'bulk' | 'person'): Promise<void> {
  await repo.insertWelcomeMarkers(db, programId, memberIds, who === 'person' ? 0 : 1)
}

// ---- welcome: the drip ---------------------------------------------------------------------------

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
      if (gate.why === 'disabled' || gate.why === 'kind_disabled') out.skipped = await repo.skipPendingWelcomes(trx, programId, gate.why)
      return out
    }
    if ((await repo.countLateWelcomes(trx, programId)) >= lateCeiling(perMinute)) return out
    const plan = planSlots({ nextSlot: settings.welcome_next_slot_at, now, perMinute, pending: Number.MAX_SAFE_INTEGER })
    if (plan.slots.length === 0) return out
    const rows = await repo.lockPendingWelcomes(trx, programId, plan.slots.length + SKIP_SLACK)
    let used = 0
    for (const m of rows) {
      if (used === plan.slots.length) break
      const result = await send(trx, email, {
        programId,
        member: { id: m.member_id, email: m.email, name: m.name, email_consent: m.email_consent },
        kind: 'welcome',
        data: { name: m.name, points: m.balance, pointsName: gate.pointsName },
        reason: m.priority === 0 ? ptBR.welcome.reason(gate.programName) : ptBR.welcome.reasonCustomer(gate.programName),
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
    if (used > 0) await repo.setDripState(trx, programId, { welcome_next_slot_at: new Date(plan.slots[used - 1]!.getTime() + slotSpacingMs(perMinute)) })
    return out
  })
}

// ---- points earned: the daily digest -------------------------------------------------------------

export interface DigestReport {
  programs: number
  queued: number
  skipped: number
}

const PAGE = 200

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

async function digestProgramDay(deps: LifecycleDeps, email: EmailDeps, programId: string, gate: Extract<Gate, { open: true }>, day: Day) {
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
        for (const e of mine) if (e.kind === 'reverse' && e.order_ref) reversedByRef.set(e.order_ref, (reversedByRef.get(e.order_ref) ?? 0) - e.amount)
        const credits: CreditFact[] = mine
          .filter((e) => e.kind !== 'reverse')
          .map((e) => ({ id: e.id, kind: e.kind, amount: e.amount, reason: e.reason, orderRef: e.order_ref, createdAt: e.created_at }))
        const digest = composeDigest({ day, credits, reversedByRef, placedAtByRef: placed, cutoff: marker?.decided_at ?? gate.activatedAt })
        if (!digest) continue
        const result = await send(trx, email, {
          programId,
          member,
          kind: 'points_earned',
          data: { name: member.name, pointsName: gate.pointsName, day, total: digest.total, lines: digest.lines, balance: member.balance },
          reason: ptBR.pointsEarned.reason(day, digest.causes),
          dedupeKey: key(id),
        })
        if (result.status === 'queued') out.queued++
        else out.skipped++
      }
    })
  }
  return out
}

// ---- reward redeemed -----------------------------------------------------------------------------

/**
 * The redemption's coupon exists in the store (status `issued`): e-mail its code, value and
 * expiry, once per redemption. Called by the coupon job right after it marks the redemption
 * issued; never throws into it (the coupon is issued whatever happens to the e-mail) — a lost
 * e-mail is written by the hourly catch-up (`catchUpRedeemed`) instead.
 */
export async function onRedemptionIssued(deps: LifecycleDeps, redemptionId: number): Promise<void> {
  try {
    const r = await repo.findRedemption(deps.db, redemptionId)
    if (!r) return
    await deps.db.transaction().execute((trx) => sendRedeemed(trx, emailDeps(deps), r))
  } catch (err) {
    deps.log.warn('reward redeemed e-mail not written; the hourly catch-up retries it', { redemptionId, err })
  }
}

async function sendRedeemed(trx: Trx, email: EmailDeps, r: repo.RedemptionFacts, gate?: Gate, member?: MemberRow): Promise<SendResult | null> {
  if (r.status !== 'issued' || !r.valid_until_day) return null
  gate ??= await lifecycleGate(trx, r.program_id, 'reward_redeemed')
  if (!gate.open) return null
  member ??= (await repo.membersByIds(trx, r.program_id, [r.member_id]))[0]
  if (!member) return null
  return send(trx, email, {
    programId: r.program_id,
    member,
    kind: 'reward_redeemed',
    data: {
      name: member.name,
      rewardTitle: r.reward_title,
      benefit: benefitText({ type: r.coupon_type, value: r.coupon_value }),
      couponCode: r.coupon_code,
      validUntil: dayOf(r.valid_until_day),
      minimumOrderCents: r.minimum_order_cents === null ? null : Number(r.minimum_order_cents),
      pointsSpent: r.points_cost,
      pointsName: gate.pointsName,
    },
    reason: ptBR.rewardRedeemed.reason(r.reward_title, r.id),
    dedupeKey: `reward_redeemed:${r.id}`,
  })
}

/** A `date` column may come back as a Date or a string, depending on the driver's parsers. */
function dayOf(v: string | Date): Day {
  return typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10)
}

type MemberRow = Awaited<ReturnType<typeof repo.membersByIds>>[number]

/**
 * For one page of redemptions: the dedupe keys already in the outbox and the members — one query
 * of each per program on the page, not two per redemption.
 */
async function redemptionPageFacts(db: Executor, rows: repo.RedemptionFacts[], keyOf: (r: repo.RedemptionFacts) => string) {
  const byProgram = new Map<string, repo.RedemptionFacts[]>()
  for (const r of rows) byProgram.set(r.program_id, [...(byProgram.get(r.program_id) ?? []), r])
  const done = new Set<string>()
  const members = new Map<number, MemberRow>()
  for (const [programId, rs] of byProgram) {
    for (const key of await repo.existingDedupeKeys(db, programId, rs.map(keyOf))) done.add(key)
    for (const m of await repo.membersByIds(db, programId, rs.map((r) => r.member_id))) members.set(m.id, m)
  }
  return { done, members }
}

/** Coupons issued in the last two days whose e-mail is missing (the coupon job's call failed). */
export async function catchUpRedeemed(deps: LifecycleDeps, now = new Date()): Promise<number> {
  const email = emailDeps(deps)
  const gateOf = gateCache(deps.db, 'reward_redeemed')
  let queued = 0
  for (let afterId = 0; ; ) {
    const rows = await repo.recentlyIssued(deps.db, new Date(now.getTime() - 2 * 86_400_000), afterId, PAGE)
    if (rows.length === 0) break
    afterId = rows[rows.length - 1]!.id
    const open: Array<{ r: repo.RedemptionFacts; gate: Gate }> = []
    for (const r of rows) {
      const gate = await gateOf(r.program_id)
      if (gate.open) open.push({ r, gate })
    }
    const keyOf = (r: repo.RedemptionFacts) => `reward_redeemed:${r.id}`
    const { done, members } = await redemptionPageFacts(deps.db, open.map((o) => o.r), keyOf)
    for (const { r, gate } of open) {
      const member = members.get(r.member_id)
      if (done.has(keyOf(r)) || !member) continue
      const res = await deps.db.transaction().execute((trx) => sendRedeemed(trx, email, r, gate, member))
      if (res?.status === 'queued') queued++
    }
  }
  return queued
}

// ---- coupon expiring unused ----------------------------------------------------------------------

/** Issued coupons close to their expiry, reminded once each (`coupon_expiring:<redemption>`), in daytime. */
export async function runCouponReminders(deps: LifecycleDeps, now = new Date()): Promise<number> {
  if (saoPauloHour(now) < SEND_FROM_HOUR) return 0
  const email = emailDeps(deps)
  const gateOf = gateCache(deps.db, 'coupon_expiring')
  let queued = 0
  for (let afterId = 0; ; ) {
    const rows = await repo.issuedExpiringBetween(deps.db, now, new Date(now.getTime() + 9 * 86_400_000), afterId, PAGE)
    if (rows.length === 0) break
    afterId = rows[rows.length - 1]!.id
    const due: Array<{ r: repo.RedemptionFacts; validUntil: Day; daysLeft: number }> = []
    for (const r of rows) {
      if (!r.valid_until_day || !r.issued_at) continue
      const validUntil = dayOf(r.valid_until_day)
      const reminder = couponReminderDue({ issuedAt: r.issued_at, validUntil, now })
      if (reminder.due && (await gateOf(r.program_id)).open) due.push({ r, validUntil, daysLeft: reminder.daysLeft })
    }
    const keyOf = (r: repo.RedemptionFacts) => `coupon_expiring:${r.id}`
    const { done, members } = await redemptionPageFacts(deps.db, due.map((d) => d.r), keyOf)
    for (const { r, validUntil, daysLeft } of due) {
      const key = keyOf(r)
      const member = members.get(r.member_id)
      if (done.has(key) || !member) continue
      const res = await deps.db.transaction().execute((trx) =>
        send(trx, email, {
          programId: r.program_id,
          member,
          kind: 'coupon_expiring',
          data: {
            name: member.name,
            rewardTitle: r.reward_title,
            benefit: benefitText({ type: r.coupon_type, value: r.coupon_value }),
            couponCode: r.coupon_code,
            validUntil,
            daysLeft,
          },
          reason: ptBR.couponExpiring.reason(r.coupon_code, validUntil, r.id),
          dedupeKey: key,
        }),
      )
      if (res.status === 'queued') queued++
    }
  }
  return queued
}

// ---- points expiring -----------------------------------------------------------------------------

/**
 * Where "points expiring in the next N days" comes from: the points lifecycle (server/points/,
 * expiry rules of issue 8 item 2). Kept behind this interface so the e-mail job does not depend
 * on how lots are computed, and tests can feed it directly.
 */
export interface ExpirySource {
  /** Programs whose points expire. */
  programs(db: Executor): Promise<string[]>
  /** Members who may have points expiring in [today, today + withinDays], keyset-paged by id. */
  candidates(db: Executor, programId: string, today: Day, withinDays: number, afterId: number, limit: number): Promise<number[]>
  /** Their points expiring in [today, today + withinDays], per expiry day, soonest first. */
  upcoming(db: Executor, programId: string, memberIds: number[], today: Day, withinDays: number): Promise<Map<number, ExpiringLot[]>>
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
        const last = await repo.lastNoticeAt(deps.db, programId, ids, 'points_expiring', `points_expiring:%:${notice.days}:%`)
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
              data: { name: member.name, pointsName: gate.pointsName, windowDays: notice.days, lots: lots.map((l) => ({ points: l.points, day: l.on })), balance: member.balance },
              reason: ptBR.pointsExpiring.reason(total, gate.pointsName, lots[lots.length - 1]!.on, notice.days),
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

// ---- settings (admin API) ------------------------------------------------------------------------

export interface LifecycleSettings {
  enabled: boolean
  disabledKinds: LifecycleKind[]
}

export async function getLifecycleSettings(db: Executor, programId: string): Promise<LifecycleSettings> {
  const row = await repo.findSettings(db, programId)
  return { enabled: row?.enabled ?? true, disabledKinds: (row?.disabled_kinds ?? []) as LifecycleKind[] }
}

export async function setLifecycleSettings(db: Executor, programId: string, set: Partial<LifecycleSettings>): Promise<LifecycleSettings> {
  const row = await repo.upsertSettings(db, programId, {
    ...(set.enabled !== undefined ? { enabled: set.enabled } : {}),
    ...(set.disabledKinds !== undefined ? { disabled_kinds: [...new Set(set.disabledKinds)] } : {}),
  })
  return { enabled: row.enabled, disabledKinds: row.disabled_kinds as LifecycleKind[] }
}
