import { createHash, randomBytes } from 'node:crypto'
import type { ApiTokenView, CreatedApiToken, LoginResponse, MerchantView } from '../../shared/api/merchants.ts'
import { dummyHash, hashPassword, verifyPassword } from '../auth/passwords.ts'
import type { JwtService } from '../auth/jwt.ts'
import type { Executor } from '../db/database.ts'
import type { ApiToken, Merchant } from '../db/schema.ts'
import { AppError, notFound } from '../lib/errors.ts'
import { consume } from '../rate-limit/service.ts'
import * as repo from './repository.ts'

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

export async function createMerchant(
  db: Executor,
  input: { email: string; password: string; name?: string },
): Promise<Merchant> {
  const email = normalizeEmail(input.email)
  if (input.password.length < 10)
    throw new AppError('validation_failed', 'password must have at least 10 characters', { field: 'password' })
  if (await repo.findMerchantByEmail(db, email))
    throw new AppError('conflict', 'A merchant with this e-mail already exists', { field: 'email' })
  return repo.insertMerchant(db, {
    email,
    name: input.name ?? email.split('@')[0]!,
    password_hash: await hashPassword(input.password),
  })
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
  const { token, expiresAt } = await jwt.sign({ sub: merchant.id, aud: PANEL_AUDIENCE }, PANEL_SESSION_SECONDS)
  return { token, expiresAt: expiresAt.toISOString(), merchant: toMerchantView(merchant) }
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
