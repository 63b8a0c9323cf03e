// Control endpoints under /__sim (no LI auth): drive the standalone demo or a test from
// outside the process — seed, evolve, faults, request log, coupons, webhooks, clock.
// Bodies are JSON; errors answer {"error": "..."} with 400/404.

import { Hono, type Context } from 'hono'
import type { LiSimulator, SimEnv } from './types.ts'
import { FAULT_KINDS, type FaultKind, type FaultSpec } from './faults.ts'
import { productImageSvg, renderGoogleShoppingFeed } from './feed.ts'
import { couponJson, orderSummary } from './render.ts'
import type { RateLimitConfig } from './rate-limit.ts'
import type { EvolveOptions } from './evolve.ts'
import type { SeedOptions } from './seed.ts'
import type { CredentialKind } from './sim-state.ts'
import { SimError, type NewOrderInput, type SimStore } from './store.ts'
import type { ManualClock } from './time.ts'

type C = Context<SimEnv>

async function body(c: C): Promise<Record<string, unknown>> {
  const text = await c.req.text()
  if (text.trim() === '') return {}
  const parsed = JSON.parse(text) as unknown
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new SimError('body must be a JSON object')
  return parsed as Record<string, unknown>
}

function storeSummary(s: SimStore) {
  return {
    id: s.id,
    name: s.name,
    apiKeys: [...s.apiKeys],
    personalTokens: [...s.personalTokens],
    customers: s.customers.length,
    orders: s.orders.length,
    products: s.products.length,
    coupons: s.coupons.length,
    orderWebhooks: s.orderWebhooks.size,
  }
}

const isManual = (clock: unknown): clock is ManualClock =>
  typeof clock === 'object' && clock !== null && 'advance' in clock && typeof clock.advance === 'function'

