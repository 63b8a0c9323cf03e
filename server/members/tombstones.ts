import type { Executor } from '../db/database.ts'
import { keyedHash } from '../lib/crypto.ts'
import * as repo from './repository.ts'

/**
 * Erasure tombstones (LGPD, issue 22). An erased member's e-mail and LI customer id survive only
 * as keyed hashes, so the sync, the order webhook and ERP sales can tell "this customer asked to
 * be forgotten" without the program holding who they were. Only the shopper joining again in the
 * widget (proving the e-mail) lifts a tombstone.
 */

/** The key is privacyKey(secrets) (server/config/secrets.ts); callers hand it down. */
export interface ErasureGuard {
  key: Uint8Array
}

export const emailHash = (key: Uint8Array, email: string) => keyedHash(key, `email:${email}`)
export const liCustomerHash = (key: Uint8Array, liId: number) => keyedHash(key, `li:${liId}`)

/** Which of these e-mails (normalised) and LI ids belong to erased customers of the program. */
export async function findErased(
  db: Executor,
  programId: string,
  guard: ErasureGuard,
  who: { emails?: readonly string[]; liIds?: readonly number[] },
): Promise<{ emails: Set<string>; liIds: Set<number> }> {
  const byEmail = new Map((who.emails ?? []).map((e) => [emailHash(guard.key, e), e]))
  const byLi = new Map((who.liIds ?? []).map((id) => [liCustomerHash(guard.key, id), id]))
  const rows = await repo.findTombstones(db, programId, [...byEmail.keys()], [...byLi.keys()])
  const emails = new Set<string>()
  const liIds = new Set<number>()
  for (const r of rows) {
    const e = byEmail.get(r.email_hash)
    if (e !== undefined) emails.add(e)
    const id = r.li_customer_hash !== null ? byLi.get(r.li_customer_hash) : undefined
    if (id !== undefined) liIds.add(id)
  }
  return { emails, liIds }
}

export async function writeTombstone(
  db: Executor,
  programId: string,
  guard: ErasureGuard,
  email: string,
  liId: number | null,
): Promise<void> {
  await repo.insertTombstone(
    db,
    programId,
    emailHash(guard.key, email),
    liId === null ? null : liCustomerHash(guard.key, liId),
  )
}

/** The shopper joined again themselves: they may be a member again, and the sync may update them. */
export async function liftTombstone(
  db: Executor,
  programId: string,
  guard: ErasureGuard,
  email: string,
  liId: number | null,
): Promise<void> {
  await repo.deleteTombstones(
    db,
    programId,
    emailHash(guard.key, email),
    liId === null ? null : liCustomerHash(guard.key, liId),
  )
}
