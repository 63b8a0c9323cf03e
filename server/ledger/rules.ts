import type { LedgerKind } from '../db/schema.ts'
import { AppError } from '../lib/errors.ts'

/** Pure ledger rules: no I/O, so they are tested directly and reused by every caller. */

export interface EntryInput {
  memberId: number
  kind: LedgerKind
  amount: number
  /** Shown to the shopper (pt-BR). */
  reason: string
  /** Unique per program; the same key twice posts one entry. */
  idempotencyKey: string
  orderRef?: string | null
  redemptionId?: number | null
  createdBy?: string | null
  /**
   * When what the entry records happened, if not now: an order's placing for its earn, the
   * source's report of a cancellation for its reversal. A time in the future is taken as now.
   */
  occurredAt?: Date | null
}

const CREDIT_KINDS: ReadonlySet<LedgerKind> = new Set(['earn', 'refund', 'bonus'])
const DEBIT_KINDS: ReadonlySet<LedgerKind> = new Set(['reverse', 'redeem', 'expire'])

/** Throws validation_failed when an entry breaks the sign or shape rules of its kind. */
export function validateEntry(e: EntryInput): void {
  if (!Number.isSafeInteger(e.amount) || e.amount === 0) {
    throw new AppError(
      'validation_failed',
      'amount must be a non-zero whole number (points, or cents in a cashback program)',
      { field: 'amount' },
    )
  }
  if (CREDIT_KINDS.has(e.kind) && e.amount < 0)
    throw new AppError('validation_failed', `a ${e.kind} entry must add points`, { field: 'amount' })
  if (DEBIT_KINDS.has(e.kind) && e.amount > 0)
    throw new AppError('validation_failed', `a ${e.kind} entry must remove points`, { field: 'amount' })
  if (!e.reason.trim()) throw new AppError('validation_failed', 'reason is required', { field: 'reason' })
  if (!e.idempotencyKey || e.idempotencyKey.length > 300) {
    throw new AppError('validation_failed', 'idempotencyKey must have 1 to 300 characters', { field: 'idempotencyKey' })
  }
}

/**
 * Applies new entries, in order, to the members' balances. Throws insufficient_points the first
 * time a balance would go below zero — a debit never overdraws, whatever came before it.
 */
export function applyToBalances(
  balances: Map<number, number>,
  entries: ReadonlyArray<Pick<EntryInput, 'memberId' | 'amount'>>,
): Map<number, number> {
  const next = new Map(balances)
  for (const e of entries) {
    const after = (next.get(e.memberId) ?? 0) + e.amount
    if (after < 0) {
      throw new AppError('insufficient_points', `Not enough points: the balance is ${next.get(e.memberId) ?? 0}`, {
        details: { balance: next.get(e.memberId) ?? 0 },
      })
    }
    next.set(e.memberId, after)
  }
  return next
}

/** A replayed key must describe the same movement; anything else is a caller bug worth surfacing. */
export function sameMovement(a: { member_id: number; kind: string; amount: number }, b: EntryInput): boolean {
  return a.member_id === b.memberId && a.kind === b.kind && a.amount === b.amount
}