export function createAdminApp(sim: LiSimulator): Hono<SimEnv> {
  const admin = new Hono<SimEnv>()
  const store = (c: C): SimStore => {
    const s = sim.state.getStore(c.req.param('store') ?? '')
    if (!s) throw new SimError(`unknown store ${c.req.param('store')}`)
    return s
  }
  admin.onError((err, c) =>
    c.json(
      { error: err instanceof Error ? err.message : String(err) },
      err instanceof SimError || err instanceof SyntaxError ? 400 : 500,
    ),
  )

  admin.get('/health', (c) => c.json({ ok: true, now: sim.clock.now().toISOString() }))

  admin.get('/stores', (c) => c.json([...sim.state.stores.values()].map(storeSummary)))
  admin.post('/stores', async (c) => {
    const b = (await body(c)) as unknown as SeedOptions
    if (typeof b.seed !== 'number') throw new SimError('seed (number) is required')
    const seeded = sim.seed(b)
    return c.json(
      {
        ...storeSummary(seeded.store),
        apiKey: seeded.apiKey,
        personalToken: seeded.personalToken,
        applicationKey: sim.applicationKey,
      },
      201,
    )
  })
  admin.get('/stores/:store', (c) => c.json(storeSummary(store(c))))
  admin.delete('/stores/:store', (c) => {
    sim.state.removeStore(store(c).id)
    return c.body(null, 204)
  })
  admin.post('/stores/:store/evolve', async (c) => c.json(sim.evolve(store(c).id, (await body(c)) as EvolveOptions)))

  /** Create one order; defaults: first customer, first sellable product. */
  admin.post('/stores/:store/orders', async (c) => {
    const s = store(c)
    const b = (await body(c)) as Partial<NewOrderInput>
    const product = s.products.find((p) => p.tipo !== 'atributo')
    const customerId = b.customerId ?? s.customers[0]?.id ?? s.addCustomer().id
    if (!product && !b.items) throw new SimError('store has no products')
    const order = s.createOrder({ ...b, customerId, items: b.items ?? [{ productId: product?.id ?? 0, quantity: 1 }] })
    return c.json(orderSummary(s, order), 201)
  })
  admin.post('/stores/:store/orders/:numero/status', async (c) => {
    const b = await body(c)
    if (typeof b.codigo !== 'string') throw new SimError('codigo is required')
    const r = store(c).setOrderStatus(Number(c.req.param('numero')), b.codigo, {
      by: typeof b.by === 'string' ? b.by : 'Sistema',
    })
    return c.json({ changed: r.changed, numero: r.order.numero, situacao: r.status.codigo })
  })
  admin.post('/stores/:store/customers/:id', async (c) => {
    const s = store(c)
    const cust = s.updateCustomer(
      Number(c.req.param('id')),
      (await body(c)) as Parameters<SimStore['updateCustomer']>[1],
    )
    return c.json({ id: cust.id, nome: cust.nome, email: cust.email })
  })

  // Order-listing misbehaviour (ListingQuirks): {"order": "numero", "ignoreSinceNumero": true, ...}; {} resets.
  admin.post('/stores/:store/listing', async (c) => {
    const s = store(c)
    s.listing = (await body(c)) as SimStore['listing']
    return c.json(s.listing)
  })

  admin.get('/stores/:store/coupons', (c) => c.json(store(c).coupons.map(couponJson)))
  // The store's public Google Shopping feed (no auth, like a real feed URL); `?site=` sets the
  // storefront base of product links, `?limit=` caps the number of items.
  admin.get('/stores/:store/google-shopping.xml', (c) => {
    const s = store(c)
    const self = new URL(c.req.url)
    const limit = Number(c.req.query('limit') ?? Infinity)
    const body = renderGoogleShoppingFeed(
      s,
      c.req.query('site') ?? `https://${s.id}.lojaintegrada.com.br`,
      `${self.origin}/__sim`,
      limit > 0 ? limit : Infinity,
    )
    return c.body(body, 200, { 'content-type': 'application/xml; charset=utf-8' })
  })
  admin.get('/stores/:store/products/:file', (c) => {
    const id = Number(/^(\d+)\.svg$/.exec(c.req.param('file'))?.[1])
    const product = store(c).productsById.get(id)
    if (!product) return c.body(null, 404)
    return c.body(productImageSvg(product), 200, {
      'content-type': 'image/svg+xml',
      'cache-control': 'public, max-age=86400',
    })
  })
  admin.post('/stores/:store/coupons/use', async (c) => {
    const b = await body(c)
    const ref = typeof b.id === 'number' ? { id: b.id } : { codigo: String(b.codigo ?? '') }
    const { coupon } = store(c).useCoupon(ref, Number(b.numero), { recomputeDiscount: b.recomputeDiscount !== false })
    return c.json(couponJson(coupon))
  })

  admin.get('/stores/:store/webhooks', (c) => {
    const s = store(c)
    const list = (m: Map<string, string>) => [...m].map(([notifyUrl, token]) => ({ notifyUrl, token }))
    return c.json({ pedido: list(s.orderWebhooks), produto: list(s.productWebhooks) })
  })

  admin.post('/stores/:store/credentials', async (c) => {
    const b = await body(c)
    if (typeof b.credential !== 'string') throw new SimError('credential is required')
    const kind: CredentialKind = b.kind === 'personal_token' ? 'personal_token' : 'api_key'
    sim.state.addCredential(store(c).id, b.credential, kind)
    return c.json({ ok: true }, 201)
  })
  admin.post('/revoke', async (c) => {
    const b = await body(c)
    if (typeof b.credential !== 'string') throw new SimError('credential is required')
    return c.json({ revoked: sim.state.revokeCredential(b.credential) })
  })

  admin.get('/faults', (c) =>
    c.json(
      sim.faults.list().map((f) => ({
        ...f,
        spec: { ...f.spec, path: f.spec.path?.toString() },
        remaining: Number.isFinite(f.remaining) ? f.remaining : null,
      })),
    ),
  )
  admin.post('/faults', async (c) => {
    const b = (await body(c)) as unknown as FaultSpec
    if (!FAULT_KINDS.includes(b.kind)) throw new SimError(`kind must be one of ${FAULT_KINDS.join(', ')}`)
    try {
      const f = sim.faults.inject(b)
      return c.json({ id: f.id }, 201)
    } catch (err) {
      throw new SimError(err instanceof Error ? err.message : String(err))
    }
  })
  admin.delete('/faults', (c) => {
    const kind = c.req.query('kind')
    sim.faults.clear(kind && FAULT_KINDS.includes(kind as FaultKind) ? (kind as FaultKind) : undefined)
    return c.body(null, 204)
  })
  admin.delete('/faults/:id', (c) => {
    sim.faults.clear(Number(c.req.param('id')))
    return c.body(null, 204)
  })
  admin.post('/faults/release-hangs', (c) => {
    sim.faults.releaseHangs()
    return c.body(null, 204)
  })

  admin.get('/requests', (c) => {
    const storeRef = c.req.query('store')
    const storeId = storeRef ? (sim.state.getStore(storeRef)?.id ?? storeRef) : undefined
    const entries = sim.requests.entries(storeId ? (e) => e.storeId === storeId : undefined)
    const limit = Number(c.req.query('limit') ?? 1000)
    return c.json({ total: sim.requests.total, count: entries.length, entries: entries.slice(-limit) })
  })
  admin.delete('/requests', (c) => {
    sim.requests.clear()
    return c.body(null, 204)
  })

  admin.get('/deliveries', (c) => c.json(sim.webhooks.deliveries()))
  admin.delete('/deliveries', (c) => {
    sim.webhooks.clear()
    return c.body(null, 204)
  })

  admin.get('/rate-limit', (c) => c.json(sim.rateLimit.config))
  admin.put('/rate-limit', async (c) => c.json(sim.rateLimit.configure((await body(c)) as Partial<RateLimitConfig>)))
  admin.get('/rate-limit/violations', (c) => c.json(sim.rateLimit.violations))
  admin.delete('/rate-limit/windows', (c) => {
    sim.rateLimit.reset()
    return c.body(null, 204)
  })

  admin.get('/clock', (c) => c.json({ now: sim.clock.now().toISOString() }))
  admin.post('/clock', async (c) => {
    const b = await body(c)
    if (!isManual(sim.clock)) throw new SimError('the simulator clock cannot be moved')
    if (typeof b.set === 'string' || typeof b.set === 'number') sim.clock.set(b.set)
    if (typeof b.advanceMs === 'number') sim.clock.advance(b.advanceMs)
    return c.json({ now: sim.clock.now().toISOString() })
  })

  return admin
}
