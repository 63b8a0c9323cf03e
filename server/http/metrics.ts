import { timingSafeEqual } from 'node:crypto'
import type { Hono, MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import { Gauge } from 'prom-client'
import type { AppDeps } from '../deps.ts'
import { httpDuration, metricsRegistry } from '../lib/metrics.ts'
import type { AppEnv } from './context.ts'

/**
 * HTTP latency by route pattern (`/v1/programs/:programId/members`, never the raw path: ids
 * would make a series per member). A request no route matched counts as `unmatched`.
 */
export function httpMetrics(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now()
    await next()
    const pattern = routePath(c, -1)
    const route = !pattern || pattern === '*' || pattern === '/*' ? 'unmatched' : pattern
    const status = `${Math.floor(c.res.status / 100)}xx`
    httpDuration.observe({ route, method: c.req.method, status }, (performance.now() - started) / 1000)
  }
}

const tokenMatches = (given: string, expected: string) => {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

let queueGauges: { waiting: Gauge<'queue'>; active: Gauge<'queue'>; age: Gauge<'queue'> } | undefined

/**
 * `GET /metrics`, Prometheus text format, with `Authorization: Bearer <METRICS_TOKEN>`. Without
 * METRICS_TOKEN the route does not exist (404, as any unknown path: nothing to probe); a missing
 * or wrong token answers 401. Queue depth and age are read from pg-boss's table at each scrape.
 */
export function registerMetricsRoute(app: Hono<AppEnv>, deps: AppDeps): void {
  const token = deps.config.metricsToken
  if (!token) return
  // One set of gauges per process (the registry is the process's); the latest app's jobs answer.
  let stats: ReturnType<AppDeps['jobs']['queueStats']> | undefined
  const read = () => (stats ??= deps.jobs.queueStats().finally(() => (stats = undefined)))
  for (const name of ['fidelis_job_queue_waiting', 'fidelis_job_queue_active', 'fidelis_job_queue_oldest_seconds'])
    metricsRegistry.removeSingleMetric(name)
  queueGauges = {
    waiting: new Gauge({
      name: 'fidelis_job_queue_waiting',
      help: 'Jobs due and not started, by queue (same in every process: read with max).',
      labelNames: ['queue'],
      registers: [metricsRegistry],
      async collect() {
        for (const s of await read()) this.set({ queue: s.queue }, s.waiting)
      },
    }),
    active: new Gauge({
      name: 'fidelis_job_queue_active',
      help: 'Jobs running, by queue.',
      labelNames: ['queue'],
      registers: [metricsRegistry],
      async collect() {
        for (const s of await read()) this.set({ queue: s.queue }, s.active)
      },
    }),
    age: new Gauge({
      name: 'fidelis_job_queue_oldest_seconds',
      help: 'Age of the oldest due job not started, by queue (0 when none waits).',
      labelNames: ['queue'],
      registers: [metricsRegistry],
      async collect() {
        for (const s of await read()) this.set({ queue: s.queue }, s.oldestSeconds)
      },
    }),
  }
  app.get('/metrics', async (c) => {
    const auth = c.req.header('authorization') ?? ''
    const given = auth.startsWith('Bearer ') ? auth.slice(7) : ''
    if (!tokenMatches(given, token)) {
      c.header('WWW-Authenticate', 'Bearer')
      return c.text('unauthorized', 401)
    }
    return c.body(await metricsRegistry.metrics(), 200, { 'content-type': metricsRegistry.contentType })
  })
}
