import { sql } from 'kysely'
import type { Executor, Trx } from '../db/database.ts'
import type { LoginCodeProfile } from '../db/schema.ts'

// Every query names the program: a code or a refresh token of one program opens nothing of another.

/** Writes the shopper's pending code, replacing any earlier one (and its attempt count). */
export async function upsertLoginCode(
  trx: Trx,
  row: {
    program_id: string
    email: string
    member_id: number | null
    li_customer_id: number | null
    purpose: 'login' | 'join' | 'erasure'
    profile: LoginCodeProfile
    code_hash: string
    expires_at: Date
  },
) {
  const values = { ...row, profile: JSON.stringify(row.profile), attempts: 0 }
  const { program_id: _p, email: _e, ...rest } = values
  await trx
    .insertInto('login_codes')
    .values(values)
    .onConflict((oc) => oc.columns(['program_id', 'email']).doUpdateSet(rest))
    .execute()
}

/** Locks the pending code until the transaction ends: two verifies of one code are serialised. */
export const lockLoginCode = (trx: Trx, programId: string, email: string) =>
  trx
    .selectFrom('login_codes')
    .selectAll()
    .where('program_id', '=', programId)
    .where('email', '=', email)
    .forUpdate()
    .executeTakeFirst()

export const countFailedAttempt = (trx: Trx, programId: string, email: string) =>
  trx
    .updateTable('login_codes')
    .set({ attempts: sql`attempts + 1` })
    .where('program_id', '=', programId)
    .where('email', '=', email)
    .returning('attempts')
    .executeTakeFirst()

export const deleteLoginCode = (trx: Trx, programId: string, email: string) =>
  trx.deleteFrom('login_codes').where('program_id', '=', programId).where('email', '=', email).execute()

/** Housekeeping: codes expired for more than `olderThan` are dead weight (and hold CPFs typed in join forms). */
export async function deleteExpiredLoginCodes(db: Executor, olderThan: Date): Promise<number> {
  const res = await db.deleteFrom('login_codes').where('expires_at', '<', olderThan).executeTakeFirst()
  return Number(res.numDeletedRows)
}

// ---- members: what joining through the widget records -----------------------------------------

export async function recordJoin(
  trx: Trx,
  programId: string,
  memberId: number,
  set: {
    name?: string | null
    cpf?: string | null
    birthDate?: string | null
    emailConsent?: boolean
    termsVersion?: string
  },
) {
  await trx
    .updateTable('members')
    .set({
      ...(set.name ? { name: set.name } : {}),
      ...(set.cpf ? { cpf: set.cpf } : {}),
      ...(set.birthDate ? { birth_date: set.birthDate } : {}),
      ...(set.emailConsent !== undefined ? { email_consent: set.emailConsent, email_consent_at: new Date() } : {}),
      ...(set.termsVersion ? { terms_version: set.termsVersion, terms_accepted_at: new Date() } : {}),
      joined_at: sql`coalesce(joined_at, now())` as any,
      updated_at: new Date(),
    })
    .where('program_id', '=', programId)
    .where('id', '=', memberId)
    .execute()
}

/** Consent given in the join form lifts an earlier marketing unsubscribe (the shopper asked again). */
export const deleteUnsubscribe = (trx: Trx, programId: string, memberId: number, scope: string) =>
  trx
    .deleteFrom('email_unsubscribes')
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .where('scope', '=', scope)
    .execute()

// ---- refresh tokens ------------------------------------------------------------------------------

export const insertRefreshToken = (
  trx: Trx,
  row: { family_id: string; program_id: string; member_id: number; token_hash: string; expires_at: Date },
) => trx.insertInto('refresh_tokens').values(row).returning(['id', 'expires_at']).executeTakeFirstOrThrow()

export const lockRefreshToken = (trx: Trx, programId: string, tokenHash: string) =>
  trx
    .selectFrom('refresh_tokens')
    .selectAll()
    .where('program_id', '=', programId)
    .where('token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst()

export const markRotated = (trx: Trx, id: number) =>
  trx.updateTable('refresh_tokens').set({ rotated_at: new Date() }).where('id', '=', id).execute()

/** Revokes every live token of the family (logout, or a rotated token presented again). */
export async function revokeFamily(db: Executor, programId: string, familyId: string): Promise<number> {
  const res = await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: new Date() })
    .where('program_id', '=', programId)
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(res.numUpdatedRows)
}

/**
 * Which of these session families were ended (logout, or a refresh token reused): revokeFamily
 * is the only writer of `revoked_at` and marks every token of the family at once. Served by
 * refresh_tokens_family_idx.
 */
export async function revokedFamilies(db: Executor, programId: string, familyIds: string[]): Promise<Set<string>> {
  if (familyIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('refresh_tokens')
    .select('family_id')
    .distinct()
    .where('family_id', 'in', familyIds)
    .where('program_id', '=', programId)
    .where('revoked_at', 'is not', null)
    .execute()
  return new Set(rows.map((r) => r.family_id))
}

export const findRefreshToken = (db: Executor, programId: string, tokenHash: string) =>
  db
    .selectFrom('refresh_tokens')
    .selectAll()
    .where('program_id', '=', programId)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()

/** Housekeeping: tokens past their expiry can no longer do anything. */
export async function deleteExpiredRefreshTokens(db: Executor, olderThan: Date): Promise<number> {
  const res = await db.deleteFrom('refresh_tokens').where('expires_at', '<', olderThan).executeTakeFirst()
  return Number(res.numDeletedRows)
}

/** Revokes every live refresh token of a member (an erasure ends all their sessions). */
export async function revokeMemberTokens(db: Executor, programId: string, memberId: number): Promise<number> {
  const res = await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: new Date() })
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(res.numUpdatedRows)
}
