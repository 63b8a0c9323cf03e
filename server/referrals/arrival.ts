import type { Db, Executor } from '../db/database.ts'
import type { Order, ReferralRow } from '../db/schema.ts'
import { referralReasons } from '../i18n/referrals.ts'
import { findIntegration, listStatuses } from '../integrations/service.ts'
import { lockBalances, postEntries } from '../ledger/service.ts'
import { saoPauloDay, type Day } from '../lib/calendar.ts'
import { findMember, findMemberByEmail, findMembersByEmails } from '../members/service.ts'
import { classifyStatus, type StatusLike, type StatusTarget } from '../orders/rules.ts'
import { listOrdersByIds, ordersOfCustomers } from '../orders/service.ts'
import { awardLifecycle } from '../points/service.ts'
import { findProgramById } from '../programs/service.ts'
import { emit } from '../webhooks/outbox/service.ts'
import * as repo from './repository.ts'
import {
  arrivalReasons,
  capReached,
  couponLapsed,
  creditAvailableOn,
  orderedStep,
  placedWhileValid,
  saoPauloMonth,
  type Person,
} from './rules.ts'
import { getSettings } from './settings.ts'

type FoundOrder = Awaited<ReturnType<typeof ordersOfCustomers>>[number]

export interface PassCounts {
  matched: number
  held: number
  ordered: number
  credited: number
  capped: number
  cancelled: number
  expired: number
}

/**
 * The minutely pass over open referrals, set-based per program: the orders feature sits below
 * referrals and never calls up, so this reads the friends' orders through its service instead.
 * Every step is one transaction moving a referral on from the status it was read in (a replay or
 * a concurrent pass finds nothing to move), and the credit's ledger key `referral:<id>` refuses a
 * second entry: a crash anywhere loses nothing and counts nothing twice.
 *
 * - `coupon_sent` without an order: the friend's first order, by the claim's e-mail (lower-cased)
 *   or the referral coupon, is checked again (first order, the advocate's e-mail, CPF, phone,
 *   name); failing → `review` (held at arrival), passing → the order is recorded. Only orders
 *   placed by the coupon's last valid day count (rules.ts placedWhileValid). Still without one a
 *   day after that day → `expired`, for good (see lapse below).
 * - `coupon_sent` with its order checked: the order in an awarding status → `ordered`, credit on
 *   its day + the program's pending period; cancelled → `cancelled`.
 * - `ordered`: cancelled → `cancelled`; on or after its day, still awarding → `credited` (or
 *   `capped` past the advocate's monthly cap).
 */
export async function processReferrals(deps: { db: Db }, now: Date = new Date()): Promise<PassCounts> {
  const counts: PassCounts = {
    matched: 0,
    held: 0,
    ordered: 0,
    credited: 0,
    capped: 0,
    cancelled: 0,
    expired: 0,
  }
  const today = saoPauloDay(now)
  let after: string | null = null
  for (;;) {
    const page = await repo.openReferrals(deps.db, after, 500)
    if (page.length === 0) return counts
    after = page[page.length - 1]!.id
    const byProgram = new Map<string, ReferralRow[]>()
    for (const r of page) byProgram.set(r.program_id, [...(byProgram.get(r.program_id) ?? []), r])
    for (const [programId, rows] of byProgram) await passProgram(deps.db, programId, rows, today, now, counts)
  }
}

