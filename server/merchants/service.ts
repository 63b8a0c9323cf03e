import { createHash, randomBytes } from 'node:crypto'
import {
  type ApiTokenView,
  type CreatedApiToken,
  type LoginResponse,
  MIN_PASSWORD_LENGTH,
  type MerchantView,
} from '../../shared/api/merchants.ts'
import { dummyHash, hashPassword, verifyPassword } from '../auth/passwords.ts'
import type { JwtService } from '../auth/jwt.ts'
import type { Db, Executor } from '../db/database.ts'
import type { ApiToken, Merchant } from '../db/schema.ts'
import { AppError, notFound } from '../lib/errors.ts'
import { consume } from '../rate-limit/service.ts'
import * as repo from './repository.ts'

/** Reads other features need, through this service rather than the repository. */
export { findMerchantById } from './repository.ts'

export const PANEL_AUDIENCE = 'fidelis-panel'
/**
 * Panel sessions are short-lived: a leaked token is useful for an hour at most. Long-running
 * automation uses named API tokens instead (revocable, last-used time recorded).
 */
export const PANEL_SESSION_SECONDS = 60 * 60
const API_TOKEN_PREFIX = 'fid_'
/** last_used_at is written at most this often per token, so API calls do not each cost a write. */
const TOUCH_EVERY_MS = 60_000

export const LOGIN_LIMITS = {
  perIp: [
    { max: 10, windowSeconds: 60 },
    { max: 100, windowSeconds: 3600 },
  ],
  perEmail: [
    { max: 5, windowSeconds: 60 },
    { max: 20, windowSeconds: 3600 },
  ],
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

export function toMerchantView(m: Merchant): MerchantView {
  return { id: m.id, email: m.email, name: m.name }
}

/** The first account goes through the same door as the login: per-IP limits, counted before any check. */
export const SETUP_LIMITS = LOGIN_LIMITS.perIp

function checkPassword(password: string) {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new AppError('validation_failed', `password must have at least ${MIN_PASSWORD_LENGTH} characters`, {
      field: 'password',
    })
}

async function insertNewMerchant(db: Executor, email: string, name: string | undefined, passwordHash: string) {
  if (await repo.findMerchantByEmail(db, email))
    throw new AppError('conflict', 'A merchant with this e-mail already exists', { field: 'email' })
  return repo.insertMerchant(db, { email, name: name ?? email.split('@')[0]!, password_hash: passwordHash })
}

export async function createMerchant(
  db: Executor,
  input: { email: string; password: string; name?: string },
): Promise<Merchant> {
  checkPassword(input.password)
  return insertNewMerchant(db, normalizeEmail(input.email), input.name, await hashPassword(input.password))
}

/** True while the server has no merchant at all: the panel then offers to create the first one. */
export async function firstAccountOpen(db: Executor): Promise<boolean> {
  return !(await repo.anyMerchantExists(db))
}

const setupClosed = () =>
  new AppError(
    'setup_closed',
    'The first account already exists: log in with it. Further accounts: npm run admin -- create-merchant',
  )

/**
 * Creates the first merchant of an empty server and logs it in, once. Two requests racing for it:
 * the merchants table is locked (SHARE ROW EXCLUSIVE, which conflicts with itself and with every
 * insert) before the "no merchant yet" check, so the second waits for the first's commit, then
 * sees its merchant and is refused. The password is hashed before the lock, so the lock is held
 * for two short statements, not for scrypt's ~100 ms.
 */
export async function createFirstMerchant(
  db: Db,
  jwt: JwtService,
  input: { email: string; name: string; password: string; ip: string },
): Promise<LoginResponse> {
  // Outside the transaction: the counters must persist when the request is refused.
  await consume(db, `setup:ip:${input.ip}`, SETUP_LIMITS)
  checkPassword(input.password)
  if (!(await firstAccountOpen(db))) throw setupClosed()
  const passwordHash = await hashPassword(input.password)
  const merchant = await db.transaction().execute(async (trx) => {
    await repo.lockMerchantsTable(trx)
    if (await repo.anyMerchantExists(trx)) throw setupClosed()
    return insertNewMerchant(trx, normalizeEmail(input.email), input.name, passwordHash)
  })
  return panelSession(jwt, merchant)
}

async function panelSession(jwt: JwtService, merchant: Merchant): Promise<LoginResponse> {
  const { token, expiresAt } = await jwt.sign({ sub: merchant.id, aud: PANEL_AUDIENCE }, PANEL_SESSION_SECONDS)
  return { token, expiresAt: expiresAt.toISOString(), merchant: toMerchantView(merchant) }
}

export async function login(
  db: Executor,
  jwt: JwtService,
  input: { email: string; password: string; ip: string },
): Promise<LoginResponse> {
  const email = normalizeEmail(input.email)
  await consume(db, `login:ip:${input.ip}`, LOGIN_LIMITS.perIp)
  await consume(db, `login:email:${email}`, LOGIN_LIMITS.perEmail)
  const merchant = await repo.findMerchantByEmail(db, email)
  // Verify against a dummy hash when the account does not exist: same work, same answer.
  const ok = await verifyPassword(input.password, merchant?.password_hash ?? (await dummyHash()))
  if (!merchant || !ok) throw new AppError('unauthorized', 'E-mail or password is wrong')
  return panelSession(jwt, merchant)
}

export async function getMerchant(db: Executor, merchantId: string): Promise<MerchantView> {
  const m = await repo.findMerchantById(db, merchantId)
  if (!m) throw new AppError('unauthorized', 'This account no longer exists')
  return toMerchantView(m)
}

function hashToken(token: string) {
  return createHash('sha256').update(token).digest('hex')
}

function toTokenView(t: ApiToken): ApiTokenView {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.created_at.toISOString(),
    lastUsedAt: t.last_used_at?.toISOString() ?? null,
    revokedAt: t.revoked_at?.toISOString() ?? null,
  }
}

export async function createApiToken(db: Executor, merchantId: string, name: string): Promise<CreatedApiToken> {
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url')
  const row = await repo.insertApiToken(db, {
    merchant_id: merchantId,
    name,
    token_hash: hashToken(token),
    prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
  })
  return { ...toTokenView(row), token }
}

export async function listApiTokens(db: Executor, merchantId: string): Promise<ApiTokenView[]> {
  return (await repo.listApiTokens(db, merchantId)).map(toTokenView)
}

export async function revokeApiToken(db: Executor, merchantId: string, id: string): Promise<ApiTokenView> {
  const revoked = await repo.revokeApiToken(db, merchantId, id, new Date())
  if (revoked) return toTokenView(revoked)
  const existing = await repo.findApiToken(db, merchantId, id)
  if (!existing) throw notFound('API token')
  return toTokenView(existing) // already revoked: revoking again is harmless
}

export const isApiToken = (bearer: string) => bearer.startsWith(API_TOKEN_PREFIX)

/** Resolves an API token to its merchant, or throws unauthorized. */
export async function authenticateApiToken(
  db: Executor,
  token: string,
): Promise<{ merchantId: string; tokenId: string }> {
  const row = await repo.findActiveApiTokenByHash(db, hashToken(token))
  if (!row) throw new AppError('unauthorized', 'The API token is invalid or revoked')
  const now = new Date()
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
    await repo.touchApiToken(db, row.id, now)
  }
  return { merchantId: row.merchant_id, tokenId: row.id }
}
