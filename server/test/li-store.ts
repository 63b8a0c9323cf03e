import type { LiFetch, LiResponse } from '../loja-integrada/http.ts'
import { saveIntegration, setActive, setSalesSource, type IntegrationDeps } from '../integrations/service.ts'
import {
  createLiSimulator,
  findStatusByCodigo,
  type LiSimulator,
  type LiSimulatorOptions,
  type SeedOptions,
  type SeededStore,
  type SimStore,
} from '../li-simulator/index.ts'
import { createMerchant } from '../merchants/service.ts'
import { createProgram } from '../programs/service.ts'
import { createTestApp, type TestApp, type TestAppOptions } from './harness.ts'

/** Delivered: final in the simulator (its progressions only leave it for a cancellation). */
export const DELIVERED = findStatusByCodigo('pedido_entregue')!.id

export interface LiTestEnv {
  t: TestApp
  sim: LiSimulator
  close(): Promise<void>
}

/**
 * A test app that reaches Loja Integrada through an in-process simulator (no rate limit of its
 * own: the app's budget is what tests exercise) whose webhooks are delivered back into the app.
 */
export async function startLiTestApp(
  opts: Omit<TestAppOptions, 'liFetch'> & { sim?: Omit<LiSimulatorOptions, 'fetch'> } = {},
): Promise<LiTestEnv> {
  const { sim: simOptions, ...appOptions } = opts
  let t: TestApp | undefined
  const sim = createLiSimulator({
    rateLimit: false,
    ...simOptions,
    fetch: async (url, init) => {
      if (!t) throw new Error('the test app is not ready')
      return t.app.request(url, init)
    },
  })
  t = await createTestApp({
    ...appOptions,
    liFetch: sim.fetch as typeof fetch,
    config: { LI_API_URL: 'http://li.test', LI_APP_KEY: sim.applicationKey, ...appOptions.config },
  })
  const app = t
  return {
    t: app,
    sim,
    close: async () => {
      await app.close()
      sim.close()
    },
  }
}

export interface ConnectStoreOptions {
  /** The simulated store (same seed = same data). Store id and credentials default to new ones. */
  seed?: Partial<SeedOptions>
  /** The program's owner (default: a new merchant). */
  merchantId?: string
  /** An existing program of `merchantId` (default: a new program, 1 point per real). */
  programId?: string
  /** Default https://www.loja.test. */
  siteUrl?: string
  /** Default [DELIVERED]. */
  awardingStatusIds?: number[]
  /** Which sales award points (default: the store's orders, `salesRegistration`). */
  sales?: 'salesRegistration' | 'erpSales' | 'none'
  /** Activate the integration (default true): registers the webhook and queues the first sync. */
  active?: boolean
}

export interface ConnectedStore {
  merchantId: string
  programId: string
  seeded: SeededStore
  store: SimStore
  apiKey: string
}

let stores = 0

/**
 * A program connected to a freshly seeded store of the LI simulator, through the integration
 * services as the admin API would (key checked against the simulator, statuses fetched), with the
 * chosen sales source and, by default, active. The admin flow itself is covered by the
 * integrations tests; the other tests start from here. `deps` must reach the simulator
 * (`liFetch: sim.fetch`, LI_API_URL) and carry its application key (LI_APP_KEY).
 */
export async function connectStore(
  deps: IntegrationDeps,
  sim: LiSimulator,
  opts: ConnectStoreOptions = {},
): Promise<ConnectedStore> {
  const n = ++stores
  const merchantId =
    opts.merchantId ??
    (
      await createMerchant(deps.db, {
        email: `lojista-${process.pid}-${n}@loja.test`,
        password: 'test merchant password',
      })
    ).id
  const programId =
    opts.programId ??
    (
      await createProgram(deps.db, merchantId, {
        name: 'Clube',
        pointsName: 'pontos',
        earnRate: 1,
        primaryColor: '#000000',
        textColor: '#ffffff',
        joiningOpen: true,
      })
    ).id
  const seeded = sim.seed({
    seed: 7,
    storeId: `loja-fixture-${n}`,
    apiKey: n.toString(16).padStart(20, 'a'),
    personalToken: n.toString(16).padStart(40, 'b'),
    ...opts.seed,
  })
  await saveIntegration(deps, merchantId, programId, {
    apiKey: seeded.apiKey,
    credentialKind: 'chave_api',
    siteUrl: opts.siteUrl ?? 'https://www.loja.test',
    couponValidityDays: 365,
    rewardAllowlist: [],
    awardingStatusIds: opts.awardingStatusIds ?? [DELIVERED],
  })
  const sales = opts.sales ?? 'salesRegistration'
  if (sales !== 'none') await setSalesSource(deps, merchantId, programId, sales, true)
  if (opts.active ?? true) await setActive(deps, merchantId, programId, true)
  return { merchantId, programId, seeded, store: seeded.store, apiKey: seeded.apiKey }
}

/**
 * Lets every POST to LI through and then answers it with `after` (a promise that never settles:
 * the worker died after its POST; a throw: the answer was lost) — the crash fixture of the
 * exactly-once coupon tests. `restore()` puts the real transport back.
 */
export function afterEachPost(
  deps: { liFetch?: LiFetch },
  after: () => Promise<LiResponse>,
): { posted(): boolean; restore(): void } {
  const real = deps.liFetch!
  let posted = false
  deps.liFetch = async (url, init) => {
    const answer = await real(url, init)
    if (init.method !== 'POST') return answer
    posted = true
    return after()
  }
  return { posted: () => posted, restore: () => void (deps.liFetch = real) }
}

/** The POST's answer never comes back: the process that sent it is gone. */
export const never = () => new Promise<LiResponse>(() => undefined)
