import * as v from 'valibot'
import { defineQueue } from '../jobs/jobs.ts'

/**
 * One attempt of one delivery. `attempt` is the number of attempts made before this one: a job
 * whose count no longer matches (a "reenviar" or another job got there first) does nothing.
 * HTTP failures are not thrown: the handler records them and sends the next attempt itself, with
 * its own schedule (rules.ts), so the log can show when the next retry is. pg-boss's retries only
 * cover a crash of the handler.
 */
export const deliveryQueue = defineQueue({
  name: 'webhook-delivery',
  schema: v.object({ deliveryId: v.number(), attempt: v.number() }),
  retryLimit: 5,
  retryDelaySeconds: 30,
  retryBackoff: true,
  expireInSeconds: 120,
  workers: 4,
})
