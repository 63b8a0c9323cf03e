import { randomUUID } from 'node:crypto'
import type { JoinBody, WidgetMemberView, WidgetSession } from '../../shared/api/widget.ts'
import type { Executor, Trx } from '../db/database.ts'
import type { Integration, LoginCodeProfile, Member, Program } from '../db/schema.ts'
import { insertUnsubscribe } from '../email/service.ts'
import { noteEnrolled } from '../email/lifecycle/service.ts'
import { emailDeps, MARKETING_SCOPE, queueEmail } from '../email/service.ts'
import { LOGIN_CODE_VALID_MINUTES } from '../email/templates/index.ts'
import type { AppDeps } from '../deps.ts'
import { AppError, notFound } from '../lib/errors.ts'
import { findIntegration } from '../integrations/service.ts'
import { LiError, type LiClient } from '../loja-integrada/client.ts'
import { clientFor } from '../loja-integrada/connection.ts'
import * as members from '../members/service.ts'
import { upsertStoreCustomers } from '../members/store-customers.ts'
import { normalizeEmail } from '../merchants/service.ts'
import { findProgramByKey } from '../programs/service.ts'
import { consume, type Limit } from '../rate-limit/service.ts'
import * as repo from './repository.ts'
import {
  deriveCodeKey,
  deriveSuccessorKey,
  emailKey,
  hashLoginCode,
  hashRefreshToken,
  newLoginCode,
  newRefreshToken,
  sameHash,
  successorRefreshToken,
} from './secrets.ts'
import type { WidgetTokens } from './tokens.ts'

/** Reads and writes other features need, through this service rather than the repository. */
export { deleteExpiredRefreshTokens } from './repository.ts'

export const CODE_VALID_SECONDS = LOGIN_CODE_VALID_MINUTES * 60
/** Wrong guesses one code survives; then only a new code helps (and asking for one is limited). */
export const MAX_CODE_ATTEMPTS = 5
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

/**
 * Per IP and per e-mail, separately for asking for a code and for verifying one. With 5 tries per
 * code, a guesser gets at most 20 guesses an hour at one address, against a million codes.
 */
export const LOGIN_LIMITS: Limit[] = [
  { max: 5, windowSeconds: 60 },
  { max: 20, windowSeconds: 3600 },
]

export type IdentityDeps = Pick<AppDeps, 'db' | 'config' | 'secrets' | 'jobs' | 'log' | 'liFetch'>

/** What shopper identity needs, built once per app. */
export interface Identity {
  deps: IdentityDeps
  tokens: WidgetTokens
  codeKey: Buffer
  /** Derives a refresh token's successor (secrets.ts successorRefreshToken). */
  successorKey: Buffer
  /** LI clients by program, reused across searches (see storeClient). */
  storeClients: Map<string, { client: LiClient; keyEnc: string; until: number }>
}

export function createIdentity(deps: IdentityDeps, tokens: WidgetTokens): Identity {
  return {
    deps,
    tokens,
    codeKey: deriveCodeKey(deps.secrets.encryptionKey),
    successorKey: deriveSuccessorKey(deps.secrets.encryptionKey),
    storeClients: new Map(),
  }
}

/** How long one LI client (and its share of the store's request budget) serves a program's searches. */
const STORE_CLIENT_TTL_MS = 5 * 60_000
const MAX_STORE_CLIENTS = 1_000

/**
 * One LI client per program, reused: each client's budget gate claims a few requests of the
 * store's shared budget at a time (server/loja-integrada/budget.ts), so a client per search would
 * spend several budget tokens per search and starve the sync. A new saved key (another
 * ciphertext) gets a new client; clients also lapse after a few minutes.
 */
function storeClient(identity: Identity, integration: Integration): LiClient {
  const now = Date.now()
  const hit = identity.storeClients.get(integration.program_id)
  if (hit && hit.keyEnc === integration.api_key_enc && hit.until > now) return hit.client
  if (identity.storeClients.size >= MAX_STORE_CLIENTS)
    identity.storeClients.delete(identity.storeClients.keys().next().value!)
  const client = clientFor(identity.deps, integration)
  identity.storeClients.delete(integration.program_id)
  identity.storeClients.set(integration.program_id, {
    client,
    keyEnc: integration.api_key_enc,
    until: now + STORE_CLIENT_TTL_MS,
  })
  return client
}

export const toWidgetMemberView = (m: Pick<Member, 'id' | 'name' | 'email'>): WidgetMemberView => ({
  id: m.id,
  name: m.name,
  email: m.email,
})

/** The store's sign-up page, or its site when the merchant gave none. */
export const signupUrlOf = (integration: Integration | undefined) =>
  integration?.signup_url ?? integration?.site_url ?? null

function signupRequired(integration: Integration | undefined): AppError {
  return new AppError(
    'signup_required',
    'This e-mail cannot join the program here: create an account in the store first',
    {
      details: { signupUrl: signupUrlOf(integration) },
    },
  )
}

async function programOrThrow(deps: IdentityDeps, programKey: string): Promise<Program> {
  const program = await findProgramByKey(deps.db, programKey)
  if (!program) throw notFound('Program')
  return program
}

