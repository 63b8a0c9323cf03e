import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { JwtService } from '../auth/jwt.ts'
import { setPasswordHashCost } from '../auth/passwords.ts'
import { loadConfig } from '../config/config.ts'
import { loadSecrets } from '../config/secrets.ts'
import { openDatabase } from '../db/database.ts'
import type { AppDeps } from '../deps.ts'
import { WidgetTokens } from '../identity/tokens.ts'
import { saveIntegration, setActive, setSalesSource } from '../integrations/service.ts'
import { Jobs } from '../jobs/jobs.ts'
import { createLogger } from '../lib/logger.ts'
import { createMerchant } from '../merchants/service.ts'
import { createProgram } from '../programs/service.ts'
import { createReward } from '../rewards/service.ts'
import { DELIVERED } from '../test/li-store.ts'
import { registerWorkers } from '../workers.ts'
import { lostOrDouble, p99 } from './fleet-check.ts'
import {
  freePort,
  freshDatabase,
  startFidelis,
  startFleetSimulator,
  stopFidelis,
  type FidelisProcess,
} from './fleet-procs.ts'

const knob = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback)
const STORES = knob('FLEET_STORES', 300)
const ACTIVATING = Math.min(STORES, knob('FLEET_ACTIVATING', 30))
const MIN_ORDERS = knob('FLEET_MIN_ORDERS', 2000)
const MAX_ORDERS = knob('FLEET_MAX_ORDERS', 20_000)
/** LI's limits are multiplied by this (simulator and Fidelis alike) so the run takes minutes. */
const SCALE = knob('FLEET_SCALE', 10)
const INTERVAL_MIN = knob('FLEET_SYNC_INTERVAL_MINUTES', 2)
/** The measured phase lasts at least this long (polling stores need a few intervals), and until every import ends. */
const MIN_SECONDS = knob('FLEET_MIN_SECONDS', 3 * (INTERVAL_MIN + 1) * 60)
const REDEMPTIONS_PER_S = knob('FLEET_REDEMPTIONS_PER_S', 5)
const TRICKLE_PER_S = knob('FLEET_TRICKLE_PER_S', 2)
/** LI's per-IP limit in the simulator (Fidelis budgets 90 % of it); default 1,200 × FLEET_SCALE. */
const IP_LIMIT = knob('FLEET_IP_PER_MINUTE', 1200 * SCALE)
const COST = 10
const EGRESS_HEADER = 'x-fidelis-egress'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

/**
 * Many stores on one deployment (issue 21): PostgreSQL, the simulator with LI's three limits on
 * (×FLEET_SCALE), 2 API and 2 worker processes (server/main.ts with env, each worker its own
 * egress id), STORES stores of which ACTIVATING start their first import at once while the rest
 * poll with a trickle of delivered orders and a stream of redemptions runs across stores; one
 * worker is SIGKILLed at a random moment of the imports and restarted. Knobs: FLEET_* above
 * (a small run: FLEET_STORES=12 FLEET_ACTIVATING=3 FLEET_MIN_ORDERS=200 FLEET_MAX_ORDERS=600
 * FLEET_SYNC_INTERVAL_MINUTES=1 FLEET_MIN_SECONDS=60).
 */
