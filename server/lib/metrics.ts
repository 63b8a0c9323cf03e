import { Counter, Histogram, Registry } from 'prom-client'

/**
 * The process's Prometheus metrics (prom-client), served at `GET /metrics`. Each process keeps its
 * own registry — counters are not summed in the database — so Prometheus scrapes every API and
 * worker process and sums them itself (`sum by (…)`); gauges read from the database (queue depth)
 * are the same in every process and are read with `max`.
 *
 * Defined here, low in the layers, so the LI connector, the job runner and the mail sender can
 * count without knowing about HTTP.
 */
export const metricsRegistry = new Registry()

export const httpDuration = new Histogram({
  name: 'fidelis_http_request_duration_seconds',
  help: 'HTTP request latency by route pattern (never the raw path), method and status class.',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
})

export const liRequests = new Counter({
  name: 'fidelis_li_requests_total',
  help: 'HTTP attempts to Loja Integrada by priority class and outcome (2xx, 4xx, 429, 5xx, timeout, network).',
  labelNames: ['priority', 'outcome'] as const,
  registers: [metricsRegistry],
})

export const liRateLimited = new Counter({
  name: 'fidelis_li_rate_limited_total',
  help: '429 answers from Loja Integrada by the budget LI named (store 633, app 533, ip 133; unknown otherwise).',
  labelNames: ['budget'] as const,
  registers: [metricsRegistry],
})

export const liBudgetWaits = new Counter({
  name: 'fidelis_li_budget_waits_total',
  help: 'Times a request waited for the next budget window, by the budget that was spent and priority class.',
  labelNames: ['budget', 'priority'] as const,
  registers: [metricsRegistry],
})

export const syncLag = new Histogram({
  name: 'fidelis_sync_lag_seconds',
  help: "Per finished sync run: seconds between the store's previous run start and this run's end (how stale a store got).",
  buckets: [30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 21600, 86400],
  registers: [metricsRegistry],
})

export const emailsSent = new Counter({
  name: 'fidelis_emails_total',
  help:
    'Outbox e-mails by result: sent (handed to the mail server), failed (given up: permanent refusal or last ' +
    'attempt), retried (an attempt failed, another follows).',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
})
