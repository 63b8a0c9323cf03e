import { balanceText } from '../i18n/money.ts'
import { updateCashbackRules } from '../cashback/service.ts'
import fs from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { getRequestListener } from '@hono/node-server'
import { embedSnippet } from '../../panel/forms.ts'
import { loadConfig } from '../config/config.ts'
import { saveIntegration, setActive, setSalesSource } from '../integrations/service.ts'
import { createLiSimulator, findStatusByCodigo } from '../li-simulator/index.ts'
import { createMerchant } from '../merchants/service.ts'
import { dataDirHolder } from '../db/lock.ts'
import { createProgram } from '../programs/service.ts'
import { requestFeedImport } from '../rewards/feed-import.ts'
import { createReward } from '../rewards/service.ts'
import { startRuntime } from '../runtime.ts'
import { listen, startStorefront } from './storefront.ts'

/**
 * `npm run demo`: everything a newcomer needs to see Fidelis work, offline, in one process —
 * the Loja Integrada simulator with a realistic store (its statuses, 200 customers, 1,000 orders
 * over 90 days, a 50-product Google Shopping feed), Fidelis on PGlite in a fresh data folder, a
 * demo merchant with a configured and activated program, and a fake storefront (another origin)
 * with the widget. Ports: DEMO_API_PORT (8787), DEMO_STORE_PORT (8790), DEMO_SIM_PORT (8788);
 * a taken port falls back to a free one. The data folder (DEMO_DATA_DIR, default ./.data/demo)
 * is wiped at every start so the demo always begins the same way.
 */
const MERCHANT = { email: 'demo@fidelis.local', password: 'fidelis-demo-2026' }
const env = process.env
const dataDir = path.resolve(env.DEMO_DATA_DIR || './.data/demo')
const port = (name: string, fallback: number) => Number(env[name] || fallback)

async function freePort(preferred: number): Promise<number> {
  const probe = http.createServer()
  await listen(probe, preferred)
  const chosen = (probe.address() as AddressInfo).port
  await new Promise((r) => probe.close(r))
  return chosen
}

const log = (msg: string) => console.log(`[demo] ${msg}`)