async function passProgram(db: Db, programId: string, page: ReferralRow[], today: Day, now: Date, counts: PassCounts) {
  const [program, integration] = await Promise.all([findProgramById(db, programId), findIntegration(db, programId)])
  if (!program || !integration) return
  let rows = page
  const statuses = new Map((await listStatuses(db, programId)).map((s) => [s.id, s]))
  const awarding = new Set(integration.awarding_status_ids)
  // As orders/service.ts classifies: LI statuses by code and flags, an ERP sale by what it reported.
  const targetOf = (o: Pick<Order, 'source' | 'status_id' | 'status_code'>): StatusTarget => {
    if (o.source === 'erp') return o.status_code === 'reverse' ? 'reverse' : 'award'
    if (o.status_id === null) return 'hold'
    const s: StatusLike = statuses.get(o.status_id) ?? {
      id: o.status_id,
      code: o.status_code ?? '',
      cancelled: false,
      final: false,
    }
    return classifyStatus(s, awarding)
  }

  const matched = await matchOrders(
    db,
    programId,
    rows.filter((r) => r.status === 'coupon_sent' && r.order_external_id === null),
    now,
    counts,
  )
  rows = rows.map((r) => matched.get(r.id) ?? r)
  await lapse(db, integration, rows, now, counts)

  const tracked = rows.filter(
    (r) => r.order_external_id !== null && (r.status === 'ordered' || r.order_checked_at !== null),
  )
  if (tracked.length === 0) return
  const orders = new Map<string, Order>()
  for (const source of ['li', 'erp'] as const) {
    const ids = tracked.filter((r) => r.order_source === source).map((r) => r.order_external_id!)
    for (const o of await listOrdersByIds(db, programId, source, ids)) orders.set(`${source}:${o.external_id}`, o)
  }
  const settings = await getSettings(db, program)
  const { pendingDays } = await awardLifecycle(db, programId)
  for (const r of tracked) {
    const o = orders.get(`${r.order_source}:${r.order_external_id}`)
    if (!o) continue
    const target = targetOf(o)
    if (r.status === 'coupon_sent') {
      if (target === 'reverse') {
        if (await repo.transition(db, r.id, ['coupon_sent'], { status: 'cancelled' })) counts.cancelled++
      } else if (target === 'award') {
        // The period runs from the day the order reached the awarding status as we saw it (its
        // source's last change), as the points' pending period does (orders/service.ts).
        const day = creditAvailableOn(saoPauloDay(o.source_updated_at), pendingDays)
        if (await repo.transition(db, r.id, ['coupon_sent'], { status: 'ordered', credit_available_on: day })) {
          counts.ordered++
          // A period of 0 days: credit in the same pass.
          if (day <= today) await step(db, { ...r, status: 'ordered', credit_available_on: day }, target, o)
        }
      }
      continue
    }
    await step(db, r, target, o)
  }

  async function step(db: Db, r: ReferralRow, target: StatusTarget, o: Order) {
    const next = orderedStep(target, r.credit_available_on!, today)
    if (next === 'cancel') {
      if (await repo.transition(db, r.id, ['ordered'], { status: 'cancelled' })) counts.cancelled++
    } else if (next === 'credit') {
      const outcome = await credit(db, r, o, today, program!.mode, settings)
      if (outcome) counts[outcome]++
    }
  }
}

/**
 * `coupon_sent` with no order, a day past the coupon's last valid day → `expired`, right after this
 * pass looked for their orders. Each from `coupon_sent` and while no order is recorded, so a
 * concurrent pass that just recorded the friend's order wins. Expired is final: a later order does
 * not reopen it. It could only count if placed while the coupon was valid (placedWhileValid, the
 * same rule as before the lapse) and still reach us over a day later; a store whose orders cannot be
 * read now (paused, or its key rejected) keeps its referrals open until its sync catches up.
 */
async function lapse(
  db: Db,
  integration: { active: boolean; credentials_rejected_at: Date | null },
  rows: ReferralRow[],
  now: Date,
  counts: PassCounts,
) {
  if (!integration.active || integration.credentials_rejected_at) return
  for (const r of rows) {
    if (r.status !== 'coupon_sent' || r.order_external_id !== null || !couponLapsed(r.coupon_valid_until, now)) continue
    if (await repo.transition(db, r.id, ['coupon_sent'], { status: 'expired' }, { withoutOrder: true }))
      counts.expired++
  }
}

/** Credits the advocate once (`referral:<id>`), or records `capped` past the monthly cap. */
async function credit(
  db: Db,
  r: ReferralRow,
  o: Order,
  today: Day,
  mode: 'points' | 'cashback',
  settings: { advocateReward: number; advocateMonthlyCap: number },
): Promise<'credited' | 'capped' | null> {
  return db.transaction().execute(async (trx) => {
    // The advocate's row first: their credits of one month are counted and written one at a time.
    await lockBalances(trx, r.program_id, [r.advocate_member_id])
    const locked = await repo.lockReferral(trx, r.program_id, r.id)
    if (locked?.status !== 'ordered') return null
    const month = saoPauloMonth(today)
    const credited = await repo.countCreditedInMonth(trx, r.program_id, r.advocate_member_id, month)
    if (capReached(credited, settings.advocateMonthlyCap)) {
      await repo.transition(trx, r.id, ['ordered'], { status: 'capped', credit_month: month })
      return 'capped'
    }
    await postEntries(trx, r.program_id, [
      {
        memberId: r.advocate_member_id,
        kind: 'bonus',
        amount: settings.advocateReward,
        reason: referralReasons.credited(o.external_id, mode),
        idempotencyKey: `referral:${r.id}`,
      },
    ])
    await emit(trx, r.program_id, 'referral.credited', {
      memberId: r.advocate_member_id,
      referralId: r.id,
      orderId: o.external_id,
      amount: settings.advocateReward,
      unit: mode === 'cashback' ? 'cents' : 'points',
    })
    await repo.transition(trx, r.id, ['ordered'], {
      status: 'credited',
      credit_month: month,
      credited_amount: settings.advocateReward,
      credited_at: new Date(),
    })
    return 'credited'
  })
}

