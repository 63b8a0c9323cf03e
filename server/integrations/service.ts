import { randomBytes } from 'node:crypto'
import type { IntegrationView, SaveIntegrationBody, StatusView, SyncStatusView } from '../../shared/api/integrations.ts'
import type { Executor } from '../db/database.ts'
import type { Integration, SyncState } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { AppError } from '../lib/errors.ts'
import { encryptSecret } from '../lib/crypto.ts'
import { LiError } from '../loja-integrada/client.ts'
import { clientFor, clientForKey, credentialsFor } from '../loja-integrada/connection.ts'
import { reevaluateQueue, syncQueue } from '../loja-integrada/queues.ts'
import { sumEarnedSince } from '../ledger/service.ts'
import { countStoreCustomers } from '../members/service.ts'
import { countOrders } from '../orders/service.ts'
import { isRecommendedAwarding, reversesPoints } from '../orders/rules.ts'
import { getOwnedProgram } from '../programs/service.ts'
import { obviouslyPrivateHost } from '../lib/net.ts'
import * as repo from './repository.ts'
import { webhookUrl } from './webhook-url.ts'

/** Reads and writes other features need, through this service rather than the repository. */
export { findIntegration, listStatuses } from './repository.ts'
export { webhookUrl } from './webhook-url.ts'

export type IntegrationDeps = Pick<AppDeps, 'config' | 'secrets' | 'db' | 'jobs' | 'log' | 'liFetch'>

/**
 * LI refused the saved key: every job of this integration stops until a new key is saved. Here, not
 * in sync.ts, because redemptions (a feature above integrations) mark it too.
 */
export async function markCredentialsRejected(
  deps: Pick<IntegrationDeps, 'db' | 'log'>,
  programId: string,
): Promise<void> {
  await repo.updateIntegration(deps.db, programId, { credentials_rejected_at: new Date() })
  deps.log.warn('loja integrada rejected the credentials; jobs stopped', { programId })
}

export function toIntegrationView(i: Integration): IntegrationView {
  return {
    programId: i.program_id,
    credentialKind: i.credential_kind,
    apiKeyLast4: i.api_key_last4,
    keyVerifiedAt: i.key_verified_at?.toISOString() ?? null,
    credentialsRejectedAt: i.credentials_rejected_at?.toISOString() ?? null,
    siteUrl: i.site_url,
    signupUrl: i.signup_url,
    feedUrl: i.feed_url,
    couponValidityDays: i.coupon_validity_days,
    rewardAllowlist: i.reward_allowlist,
    awardingStatusIds: i.awarding_status_ids,
    active: i.active,
    activatedAt: i.activated_at?.toISOString() ?? null,
    salesRegistration: i.sales_registration,
    erpSales: i.erp_sales,
    webhookRegistered: i.webhook_registered_at !== null,
    updatedAt: i.updated_at.toISOString(),
  }
}

/** Maps what the LI edge threw into the one HTTP error type. */
export function liFailure(err: unknown, field?: string): AppError {
  if (err instanceof LiError && err.kind === 'auth') {
    return new AppError(
      'li_credentials_rejected',
      'Loja Integrada rejected this API key. Check the key (Configurações > Chave para API) and save it again.',
      field ? { field } : {},
    )
  }
  if (err instanceof LiError)
    return new AppError(
      'li_unavailable',
      `Loja Integrada did not answer properly (${err.message}). Try again in a few minutes.`,
    )
  return err instanceof AppError
    ? err
    : new AppError('internal', 'Unexpected failure talking to Loja Integrada', { cause: err })
}

export async function getIntegrationOrThrow(db: Executor, programId: string): Promise<Integration> {
  const i = await repo.findIntegration(db, programId)
  if (!i)
    throw new AppError(
      'not_found',
      'This program has no Loja Integrada integration yet: save one with the API key first',
    )
  return i
}

/**
 * Saves the seed's form. A new key is verified with a cheap LI call and the store's statuses are
 * read with it — both before anything is written, and outside any transaction (no DB lock is held
 * while LI answers).
 */
