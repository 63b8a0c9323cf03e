import type { CreateMemberBody, MemberView } from '../../shared/api/members.ts'
import type { Executor, Trx } from '../db/database.ts'
import type { Member } from '../db/schema.ts'
import { AppError, notFound } from '../lib/errors.ts'
import { noteEnrolled } from '../email/lifecycle/service.ts'
import { grantSignupBonus } from '../points/service.ts'
import { normalizeEmail } from '../merchants/service.ts'
import * as repo from './repository.ts'
import { POINTS_UNIT } from '../cashback/service.ts'
import { balanceCents, type BalanceUnit } from '../cashback/rules.ts'
import { balanceText } from '../i18n/money.ts'
import { idPage } from '../lib/paging.ts'
import { emit } from '../webhooks/outbox/service.ts'
import { tierBadgesOf } from '../tiers/service.ts'

/** Reads and writes other features need, through this service rather than the repository. */
export {
  countStoreCustomers,
  couponHoldersByLiIds,
  findMember,
  findMemberByEmail,
  findMembersByEmails,
  holdCoupons,
  insertMembersIgnoringConflicts,
  memberIdsByLiIds,
} from './repository.ts'
export { type ErasureGuard, findErased, liftTombstone, writeTombstone } from './tombstones.ts'

/**
 * `unit`: how the program's balances read (cashback/service.ts balanceUnit); points without a
 * value in reais when left out.
 */
export function toMemberView(m: Member, unit: BalanceUnit = POINTS_UNIT('pontos')): MemberView {
  return {
    id: m.id,
    email: m.email,
    name: m.name,
    cpf: m.cpf,
    birthDate: m.birth_date,
    liCustomerId: m.li_customer_id,
    balance: m.balance,
    unit: unit.mode === 'cashback' ? 'cents' : 'points',
    balanceCents: balanceCents(m.balance, unit),
    balanceText: balanceText(m.balance, unit),
    createdAt: m.created_at.toISOString(),
    erasedAt: m.erased_at?.toISOString() ?? null,
  }
}

export async function createMember(db: Executor, programId: string, input: CreateMemberBody): Promise<Member> {
  const email = normalizeEmail(input.email)
  if (await repo.findMemberByEmail(db, programId, email)) {
    throw new AppError('conflict', 'A member with this e-mail already exists in the program', { field: 'email' })
  }
  return repo.insertMember(db, {
    program_id: programId,
    email,
    name: input.name ?? null,
    cpf: input.cpf ?? null,
    birth_date: input.birthDate ?? null,
  })
}

/** Enrols a member by hand (admin API), with the program's signup bonus in the same transaction. */
export async function enrolMember(trx: Trx, programId: string, input: CreateMemberBody): Promise<Member> {
  const member = await createMember(trx, programId, input)
  await noteEnrolled(trx, programId, [member.id], 'person')
  await emit(trx, programId, 'member.joined', joinedEvent(member))
  return (await grantSignupBonus(trx, programId, [member.id])) ? getMember(trx, programId, member.id) : member
}

/**
 * The data of a member.joined webhook event: the id only. E-mail, name and LI id are added at
 * delivery from the member's row, so an erasure leaves no copy in the outbox.
 */
export function joinedEvent(m: Pick<Member, 'id'>) {
  return { memberId: m.id }
}

export async function getMember(db: Executor, programId: string, memberId: number): Promise<Member> {
  const m = await repo.findMember(db, programId, memberId)
  if (!m) throw notFound('Member')
  return m
}

export async function searchMembers(
  db: Executor,
  programId: string,
  opts: { q?: string | undefined; tier?: string | undefined; cursor?: string | undefined; limit?: number | undefined },
  unit?: BalanceUnit,
) {
  const limit = opts.limit ?? 50
  const rows = await repo.searchMembers(db, programId, {
    q: opts.q,
    tierId: opts.tier,
    limit: limit + 1,
    ...(opts.cursor ? { beforeId: Number(opts.cursor) } : {}),
  })
  const page = idPage(rows, limit, (m) => toMemberView(m, unit))
  // The tier of each row, in one read of the page's standings.
  const tiers = await tierBadgesOf(
    db,
    programId,
    page.items.map((m) => m.id),
  )
  return { ...page, items: page.items.map((m) => ({ ...m, tier: tiers.get(m.id) ?? null })) }
}
