import type { WidgetSession } from '../../shared/api/widget.ts'
import type { Executor, Trx } from '../db/database.ts'
import type { Member } from '../db/schema.ts'
import { AppError } from '../lib/errors.ts'
import * as members from '../members/service.ts'
import { type Identity, programOrThrow, toWidgetMemberView } from './identity.ts'
import * as repo from './repository.ts'
import { hashRefreshToken, successorRefreshToken } from './secrets.ts'

// A shopper's sessions: rotating refresh tokens (families revoked on reuse), logout, and the
// session check of state-changing calls.

export const REFRESH_TOKEN_SECONDS = 30 * 24 * 3600
/**
 * How long after its rotation a refresh token may still be presented: several tabs of one
 * shopper refresh one shared session at once (see refreshSession). Long enough for a tab that
 * read the old token from localStorage just before another tab rotated it; short enough that a
 * copy used later is still caught.
 */
export const REFRESH_REUSE_GRACE_SECONDS = 30
/** Rotations within one grace window that a late presenter may follow to the live token. */
const MAX_GRACE_HOPS = 4

export async function newSession(trx: Trx, programId: string, memberId: number, familyId: string, token: string) {
  const row = await repo.insertRefreshToken(trx, {
    family_id: familyId,
    program_id: programId,
    member_id: memberId,
    token_hash: hashRefreshToken(token),
    expires_at: new Date(Date.now() + REFRESH_TOKEN_SECONDS * 1000),
  })
  return { token, familyId, expiresAt: row.expires_at }
}

export async function session(
  identity: Identity,
  programId: string,
  member: Member,
  refresh: { token: string; familyId: string; expiresAt: Date },
): Promise<WidgetSession> {
  const access = await identity.tokens.sign(programId, member.id, refresh.familyId)
  return {
    tokenType: 'Bearer',
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt.toISOString(),
    refreshToken: refresh.token,
    refreshTokenExpiresAt: refresh.expiresAt.toISOString(),
    member: toWidgetMemberView(member),
  }
}

const invalidRefresh = () =>
  new AppError('unauthorized', 'The session has ended; log in again', { field: 'refreshToken' })

/**
 * Swaps a refresh token for a new pair. A refresh token is rotated once; presenting it again
 * normally means two parties hold it (it was copied), so the whole family — every session
 * descended from that login — is revoked, and both must log in again.
 *
 * Except within REFRESH_REUSE_GRACE_SECONDS of its rotation: tabs of one shopper share the
 * refresh token in localStorage, and two of them refreshing at once (the widget coordinates
 * them with navigator.locks, but not every browser has it) would otherwise log the shopper out.
 * A token presented again inside the window answers the SAME successor the first refresh
 * issued (with a new access token), so every tab ends up holding one token of one chain. The
 * successor is derived from the presented token by an HMAC under a server key
 * (secrets.ts successorRefreshToken): nothing but hashes is stored, and only the server, given
 * the old token, can produce it. If that successor was itself rotated within its window, the
 * chain is followed (at most MAX_GRACE_HOPS links) to the live token, which is returned as it is.
 *
 * Why this stays safe: whoever holds the old token during the window could have used it a
 * moment earlier anyway, and gets no token the legitimate holder does not also have — the
 * family keeps one live token, so the next rotation by either side makes the other's copy stale,
 * and a stale copy presented after the window still revokes the family. A revoked or expired
 * token, or a chain link older than the window, is never followed.
 */
export async function refreshSession(
  identity: Identity,
  input: { programKey: string; refreshToken: string },
): Promise<WidgetSession> {
  const { deps } = identity
  const program = await programOrThrow(deps, input.programKey)
  const outcome = await deps.db.transaction().execute(async (trx) => {
    let token = input.refreshToken
    let row = await repo.lockRefreshToken(trx, program.id, hashRefreshToken(token))
    if (!row || row.revoked_at) return undefined
    // Follow rotations made within the grace window to the live token (locked in chain order,
    // as a plain rotation locks them, so concurrent refreshes cannot deadlock).
    let hops = 0
    while (row.rotated_at) {
      if (hops === MAX_GRACE_HOPS || Date.now() - row.rotated_at.getTime() > REFRESH_REUSE_GRACE_SECONDS * 1000) {
        // Committed with the transaction even though the answer is an error.
        await repo.revokeFamily(trx, program.id, row.family_id)
        deps.log.warn('refresh token reused; session family revoked', {
          programId: program.id,
          memberId: row.member_id,
          familyId: row.family_id,
        })
        return undefined
      }
      token = successorRefreshToken(identity.successorKey, token)
      const next = await repo.lockRefreshToken(trx, program.id, hashRefreshToken(token))
      if (!next || next.revoked_at || next.family_id !== row.family_id) return undefined
      row = next
      hops++
    }
    if (row.expires_at.getTime() <= Date.now()) return undefined
    const member = await members.findMember(trx, program.id, row.member_id)
    if (!member) return undefined
    if (hops > 0) {
      deps.log.info('refresh token presented again within the grace window; same successor', {
        programId: program.id,
        memberId: row.member_id,
        familyId: row.family_id,
        hops,
      })
      return { member, refresh: { token, familyId: row.family_id, expiresAt: row.expires_at } }
    }
    await repo.markRotated(trx, row.id)
    return {
      member,
      refresh: await newSession(
        trx,
        program.id,
        member.id,
        row.family_id,
        successorRefreshToken(identity.successorKey, token),
      ),
    }
  })
  if (!outcome) throw invalidRefresh()
  return session(identity, program.id, outcome.member, outcome.refresh)
}

/**
 * Which of these sessions (an access token's `sid`, the refresh-token family) have ended. Access
 * tokens are not revocable by themselves (15 minutes, cached until `exp`), so state-changing
 * calls ask this on every request, never from a cache: a logout or a detected token copy stops
 * them at once. Several sessions in one statement (requests arriving together).
 */
export async function endedSessions(db: Executor, programId: string, sessionIds: string[]): Promise<Set<string>> {
  return repo.revokedFamilies(db, programId, sessionIds)
}

/**
 * Ends the session the refresh token belongs to (its whole family). Always succeeds: a token that
 * is unknown or already revoked has nothing left to end. The access token stays valid until it
 * expires (at most 15 minutes); the widget drops it.
 */
export async function logout(identity: Identity, input: { programKey: string; refreshToken: string }): Promise<void> {
  const { deps } = identity
  const program = await programOrThrow(deps, input.programKey)
  const row = await repo.findRefreshToken(deps.db, program.id, hashRefreshToken(input.refreshToken))
  if (row) await repo.revokeFamily(deps.db, program.id, row.family_id)
}