export async function saveIntegration(
  deps: IntegrationDeps,
  merchantId: string,
  programId: string,
  body: SaveIntegrationBody,
): Promise<Integration> {
  const program = await getOwnedProgram(deps.db, merchantId, programId)
  const existing = await repo.findIntegration(deps.db, program.id)
  if (!existing && !body.apiKey)
    throw new AppError('validation_failed', 'apiKey is required to set up the integration', { field: 'apiKey' })
  if (body.credentialKind === 'chave_api' && body.apiKey && !deps.config.liAppKey) {
    throw new AppError(
      'validation_failed',
      'This server has no Loja Integrada application key (LI_APP_KEY); use a Personal Token instead',
      { field: 'credentialKind' },
    )
  }
  // The SSRF guard's cheap half (no DNS here): names are resolved and checked at each download.
  const privateHost =
    body.feedUrl && !deps.config.feedAllowPrivateHosts ? obviouslyPrivateHost(new URL(body.feedUrl)) : null
  if (privateHost) {
    throw new AppError(
      'validation_failed',
      `feedUrl points to ${privateHost}, a private or local address the server does not download from; use the ` +
        `feed's public address`,
      { field: 'feedUrl' },
    )
  }

  let statuses: Awaited<ReturnType<ReturnType<typeof clientForKey>['listStatuses']>> | undefined
  if (body.apiKey) {
    const client = clientForKey(deps, program.id, credentialsFor(deps, body.credentialKind, body.apiKey))
    try {
      await client.verify()
      statuses = await client.listStatuses()
    } catch (err) {
      throw liFailure(err, 'apiKey')
    }
  }

  const known = new Set((statuses ?? (await repo.listStatuses(deps.db, program.id))).map((s) => s.id))
  const unknownIds = body.awardingStatusIds.filter((id) => !known.has(id))
  if (unknownIds.length) {
    throw new AppError(
      'validation_failed',
      `awardingStatusIds has ids this store does not have: ${unknownIds.join(', ')}`,
      { field: 'awardingStatusIds' },
    )
  }
  if (existing?.active && body.awardingStatusIds.length === 0) {
    throw new AppError('validation_failed', 'An active integration needs at least one awarding status', {
      field: 'awardingStatusIds',
    })
  }

  const saved = await deps.db.transaction().execute(async (trx) => {
    if (statuses) {
      await repo.replaceStatuses(
        trx,
        program.id,
        statuses.map((s) => ({
          id: s.id,
          code: s.code,
          name: s.name,
          approved: s.approved,
          cancelled: s.cancelled,
          final: s.final,
        })),
      )
    }
    const row = await repo.upsertIntegration(trx, {
      program_id: program.id,
      credential_kind: body.apiKey ? body.credentialKind : existing!.credential_kind,
      api_key_enc: body.apiKey
        ? encryptSecret(deps.secrets.encryptionKey, body.apiKey, program.id)
        : existing!.api_key_enc,
      api_key_last4: body.apiKey ? body.apiKey.slice(-4) : existing!.api_key_last4,
      key_verified_at: body.apiKey ? new Date() : existing!.key_verified_at,
      credentials_rejected_at: body.apiKey ? null : existing!.credentials_rejected_at,
      statuses_fetched_at: statuses ? new Date() : existing!.statuses_fetched_at,
      site_url: body.siteUrl,
      signup_url: body.signupUrl ?? null,
      feed_url: body.feedUrl ?? null,
      coupon_validity_days: body.couponValidityDays,
      reward_allowlist: body.rewardAllowlist,
      awarding_status_ids: [...new Set(body.awardingStatusIds)].sort((a, b) => a - b),
    })
    // Changed awarding statuses change which stored orders should have points.
    const statusesChanged = existing && existing.awarding_status_ids.join() !== row.awarding_status_ids.join()
    if (statusesChanged && row.sales_registration)
      await deps.jobs.enqueue(trx, reevaluateQueue, { programId: program.id }, { key: program.id })
    return row
  })
  return saved
}

