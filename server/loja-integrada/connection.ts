import type { AppDeps } from '../deps.ts'
import type { Integration } from '../db/schema.ts'
import { decryptSecret } from '../lib/crypto.ts'
import { sharedRequestGate } from './budget.ts'
import { LiClient } from './client.ts'
import type { LiCredentials } from './types.ts'

type Deps = Pick<AppDeps, 'config' | 'secrets' | 'db' | 'liFetch'>

export function credentialsFor(deps: Deps, kind: Integration['credential_kind'], apiKey: string): LiCredentials {
  return kind === 'personal_token' ? { kind, token: apiKey } : { kind, apiKey, appKey: deps.config.liAppKey ?? '' }
}

export function clientForKey(deps: Deps, programId: string, credentials: LiCredentials): LiClient {
  return new LiClient({
    baseUrl: deps.config.liApiUrl,
    credentials,
    timeoutMs: deps.config.liTimeoutMs,
    baseDelayMs: deps.config.liRetryBaseMs,
    gate: sharedRequestGate(deps.db, programId, deps.config.liRequestsPerMinute),
    ...(deps.liFetch ? { fetch: deps.liFetch } : {}),
  })
}

/** A client for a saved integration (decrypts the key; it never leaves this function). */
export function clientFor(deps: Deps, integration: Integration): LiClient {
  const apiKey = decryptSecret(deps.secrets.encryptionKey, integration.api_key_enc, integration.program_id)
  return clientForKey(deps, integration.program_id, credentialsFor(deps, integration.credential_kind, apiKey))
}
