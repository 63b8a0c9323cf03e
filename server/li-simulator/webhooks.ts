// Webhook delivery (reference §8): on order create/edit the simulator POSTs the webhook order
// payload to every registered notifyUrl with `Authorization: Bearer <token>`. LI documents no
// retries, so there are none; failures are recorded, never thrown into the code that changed
// the order. Tests inject `fetch` (e.g. another Hono app's `request`) and await `flush()`.

import type { FaultController } from './faults.ts'
import { orderWebhookPayload, productWebhookPayload } from './render.ts'
import type { OrderEvent, ProductEvent } from './store.ts'
import type { Clock } from './time.ts'

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

export interface WebhookDelivery {
  seq: number
  storeId: string
  resource: 'pedido' | 'produto'
  url: string
  /** Order numero for pedido deliveries. */
  numero: number | null
  situacaoAlterada: boolean | null
  /** The JSON body sent (already serialised). */
  body: string
  /** Response status, or null when not delivered. */
  status: number | null
  error: string | null
  /** Set by webhook_drop / webhook_duplicate faults. */
  fault: 'dropped' | 'duplicate' | null
  at: string
}

export class WebhookDispatcher {
  private log: WebhookDelivery[] = []
  private pending = new Set<Promise<void>>()
  private seq = 0

  constructor(private readonly opts: { fetch: FetchLike; timeoutMs: number; faults: FaultController; clock: Clock }) {}

  handle(event: OrderEvent | ProductEvent): void {
    const store = event.store
    if (event.type === 'product') {
      if (store.productWebhooks.size === 0) return
      const body = JSON.stringify(productWebhookPayload(event.products))
      for (const [url, token] of store.productWebhooks) this.send(store.id, 'produto', url, token, body, null, null)
      return
    }
    if (store.orderWebhooks.size === 0) return
    const changed = event.type === 'updated' ? event.statusChanged : true
    // Serialise now: the delivery describes the order as it was at this change.
    const body = JSON.stringify(orderWebhookPayload(store, event.order, changed))
    for (const [url, token] of store.orderWebhooks)
      this.send(store.id, 'pedido', url, token, body, event.order.numero, changed)
  }

  private send(
    storeId: string,
    resource: 'pedido' | 'produto',
    url: string,
    token: string,
    body: string,
    numero: number | null,
    changed: boolean | null,
  ): void {
    const ctx = { storeId, resource: `/webhooks/${resource}`, method: 'POST' }
    const base = { storeId, resource, url, numero, situacaoAlterada: changed, body }
    if (this.opts.faults.take('webhook_drop', ctx)) {
      this.record({ ...base, status: null, error: null, fault: 'dropped' })
      return
    }
    const copies = this.opts.faults.take('webhook_duplicate', ctx) ? 2 : 1
    for (let i = 0; i < copies; i++) {
      const p = this.deliver(url, token, body).then(({ status, error }) =>
        this.record({ ...base, status, error, fault: copies > 1 ? 'duplicate' : null }),
      )
      this.pending.add(p)
      void p.finally(() => this.pending.delete(p))
    }
  }

  private async deliver(
    url: string,
    token: string,
    body: string,
  ): Promise<{ status: number | null; error: string | null }> {
    try {
      const res = await this.opts.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      })
      await res.arrayBuffer().catch(() => undefined)
      return { status: res.status, error: null }
    } catch (err) {
      return { status: null, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }
    }
  }

  private record(d: Omit<WebhookDelivery, 'seq' | 'at'>): void {
    this.log.push({ ...d, seq: ++this.seq, at: this.opts.clock.now().toISOString() })
    if (this.log.length > 10_000) this.log.splice(0, this.log.length - 10_000)
  }

  /** Wait until every delivery started so far (and any they trigger) has finished. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  deliveries(): WebhookDelivery[] {
    return [...this.log]
  }

  clear(): void {
    this.log = []
  }
}
