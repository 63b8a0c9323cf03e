import type { AppDeps } from '../deps.ts'
import type { Integration } from '../db/schema.ts'
import { decryptSecret } from '../lib/crypto.ts'
import { sharedRequestGate } from './budget.ts'
import { LiClient, type LiClientOptions } from './client.ts'
import type { LiCredentials } from './types.ts'

type Deps = Pick<AppDeps, 'config' | 'secrets' | 'db' | 'liFetch'>

export function credentialsFor(deps: Deps, kind: Integration['credential_kind'], apiKey: string): LiCredentials {
  return kind === 'personal_token' ? { kind, token: apiKey } : { kind, apiKey, appKey: deps.config.liAppKey ?? '' }
}

/** Options a caller may add: a sync waits out 429s (rateLimitPatienceMs) and counts requests (onRequest). */
export type ClientExtras = Pick<LiClientOptions, 'rateLimitPatienceMs' | 'onRequest'>

export function clientForKey(
  deps: Deps,
  programId: string,
  credentials: LiCredentials,
  extras: ClientExtras = {},
): LiClient {
  const gate = sharedRequestGate(deps.db, programId, deps.config.liRequestsPerMinute)
  return new LiClient({
    baseUrl: deps.config.liApiUrl,
    credentials,
    timeoutMs: deps.config.liTimeoutMs,
    baseDelayMs: deps.config.liRetryBaseMs,
    gate,
    onRateLimited: (ms) => gate.pause(ms),
    ...(deps.liFetch ? { fetch: deps.liFetch } : {}),
    ...extras,
  })
}

/** A client for a saved integration (decrypts the key; it never leaves this function). */
export function clientFor(deps: Deps, integration: Integration, extras: ClientExtras = {}): LiClient {
  const apiKey = decryptSecret(deps.secrets.encryptionKey, integration.api_key_enc, integration.program_id)
  return clientForKey(deps, integration.program_id, credentialsFor(deps, integration.credential_kind, apiKey), extras)
}
