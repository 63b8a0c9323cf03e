import * as v from 'valibot'
import { isValidCpf } from '../cpf.ts'
import { DateTime, Email, IsoDate, NonEmpty, Page, QueryInt, Uuid } from './common.ts'
import { MemberTier, TierBadge } from './tiers.ts'

export const LEDGER_KINDS = ['earn', 'reverse', 'redeem', 'refund', 'expire', 'adjust', 'bonus'] as const

export const Cpf = v.pipe(
  v.string(),
  v.transform((s) => s.replace(/[.\-\s]/g, '')),
  v.regex(/^\d{11}$/, 'must have 11 digits'),
  v.check(isValidCpf, 'is not a valid CPF'),
)

export const CreateMemberBody = v.object({
  email: Email,
  name: v.optional(NonEmpty(200)),
  cpf: v.optional(Cpf),
  birthDate: v.optional(IsoDate),
})

export const MemberView = v.object({
  id: v.number(),
  email: v.string(),
  name: v.nullable(v.string()),
  cpf: v.nullable(v.string()),
  birthDate: v.nullable(v.string()),
  liCustomerId: v.nullable(v.number()),
  /** In the ledger unit: points, or cents in a cashback program (see `unit`). */
  balance: v.number(),
  /** The ledger unit of the member's program: `cents` in cashback mode (amounts are reais × 100). */
  unit: v.picklist(['points', 'cents']),
  /** The balance in cents of BRL: cashback programs, or points programs with the any-amount option (balance × centsPerPoint); null otherwise. */
  balanceCents: v.nullable(v.number()),
  /** The balance as the merchant reads it, pt-BR: "R$ 23,40" or "1.234 pontos". */
  balanceText: v.string(),
  createdAt: DateTime,
  /** Set once the member's data was erased (LGPD): the e-mail is then a placeholder, the rest null. */
  erasedAt: v.nullable(DateTime),
})

export const LedgerEntryView = v.object({
  id: v.number(),
  kind: v.picklist(LEDGER_KINDS),
  amount: v.number(),
  /** Shown to the shopper as is (pt-BR). */
  reason: v.string(),
  orderRef: v.nullable(v.string()),
  redemptionId: v.nullable(v.number()),
  /** When the entry was written (a store's first import writes months of orders on one day). */
  createdAt: DateTime,
  /**
   * When what it records happened: for an order's points, when the order was placed; for their
   * reversal, when the store reported the cancellation; otherwise `createdAt`. Show this date;
   * histories are sorted by it, newest first.
   */
  occurredAt: DateTime,
})

/** A row of the members list: the member and their VIP tier (null without one, or without tiers). */
export const MemberListItem = v.object({ ...MemberView.entries, tier: v.nullable(TierBadge) })
export const MemberList = Page(MemberListItem)
export const LedgerPage = Page(LedgerEntryView)

export const MemberDetail = v.object({
  member: MemberView,
  history: LedgerPage,
  /** The member's VIP tier standing; null when the program has no tiers. */
  tier: v.nullable(MemberTier),
})

export const MemberListQuery = v.object({
  /** Matches an e-mail fragment or a name prefix, case-insensitive. */
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200))),
  /** Only members in this VIP tier (an id from `GET …/tiers`). */
  tier: v.optional(Uuid),
  limit: v.optional(QueryInt(1, 100)),
  cursor: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a cursor from nextCursor'))),
})

export const LedgerQuery = v.object({
  limit: v.optional(QueryInt(1, 100)),
  cursor: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a cursor from nextCursor'))),
})

export const MemberParams = v.object({
  programId: Uuid,
  memberId: v.pipe(v.string(), v.regex(/^\d+$/, 'must be a member id'), v.transform(Number), v.number()),
})

export const AdjustmentBody = v.object({
  amount: v.pipe(
    v.number(),
    v.integer('must be a whole number (points, or cents in a cashback program)'),
    v.check((n) => n !== 0, 'must not be zero'),
    v.minValue(-1_000_000_000),
    v.maxValue(1_000_000_000),
  ),
  /** Shown to the shopper in their history. */
  reason: NonEmpty(300),
  /** Makes a retried request harmless; generated when absent. */
  idempotencyKey: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
})

export const AdjustmentResponse = v.object({
  entry: LedgerEntryView,
  balance: v.number(),
  /** False when the idempotency key had already been used: the first entry is returned. */
  created: v.boolean(),
})

export type CreateMemberBody = v.InferOutput<typeof CreateMemberBody>
export type MemberView = v.InferOutput<typeof MemberView>
export type MemberListItem = v.InferOutput<typeof MemberListItem>
export type LedgerEntryView = v.InferOutput<typeof LedgerEntryView>
export type AdjustmentBody = v.InferOutput<typeof AdjustmentBody>
export { Uuid }

// Descriptions of the routes that use these schemas, in /openapi.json.

/** POST /v1/programs/:programId/members/:memberId/adjustments */
export const adjustPointsDescription =
  'Posts an `adjust` entry with the reason the shopper will read. A removal never takes the balance below zero (409 ' +
  'insufficient_points). Send `idempotencyKey` to make retries harmless.'
