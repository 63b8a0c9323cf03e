import * as v from 'valibot'
import { DateTime, Email, NonEmpty, Uuid } from './common.ts'

export const LoginBody = v.object({
  email: Email,
  password: v.pipe(v.string(), v.minLength(1, 'is required'), v.maxLength(1024)),
})

export const MerchantView = v.object({ id: Uuid, email: v.string(), name: v.string() })

export const LoginResponse = v.object({
  /** Short-lived JWT for the panel; send as `Authorization: Bearer <token>`. */
  token: v.string(),
  expiresAt: DateTime,
  merchant: MerchantView,
})

export const CreateApiTokenBody = v.object({ name: NonEmpty(100) })

export const ApiTokenView = v.object({
  id: Uuid,
  name: v.string(),
  prefix: v.string(),
  createdAt: DateTime,
  lastUsedAt: v.nullable(DateTime),
  revokedAt: v.nullable(DateTime),
})

export const CreatedApiToken = v.object({
  ...ApiTokenView.entries,
  /** The secret itself. Shown once: only its hash is stored. */
  token: v.string(),
})

export const ApiTokenList = v.object({ items: v.array(ApiTokenView) })

export type LoginBody = v.InferOutput<typeof LoginBody>
export type LoginResponse = v.InferOutput<typeof LoginResponse>
export type MerchantView = v.InferOutput<typeof MerchantView>
export type ApiTokenView = v.InferOutput<typeof ApiTokenView>
export type CreatedApiToken = v.InferOutput<typeof CreatedApiToken>

// Descriptions of the routes that use these schemas, in /openapi.json.

/** POST /v1/auth/login */
export const loginDescription =
  'Returns a panel session JWT (8 h). Limited per IP and per e-mail; over the limit answers 429 with Retry-After.'