async function main() {
  // The folder is wiped below: never under a demo (or server) that is still running on it.
  const holder = dataDirHolder(path.join(dataDir, 'pglite'))
  if (holder !== null) {
    console.error(
      `[demo] ${dataDir} is in use by another Fidelis process (pid ${holder}): stop that demo first, ` +
        'or give this one its own folder with DEMO_DATA_DIR.',
    )
    process.exit(1)
  }
  await fs.rm(dataDir, { recursive: true, force: true })
  await fs.mkdir(dataDir, { recursive: true })

  // The store, with LI's real 100 requests/min limit: the demo shows the budget at work.
  const sim = createLiSimulator()
  const seeded = sim.seed({
    seed: 2026,
    customers: 200,
    orders: 1000,
    days: 90,
    simpleProducts: 60,
    variationParents: 4,
    storeId: 'loja-demo',
    name: 'Loja Demo',
  })
  const simServer = http.createServer(getRequestListener(sim.app.fetch))
  await listen(simServer, port('DEMO_SIM_PORT', 8788))
  const simUrl = `http://127.0.0.1:${(simServer.address() as AddressInfo).port}`
  log(`Loja Integrada simulator at ${simUrl}`)

  const apiPort = await freePort(port('DEMO_API_PORT', 8787))
  const storePort = await freePort(port('DEMO_STORE_PORT', 8790))
  const apiUrl = `http://127.0.0.1:${apiPort}`
  const storeUrl = `http://127.0.0.1:${storePort}`
  const config = loadConfig({
    ...env,
    DATABASE_URL: '', // always the embedded PostgreSQL
    DATA_DIR: dataDir,
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    PUBLIC_URL: apiUrl,
    LI_API_URL: simUrl,
    LI_APP_KEY: sim.applicationKey,
    SMTP_URL: '', // e-mails become .eml files, shown by the storefront's demo inbox
    LOG_LEVEL: env.LOG_LEVEL || 'warn',
    // The feed is served by the simulator on this machine.
    FEED_ALLOW_PRIVATE_HOSTS: 'true',
    SCRYPT_LOG_N: env.SCRYPT_LOG_N || '14',
  })
  log('starting Fidelis on PGlite (first start creates the database: a few seconds)…')
  const runtime = await startRuntime(config)
  const deps = runtime.deps

  const merchant = await createMerchant(deps.db, { ...MERCHANT, name: 'Loja Demo' })
  // DEMO_MODE=cashback: a cashback program (10 % back, at most 30 % of an order) instead of points.
  const cashback = env.DEMO_MODE === 'cashback'
  const program = await createProgram(deps.db, merchant.id, {
    name: 'Clube Loja Demo',
    mode: cashback ? 'cashback' : 'points',
    pointsName: 'pontos',
    earnRate: 1,
    primaryColor: '#6d28d9',
    textColor: '#ffffff',
    joiningOpen: true,
  })
  await saveIntegration(deps, merchant.id, program.id, {
    apiKey: seeded.apiKey,
    credentialKind: 'chave_api',
    siteUrl: storeUrl,
    signupUrl: `${storeUrl}/conta/criar`,
    feedUrl: `${simUrl}/__sim/stores/${seeded.store.id}/google-shopping.xml?limit=50&site=${encodeURIComponent(storeUrl)}`,
    couponValidityDays: 365,
    rewardAllowlist: [],
    awardingStatusIds: ['pedido_pago', 'pedido_enviado', 'pedido_entregue'].map((c) => findStatusByCodigo(c)!.id),
  })
  if (cashback)
    await deps.db
      .transaction()
      .execute((trx) =>
        updateCashbackRules(trx, program.id, { percentBp: 1000, minRedemptionCents: 500, maxOrderSharePct: 30 }),
      )
  // A cashback program spends its balance as chosen amounts; rewards priced in points are for points programs.
  for (const r of cashback
    ? []
    : [
        {
          kind: 'fixed_discount' as const,
          title: 'R$ 10 de desconto',
          pointsCost: 300,
          valueCents: 1000,
          minimumOrderCents: 5000,
        },
        { kind: 'free_shipping' as const, title: 'Frete grátis', pointsCost: 450 },
        { kind: 'percent_discount' as const, title: '15% de desconto', pointsCost: 900, percent: 15 },
      ]) {
    await createReward(deps.db, program.id, { ...r, active: true })
  }
  await setSalesSource(deps, merchant.id, program.id, 'salesRegistration', true)
  await setActive(deps, merchant.id, program.id, true)
  await requestFeedImport(deps, deps.db, program.id)

  // The three richest members: suggested logins, on the storefront and in the banner below.
  const topMembers = () =>
    deps.db
      .selectFrom('members')
      .select(['email', 'balance'])
      .where('program_id', '=', program.id)
      .orderBy('balance', 'desc')
      .limit(3)
      .execute()
  const storefront = await startStorefront({
    port: storePort,
    apiUrl,
    programKey: program.programKey,
    store: seeded.store,
    simUrl,
    mailDir: path.join(dataDir, 'mail'),
    sampleEmails: async () => (await topMembers()).map((m) => m.email),
  })

  log('importing the store (customers, then orders) and the product feed…')
  const started = Date.now()
  for (;;) {
    const states = await deps.db
      .selectFrom('sync_state')
      .select(['resource', 'last_run_finished_at'])
      .where('program_id', '=', program.id)
      .execute()
    const feed = await deps.db
      .selectFrom('feed_imports')
      .select('status')
      .where('program_id', '=', program.id)
      .orderBy('id', 'desc')
      .executeTakeFirst()
    const synced = states.some((s) => s.resource === 'orders' && s.last_run_finished_at)
    if (synced && feed && feed.status !== 'running') break
    if (Date.now() - started > 5 * 60_000) {
      log('the first import is taking long; the demo is up anyway — watch "Sincronização" in the panel')
      break
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  const counts = await deps.db
    .selectFrom('members')
    .select((eb) => [eb.fn.countAll<string>().as('members'), eb.fn.sum<string>('balance').as('points')])
    .where('program_id', '=', program.id)
    .executeTakeFirstOrThrow()
  // Points stay plain digits: demo.e2e.ts reads them from this line.
  const shown = (n: number) => (program.mode === 'cashback' ? balanceText(n, program) : `${n} pontos`)
  const total = Number(counts.points ?? 0)
  const totalText = program.mode === 'cashback' ? shown(total) : `${total} points`
  const sample = (await topMembers()).map((m) => `${m.email} (${shown(m.balance)})`).join(', ')

  console.log(`
Fidelis demo is running — Ctrl-C to stop.

  Storefront with the widget   ${storefront.url}
    log in as a customer, e.g. ${sample}
    login codes arrive in      ${storefront.url}/caixa-de-entrada ("Códigos de acesso", at the top)
  Merchant panel               ${apiUrl}/panel
    e-mail / password          ${MERCHANT.email} / ${MERCHANT.password}
  Program key                  ${program.programKey}
  Embed snippet                ${embedSnippet(apiUrl, program.programKey)}
    (the widget API answers pages of ${storeUrl}; allow more origins with POST /v1/programs/${program.id}/widget/origins)
  API documentation            ${apiUrl}/docs
  Loja Integrada simulator     ${simUrl}  (chave_api ${seeded.apiKey}, chave_aplicacao ${sim.applicationKey})

  ${counts.members} members with ${totalText} imported from 1,000 orders; data in ${dataDir}
`)

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    log('stopping…')
    await storefront.close()
    await runtime.stop()
    simServer.closeAllConnections()
    simServer.close()
    sim.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
