import type { LedgerEntryView } from '../../shared/api/members.ts'
import type { Executor, Trx } from '../db/database.ts'
import type { LedgerEntry } from '../db/schema.ts'
import { AppError, notFound } from '../lib/errors.ts'
import * as repo from './repository.ts'
import { applyToBalances, sameMovement, validateEntry, type EntryInput } from './rules.ts'
import { idPage } from '../lib/paging.ts'
import { emitMany, type WebhookEventInput } from '../webhooks/outbox/service.ts'

export type { EntryInput } from './rules.ts'

export interface PostResult {
  entry: LedgerEntry
  /** False when the idempotency key was already used: `entry` is the first one. */
  created: boolean
  /** The member's balance after this call. */
  balance: number
}

/** Posts one entry idempotently. See `postEntries`. */
export async function postEntry(trx: Trx, programId: string, input: EntryInput): Promise<PostResult> {
  const [result] = await postEntries(trx, programId, [input])
  return result!
}

/**
 * Posts entries idempotently inside the caller's transaction: a key seen before returns the
 * first entry and changes nothing. The members' rows are locked first, so concurrent debits are
 * serialised and the balance check below cannot race; the cached balance is updated in the same
 * transaction, so it always equals the sum of the entries. A debit that would take a balance
 * below zero fails the whole call with insufficient_points.
 */
export async function postEntries(
  trx: Trx,
  programId: string,
  inputs: EntryInput[],
  /** Balances the caller already locked in this transaction with `lockBalances` (saves a round trip). */
  alreadyLocked?: ReadonlyMap<number, number>,
): Promise<PostResult[]> {
  inputs.forEach(validateEntry)
  const memberIds = [...new Set(inputs.map((e) => e.memberId))].sort((a, b) => a - b)
  let balances: Map<number, number>
  if (alreadyLocked && memberIds.every((id) => alreadyLocked.has(id))) {
    balances = new Map(memberIds.map((id) => [id, alreadyLocked.get(id)!]))
  } else {
    const locked = await repo.lockMembers(trx, programId, memberIds)
    if (locked.length !== memberIds.length) throw notFound('Member')
    balances = new Map(locked.map((m) => [m.id, m.balance]))
  }

  const existing = new Map(
    (await repo.findEntriesByKeys(trx, programId, [...new Set(inputs.map((e) => e.idempotencyKey))])).map((e) => [
      e.idempotency_key,
      e,
    ]),
  )
  const fresh: EntryInput[] = []
  const seen = new Set<string>()
  for (const e of inputs) {
    const prior = existing.get(e.idempotencyKey)
    if (prior && !sameMovement(prior, e)) throw idempotencyConflict()
    if (!prior && !seen.has(e.idempotencyKey)) fresh.push(e)
    seen.add(e.idempotencyKey)
  }

  applyToBalances(balances, fresh) // throws before anything is written
  const inserted = await repo.insertEntries(
    trx,
    fresh.map((e) => newRow(programId, e)),
  )
  for (const row of await addInsertedToBalances(trx, programId, inserted)) balances.set(row.id, row.balance)
  if (inserted.length) await emitMany(trx, programId, () => pointsEvents(inserted))

  const insertedByKey = new Map(inserted.map((e) => [e.idempotency_key, e]))
  const late = inputs.filter((e) => !insertedByKey.has(e.idempotencyKey) && !existing.has(e.idempotencyKey))
  if (late.length)
    for (const e of await repo.findEntriesByKeys(
      trx,
      programId,
      late.map((l) => l.idempotencyKey),
    ))
      existing.set(e.idempotency_key, e)

  const firstUse = new Set<string>()
  return inputs.map((e) => {
    const mine = insertedByKey.get(e.idempotencyKey)
    const created = !!mine && !firstUse.has(e.idempotencyKey)
    firstUse.add(e.idempotencyKey)
    const entry = mine ?? existing.get(e.idempotencyKey)
    if (!entry) throw new AppError('internal', 'Ledger entry vanished during posting')
    return { entry, created, balance: balances.get(e.memberId)! }
  })
}

/**
 * Posts entries whose idempotency keys the caller knows to be new, on members it locked in this
 * transaction with `lockBalances` — the order sync: an order's entry keys carry its award cycle,
 * and the cycle only moves forward on the order's locked row, in the transaction that posts
 * them. So the look-up of existing keys that postEntries makes is skipped, and only what moves
 * the balances is read back (measured on the sync benchmark: a quarter of the ledger's statement
 * time per batch). Still safe if the caller is wrong: the insert ignores a key already taken,
 * only rows really inserted move balances, and a taken key must hold the same movement
 * (idempotency_conflict otherwise), as in postEntries. Returns nothing: callers that need the
 * entries or balances use postEntries.
 */
export async function postNewEntries(
  trx: Trx,
  programId: string,
  inputs: EntryInput[],
  locked: ReadonlyMap<number, number>,
): Promise<void> {
  if (inputs.length === 0) return
  inputs.forEach(validateEntry)
  const byKey = new Map<string, EntryInput>()
  for (const e of inputs) {
    if (!locked.has(e.memberId))
      throw new AppError('internal', 'postNewEntries needs every member locked first (lockBalances)')
    const prior = byKey.get(e.idempotencyKey)
    if (prior && !sameMovement({ member_id: prior.memberId, kind: prior.kind, amount: prior.amount }, e))
      throw idempotencyConflict()
    if (!prior) byKey.set(e.idempotencyKey, e)
  }
  const fresh = [...byKey.values()]
  applyToBalances(new Map(locked), fresh) // throws before anything is written
  const inserted = await repo.insertEntriesForBalances(
    trx,
    fresh.map((e) => newRow(programId, e)),
  )
  await addInsertedToBalances(trx, programId, inserted)
  if (inserted.length)
    await emitMany(trx, programId, () =>
      pointsEvents(inserted.map((row) => ({ ...row, ...entryFacts(byKey.get(row.idempotency_key)!) }))),
    )
  if (inserted.length === fresh.length) return
  for (const row of inserted) byKey.delete(row.idempotency_key)
  for (const prior of await repo.findEntriesByKeys(trx, programId, [...byKey.keys()])) {
    if (!sameMovement(prior, byKey.get(prior.idempotency_key)!)) throw idempotencyConflict()
  }
}

