import { sql } from 'kysely'
import type { Executor, Trx } from '../db/database.ts'
import type { PrivacyRequestKind, PrivacyRequestState, PrivacyRequestChannel } from '../db/schema.ts'

/**
 * The SQL of LGPD exports and erasures. Unlike other features, this one reads and scrubs the
 * rows of several features (members, orders, outbox, login codes, rate limits) in one place, on
 * purpose: an erasure is only as good as its completeness, and one file listing every place a
 * shopper's identity can sit is what a reviewer (and server/privacy/erasure-scan.test.ts, which
 * scans every column of the catalogue) checks against. Tables of other features are touched here
 * for nothing but export and erasure; their owners' rules still live in their services.
 */

// ---- export -------------------------------------------------------------------------------------

export const findMember = (db: Executor, programId: string, memberId: number) =>
  db.selectFrom('members').selectAll().where('program_id', '=', programId).where('id', '=', memberId).executeTakeFirst()

export const ledgerOf = (db: Executor, programId: string, memberId: number) =>
  db
    .selectFrom('ledger_entries')
    .select(['occurred_at', 'kind', 'amount', 'reason'])
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute()

export const redemptionsOf = (db: Executor, programId: string, memberId: number) =>
  db
    .selectFrom('redemptions')
    .select(['created_at', 'reward_title', 'points_cost', 'coupon_code', 'status', 'valid_until_day'])
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .orderBy('id')
    .execute()

export const ordersOf = (db: Executor, programId: string, memberId: number) =>
  db
    .selectFrom('orders')
    .select(['external_id', 'placed_at', 'total_cents', 'points_awarded', 'points_reversed'])
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .orderBy('placed_at')
    .execute()

/** The e-mails written for the member (by member id, or to their address before they were one). */
export const emailsOf = (db: Executor, programId: string, memberId: number, email: string) =>
  db
    .selectFrom('email_outbox')
    .select(['created_at', 'sent_at', 'kind', 'subject', 'reason', 'status'])
    .where('program_id', '=', programId)
    .where((eb) => eb.or([eb('member_id', '=', memberId), eb('to_address', '=', email)]))
    .orderBy('id')
    .execute()

export const unsubscribesOf = (db: Executor, programId: string, memberId: number) =>
  db
    .selectFrom('email_unsubscribes')
    .select(['scope', 'created_at'])
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .execute()

// ---- erasure ------------------------------------------------------------------------------------

export const lockMember = (trx: Trx, programId: string, memberId: number) =>
  trx
    .selectFrom('members')
    .selectAll()
    .where('program_id', '=', programId)
    .where('id', '=', memberId)
    .forUpdate()
    .executeTakeFirst()

/** The member row keeps its id, balance, dates and consent flags; who they were goes. */
export const anonymiseMember = (trx: Trx, programId: string, memberId: number, placeholderEmail: string) =>
  trx
    .updateTable('members')
    .set({
      email: placeholderEmail,
      name: null,
      cpf: null,
      birth_date: null,
      li_customer_id: null,
      erased_at: new Date(),
      updated_at: new Date(),
    })
    .where('program_id', '=', programId)
    .where('id', '=', memberId)
    .execute()

/** Orders keep their amounts and points (reports add up), not the customer's e-mail or LI id. */
export async function scrubOrders(trx: Trx, programId: string, memberId: number, email: string, liId: number | null) {
  await trx
    .updateTable('orders')
    .set({ customer_email: null, li_customer_id: null, updated_at: new Date() })
    .where('program_id', '=', programId)
    .where((eb) =>
      eb.or([
        eb('member_id', '=', memberId),
        eb('customer_email', '=', email),
        ...(liId !== null ? [eb('li_customer_id', '=', liId)] : []),
      ]),
    )
    .execute()
}

/**
 * E-mails not sent yet are dropped (their jobs find no row and stop); sent ones keep kind,
 * reason, status and dates for the program's figures, with the address replaced and the
 * subject, bodies, headers and last error (an SMTP error may quote the address) removed.
 */
export async function scrubEmails(
  trx: Trx,
  programId: string,
  memberId: number,
  email: string,
  placeholderEmail: string,
) {
  const mine = (eb: any) => eb.or([eb('member_id', '=', memberId), eb('to_address', '=', email)])
  await trx
    .deleteFrom('email_outbox')
    .where('program_id', '=', programId)
    .where('status', '=', 'pending')
    .where(mine)
    .execute()
  await trx
    .updateTable('email_outbox')
    .set({
      to_address: placeholderEmail,
      subject: '',
      text_body: null,
      html_body: null,
      headers: '{}',
      last_error: null,
      updated_at: new Date(),
    })
    .where('program_id', '=', programId)
    .where(mine)
    .execute()
}

