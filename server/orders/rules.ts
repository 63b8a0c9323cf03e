import type { AwardState } from '../db/schema.ts'

/**
 * Pure rules of how an order's state turns into points (design.md rule 2). The sync, the
 * webhook and the ERP endpoint all come through here, so they cannot disagree.
 */

/** Statuses that take points back when an awarded order reaches them (LI's table, by codigo). */
export const REVERSAL_CODES: ReadonlySet<string> = new Set([
  'pedido_cancelado',
  'pagamento_devolvido',
  'pedido_chargeback',
  'pagamento_devolvido_sem_retorno',
])

export type StatusTarget = 'award' | 'reverse' | 'hold'

export interface StatusLike {
  id: number
  code: string
  cancelled: boolean
  final: boolean
}

/**
 * What a status means for points. Codes decide before flags: `pedido_chargeback` is flagged
 * aprovado and not cancelado, yet it must reverse; `cancelamento_solicitado` is cancelado but not
 * final, so it only holds. A merchant-chosen awarding status always awards.
 */
export function classifyStatus(status: StatusLike, awardingIds: ReadonlySet<number>): StatusTarget {
  if (awardingIds.has(status.id)) return 'award'
  if (REVERSAL_CODES.has(status.code) || (status.cancelled && status.final)) return 'reverse'
  return 'hold'
}

/** What we suggest awarding on: delivered/final, not cancelled, not a chargeback. */
export function isRecommendedAwarding(status: StatusLike): boolean {
  return status.final && !status.cancelled && !REVERSAL_CODES.has(status.code)
}

export function reversesPoints(status: StatusLike): boolean {
  return REVERSAL_CODES.has(status.code) || (status.cancelled && status.final)
}

/**
 * Points for an amount: earn rate points per R$ 1,00 of (subtotal − discount), shipping never
 * counts, rounded down. Integer maths (rate in 1/10,000) so 0.1 + 0.2 never bites.
 */
export function pointsFor(baseCents: number, earnRate: number): number {
  if (baseCents <= 0) return 0
  const rate = Math.round(earnRate * 10_000)
  return Math.floor((baseCents * rate) / 1_000_000)
}

export interface AwardStatus {
  state: AwardState
  cycle: number
  pointsAwarded: number
}

export type AwardAction =
  | { kind: 'earn'; amount: number; cycle: number }
  | { kind: 'reverse'; amount: number; cycle: number }
  /** The program has a pending period: the points wait on the order row, no entry yet. */
  | { kind: 'pend'; amount: number; cycle: number }
  /** Cancelled inside the pending period: the waiting points are dropped, no entry (none was posted). */
  | { kind: 'drop'; amount: number; cycle: number }

/**
 * The difference between where an order stands in the ledger and where its status says it should
 * be. Entering an awarding status awards once per cycle; a reversal takes back exactly what that
 * cycle awarded (not what today's rules would give); returning to an awarding status starts a new
 * cycle. `salesOn` = the source is allowed to award (sales registration / ERP toggle); reversals
 * of earlier awards happen regardless.
 */
export function decideAward(
  prev: AwardStatus,
  target: StatusTarget,
  points: number,
  salesOn: boolean,
  /** The program holds new points for a pending period (released later by server/points/pending.ts). */
  pendingPeriod = false,
): { action: AwardAction | null; next: AwardStatus } {
  if (target === 'award' && prev.state !== 'awarded' && prev.state !== 'pending' && salesOn && points > 0) {
    const cycle = prev.cycle + 1
    if (pendingPeriod)
      return {
        action: { kind: 'pend', amount: points, cycle },
        next: { state: 'pending', cycle, pointsAwarded: points },
      }
    return { action: { kind: 'earn', amount: points, cycle }, next: { state: 'awarded', cycle, pointsAwarded: points } }
  }
  if (target === 'reverse' && prev.state === 'awarded') {
    return {
      action: { kind: 'reverse', amount: prev.pointsAwarded, cycle: prev.cycle },
      next: { ...prev, state: 'reversed' },
    }
  }
  if (target === 'reverse' && prev.state === 'pending') {
    // Nothing reached the ledger, so nothing is taken from it: the balance cannot go negative.
    return {
      action: { kind: 'drop', amount: prev.pointsAwarded, cycle: prev.cycle },
      next: { ...prev, state: 'reversed', pointsAwarded: 0 },
    }
  }
  return { action: null, next: prev }
}
