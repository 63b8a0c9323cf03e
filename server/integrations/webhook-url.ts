import type { AppDeps } from '../deps.ts'

/** Where Loja Integrada delivers a program's order webhooks (registered at activation). */
export function webhookUrl(deps: Pick<AppDeps, 'config'>, programId: string) {
  return `${deps.config.publicUrl}/v1/webhooks/loja-integrada/${programId}`
}