/**
 * Only rows that were really inserted move balances (a concurrent writer may have taken a key
 * for another member between our read and insert; members.balance >= 0 is the last guard).
 */
function addInsertedToBalances(
  trx: Trx,
  programId: string,
  inserted: ReadonlyArray<Pick<LedgerEntry, 'member_id' | 'amount'>>,
) {
  const deltas = new Map<number, number>()
  for (const row of inserted) deltas.set(row.member_id, (deltas.get(row.member_id) ?? 0) + row.amount)
  return repo.addToBalances(trx, programId, deltas)
}

type EventFacts = Pick<LedgerEntry, 'id' | 'member_id' | 'kind' | 'amount' | 'reason' | 'order_ref'> & {
  occurred_at: Date | null
}

function entryFacts(e: EntryInput) {
  return { kind: e.kind, reason: e.reason, order_ref: e.orderRef ?? null, occurred_at: e.occurredAt ?? null }
}

/**
 * The webhook events of entries just written: points.earned for earn and bonus entries,
 * points.reversed for a reversal. Amounts carry their unit so cashback can reuse the events.
 */
function pointsEvents(rows: readonly EventFacts[]): WebhookEventInput[] {
  const out: WebhookEventInput[] = []
  for (const r of rows) {
    const type =
      r.kind === 'earn' || r.kind === 'bonus' ? 'points.earned' : r.kind === 'reverse' ? 'points.reversed' : null
    if (!type) continue
    out.push({
      type,
      data: {
        memberId: r.member_id,
        entryId: r.id,
        kind: r.kind,
        amount: Math.abs(r.amount),
        unit: 'points',
        reason: r.reason,
        orderRef: r.order_ref,
        occurredAt: (r.occurred_at ?? new Date()).toISOString(),
      },
    })
  }
  return out
}

const idempotencyConflict = () =>
  new AppError('idempotency_conflict', 'This idempotency key was already used for a different movement', {
    field: 'idempotencyKey',
  })

function newRow(programId: string, e: EntryInput) {
  return {
    program_id: programId,
    member_id: e.memberId,
    kind: e.kind,
    amount: e.amount,
    reason: e.reason,
    idempotency_key: e.idempotencyKey,
    order_ref: e.orderRef ?? null,
    redemption_id: e.redemptionId ?? null,
    created_by: e.createdBy ?? null,
    ...(e.occurredAt ? { occurred_at: e.occurredAt } : {}),
  }
}

/** Locks members' rows for the rest of the transaction and returns their balances. */
export async function lockBalances(trx: Trx, programId: string, memberIds: number[]): Promise<Map<number, number>> {
  const ids = [...new Set(memberIds)].sort((a, b) => a - b)
  return new Map((await repo.lockMembers(trx, programId, ids)).map((m) => [m.id, m.balance]))
}

export async function getBalance(db: Executor, programId: string, memberId: number): Promise<number> {
  const row = await repo.getBalance(db, programId, memberId)
  if (!row) throw notFound('Member')
  return row.balance
}

/** Cached balances (no lock: a read); a member not in the program is absent. */
export async function findBalances(db: Executor, programId: string, memberIds: number[]): Promise<Map<number, number>> {
  return new Map((await repo.getBalances(db, programId, [...new Set(memberIds)])).map((m) => [m.id, m.balance]))
}

export const sumEntries = repo.sumEntries
/** Entries already posted under these keys (a caller that must not re-post a key with another amount). */
export const findEntriesByKeys = repo.findEntriesByKeys
export const sumEarnedSince = repo.sumEarnedSince

export function toEntryView(e: LedgerEntry): LedgerEntryView {
  return {
    id: e.id,
    kind: e.kind,
    amount: e.amount,
    reason: e.reason,
    orderRef: e.order_ref,
    redemptionId: e.redemption_id,
    createdAt: e.created_at.toISOString(),
    occurredAt: e.occurred_at.toISOString(),
  }
}

/**
 * Newest happening first (occurred_at, then id); `cursor` is the id of the last entry of the
 * previous page. By when things happened, not when they were written: a shopper reads the history
 * as a timeline of their purchases, and a first import writes months of orders in one minute, in
 * whatever order the store lists them — by id their dates would jump back and forth. The price: an
 * entry written today about an old order lands at its date, not on top (the balance still counts
 * it). Stable paging: entries never change, and (occurred_at, id) is unique.
 */
export async function history(
  db: Executor,
  programId: string,
  memberId: number,
  opts: { cursor?: string | undefined; limit?: number | undefined },
) {
  const limit = opts.limit ?? 20
  const rows = await repo.historyPage(db, programId, memberId, {
    limit: limit + 1,
    ...(opts.cursor ? { beforeId: Number(opts.cursor) } : {}),
  })
  return idPage(rows, limit, toEntryView)
}