export async function run() {
  const baseUrl = process.env.DATABASE_URL
  if (!baseUrl) throw new Error('the fleet benchmark needs PostgreSQL: set DATABASE_URL')
  const dbName = `${decodeURIComponent(new URL(baseUrl).pathname.slice(1)) || 'postgres'}_fleetbench`
  const databaseUrl = await freshDatabase(baseUrl, dbName)
  const sim = await startFleetSimulator({ perStore: 100 * SCALE, perApplication: 3000 * SCALE, perIp: IP_LIMIT })
  const [apiPort1, apiPort2] = [await freePort(), await freePort()]
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '10',
    LOG_LEVEL: 'warn',
    JWT_KEYS: 'k1:fleet-bench-secret-fleet-bench-secret-01',
    ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    SCRYPT_LOG_N: '10',
    LI_API_URL: sim.baseUrl,
    LI_APP_KEY: sim.appKey,
    // Fidelis' defaults (90 % of LI's limits), scaled as the simulator's.
    LI_REQUESTS_PER_MINUTE: String(90 * SCALE),
    LI_APP_REQUESTS_PER_MINUTE: String(2700 * SCALE),
    LI_IP_REQUESTS_PER_MINUTE: String(Math.floor(IP_LIMIT * 0.9)),
    LI_EGRESS_HEADER: EGRESS_HEADER,
    LI_SYNC_WORKERS: process.env.LI_SYNC_WORKERS ?? '8',
    SYNC_INTERVAL_MINUTES: String(INTERVAL_MIN),
    PUBLIC_URL: `http://127.0.0.1:${apiPort1}`,
    DATA_DIR: '/tmp/fidelis-fleet-bench',
  }
  const api = (n: number, port: number) =>
    startFidelis(`api${n}`, { ...env, PORT: String(port), RUN_JOBS: 'false', LI_EGRESS_ID: `egress-${n}` })
  const worker = (n: number) => startFidelis(`worker${n}`, { ...env, RUN_HTTP: 'false', LI_EGRESS_ID: `egress-${n}` })
  // The first process migrates; the others start on a migrated database.
  const procs: FidelisProcess[] = [await api(1, apiPort1)]
  procs.push(await api(2, apiPort2), await worker(1), await worker(2))
  const apiUrls = [procs[0]!.url!, procs[1]!.url!]

  const config = loadConfig({ ...process.env, ...env, LI_EGRESS_ID: 'bench-setup' })
  setPasswordHashCost(config.scryptLogN)
  const log = createLogger('warn')
  const database = await openDatabase({ databaseUrl, poolMax: 5 })
  const secrets = await loadSecrets(config)
  const jobs = new Jobs(database, log)
  const deps: AppDeps = {
    config,
    secrets,
    database,
    db: database.db,
    jwt: new JwtService(secrets.jwtKeys, config.jwtIssuer),
    jobs,
    log,
  }
  const { transport } = registerWorkers(deps)
  await jobs.start({ work: false })
  const db = database.db

  try {
    // ---- stores: seeded in the simulator, connected (not yet active) in Fidelis -----------------
    const ordersOf = (i: number) =>
      i < ACTIVATING ? Math.round(MIN_ORDERS + ((MAX_ORDERS - MIN_ORDERS) * i) / Math.max(1, ACTIVATING - 1)) : 80
    const stores: Array<{ storeId: string; programId: string; merchantId: string; big: boolean }> = []
    const connect = async (i: number) => {
      const storeId = `fleet-${i}`
      const orders = ordersOf(i)
      const seeded = await (
        await post(`${sim.baseUrl}/__sim/stores`, {
          seed: 1000 + i,
          storeId,
          customers: Math.max(40, Math.round(orders / 5)),
          orders,
          apiKey: (0xf1ee7000 + i).toString(16).padStart(20, 'a'),
        })
      ).json()
      const m = await createMerchant(db, { email: `fleet-${i}@loja.test`, password: 'fleet bench password' })
      const program = await createProgram(db, m.id, {
        name: `Loja ${i}`,
        pointsName: 'pontos',
        earnRate: 1,
        primaryColor: '#000000',
        textColor: '#ffffff',
        joiningOpen: true,
      })
      await saveIntegration(deps, m.id, program.id, {
        apiKey: seeded.apiKey,
        credentialKind: 'chave_api',
        siteUrl: 'https://www.loja.test',
        couponValidityDays: 365,
        rewardAllowlist: [],
        awardingStatusIds: [DELIVERED],
      })
      await setSalesSource(deps, m.id, program.id, 'salesRegistration', true)
      stores[i] = { storeId, programId: program.id, merchantId: m.id, big: i < ACTIVATING }
    }
    for (let i = 0; i < STORES; i += 10)
      await Promise.all(Array.from({ length: Math.min(10, STORES - i) }, (_, k) => connect(i + k)))
    const polling = stores.filter((s) => !s.big)
    const big = stores.filter((s) => s.big)
    const finishedOrders = async (ids: string[]) =>
      ids.length === 0
        ? new Map<string, Date>()
        : new Map(
            (
              await db
                .selectFrom('sync_state')
                .select(['program_id', 'last_run_finished_at'])
                .where('resource', '=', 'orders')
                .where('program_id', 'in', ids)
                .where('last_run_finished_at', 'is not', null)
                .execute()
            ).map((r) => [r.program_id, r.last_run_finished_at!]),
          )
    console.error(`${STORES} stores connected; first imports of the ${polling.length} polling stores`)
    for (const s of polling) await setActive(deps, s.merchantId, s.programId, true)
    while ((await finishedOrders(polling.map((s) => s.programId))).size < polling.length) await sleep(1000)

    // ---- redemptions: members with points in up to 20 polling stores, one reward each ----------
    const tokens = new WidgetTokens(secrets.jwtKeys, config.jwtIssuer)
    const redeemers: Array<{ programKey: string; rewardId: string; token: string }> = []
    for (const s of polling.slice(0, 20)) {
      const reward = await createReward(db, s.programId, {
        kind: 'fixed_discount',
        title: 'R$ 1 de desconto',
        pointsCost: COST,
        valueCents: 100,
        active: true,
      })
      const prog = await db
        .selectFrom('programs')
        .select('program_key')
        .where('id', '=', s.programId)
        .executeTakeFirstOrThrow()
      const members = await db
        .selectFrom('members')
        .select('id')
        .where('program_id', '=', s.programId)
        .where('balance', '>=', COST * 3)
        .limit(20)
        .execute()
      for (const mm of members)
        redeemers.push({
          programKey: prog.program_key,
          rewardId: reward.id,
          token: (await tokens.sign(s.programId, mm.id, randomUUID())).token,
        })
    }

    // ---- the measured phase ---------------------------------------------------------------------
    await fetch(`${sim.baseUrl}/__sim/rate-limit/windows`, { method: 'DELETE' })
    const t0 = Date.now()
    console.error(`activating ${big.length} stores at once; ${redeemers.length} redeemers`)
    await Promise.all(big.map((s) => setActive(deps, s.merchantId, s.programId, true)))
    let running = true
    const couponMs: number[] = []
    const redemptions = new Map<number, number>()
    const redeemLoop = (async () => {
      let n = 0
      while (running && redeemers.length) {
        const r = redeemers[n % redeemers.length]!
        const sent = Date.now()
        void post(
          `${apiUrls[n++ % 2]}/v1/widget/${r.programKey}/redemptions`,
          { rewardId: r.rewardId, idempotencyKey: `fleet-${randomUUID()}` },
          { authorization: `Bearer ${r.token}`, origin: 'https://www.loja.test' },
        )
          .then(async (res) => {
            const body = (await res.json()) as { id?: number; redemption?: { id: number } }
            const id = body.id ?? body.redemption?.id
            if (res.status === 201 && id) redemptions.set(id, sent)
          })
          .catch(() => undefined)
        await sleep(1000 / REDEMPTIONS_PER_S)
      }
    })()
    const trickles: Array<{ programId: string; numero: number; at: number; done?: number }> = []
    const trickleLoop = (async () => {
      while (running && polling.length) {
        const s = polling[Math.floor(Math.random() * polling.length)]!
        const order = await (await post(`${sim.baseUrl}/__sim/stores/${s.storeId}/orders`, {})).json()
        await post(`${sim.baseUrl}/__sim/stores/${s.storeId}/orders/${order.numero}/status`, {
          codigo: 'pedido_entregue',
        })
        trickles.push({ programId: s.programId, numero: order.numero, at: Date.now() })
        await sleep(1000 / TRICKLE_PER_S)
      }
    })()
    // Samples: connections, polling stores' staleness (since their last finished run).
    let peakConnections = 0
    let maxStoreWait = 0
    const lastFinish = await finishedOrders(polling.map((s) => s.programId))
    const sample = async () => {
      const c = await sql<{
        n: number
      }>`select count(*)::int as n from pg_stat_activity where datname = ${dbName}`.execute(db)
      peakConnections = Math.max(peakConnections, c.rows[0]!.n)
      const now = Date.now()
      for (const [id, at] of await finishedOrders(polling.map((s) => s.programId))) {
        const prev = lastFinish.get(id)
        if (prev && at.getTime() !== prev.getTime())
          maxStoreWait = Math.max(maxStoreWait, at.getTime() - prev.getTime())
        lastFinish.set(id, at)
      }
      for (const at of lastFinish.values()) maxStoreWait = Math.max(maxStoreWait, now - at.getTime() - 2000)
    }
    // SIGKILL a worker at a random moment of the imports' middle, restart it a few seconds later.
    const killAt = t0 + knob('FLEET_KILL_AFTER_S', 20 + Math.random() * 40) * 1000
    let killed = false
    for (;;) {
      await sample()
      await resolveTrickles(db, trickles)
      if (!killed && Date.now() >= killAt) {
        killed = true
        const w = procs[3]!
        console.error(`SIGKILL ${w.name} at ${Math.round((Date.now() - t0) / 1000)} s`)
        w.child.kill('SIGKILL')
        await sleep(3000)
        procs[3] = await worker(2)
      }
      const imported = (await finishedOrders(big.map((s) => s.programId))).size === big.length
      if (imported && killed && Date.now() - t0 >= MIN_SECONDS * 1000) break
      await sleep(2000)
    }
    running = false
    await Promise.all([redeemLoop, trickleLoop])
    const phaseS = (Date.now() - t0) / 1000
    console.error(`imports done after ${Math.round(phaseS)} s; draining`)
    const drainUntil = Date.now() + 10 * 60_000
    for (;;) {
      await sample()
      await resolveTrickles(db, trickles)
      const pending = await db
        .selectFrom('redemptions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow()
      if ((trickles.every((t) => t.done) && Number(pending.n) === 0) || Date.now() > drainUntil) break
      await sleep(1000)
    }
    const ids = [...redemptions.keys()]
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await db
        .selectFrom('redemptions')
        .select(['id', 'issued_at'])
        .where('id', 'in', ids.slice(i, i + 1000))
        .execute()
      for (const r of rows) if (r.issued_at) couponMs.push(r.issued_at.getTime() - redemptions.get(r.id)!)
    }
    let bad = 0
    for (const s of stores) bad += await lostOrDouble(db, sim.baseUrl, s.programId, s.storeId)
    const violations = (await (await fetch(`${sim.baseUrl}/__sim/rate-limit/violations`)).json()) as Record<
      string,
      number
    >
    const jobRows = await sql<{ n: number }>`select count(*)::int as n from pgboss.job`.execute(db)
    console.error(
      `violations ${JSON.stringify(violations)}; ${redemptions.size} redemptions, ${trickles.length} trickles`,
    )
    const toPoints = trickles.filter((t) => t.done).map((t) => (t.done! - t.at) / 1000)
    const couponP99 = p99(couponMs)
    const pointsP99 = p99(toPoints)
    console.log(
      JSON.stringify({
        bench: 'fleet',
        stores: STORES,
        limit_violations: Object.values(violations).reduce((a, b) => a + b, 0),
        coupon_p99_ms: couponP99 === null ? null : Math.round(couponP99),
        order_to_points_p99_s: pointsP99 === null ? null : Math.round(pointsP99 * 10) / 10,
        max_store_wait_s: Math.round(maxStoreWait / 1000),
        lost_or_double: bad + trickles.filter((t) => !t.done).length,
        peak_db_connections: peakConnections,
        job_rows: jobRows.rows[0]!.n,
        activating: ACTIVATING,
        scale: SCALE,
        sync_interval_s: INTERVAL_MIN * 60,
        phase_s: Math.round(phaseS),
        redemptions: redemptions.size,
        coupons_issued: couponMs.length,
      }),
    )
  } finally {
    await jobs.stop()
    transport.close()
    await database.close()
    await Promise.all(procs.map(stopFidelis))
    sim.stop()
  }
}

/** Stamps each trickled order when its points are in the ledger. */
async function resolveTrickles(
  db: AppDeps['db'],
  trickles: Array<{ programId: string; numero: number; at: number; done?: number }>,
) {
  const open = trickles.filter((t) => !t.done)
  if (open.length === 0) return
  const rows = await db
    .selectFrom('orders')
    .select(['program_id', 'external_id'])
    .where('source', '=', 'li')
    .where('points_awarded', '>', 0)
    .where((eb) =>
      eb.or(open.map((t) => eb.and([eb('program_id', '=', t.programId), eb('external_id', '=', String(t.numero))]))),
    )
    .execute()
  const now = Date.now()
  const got = new Set(rows.map((r) => `${r.program_id}:${r.external_id}`))
  for (const t of open) if (got.has(`${t.programId}:${t.numero}`)) t.done = now
}