/**
 * Login and join, step 1: checks the shopper may enter and e-mails a 6-digit code.
 *
 * Who may enter: a member (whatever joining says), or — while joining is open — a customer the
 * store knows by this e-mail (Loja Integrada's customer search), enrolled once the code proves
 * the address. Everyone else gets `signup_required` with the store's sign-up URL: the one answer
 * that tells whether an address is a customer of the store (see the README). Members and new
 * customers get the same answer. Nothing is e-mailed unless the merchant activated the
 * integration (design rule 7), so an inactive program answers `signup_required` to everyone.
 */
export async function startLogin(
  identity: Identity,
  input: { programKey: string; email: string; ip: string; join?: Omit<JoinBody, 'email'> },
): Promise<{ expiresInSeconds: number }> {
  const { deps } = identity
  const program = await programOrThrow(deps, input.programKey)
  const email = normalizeEmail(input.email)
  // Outside any transaction: a counted attempt must stay counted whatever happens next.
  await consume(deps.db, `widget-code:ip:${input.ip}`, LOGIN_LIMITS)
  await consume(deps.db, `widget-code:email:${program.id}:${emailKey(email)}`, LOGIN_LIMITS)

  const integration = await findIntegration(deps.db, program.id)
  if (!integration?.active) throw signupRequired(integration)

  const member = await members.findMemberByEmail(deps.db, program.id, email)
  const profile: LoginCodeProfile = input.join
    ? {
        name: input.join.name,
        cpf: input.join.cpf ?? null,
        birthDate: input.join.birthDate ?? null,
        emailConsent: input.join.emailConsent,
      }
    : {}
  let liCustomerId: number | null = null
  if (!member) {
    if (!program.joining_open || integration.credentials_rejected_at) throw signupRequired(integration)
    // No transaction is open while the store answers.
    const customer = await findStoreCustomer(identity, integration, email)
    if (!customer) throw signupRequired(integration)
    liCustomerId = customer.id
    // What the store knows fills what the form left empty.
    profile.name ??= customer.name
    profile.cpf ??= customer.cpf
    profile.birthDate ??= customer.birthDate
  }

  // Codes expired for an hour are useless, and unverified join forms hold CPFs and birth dates:
  // swept here (an index range scan), so none lingers even where no maintenance job runs them.
  await repo.deleteExpiredLoginCodes(deps.db, new Date(Date.now() - 3600_000))

  const code = newLoginCode()
  await deps.db.transaction().execute(async (trx) => {
    await repo.upsertLoginCode(trx, {
      program_id: program.id,
      email,
      member_id: member?.id ?? null,
      li_customer_id: liCustomerId,
      purpose: input.join ? 'join' : 'login',
      profile,
      code_hash: hashLoginCode(identity.codeKey, program.id, email, code),
      expires_at: new Date(Date.now() + CODE_VALID_SECONDS * 1000),
    })
    // Same transaction: no code row without its e-mail, no e-mail for a code that was not saved.
    await queueEmail(trx, emailDeps(deps), {
      programId: program.id,
      memberId: member?.id ?? null,
      kind: 'login_code',
      to: email,
      data: { code, name: member?.name ?? profile.name ?? null, validMinutes: LOGIN_CODE_VALID_MINUTES },
    })
  })
  deps.log.info('login code queued', {
    programId: program.id,
    memberId: member?.id ?? null,
    purpose: input.join ? 'join' : 'login',
  })
  return { expiresInSeconds: CODE_VALID_SECONDS }
}

/**
 * A shopper waits on this search. The LI client retries 5xx with backoff and waits for the
 * store's shared request budget, which can take many seconds while a sync runs; past this
 * deadline the shopper gets 502 and may try again (the search itself finishes in the background).
 */
const STORE_SEARCH_DEADLINE_MS = 8_000

