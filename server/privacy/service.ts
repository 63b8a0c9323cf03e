import {
  type MemberExport,
  PRIVACY_DUE_DAYS,
  type PrivacyRequestKind,
  type PrivacyRequestView,
} from '../../shared/api/privacy.ts'
import { privacyKey } from '../config/secrets.ts'
import type { Executor, Trx } from '../db/database.ts'
import type { Member, PrivacyRequestChannel } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { emailKey, endMemberSessions } from '../identity/service.ts'
import { keyedHash } from '../lib/crypto.ts'
import { AppError, notFound } from '../lib/errors.ts'
import { idPage } from '../lib/paging.ts'
import { writeTombstone } from '../members/service.ts'
import * as repo from './repository.ts'
import { emit } from '../webhooks/outbox/service.ts'

export { exportCsv } from './csv.ts'

type KeyDeps = Pick<AppDeps, 'secrets'>

const DAY_MS = 86_400_000
const iso = (d: Date | null) => (d ? d.toISOString() : null)
export const dueDate = (from: Date) => new Date(from.getTime() + PRIVACY_DUE_DAYS * DAY_MS)

async function memberOrThrow(db: Executor, programId: string, memberId: number): Promise<Member> {
  const m = await repo.findMember(db, programId, memberId)
  if (!m) throw notFound('Member')
  return m
}

/** Everything the program holds about a member (LGPD art. 18 II and V: access and portability). */
export async function exportMember(
  db: Executor,
  program: { id: string; name: string },
  memberId: number,
): Promise<MemberExport> {
  const m = await memberOrThrow(db, program.id, memberId)
  const [ledger, redemptions, referrals, orders, emails, unsubscribes, requests] = await Promise.all([
    repo.ledgerOf(db, program.id, m.id),
    repo.redemptionsOf(db, program.id, m.id),
    repo.referralsOf(db, program.id, m.id, m.email),
    repo.ordersOf(db, program.id, m.id),
    repo.emailsOf(db, program.id, m.id, m.email),
    repo.unsubscribesOf(db, program.id, m.id),
    repo.requestsOf(db, program.id, m.id),
  ])
  return {
    exportedAt: new Date().toISOString(),
    program: { name: program.name },
    profile: {
      email: m.email,
      name: m.name,
      cpf: m.cpf,
      birthDate: m.birth_date,
      liCustomerId: m.li_customer_id === null ? null : Number(m.li_customer_id),
      balance: m.balance,
      enrolledAt: m.created_at.toISOString(),
      joinedAt: iso(m.joined_at),
      erasedAt: iso(m.erased_at),
    },
    consent: {
      termsVersion: m.terms_version,
      termsAcceptedAt: iso(m.terms_accepted_at),
      emailConsent: m.email_consent,
      emailConsentAt: iso(m.email_consent_at),
      unsubscribed: unsubscribes.map((u) => ({ scope: u.scope, at: u.created_at.toISOString() })),
    },
    ledger: ledger.map((e) => ({
      occurredAt: e.occurred_at.toISOString(),
      kind: e.kind,
      amount: e.amount,
      reason: e.reason,
    })),
    redemptions: redemptions.map((r) => ({
      createdAt: r.created_at.toISOString(),
      rewardTitle: r.reward_title,
      pointsCost: r.points_cost,
      couponCode: r.coupon_code,
      status: r.status,
      validUntil: r.valid_until_day,
    })),
    referrals: referrals.map((r) => {
      const role = r.advocate_member_id === m.id && r.friend_email !== m.email ? 'advocate' : 'friend'
      return {
        role,
        claimedAt: r.claimed_at.toISOString(),
        status: r.status,
        couponCode: role === 'friend' ? r.coupon_code : null,
        claimIp: role === 'friend' ? r.claim_ip : null,
      }
    }),
    orders: orders.map((o) => ({
      externalId: o.external_id,
      placedAt: o.placed_at.toISOString(),
      totalCents: Number(o.total_cents),
      pointsAwarded: o.points_awarded,
      pointsReversed: o.points_reversed,
    })),
    emails: emails.map((e) => ({
      createdAt: e.created_at.toISOString(),
      sentAt: iso(e.sent_at),
      kind: e.kind,
      subject: e.subject,
      reason: e.reason,
      status: e.status,
    })),
    requests: requests.map((r) => ({
      kind: r.kind,
      state: r.state,
      requestedAt: r.requested_at.toISOString(),
      dueAt: r.due_at.toISOString(),
      doneAt: iso(r.done_at),
    })),
  }
}

/** An export handed over at once is a request answered at once: it goes on the program's list. */
export async function recordAnsweredRequest(
  db: Executor,
  programId: string,
  memberId: number,
  kind: PrivacyRequestKind,
  channel: PrivacyRequestChannel,
  ip: string | null,
): Promise<void> {
  const now = new Date()
  await repo.insertRequest(db, {
    program_id: programId,
    member_id: memberId,
    kind,
    channel,
    state: 'done',
    requester_ip: ip,
    requested_at: now,
    due_at: dueDate(now),
    done_at: now,
  })
}

/**
 * Erases a member (LGPD art. 18 VI), inside the caller's transaction: identity removed or
 * replaced by keyed hashes, a tombstone against re-enrolment, sessions ended, queued e-mails
 * dropped. What the program's figures need stays: the member row (id, balance), ledger entries,
 * orders' amounts, redemptions and coupon codes, sent e-mails' kinds and dates.
 */
