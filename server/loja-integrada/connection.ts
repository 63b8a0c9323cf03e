import type { AppDeps } from '../deps.ts'
import type { Integration } from '../db/schema.ts'
import { decryptSecret } from '../lib/crypto.ts'
import { liRateLimited, liRequests } from '../lib/metrics.ts'
import { pauseEveryStore, sharedRequestGate, type BudgetSettings, type RequestPriority } from './budget.ts'
import { LiClient, type LiClientOptions } from './client.ts'
import type { LiCredentials } from './types.ts'

type Deps = Pick<AppDeps, 'config' | 'secrets' | 'db' | 'liFetch'>

export function credentialsFor(deps: Deps, kind: Integration['credential_kind'], apiKey: string): LiCredentials {
  return kind === 'personal_token' ? { kind, token: apiKey } : { kind, apiKey, appKey: deps.config.liAppKey ?? '' }
}

/**
 * Options a caller may add: a sync waits out 429s (rateLimitPatienceMs), counts requests
 * (onRequest) and is bulk work (priority; default interactive — README, "Running many stores").
 */
export type ClientExtras = Pick<LiClientOptions, 'rateLimitPatienceMs' | 'onRequest'> & { priority?: RequestPriority }

export function budgetSettings(config: Deps['config']): BudgetSettings {
  return {
    storePerMinute: config.liRequestsPerMinute,
    appPerMinute: config.liAppRequestsPerMinute,
    ipPerMinute: config.liIpRequestsPerMinute,
    egressId: config.liEgressId,
    interactiveReservePercent: config.liInteractiveReservePercent,
  }
}

const outcomeOf = (status: number | 'timeout' | 'network') =>
  typeof status !== 'number' ? status : status === 429 ? '429' : `${Math.floor(status / 100)}xx`

export function clientForKey(
  deps: Deps,
  programId: string,
  credentials: LiCredentials,
  extras: ClientExtras = {},
): LiClient {
  const { priority = 'interactive', onRequest, ...rest } = extras
  const gate = sharedRequestGate(deps.db, programId, budgetSettings(deps.config))
  const egressHeader = deps.config.liEgressHeader
  return new LiClient({
    baseUrl: deps.config.liApiUrl,
    credentials,
    timeoutMs: deps.config.liTimeoutMs,
    baseDelayMs: deps.config.liRetryBaseMs,
    gate: () => gate(priority),
    onRateLimited: (ms, budget) => {
      liRateLimited.inc({ budget })
      // An app or IP 429 is every store's business: hold all of this process's requests back.
      if (budget === 'app' || budget === 'ip') pauseEveryStore(deps.db, ms)
      else gate.pause(ms)
    },
    onRequest: (info) => {
      liRequests.inc({ priority, outcome: outcomeOf(info.status) })
      onRequest?.(info)
    },
    ...(egressHeader ? { headers: { [egressHeader]: deps.config.liEgressId } } : {}),
    ...(deps.liFetch ? { fetch: deps.liFetch } : {}),
    ...rest,
  })
}

/** A client for a saved integration (decrypts the key; it never leaves this function). */
export function clientFor(deps: Deps, integration: Integration, extras: ClientExtras = {}): LiClient {
  const apiKey = decryptSecret(deps.secrets.encryptionKey, integration.api_key_enc, integration.program_id)
  return clientForKey(deps, integration.program_id, credentialsFor(deps, integration.credential_kind, apiKey), extras)
}
