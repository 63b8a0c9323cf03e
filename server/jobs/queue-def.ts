import * as v from 'valibot'

/** What a queue is (jobs.ts runs them): its name, payload schema, retries and workers. */
export interface QueueDef<S extends v.GenericSchema> {
  name: string
  /** Payloads are validated in the worker: a job written by an older release fails loudly. */
  schema: S
  retryLimit: number
  retryDelaySeconds: number
  retryBackoff: boolean
  expireInSeconds: number
  policy?: 'standard' | 'short' | 'singleton' | 'stately'
  /** Cron (São Paulo time) for recurring runs. */
  cron?: string
  /** Workers per process polling this queue; default 1. */
  workers?: number
  /**
   * Jobs each worker fetches per poll and runs at once (default 1: one at a time). A job that
   * throws is failed (and retried) alone; the others of its batch complete.
   */
  batchSize?: number
  /** Seconds between polls of an empty queue; default the process's setting. */
  pollingIntervalSeconds?: number
  /**
   * A shopper waits for these jobs: work nobody waits for gives way to them (`Jobs.whenQuiet`).
   */
  interactive?: boolean
}

export type Payload<Q> = Q extends QueueDef<infer S> ? v.InferOutput<S> : never
export type Handler<Q> = (payload: Payload<Q>, job: { id: string; retryCount: number }) => Promise<void>

export function defineQueue<S extends v.GenericSchema>(def: QueueDef<S>): QueueDef<S> {
  return def
}

const NO_PAYLOAD = v.object({})

/**
 * A recurring job on a cron (São Paulo time): no payload, one run at a time ('singleton'; each
 * handler is idempotent anyway). Only what differs between them is declared: how often, how long
 * a run may take and how it retries.
 */
export function defineCronQueue(
  def: Pick<
    QueueDef<typeof NO_PAYLOAD>,
    'name' | 'retryLimit' | 'retryDelaySeconds' | 'retryBackoff' | 'expireInSeconds'
  > & { cron: string },
): QueueDef<typeof NO_PAYLOAD> {
  return { ...def, schema: NO_PAYLOAD, policy: 'singleton' }
}