export async function listStatusesFor(
  deps: IntegrationDeps,
  merchantId: string,
  programId: string,
): Promise<{ items: StatusView[]; fetchedAt: string | null }> {
  const program = await getOwnedProgram(deps.db, merchantId, programId)
  const integration = await repo.findIntegration(deps.db, program.id)
  if (!integration) {
    throw new AppError(
      'conflict',
      'Save the integration with the API key first: the order statuses are read from the store with it',
      { field: 'apiKey' },
    )
  }
  const selected = new Set(integration.awarding_status_ids)
  const rows = await repo.listStatuses(deps.db, program.id)
  return {
    items: rows.map((s) => ({
      id: s.id,
      code: s.code,
      name: s.name,
      approved: s.approved,
      cancelled: s.cancelled,
      final: s.final,
      recommended: isRecommendedAwarding(s),
      reverses: reversesPoints(s),
      selected: selected.has(s.id),
    })),
    fetchedAt: integration.statuses_fetched_at?.toISOString() ?? null,
  }
}

export const ACTIVATION_NOTICE =
  'The integration is active: customers and orders from Loja Integrada start syncing now, and shoppers start ' +
  'receiving e-mails from the program.'
export const DEACTIVATION_NOTICE =
  'The integration is paused: no more syncing and no more e-mails to shoppers until it is activated again.'

/**
 * Activation starts syncing and e-mails (the seed's warning). Refused without a verified key and
 * at least one awarding status. The order webhook is registered best-effort: polling every
 * SYNC_INTERVAL_MINUTES is the guaranteed path, the webhook only makes points arrive sooner.
 */
export async function setActive(
  deps: IntegrationDeps,
  merchantId: string,
  programId: string,
  active: boolean,
): Promise<Integration> {
  const program = await getOwnedProgram(deps.db, merchantId, programId)
  let integration = await getIntegrationOrThrow(deps.db, program.id)
  if (active) {
    if (!integration.key_verified_at || integration.credentials_rejected_at) {
      throw new AppError('conflict', 'Save a valid Loja Integrada API key before activating', { field: 'apiKey' })
    }
    if (integration.awarding_status_ids.length === 0) {
      throw new AppError('conflict', 'Choose at least one order status that awards points before activating', {
        field: 'awardingStatusIds',
      })
    }
  }
  const token = integration.webhook_token ?? randomBytes(24).toString('base64url')
  let webhookRegisteredAt: Date | null = integration.webhook_registered_at
  try {
    const client = clientFor(deps, integration)
    if (active) {
      await client.registerOrderWebhook(webhookUrl(deps, program.id), token)
      webhookRegisteredAt = new Date()
    } else if (integration.webhook_registered_at) {
      await client.unregisterOrderWebhook(webhookUrl(deps, program.id), token)
      webhookRegisteredAt = null
    }
  } catch (err) {
    deps.log.warn('webhook registration failed; polling continues', {
      programId: program.id,
      err: (err as Error).message,
    })
    if (err instanceof LiError && err.kind === 'auth' && active && integration.credential_kind === 'chave_api') {
      throw liFailure(err, 'apiKey')
    }
  }
  integration = await deps.db.transaction().execute(async (trx) => {
    const row = await repo.updateIntegration(trx, program.id, {
      active,
      activated_at: active ? (integration.active ? integration.activated_at : new Date()) : integration.activated_at,
      webhook_token: token,
      webhook_registered_at: webhookRegisteredAt,
    })
    if (active) await deps.jobs.enqueueNow(trx, syncQueue, { programId: program.id }, program.id)
    return row
  })
  return integration
}

