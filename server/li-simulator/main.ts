// Standalone LI simulator: `node --import tsx server/li-simulator/main.ts`.
// Env: LI_SIM_PORT (8788), LI_SIM_HOST (127.0.0.1), LI_SIM_SEED (1), LI_SIM_CUSTOMERS (200),
// LI_SIM_ORDERS (1000), LI_SIM_RATE_LIMIT ("off" disables it), LI_SIM_IP_HEADER (header naming
// the client address for the per-IP limit), LI_SIM_APP_KEY (accepted
// chave_aplicacao; default DEFAULT_APPLICATION_KEY). Prints one JSON line with the base URL
// and the demo store's credentials; more stores/faults via the /__sim control API.

import { serve } from '@hono/node-server'
import { createLiSimulator, DEFAULT_APPLICATION_KEY } from './app.ts'

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer`)
  return n
}

const port = intEnv('LI_SIM_PORT', 8788)
const host = process.env.LI_SIM_HOST ?? '127.0.0.1'
const applicationKey = process.env.LI_SIM_APP_KEY ?? DEFAULT_APPLICATION_KEY
const sim = createLiSimulator({
  applicationKeys: [applicationKey],
  rateLimit: process.env.LI_SIM_RATE_LIMIT === 'off' ? false : { ipHeader: process.env.LI_SIM_IP_HEADER || null },
})
const seeded = sim.seed({
  seed: intEnv('LI_SIM_SEED', 1),
  customers: intEnv('LI_SIM_CUSTOMERS', 200),
  orders: intEnv('LI_SIM_ORDERS', 1000),
  storeId: 'demo',
  name: 'Loja Demo',
})

const server = serve({ fetch: sim.app.fetch, port, hostname: host }, (info) => {
  const baseUrl = `http://${host}:${info.port}`
  console.log(
    JSON.stringify({
      event: 'li-simulator-listening',
      baseUrl,
      apiBase: `${baseUrl}/api/v1`,
      control: `${baseUrl}/__sim`,
      storeId: seeded.store.id,
      chave_api: seeded.apiKey,
      chave_aplicacao: applicationKey,
      personal_token: seeded.personalToken,
      customers: seeded.store.customers.length,
      orders: seeded.store.orders.length,
    }),
  )
})

let stopping = false
const shutdown = (signal: string) => {
  if (stopping) return
  stopping = true
  sim.close()
  const force = setTimeout(() => process.exit(1), 5_000)
  force.unref()
  server.close(() => {
    console.log(JSON.stringify({ event: 'li-simulator-stopped', signal }))
    process.exit(0)
  })
  // Keep-alive clients (undici) would otherwise hold close() open for their idle timeout.
  if ('closeAllConnections' in server) server.closeAllConnections()
}
process.on('SIGINT', () => shutdown('SIGINT'))
process.on('SIGTERM', () => shutdown('SIGTERM'))
