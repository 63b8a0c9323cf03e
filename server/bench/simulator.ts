import { updateCashbackRules } from '../cashback/service.ts'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { saveIntegration, setActive, setSalesSource } from '../integrations/service.ts'
import { createProgram } from '../programs/service.ts'
import type { TestApp } from '../test/harness.ts'

/** The LI simulator in its own process over real HTTP, for benchmarks (its CPU and memory are not ours). */
export interface SimProcess {
  baseUrl: string
  apiKey: string
  appKey: string
  storeId: string
  stop(): void
}

export async function startSimulator(env: { customers: number; orders: number; seed?: number }): Promise<SimProcess> {
  // BENCH_NODE_ARGS (see fleet-procs.ts) reaches the simulator too.
  const extra = process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', 'server/li-simulator/main.ts'], {
    env: {
      ...process.env,
      LI_SIM_PORT: '0',
      LI_SIM_RATE_LIMIT: 'off',
      LI_SIM_CUSTOMERS: String(env.customers),
      LI_SIM_ORDERS: String(env.orders),
      LI_SIM_SEED: String(env.seed ?? 2026),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  // Never leave the fake store running behind us, whatever happens to this process.
  process.once('exit', () => child.kill('SIGKILL'))
  const lines = createInterface({ input: child.stdout! })
  const first = await new Promise<any>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)))
    lines.once('line', (l) => resolve(JSON.parse(l)))
  })
  return {
    baseUrl: first.baseUrl,
    apiKey: first.chave_api,
    appKey: first.chave_aplicacao,
    storeId: first.storeId,
    stop: () => child.kill('SIGTERM'),
  }
}

export async function fetchJson(url: string, headers: Record<string, string> = {}, body?: unknown): Promise<any> {
  const res = await fetch(
    url,
    body === undefined
      ? { headers }
      : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
  )
  if (!res.ok) throw new Error(`${url} → ${res.status}`)
  return res.json()
}

/**
 * A merchant, a program and its active integration on the simulator's store (awarding
 * "pedido_entregue"), through the same services the admin API uses.
 */
export async function benchProgram(
  t: TestApp,
  sim: SimProcess,
  opts: { email: string; salesRegistration: boolean; mode?: 'points' | 'cashback' },
) {
  const m = await t.merchant(opts.email)
  const program = await createProgram(t.deps.db, m.id, {
    name: 'Bench',
    mode: opts.mode ?? 'points',
    pointsName: 'pontos',
    earnRate: 1,
    primaryColor: '#000000',
    textColor: '#ffffff',
    joiningOpen: true,
  })
  const statuses = await fetchJson(`${sim.baseUrl}/v1/situacao/?limit=50`, {
    authorization: `chave_api ${sim.apiKey} aplicacao ${sim.appKey}`,
  })
  const awarding = statuses.objects.filter((s: any) => s.codigo === 'pedido_entregue').map((s: any) => s.id as number)
  await saveIntegration(t.deps, m.id, program.id, {
    apiKey: sim.apiKey,
    credentialKind: 'chave_api',
    siteUrl: 'https://www.loja.test',
    couponValidityDays: 365,
    rewardAllowlist: [],
    awardingStatusIds: awarding,
  })
  // The example store: 10 % back; the sync then also checks for program coupons.
  if (opts.mode === 'cashback')
    await t.deps.db
      .transaction()
      .execute((trx) => updateCashbackRules(trx, program.id, { percentBp: 1000, maxOrderSharePct: 30 }))
  if (opts.salesRegistration) await setSalesSource(t.deps, m.id, program.id, 'salesRegistration', true)
  await setActive(t.deps, m.id, program.id, true)
  return { merchant: m, program }
}
