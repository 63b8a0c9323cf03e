// The simulator's public shape and its Hono environment, apart from app.ts so that admin.ts
// (mounted by app.ts) can name them without importing app.ts back.

import type { Hono } from 'hono'
import type { FaultController } from './faults.ts'
import type { RateLimiter } from './rate-limit.ts'
import type { RequestLog } from './request-log.ts'
import type { EvolveOptions, EvolveResult } from './evolve.ts'
import type { SeededStore, SeedOptions } from './seed.ts'
import type { SimState } from './sim-state.ts'
import type { OrderFilter, OrderSortField, SimOrder, SimStore, Sliceable, Sort } from './store.ts'
import type { Clock } from './time.ts'
import type { FetchLike, WebhookDispatcher } from './webhooks.ts'

export interface LiSimulator {
  /** The Hono app: mount it, serve it, or call `app.request(...)` in tests. */
  app: Hono<SimEnv>
  state: SimState
  clock: Clock
  faults: FaultController
  requests: RequestLog
  rateLimit: RateLimiter
  webhooks: WebhookDispatcher
  /** The first accepted application key (what a partner app would hold). */
  applicationKey: string
  /**
   * fetch-compatible entry into the app, for injecting into an LI client: accepts absolute
   * URLs on any host, honours `init.signal` (rejects with the abort reason like real fetch).
   */
  fetch: FetchLike
  /** Seed (or re-seed) a store; see seedStore. */
  seed(opts: SeedOptions): SeededStore
  /** Evolve a store by id or credential; see evolveStore. */
  evolve(storeRef: string, opts: EvolveOptions): EvolveResult
  /** Release hanging requests; call when a test ends. */
  close(): void
}

type SimVars = {
  store: SimStore
  credential: string
  page: ServedPage | undefined
}
export type SimEnv = { Variables: SimVars }

/** What a pedido list served, kept so offset drift can act relative to it. */
export interface ServedPage {
  filter: OrderFilter
  sort: Sort<OrderSortField>
  offset: number
  served: SimOrder[]
  result: Sliceable<SimOrder>
}
