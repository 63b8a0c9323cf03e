import { clientFor } from '../loja-integrada/connection.ts'
import type { AppDeps } from '../deps.ts'
import * as repo from './repository.ts'
import { webhookUrl } from './webhook-url.ts'

/**
 * A store deletes its program (server/privacy/offboarding.ts): the order webhook is removed from
 * Loja Integrada while we still hold the key, then the key is erased at once (not after the
 * grace period) and the integration turned off, so nothing syncs or e-mails meanwhile. The
 * webhook removal is best effort: LI has no list of webhooks to check (reference §8), and a
 * delivery that still arrives is refused, since the token it carries is erased too.
 */
export async function disconnectForDeletion(
  deps: Pick<AppDeps, 'config' | 'secrets' | 'db' | 'log' | 'liFetch'>,
  programId: string,
): Promise<{ webhookRemoved: boolean }> {
  const integration = await repo.findIntegration(deps.db, programId)
  if (!integration) return { webhookRemoved: false }
  let webhookRemoved = false
  if (integration.webhook_token && integration.api_key_enc) {
    try {
      await clientFor(deps, integration).unregisterOrderWebhook(webhookUrl(deps, programId), integration.webhook_token)
      webhookRemoved = true
    } catch (err) {
      deps.log.warn('webhook removal failed; the key is erased anyway', { programId, err: (err as Error).message })
    }
  }
  await repo.updateIntegration(deps.db, programId, {
    api_key_enc: '',
    api_key_last4: '',
    key_verified_at: null,
    active: false,
    webhook_token: null,
    webhook_registered_at: null,
  })
  return { webhookRemoved }
}