/** Exactly one source of sales may award points: LI orders (sales registration) or an ERP. */
export async function setSalesSource(
  deps: IntegrationDeps,
  merchantId: string,
  programId: string,
  source: 'salesRegistration' | 'erpSales',
  enabled: boolean,
): Promise<Integration> {
  const program = await getOwnedProgram(deps.db, merchantId, programId)
  return deps.db.transaction().execute(async (trx) => {
    const current = await repo.lockIntegration(trx, program.id)
    if (!current)
      throw new AppError(
        'not_found',
        'This program has no Loja Integrada integration yet: save one with the API key first',
      )
    if (enabled && source === 'salesRegistration' && current.erp_sales) {
      throw new AppError(
        'conflict',
        'An ERP sends sales into this program: turn ERP sales off before turning on sales registration from Loja ' +
          'Integrada, or the same sale could earn twice',
        { field: 'enabled' },
      )
    }
    if (enabled && source === 'erpSales' && current.sales_registration) {
      throw new AppError(
        'conflict',
        'Sales registration from Loja Integrada is on: turn it off before accepting sales from an ERP, or the ' +
          'same sale could earn twice',
        { field: 'enabled' },
      )
    }
    const row = await repo.updateIntegration(
      trx,
      program.id,
      source === 'salesRegistration' ? { sales_registration: enabled } : { erp_sales: enabled },
    )
    // Orders already in an awarding status earn once registration is turned on.
    if (enabled && source === 'salesRegistration' && !current.sales_registration) {
      await deps.jobs.enqueue(trx, reevaluateQueue, { programId: program.id }, { key: program.id })
    }
    return row
  })
}

export async function requestSync(deps: IntegrationDeps, merchantId: string, programId: string): Promise<void> {
  const program = await getOwnedProgram(deps.db, merchantId, programId)
  const integration = await getIntegrationOrThrow(deps.db, program.id)
  if (!integration.active) throw new AppError('conflict', 'Activate the integration before syncing')
  if (integration.credentials_rejected_at)
    throw new AppError('conflict', 'Loja Integrada rejected the saved API key: save a valid key first', {
      field: 'apiKey',
    })
  await deps.jobs.enqueueNow(deps.db, syncQueue, { programId: program.id }, program.id)
}

function resourceView(s: SyncState | undefined): SyncStatusView['customers'] {
  return {
    cursor: s?.cursor?.toISOString() ?? null,
    running: !!s?.run_started_at,
    lastRunStartedAt: s?.last_run_started_at?.toISOString() ?? null,
    lastRunFinishedAt: s?.last_run_finished_at?.toISOString() ?? null,
    lastCounts: (s?.last_counts ?? {}) as Record<string, number>,
    currentCounts: (s?.run_started_at ? s.run_counts : {}) as Record<string, number>,
    lastError: s?.last_error ?? null,
    lastErrorAt: s?.last_error_at?.toISOString() ?? null,
  }
}

export async function syncStatus(
  deps: IntegrationDeps,
  merchantId: string,
  programId: string,
): Promise<SyncStatusView> {
  const program = await getOwnedProgram(deps.db, merchantId, programId)
  const integration = await getIntegrationOrThrow(deps.db, program.id)
  const states = await repo.findSyncStates(deps.db, program.id)
  const orders = states.find((s) => s.resource === 'orders')
  const last = orders?.last_run_started_at ?? null
  const intervalMs = deps.config.syncIntervalMinutes * 60_000
  return {
    active: integration.active,
    credentialsRejected: integration.credentials_rejected_at !== null,
    intervalMinutes: deps.config.syncIntervalMinutes,
    nextRunAt:
      integration.active && !integration.credentials_rejected_at
        ? new Date(last ? Math.max(Date.now(), last.getTime() + intervalMs) : Date.now()).toISOString()
        : null,
    customers: resourceView(states.find((s) => s.resource === 'customers')),
    orders: resourceView(orders),
    totals: await syncTotals(deps.db, program.id, integration.activated_at),
  }
}

/**
 * Totals from the stored data, shown beside the last run (which may have read nothing new).
 * Three index-only statements (see each), cheap enough for the panel's 2-second polling.
 */
async function syncTotals(db: Executor, programId: string, since: Date | null): Promise<SyncStatusView['totals']> {
  return {
    customers: await countStoreCustomers(db, programId),
    orders: await countOrders(db, programId, 'li'),
    pointsAwarded: since ? await sumEarnedSince(db, programId, since) : 0,
    since: since?.toISOString() ?? null,
  }
}
export { disconnectForDeletion } from './offboarding.ts'
