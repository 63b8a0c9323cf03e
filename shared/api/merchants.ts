import * as v from 'valibot'
import { DateTime, Email, NonEmpty, Uuid } from './common.ts'

export const LoginBody = v.object({
  email: Email,
  password: v.pipe(v.string(), v.minLength(1, 'is required'), v.maxLength(1024)),
})

/** The one password rule of merchant accounts (the CLI and the first-account form alike). */
export const MIN_PASSWORD_LENGTH = 10

/** `GET /v1/setup`: whether this server still has no merchant account. */
export const SetupStatus = v.object({
  /** True while no merchant exists: the panel's login page then offers to create the first account. */
  firstAccountOpen: v.boolean(),
})

// In the order of the panel's form, so its list of refused fields reads top to bottom.
export const FirstMerchantBody = v.object({
  name: NonEmpty(120),
  email: Email,
  password: v.pipe(
    v.string(),
    v.minLength(MIN_PASSWORD_LENGTH, `must have at least ${MIN_PASSWORD_LENGTH} characters`),
    v.maxLength(1024),
  ),
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
export type SetupStatus = v.InferOutput<typeof SetupStatus>
export type FirstMerchantBody = v.InferOutput<typeof FirstMerchantBody>
export type ApiTokenView = v.InferOutput<typeof ApiTokenView>
export type CreatedApiToken = v.InferOutput<typeof CreatedApiToken>

// Descriptions of the routes that use these schemas, in /openapi.json.

/** POST /v1/auth/login */
export const loginDescription =
  'Returns a panel session JWT (1 h). Limited per IP and per e-mail; over the limit answers 429 with Retry-After.'

/** GET /v1/setup */
export const setupStatusDescription =
  'Public. `firstAccountOpen` is true while this server has no merchant account at all; the panel then offers ' +
  '"Criar a primeira conta" on its login page. It turns false for good once any merchant exists.'

/** POST /v1/setup/first-merchant */
export const firstMerchantDescription =
  'Public, once only: creates the first merchant account of an empty server and returns a panel session, like ' +
  '`POST /v1/auth/login`. As soon as any merchant exists it answers 409 `setup_closed` (even to two requests ' +
  'racing for the first account: exactly one wins). Further accounts come from `npm run admin -- create-merchant`. ' +
  'The password needs at least 10 characters. Limited per IP like the login (429 with Retry-After).'