/** Finds each waiting referral's first order and checks it again; records it, or holds the referral. */
async function matchOrders(
  db: Db,
  programId: string,
  waiting: ReferralRow[],
  now: Date,
  counts: PassCounts,
): Promise<Map<string, ReferralRow>> {
  const moved = new Map<string, ReferralRow>()
  if (waiting.length === 0) return moved
  // LI's order listing carries neither the buyer's e-mail nor the coupon (reference §3.3): a
  // polled order is known by its LI customer, whom the customer sync made a member with the
  // friend's e-mail. So the friends' members give their LI customer ids too.
  const friendCustomers = new Map<number, string>()
  for (const m of await findMembersByEmails(
    db,
    programId,
    waiting.map((r) => r.friend_email),
  ))
    if (m.li_customer_id !== null) friendCustomers.set(Number(m.li_customer_id), m.email.trim().toLowerCase())
  const found = await ordersOfCustomers(db, programId, {
    emails: waiting.map((r) => r.friend_email),
    liCustomerIds: [...friendCustomers.keys()],
    couponCodes: waiting.flatMap((r) => (r.coupon_code ? [r.coupon_code] : [])),
  })
  if (found.length === 0) return moved
  // The buyers' other orders (by the same e-mail or LI customer), to tell whether this one is their first.
  const history = await ordersOfCustomers(db, programId, {
    emails: [...new Set(found.flatMap((o) => (o.customer_email ? [o.customer_email.trim().toLowerCase()] : [])))],
    liCustomerIds: [...new Set(found.flatMap((o) => (o.li_customer_id !== null ? [Number(o.li_customer_id)] : [])))],
    couponCodes: [],
  })
  for (const r of waiting) {
    const mine = found
      .filter(
        (o) =>
          (lower(o.customer_email) === r.friend_email ||
            upper(o.coupon_code) === r.coupon_code ||
            (o.li_customer_id !== null && friendCustomers.get(Number(o.li_customer_id)) === r.friend_email)) &&
          placedWhileValid(o.placed_at, r.coupon_valid_until),
      )
      .sort((a, b) => a.placed_at.getTime() - b.placed_at.getTime())
    const order = mine[0]
    if (!order) continue
    counts.matched++
    const sameBuyer = (o: FoundOrder) =>
      (order.customer_email !== null && lower(o.customer_email) === lower(order.customer_email)) ||
      (order.li_customer_id !== null &&
        o.li_customer_id !== null &&
        Number(o.li_customer_id) === Number(order.li_customer_id))
    const reasons = arrivalReasons({
      buyer: await buyerOf(db, programId, order, r.friend_email),
      advocate: await personOf(db, programId, r.advocate_member_id),
      earlierOrder: history.some((o) => sameBuyer(o) && o.placed_at < order.placed_at),
      placedBeforeClaim: order.placed_at < r.claimed_at,
    })
    const held = reasons.length > 0
    const row = await repo.transition(db, r.id, ['coupon_sent'], {
      order_source: order.source,
      order_external_id: order.external_id,
      ...(held ? { status: 'review', held_at: 'arrival', reasons } : { order_checked_at: now }),
    })
    if (row) moved.set(r.id, row)
    if (row && held) counts.held++
  }
  return moved
}

const lower = (s: string | null) => s?.trim().toLowerCase() ?? null
const upper = (s: string | null) => s?.trim().toUpperCase() ?? null

/**
 * Who placed the order, from what we store: the order's e-mail, and CPF and name from its
 * member row (by the order's member, else its e-mail). What is unsure in LI's data: a store
 * customer's CPF and name reach us through the customer sync (members), not the order listing;
 * guests' orders may carry neither. No phone is stored anywhere (neither the order listing nor
 * our customer sync keeps `telefone_celular`, reference §3.3), so `same_phone` stays unchecked
 * until one is — the rule is ready (rules.ts).
 */
async function buyerOf(db: Executor, programId: string, o: FoundOrder, friendEmail: string): Promise<Person> {
  const email = lower(o.customer_email) ?? friendEmail
  const m =
    (o.member_id !== null ? await findMember(db, programId, Number(o.member_id)) : undefined) ??
    (await findMemberByEmail(db, programId, email))
  return { email, cpf: m?.cpf ?? null, name: m?.name ?? null, phone: null }
}

async function personOf(db: Executor, programId: string, memberId: number): Promise<Person> {
  const m = await findMember(db, programId, memberId)
  return { email: m?.email ?? '', cpf: m?.cpf ?? null, name: m?.name ?? null, phone: null }
}
