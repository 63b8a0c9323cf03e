import type { Trx } from '../db/database.ts'
import { emailDeps, queueEmail } from '../email/service.ts'
import { LOGIN_CODE_VALID_MINUTES } from '../email/templates/index.ts'
import { consume } from '../rate-limit/service.ts'
import type { Identity } from './identity.ts'
import { CODE_VALID_SECONDS, LOGIN_LIMITS, MAX_CODE_ATTEMPTS } from './login.ts'
import * as repo from './repository.ts'
import { emailKey, hashLoginCode, newLoginCode, sameHash } from './secrets.ts'

/**
 * A signed-in shopper confirms a grave step (erasing their data) with a 6-digit code e-mailed to
 * them: the login code machinery (same hashing, expiry, attempts and limits), with purpose
 * 'erasure', so a stolen access token alone cannot erase anyone. The code row shares the login
 * code's slot (one pending code per e-mail): asking for one replaces the other.
 */
export async function sendConfirmationCode(
  identity: Identity,
  input: { programId: string; memberId: number; email: string; name: string | null; ip: string },
): Promise<{ expiresInSeconds: number }> {
  const { deps } = identity
  await consume(deps.db, `confirm-code:ip:${input.ip}`, LOGIN_LIMITS)
  await consume(deps.db, `confirm-code:email:${input.programId}:${emailKey(input.email)}`, LOGIN_LIMITS)
  const code = newLoginCode()
  await deps.db.transaction().execute(async (trx) => {
    await repo.upsertLoginCode(trx, {
      program_id: input.programId,
      email: input.email,
      member_id: input.memberId,
      li_customer_id: null,
      purpose: 'erasure',
      profile: {},
      code_hash: hashLoginCode(identity.codeKey, input.programId, input.email, code),
      expires_at: new Date(Date.now() + CODE_VALID_SECONDS * 1000),
    })
    await queueEmail(trx, emailDeps(deps), {
      programId: input.programId,
      memberId: input.memberId,
      kind: 'erasure_code',
      to: input.email,
      data: { code, name: input.name, validMinutes: LOGIN_CODE_VALID_MINUTES },
    })
  })
  return { expiresInSeconds: CODE_VALID_SECONDS }
}

/**
 * Checks and uses up the member's confirmation code inside the caller's transaction. A wrong
 * code counts an attempt: the caller must commit on 'wrong' (and answer 401 after the commit).
 */
export async function useConfirmationCode(
  trx: Trx,
  identity: Identity,
  input: { programId: string; memberId: number; email: string; code: string },
): Promise<'ok' | 'wrong'> {
  const row = await repo.lockLoginCode(trx, input.programId, input.email)
  if (
    !row ||
    row.purpose !== 'erasure' ||
    row.member_id !== input.memberId ||
    row.expires_at.getTime() <= Date.now() ||
    row.attempts >= MAX_CODE_ATTEMPTS
  )
    return 'wrong'
  if (!sameHash(hashLoginCode(identity.codeKey, input.programId, input.email, input.code), row.code_hash)) {
    await repo.countFailedAttempt(trx, input.programId, input.email)
    return 'wrong'
  }
  await repo.deleteLoginCode(trx, input.programId, input.email)
  return 'ok'
}

/** Ends every session of the member (erasure): their refresh tokens stop working at once. */
export const endMemberSessions = (trx: Trx, programId: string, memberId: number) =>
  repo.revokeMemberTokens(trx, programId, memberId)