export async function eraseMember(
  trx: Trx,
  deps: KeyDeps,
  programId: string,
  memberId: number,
  /** `registered`: completing a request already on the list (no second row for it). */
  by: { channel: PrivacyRequestChannel; ip: string | null; registered?: boolean },
): Promise<{ erasedAt: Date }> {
  const m = await repo.lockMember(trx, programId, memberId)
  if (!m) throw notFound('Member')
  if (m.erased_at) throw new AppError('conflict', 'This member was already erased')
  const key = privacyKey(deps.secrets)
  const liId = m.li_customer_id === null ? null : Number(m.li_customer_id)
  // Unique per member, recognisably not an address anyone reads (.invalid is reserved, RFC 2606).
  const placeholder = `erased-${keyedHash(key, `member:${programId}:${m.id}`).slice(0, 24)}@erased.invalid`

  const now = new Date()
  if (!by.registered)
    await repo.insertRequest(trx, {
      program_id: programId,
      member_id: m.id,
      kind: 'erasure',
      channel: by.channel,
      state: 'done',
      requester_ip: by.ip,
      requested_at: now,
      due_at: dueDate(now),
      done_at: now,
    })
  await repo.completeRequests(trx, programId, m.id, ['erasure', 'access', 'portability', 'correction'])
  const ips = await repo.requestIps(trx, programId, m.id)
  await writeTombstone(trx, programId, { key }, m.email, liId)
  await repo.anonymiseMember(trx, programId, m.id, placeholder)
  await repo.scrubOrders(trx, programId, m.id, m.email, liId)
  await repo.scrubEmails(trx, programId, m.id, m.email, placeholder)
  await repo.deleteLoginCodes(trx, programId, m.id, m.email)
  await endMemberSessions(trx, programId, m.id)
  const claimIps = await repo.scrubReferrals(trx, programId, m.email, placeholder)
  await repo.deleteRateLimits(trx, [
    `:${programId}:${emailKey(m.email)}`,
    ...[...new Set([...ips, ...claimIps])].map((ip) => `:ip:${ip}`),
  ])
  await repo.scrubRequests(trx, programId, m.id, (ip) => `hmac:${keyedHash(key, `ip:${ip}`)}`)
  await onMemberErased(trx, { programId, memberId: m.id, erasedAt: now })
  return { erasedAt: now }
}

/**
 * The hook for what else must happen in the erasure's transaction: the event webhooks
 * (issue 22 §3) write their `member.erased` outbox event here, so it commits with the erasure or
 * not at all. It carries ids only; nothing personal is left to send.
 */
export async function onMemberErased(
  trx: Trx,
  event: { programId: string; memberId: number; erasedAt: Date },
): Promise<void> {
  await emit(trx, event.programId, 'member.erased', {
    memberId: event.memberId,
    erasedAt: event.erasedAt.toISOString(),
  })
}

// ---- the program's list of requests -------------------------------------------------------------

type RequestRow = Awaited<ReturnType<typeof repo.listRequests>>[number]

function toRequestView(r: RequestRow): PrivacyRequestView {
  return {
    id: r.id,
    memberId: r.member_id,
    memberLabel: r.member_name ?? r.member_email,
    kind: r.kind,
    state: r.state,
    channel: r.channel,
    note: r.note,
    requestedAt: r.requested_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    doneAt: iso(r.done_at),
  }
}

export async function listRequests(
  db: Executor,
  programId: string,
  opts: { state?: 'open' | 'done' | 'cancelled' | undefined; cursor?: string | undefined },
) {
  const limit = 50
  const rows = await repo.listRequests(db, programId, {
    state: opts.state,
    beforeId: opts.cursor ? Number(opts.cursor) : undefined,
    limit: limit + 1,
  })
  return idPage(rows, limit, toRequestView)
}

async function requestView(db: Executor, programId: string, id: number): Promise<PrivacyRequestView> {
  const rows = await repo.listRequests(db, programId, { beforeId: id + 1, limit: 1 })
  if (!rows[0] || rows[0].id !== id) throw notFound('Privacy request')
  return toRequestView(rows[0])
}

/** A request the shopper made to the store by another channel (e-mail, phone), registered by the merchant. */
export async function registerRequest(
  trx: Trx,
  programId: string,
  input: { memberId: number; kind: PrivacyRequestKind; note?: string | null | undefined },
  channel: PrivacyRequestChannel,
): Promise<PrivacyRequestView> {
  const m = await repo.findMember(trx, programId, input.memberId)
  if (!m) throw new AppError('not_found', 'Member not found', { field: 'memberId' })
  const now = new Date()
  const row = await repo.insertRequest(trx, {
    program_id: programId,
    member_id: m.id,
    kind: input.kind,
    channel,
    note: input.note ?? null,
    requested_at: now,
    due_at: dueDate(now),
  })
  return requestView(trx, programId, row.id)
}

/**
 * Completes an open request. An erasure request erases the member here; the others (access,
 * portability, correction) are marked done once the merchant has handed over the export or
 * corrected the data.
 */
export async function completeRequest(
  trx: Trx,
  deps: KeyDeps,
  programId: string,
  requestId: number,
  channel: PrivacyRequestChannel,
): Promise<PrivacyRequestView> {
  const r = await repo.lockRequest(trx, programId, requestId)
  if (!r) throw notFound('Privacy request')
  if (r.state !== 'open') throw new AppError('conflict', 'This request is no longer open')
  if (r.kind === 'erasure') {
    const m = await repo.findMember(trx, programId, r.member_id)
    if (m && !m.erased_at) await eraseMember(trx, deps, programId, r.member_id, { channel, ip: null, registered: true })
  }
  await repo.completeRequests(trx, programId, r.member_id, [r.kind])
  return requestView(trx, programId, requestId)
}
