import { randomUUID } from 'node:crypto'
import type { JoinBody, WidgetSession } from '../../shared/api/widget.ts'
import type { Trx } from '../db/database.ts'
import type { Integration, LoginCodeProfile, Member } from '../db/schema.ts'
import { insertUnsubscribe } from '../email/service.ts'
import { noteEnrolled } from '../email/lifecycle/service.ts'
import { emailDeps, MARKETING_SCOPE, queueEmail } from '../email/service.ts'
import { LOGIN_CODE_VALID_MINUTES } from '../email/templates/index.ts'
import { AppError } from '../lib/errors.ts'
import { findIntegration } from '../integrations/service.ts'
import { LiError, type LiClient } from '../loja-integrada/client.ts'
import { clientFor } from '../loja-integrada/connection.ts'
import * as members from '../members/service.ts'
import { upsertStoreCustomers } from '../members/store-customers.ts'
import type { ErasureGuard } from '../members/tombstones.ts'
import { privacyKey } from '../config/secrets.ts'
import { CONSENT_TEXT_VERSION } from '../../shared/api/privacy.ts'
import { normalizeEmail } from '../merchants/service.ts'
import { consume, type Limit } from '../rate-limit/service.ts'
import { type Identity, programOrThrow, signupUrlOf } from './identity.ts'
import * as repo from './repository.ts'
import { emailKey, hashLoginCode, newLoginCode, newRefreshToken, sameHash } from './secrets.ts'
import { newSession, session } from './sessions.ts'

// Login and join by a 6-digit e-mail code: asking for the code, then proving it.

export const CODE_VALID_SECONDS = LOGIN_CODE_VALID_MINUTES * 60
/** Wrong guesses one code survives; then only a new code helps (and asking for one is limited). */
export const MAX_CODE_ATTEMPTS = 5

/**
 * Per IP and per e-mail, separately for asking for a code and for verifying one. With 5 tries per
 * code, a guesser gets at most 20 guesses an hour at one address, against a million codes.
 */
export const LOGIN_LIMITS: Limit[] = [
  { max: 5, windowSeconds: 60 },
  { max: 20, windowSeconds: 3600 },
]

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

function signupRequired(integration: Integration | undefined): AppError {
  return new AppError(
    'signup_required',
    'This e-mail cannot join the program here: create an account in the store first',
    {
      details: { signupUrl: signupUrlOf(integration) },
    },
  )
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
        : await enrol(trx, program.id, email, row.li_customer_id, profile, {
            key: privacyKey(deps.secrets),
            selfJoin: true,
          })
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
  // The shopper proves the e-mail and joins themselves: an erasure tombstone of theirs is lifted.
  guard: ErasureGuard & { selfJoin: true },
): Promise<Member | undefined> {
  if (liCustomerId === null) return undefined
  // The sync's own upsert: it links by LI id first, then e-mail, so a sync that ran meanwhile
  // (or runs concurrently) ends in one member, not two.
  await upsertStoreCustomers(
    trx,
    programId,
    [
      {
        liCustomerId,
        email,
        name: profile.name ?? null,
        cpf: profile.cpf ?? null,
        birthDate: profile.birthDate ?? null,
      },
    ],
    guard,
  )
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
    // The join form shows the program's privacy text of this version (widget dictionary).
    termsVersion: CONSENT_TEXT_VERSION,
  })
  // The unsubscribe table is what queueEmail honours: "no" there stops marketing e-mails, and a
  // "yes" given now lifts an earlier "stop sending me these".
  if (profile.emailConsent === false) await insertUnsubscribe(trx, programId, memberId, MARKETING_SCOPE)
  if (profile.emailConsent === true) await repo.deleteUnsubscribe(trx, programId, memberId, MARKETING_SCOPE)
  await noteEnrolled(trx, programId, [memberId], 'person')
}
