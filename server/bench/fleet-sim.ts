import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createLiSimulator } from '../li-simulator/app.ts'
import { findStatusByCodigo } from '../li-simulator/index.ts'

/**
 * The fleet benchmark's Loja Integrada: the simulator in its own process with all three limits
 * on (per store, per application key, per IP — the IP taken from the header Fidelis sends with
 * LI_EGRESS_HEADER), stores seeded through its control API by the bench. `/__fleet/orders/:store`
 * hands the bench each store's orders (numero, delivered?, points base, customer e-mail) to
 * check Fidelis' ledger against. Env: FLEET_SIM_LIMITS (JSON: perStore, perApplication, perIp).
 * Prints `{"baseUrl":…,"appKey":…}` once listening.
 */
const limits = JSON.parse(process.env.FLEET_SIM_LIMITS ?? '{}') as {
  perStore?: number
  perApplication?: number
  perIp?: number
}
const sim = createLiSimulator({
  rateLimit: { ...limits, ipHeader: 'x-fidelis-egress' },
  requestLogLimit: 1000,
})
const delivered = findStatusByCodigo('pedido_entregue')!.id
const app = new Hono()
app.get('/__fleet/orders/:store', (c) => {
  const store = sim.state.requireStore(c.req.param('store'))
  return c.json(
    store.orders.map((o) => [
      o.numero,
      o.statusId === delivered ? 1 : 0,
      o.subtotalCents - o.discountCents,
      store.getCustomer(o.customerId)?.email.toLowerCase() ?? null,
    ]),
  )
})
app.all('*', (c) => sim.app.fetch(c.req.raw))
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(JSON.stringify({ baseUrl: `http://127.0.0.1:${info.port}`, appKey: sim.applicationKey }))
})
process.once('SIGTERM', () => process.exit(0))
