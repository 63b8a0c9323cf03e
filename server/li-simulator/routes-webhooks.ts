// Webhook registration (reference §8): PUT/DELETE /webhooks/v1/{pedido,produto} with notifyUrl
// and token. Delivery is webhooks.ts.

import { Hono } from 'hono'
import { BadRequest, readJson, type C } from './params.ts'
import type { SimEnv } from './types.ts'

export function webhookRoutes(): Hono<SimEnv> {
  const hooks = new Hono<SimEnv>()
  for (const resource of ['pedido', 'produto'] as const) {
    const registry = (c: C) => (resource === 'pedido' ? c.get('store').orderWebhooks : c.get('store').productWebhooks)
    const readRegistration = async (c: C, needToken: boolean) => {
      const body = await readJson(c)
      const b = (typeof body === 'object' && body !== null ? body : {}) as { notifyUrl?: unknown; token?: unknown }
      const errors: Record<string, string[]> = {}
      let url: string | undefined
      if (typeof b.notifyUrl !== 'string' || b.notifyUrl === '') errors.notifyUrl = ['Este campo é obrigatório.']
      else {
        try {
          const parsed = new URL(b.notifyUrl)
          if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme')
          url = b.notifyUrl
        } catch {
          errors.notifyUrl = ['Informe uma URL válida.']
        }
      }
      if (needToken && (typeof b.token !== 'string' || b.token === '')) errors.token = ['Este campo é obrigatório.']
      if (Object.keys(errors).length > 0 || url === undefined) throw new BadRequest(errors)
      return { url, token: typeof b.token === 'string' ? b.token : '' }
    }
    hooks.put(`/${resource}`, async (c) => {
      const { url, token } = await readRegistration(c, true)
      registry(c).set(url, token)
      return c.json({ message: 'Registros afetados: 1' })
    })
    hooks.delete(`/${resource}`, async (c) => {
      const { url } = await readRegistration(c, false)
      const removed = registry(c).delete(url) ? 1 : 0
      return c.json({ message: `Registros afetados: ${removed}` })
    })
  }
  return hooks
}
