// The simulated Loja Integrada HTTP API as a Hono app (reference: /work/shared/reference/
// loja-integrada-api.md). Every request passes one gateway middleware: request log → auth →
// revoke-key fault → per-store rate limit → injected faults → handler → post-faults
// (malformed JSON, offset drift) — gateway.ts. Routes are one file per resource group
// (routes-orders.ts, routes-customers.ts, routes-coupons.ts, routes-products.ts,
// routes-webhooks.ts); paging and parameter parsing are params.ts.
//
// Choices where the reference is silent are marked "CHOICE:" (in the route files) so they are easy to find.

import { Hono } from 'hono'
import { createAdminApp } from './admin.ts'
import { FaultController } from './faults.ts'
import { defaultSleep, installGateway } from './gateway.ts'
import { pagingWithin } from './params.ts'
import { RateLimiter, type RateLimitConfig } from './rate-limit.ts'
import { RequestLog } from './request-log.ts'
import { couponRoutes } from './routes-coupons.ts'
import { customerRoutes } from './routes-customers.ts'
import { orderRoutes } from './routes-orders.ts'
import { productRoutes } from './routes-products.ts'
import { webhookRoutes } from './routes-webhooks.ts'
import { evolveStore } from './evolve.ts'
import { seedStore, type SeedOptions } from './seed.ts'
import { SimState } from './sim-state.ts'
import { offsetClock, type Clock } from './time.ts'
import { WebhookDispatcher, type FetchLike } from './webhooks.ts'
import type { SleepFn } from './gateway.ts'
import type { LiSimulator, SimEnv } from './types.ts'

export type { LiSimulator, SimEnv } from './types.ts'
export type { SleepFn } from './gateway.ts'
export { BadRequest } from './params.ts'

/** Used when no applicationKeys option is given (36 chars, UUID-like, as LI issues them). */
export const DEFAULT_APPLICATION_KEY = 'f1de1150-0000-4000-a000-00000000a11c'

export interface LiSimulatorOptions {
  /** Source of "now" for dates, rate-limit windows and the request log. Default: real time + adjustable offset. */
  clock?: Clock
  /** Accepted chave_aplicacao values. Default [DEFAULT_APPLICATION_KEY]. */
  applicationKeys?: string[]
  /** Partial config (defaults: 100/min per store, 3000/min per app, 60 s, no Retry-After) or false to disable. */
  rateLimit?: Partial<RateLimitConfig> | false
  /** Used to deliver webhooks. Default: globalThis.fetch. */
  fetch?: FetchLike
  /** Used by the `slow` fault and the `timeout` fault's cap. Default: setTimeout, abortable. */
  sleep?: SleepFn
  /** How long a `timeout` fault hangs when the client never aborts. Default 300_000 ms. */
  hangMs?: number
  /** Largest offset+limit accepted (reference §2 "deep offsets"). Default 10_000. */
  maxOffsetWindow?: number
  /** Request-log entries kept. Default 100_000. */
  requestLogLimit?: number
  /** Per-delivery webhook timeout. Default 10_000 ms. */
  webhookTimeoutMs?: number
  /** Stores to seed at start. */
  stores?: SeedOptions[]
}

export function createLiSimulator(options: LiSimulatorOptions = {}): LiSimulator {
  const clock = options.clock ?? offsetClock()
  const applicationKeys = options.applicationKeys ?? [DEFAULT_APPLICATION_KEY]
  const state = new SimState(clock, applicationKeys)
  const faults = new FaultController((ref) => state.getStore(ref)?.id)
  const requests = new RequestLog(options.requestLogLimit ?? 100_000)
  const rateLimit = new RateLimiter(options.rateLimit)
  const sleep = options.sleep ?? defaultSleep
  const hangMs = options.hangMs ?? 300_000
  const maxWindow = options.maxOffsetWindow ?? 10_000
  const webhooks = new WebhookDispatcher({
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: options.webhookTimeoutMs ?? 10_000,
    faults,
    clock,
  })
  state.onEvent = (e) => webhooks.handle(e)

  const app = new Hono<SimEnv>({ strict: false })
  installGateway(app, { state, faults, requests, rateLimit, clock, sleep, hangMs })

  // Registration order matters to Hono: /pedido/search before /pedido/:numero, and so on.
  const paging = pagingWithin(maxWindow)
  const api = new Hono<SimEnv>()
  orderRoutes(api, paging)
  customerRoutes(api, paging)
  couponRoutes(api, paging)
  productRoutes(api, paging)
  app.route('/v1', api)
  app.route('/api/v1', api)
  app.route('/webhooks/v1', webhookRoutes())

  // ------------------------------------------------------------ the simulator object

  const sim: LiSimulator = {
    app,
    state,
    clock,
    faults,
    requests,
    rateLimit,
    webhooks,
    applicationKey: applicationKeys[0] ?? DEFAULT_APPLICATION_KEY,
    fetch: async (input, init) => {
      const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined)
      if (signal?.aborted) throw signal.reason
      const target = input instanceof URL ? input.href : input
      const pending = Promise.resolve(app.request(target, init))
      if (!signal) return pending
      // Real fetch rejects as soon as the signal aborts, whatever the server is doing.
      let onAbort = () => {}
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(signal.reason)
        signal.addEventListener('abort', onAbort, { once: true })
      })
      try {
        return await Promise.race([pending, aborted])
      } finally {
        // Long-lived signals (one per sync run) must not collect a listener per request.
        signal.removeEventListener('abort', onAbort)
        aborted.catch(() => undefined)
      }
    },
    seed: (opts) => seedStore(state, opts),
    evolve: (storeRef, opts) => evolveStore(state.requireStore(storeRef), opts),
    close: () => faults.releaseHangs(),
  }

  app.route('/__sim', createAdminApp(sim))
  for (const s of options.stores ?? []) sim.seed(s)
  return sim
}