async function findStoreCustomer(identity: Identity, integration: Integration, email: string) {
  const { deps } = identity
  let timer: NodeJS.Timeout | undefined
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error('deadline'), { name: 'DeadlineExceeded' })),
        STORE_SEARCH_DEADLINE_MS,
      )
    })
    const search = storeClient(identity, integration).findCustomerByEmail(email)
    search.catch(() => {}) // a late failure after the deadline is not an unhandled rejection
    const customer = await Promise.race([search, deadline])
    // LI's search is exact and case-insensitive; check anyway, a near match must not enrol anyone.
    return customer && customer.email && normalizeEmail(customer.email) === email ? customer : null
  } catch (err) {
    deps.log.warn('store customer search failed', {
      programId: integration.program_id,
      error: err instanceof LiError ? err.kind : err instanceof Error ? err.name : 'unknown',
    })
    throw new AppError('li_unavailable', 'The store did not answer; try again in a few minutes')
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Login and join, step 2: the code from the e-mail becomes a session. A wrong code counts an
 * attempt (committed, even though the answer is an error); the fifth wrong one kills the code.
 * Every failure answers the same 401, whether the e-mail has a code or not.
 */
export async function verifyLogin(
  identity: Identity,
  input: { programKey: string; email: string; code: string; ip: string; join?: Omit<JoinBody, 'email'> },
): Promise<WidgetSession> {
  const { deps } = identity
  const program = await programOrThrow(deps, input.programKey)
  const email = normalizeEmail(input.email)
  await consume(deps.db, `widget-verify:ip:${input.ip}`, LOGIN_LIMITS)
  await consume(deps.db, `widget-verify:email:${program.id}:${emailKey(email)}`, LOGIN_LIMITS)

  const outcome = await deps.db.transaction().execute(async (trx) => {
    const row = await repo.lockLoginCode(trx, program.id, email)
    if (!row || row.expires_at.getTime() <= Date.now() || row.attempts >= MAX_CODE_ATTEMPTS) return undefined
    if (!sameHash(hashLoginCode(identity.codeKey, program.id, email, input.code), row.code_hash)) {
      await repo.countFailedAttempt(trx, program.id, email)
      return undefined
    }
    await repo.deleteLoginCode(trx, program.id, email)
    const profile = input.join ? withJoinForm(row.profile, input.join) : row.profile
    const member =
      row.member_id !== null
        ? await members.findMember(trx, program.id, row.member_id)
        : await enrol(trx, program.id, email, row.li_customer_id, profile)
    if (!member) return undefined
    if (row.purpose === 'join' || input.join) {
      await applyJoin(trx, program.id, member.id, profile)
    } else {
      await repo.recordJoin(trx, program.id, member.id, {})
    }
    return { member, refresh: await newSession(trx, program.id, member.id, randomUUID(), newRefreshToken()) }
  })
  if (!outcome)
    throw new AppError('unauthorized', 'The code is wrong or has expired; ask for a new one', { field: 'code' })
  deps.log.info('shopper logged in', { programId: program.id, memberId: outcome.member.id })
  return session(identity, program.id, outcome.member, outcome.refresh)
}

/**
 * The join form sent with the code (the widget asks for the e-mail first, so only a store
 * customer is asked the rest): it fills the profile as `…/join` would, over what the store
 * knew (saved with the code for a new customer); fields left out keep the store's.
 */
function withJoinForm(saved: LoginCodeProfile, join: Omit<JoinBody, 'email'>): LoginCodeProfile {
  return {
    name: join.name,
    cpf: join.cpf ?? saved.cpf ?? null,
    birthDate: join.birthDate ?? saved.birthDate ?? null,
    emailConsent: join.emailConsent,
  }
}

/** A store customer proved their e-mail: they become a member, linked to their LI id. */
async function enrol(
  trx: Trx,
  programId: string,
  email: string,
  liCustomerId: number | null,
  profile: LoginCodeProfile,
): Promise<Member | undefined> {
  if (liCustomerId === null) return undefined
  // The sync's own upsert: it links by LI id first, then e-mail, so a sync that ran meanwhile
  // (or runs concurrently) ends in one member, not two.
  await upsertStoreCustomers(trx, programId, [
    { liCustomerId, email, name: profile.name ?? null, cpf: profile.cpf ?? null, birthDate: profile.birthDate ?? null },
  ])
  const member = await members.findMemberByEmail(trx, programId, email)
  if (!member)
    throw new AppError(
      'conflict',
      'This e-mail is linked to another customer of the store; ask the store to sort it out',
    )
  return member
}

async function applyJoin(trx: Trx, programId: string, memberId: number, profile: LoginCodeProfile) {
  await repo.recordJoin(trx, programId, memberId, {
    name: profile.name ?? null,
    cpf: profile.cpf ?? null,
    birthDate: profile.birthDate ?? null,
    ...(profile.emailConsent !== undefined ? { emailConsent: profile.emailConsent } : {}),
  })
  // The unsubscribe table is what queueEmail honours: "no" there stops marketing e-mails, and a
  // "yes" given now lifts an earlier "stop sending me these".
  if (profile.emailConsent === false) await insertUnsubscribe(trx, programId, memberId, MARKETING_SCOPE)
  if (profile.emailConsent === true) await repo.deleteUnsubscribe(trx, programId, memberId, MARKETING_SCOPE)
  await noteEnrolled(trx, programId, [memberId], 'person')
}

async function newSession(trx: Trx, programId: string, memberId: number, familyId: string, token: string) {
  const row = await repo.insertRefreshToken(trx, {
    family_id: familyId,
    program_id: programId,
    member_id: memberId,
    token_hash: hashRefreshToken(token),
    expires_at: new Date(Date.now() + REFRESH_TOKEN_SECONDS * 1000),
  })
  return { token, familyId, expiresAt: row.expires_at }
}

async function session(
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
 * Whether the session an access token belongs to (its `sid`, the refresh-token family) has
 * ended. Access tokens are not revocable by themselves (15 minutes, cached until `exp`), so
 * state-changing calls ask this on every request, never from a cache: a logout or a detected
 * token copy stops them at once.
 */
export async function isSessionEnded(db: Executor, programId: string, sessionId: string): Promise<boolean> {
  return repo.isFamilyRevoked(db, programId, sessionId)
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