/** Referrals the member claimed as the friend (by their address), or that came through their link. */
export const referralsOf = (db: Executor, programId: string, memberId: number, email: string) =>
  db
    .selectFrom('referrals')
    .select(['advocate_member_id', 'friend_email', 'claimed_at', 'status', 'coupon_code', 'claim_ip'])
    .where('program_id', '=', programId)
    .where((eb) => eb.or([eb('friend_email', '=', email), eb('advocate_member_id', '=', memberId)]))
    .orderBy('claimed_at')
    .execute()

/**
 * Referrals the member claimed as the friend keep their status, coupon and any credit their
 * advocate earned (the advocate's ledger must still add up), not the address or the IP. Answers
 * the IPs, so their rate-limit counters go too.
 */
export async function scrubReferrals(trx: Trx, programId: string, email: string, placeholder: string) {
  const rows = await trx
    .updateTable('referrals as r')
    .set({ friend_email: placeholder, friend_email_key: placeholder, claim_ip: null, updated_at: new Date() })
    .from(
      trx
        .selectFrom('referrals')
        .select(['id', 'claim_ip as old_ip'])
        .where('program_id', '=', programId)
        .where('friend_email', '=', email)
        .forUpdate()
        .as('prev'),
    )
    .whereRef('r.id', '=', 'prev.id')
    .returning('prev.old_ip')
    .execute()
  return [...new Set(rows.flatMap((r) => (r.old_ip ? [r.old_ip] : [])))]
}

export const deleteLoginCodes = (trx: Trx, programId: string, memberId: number, email: string) =>
  trx
    .deleteFrom('login_codes')
    .where('program_id', '=', programId)
    .where((eb) => eb.or([eb('member_id', '=', memberId), eb('email', '=', email)]))
    .execute()

/** Rate-limit counters keyed by the member's e-mail hash or by the addresses they asked from. */
export async function deleteRateLimits(trx: Trx, fragments: string[]) {
  if (fragments.length === 0) return
  await trx
    .deleteFrom('rate_limits')
    .where((eb) => eb.or(fragments.map((f) => eb('key', 'like', `%${f.replace(/[\\%_]/g, (c) => '\\' + c)}%`))))
    .execute()
}

/** The IPs the member's privacy requests were made from (to clear their rate-limit traces). */
export async function requestIps(db: Executor, programId: string, memberId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('privacy_requests')
    .select('requester_ip')
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .where('requester_ip', 'is not', null)
    .where('requester_ip', 'not like', 'hmac:%')
    .execute()
  return [...new Set(rows.map((r) => r.requester_ip!))]
}

/** Requests stay as the proof they were answered; their notes and addresses do not. */
export async function scrubRequests(trx: Trx, programId: string, memberId: number, hashIp: (ip: string) => string) {
  for (const ip of await requestIps(trx, programId, memberId)) {
    await trx
      .updateTable('privacy_requests')
      .set({ requester_ip: hashIp(ip) })
      .where('program_id', '=', programId)
      .where('member_id', '=', memberId)
      .where('requester_ip', '=', ip)
      .execute()
  }
  await trx
    .updateTable('privacy_requests')
    .set({ note: null })
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .execute()
}

// ---- requests -----------------------------------------------------------------------------------

export const insertRequest = (
  trx: Executor,
  row: {
    program_id: string
    member_id: number
    kind: PrivacyRequestKind
    channel: PrivacyRequestChannel
    state?: PrivacyRequestState
    note?: string | null
    requester_ip?: string | null
    requested_at: Date
    due_at: Date
    done_at?: Date | null
  },
) => trx.insertInto('privacy_requests').values(row).returningAll().executeTakeFirstOrThrow()

export const requestsOf = (db: Executor, programId: string, memberId: number) =>
  db
    .selectFrom('privacy_requests')
    .selectAll()
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .orderBy('id')
    .execute()

export const lockRequest = (trx: Trx, programId: string, id: number) =>
  trx
    .selectFrom('privacy_requests')
    .selectAll()
    .where('program_id', '=', programId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()

/** Closes the member's open requests of these kinds (an erasure answers every one of them). */
export const completeRequests = (trx: Trx, programId: string, memberId: number, kinds: PrivacyRequestKind[]) =>
  trx
    .updateTable('privacy_requests')
    .set({ state: 'done', done_at: new Date() })
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .where('state', '=', 'open')
    .where('kind', '=', sql<PrivacyRequestKind>`any(${sql.val(kinds)}::text[])`)
    .execute()

/** Newest first, keyset by id, with the member's current name or e-mail. */
export function listRequests(
  db: Executor,
  programId: string,
  opts: { state?: PrivacyRequestState | undefined; beforeId?: number | undefined; limit: number },
) {
  let q = db
    .selectFrom('privacy_requests as r')
    .innerJoin('members as m', 'm.id', 'r.member_id')
    .selectAll('r')
    .select(['m.name as member_name', 'm.email as member_email'])
    .where('r.program_id', '=', programId)
  if (opts.state) q = q.where('r.state', '=', opts.state)
  if (opts.beforeId !== undefined) q = q.where('r.id', '<', opts.beforeId)
  return q.orderBy('r.id', 'desc').limit(opts.limit).execute()
}
