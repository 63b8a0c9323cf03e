import { isValidCpf } from '../../shared/cpf.ts'
import type { Trx } from '../db/database.ts'
import type { Member } from '../db/schema.ts'
import { noteEnrolled } from '../email/lifecycle/service.ts'
import { grantSignupBonus } from '../points/service.ts'
import { normalizeEmail } from '../merchants/service.ts'
import * as repo from './repository.ts'
import { emitMany } from '../webhooks/outbox/service.ts'
import { joinedEvent } from './service.ts'
import { type ErasureGuard, findErased, liftTombstone } from './tombstones.ts'

/** A store's customer as the sync hands it over (already converted from LI's shapes). */
export interface StoreCustomer {
  liCustomerId: number
  email: string | null
  name: string | null
  cpf: string | null
  birthDate: string | null
}

export interface CustomerCounts {
  seen: number
  created: number
  updated: number
  /** No e-mail, or an e-mail/LI id clash we must not resolve by guessing. */
  skipped: number
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * Upserts members from a page of store customers: matched by LI id first, then by e-mail (a
 * shopper who joined through the widget before the sync saw them gets linked, not duplicated).
 * Returns the LI ids that are now members, so held orders of theirs can be applied.
 *
 * Customers who had their data erased (a tombstone matches their e-mail or LI id) are skipped:
 * a sync must not silently re-enrol them. `selfJoin` (the shopper proved the e-mail in the
 * widget and joins again) lifts the tombstone instead.
 */
export async function upsertStoreCustomers(
  trx: Trx,
  programId: string,
  customers: StoreCustomer[],
  guard: ErasureGuard & { selfJoin?: boolean },
): Promise<{ counts: CustomerCounts; linkedLiIds: number[] }> {
  const counts: CustomerCounts = { seen: customers.length, created: 0, updated: 0, skipped: 0 }
  // The newest report of each customer wins; customers without a usable e-mail cannot be members.
  const byId = new Map<number, StoreCustomer & { email: string }>()
  for (const c of customers) {
    const email = c.email ? normalizeEmail(c.email) : ''
    if (!EMAIL_RE.test(email)) {
      counts.skipped++
      continue
    }
    byId.set(c.liCustomerId, { ...c, email })
  }
  let incoming = [...byId.values()]
  if (incoming.length === 0) return { counts, linkedLiIds: [] }
  if (guard.selfJoin) {
    for (const c of incoming) await liftTombstone(trx, programId, guard, c.email, c.liCustomerId)
  } else {
    const erased = await findErased(trx, programId, guard, {
      emails: incoming.map((c) => c.email),
      liIds: incoming.map((c) => c.liCustomerId),
    })
    if (erased.emails.size || erased.liIds.size) {
      const kept = incoming.filter((c) => !erased.emails.has(c.email) && !erased.liIds.has(c.liCustomerId))
      counts.skipped += incoming.length - kept.length
      incoming = kept
      if (incoming.length === 0) return { counts, linkedLiIds: [] }
    }
  }

  const known = new Map(
    (
      await repo.findMembersByLiIds(
        trx,
        programId,
        incoming.map((c) => c.liCustomerId),
      )
    ).map((m) => [m.li_customer_id!, m]),
  )
  const emails = [...new Set(incoming.map((c) => c.email))]
  const byEmail = new Map((await repo.findMembersByEmails(trx, programId, emails)).map((m) => [m.email, m]))

  const linked: number[] = []
  const inserts: Array<StoreCustomer & { email: string }> = []
  for (const c of incoming) {
    const cpf = c.cpf && isValidCpf(c.cpf) ? c.cpf : null
    const member = known.get(c.liCustomerId)
    if (member) {
      const set = changes(member, c, cpf)
      // An e-mail change that collides with another member is left for a person to sort out.
      if (set.email && byEmail.has(set.email) && byEmail.get(set.email)!.id !== member.id) delete set.email
      if (Object.keys(set).length) {
        await repo.updateMember(trx, programId, member.id, set)
        counts.updated++
      }
      linked.push(c.liCustomerId)
      continue
    }
    const sameEmail = byEmail.get(c.email)
    if (sameEmail) {
      if (sameEmail.li_customer_id !== null && sameEmail.li_customer_id !== c.liCustomerId) {
        counts.skipped++
        continue
      }
      await repo.updateMember(trx, programId, sameEmail.id, {
        li_customer_id: c.liCustomerId,
        ...changes(sameEmail, c, cpf),
      })
      counts.updated++
      linked.push(c.liCustomerId)
      continue
    }
    inserts.push({ ...c, cpf })
  }
  const created = await repo.insertMembersIgnoringConflicts(
    trx,
    inserts.map((c) => ({
      program_id: programId,
      email: c.email,
      name: c.name,
      cpf: c.cpf,
      birth_date: c.birthDate,
      li_customer_id: c.liCustomerId,
    })),
  )
  counts.created += created.length
  counts.skipped += inserts.length - created.length
  for (const m of created) linked.push(m.li_customer_id!)
  // In this transaction, once per page: sync, widget join and webhook enrolments all come through here.
  await grantSignupBonus(
    trx,
    programId,
    created.map((m) => m.id),
  )
  await noteEnrolled(
    trx,
    programId,
    created.map((m) => m.id),
    'bulk',
  )
  if (created.length)
    await emitMany(trx, programId, () => created.map((m) => ({ type: 'member.joined' as const, data: joinedEvent(m) })))
  return { counts, linkedLiIds: linked }
}

function changes(m: Member, c: StoreCustomer & { email: string }, cpf: string | null) {
  const set: Partial<Pick<Member, 'email' | 'name' | 'cpf' | 'birth_date'>> = {}
  if (c.email !== m.email) set.email = c.email
  if (c.name && c.name !== m.name) set.name = c.name
  if (cpf && cpf !== m.cpf) set.cpf = cpf
  if (c.birthDate && c.birthDate !== m.birth_date) set.birth_date = c.birthDate
  return set
}
