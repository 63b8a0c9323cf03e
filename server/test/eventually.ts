import { inspect } from 'node:util'

export interface EventuallyOptions {
  /** Give up after this long (default 30 s; the runner's own timeout is 180 s per test). */
  timeoutMs?: number
  /** Longest pause between probes. Probing starts at 5 ms and backs off to this (default 100 ms). */
  maxIntervalMs?: number
}

/** What a truthy probe result can be. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>

/**
 * Polls `probe` until it returns a truthy value, and returns that value. Tests wait on a state
 * (a row's status, a job's state, a message received) with this, never with a fixed sleep: a
 * fixed sleep is either too long (the suite waits for nothing) or too short (a flaky test).
 *
 * A probe that throws counts as "not yet" (so an assertion can be the probe); on timeout the
 * error names `what` and shows the last value or error the probe gave.
 */
export async function eventually<T>(
  what: string,
  probe: () => T | Promise<T>,
  opts: EventuallyOptions = {},
): Promise<Truthy<T>> {
  const timeoutMs = opts.timeoutMs ?? 30_000
  const maxIntervalMs = opts.maxIntervalMs ?? 100
  const started = Date.now()
  let interval = 5
  let last: { value: unknown } | { error: unknown } = { value: undefined }
  for (;;) {
    try {
      const value = await probe()
      if (value) return value as Truthy<T>
      last = { value }
    } catch (error) {
      last = { error }
    }
    if (Date.now() - started >= timeoutMs) {
      const seen =
        'error' in last
          ? `last error: ${last.error instanceof Error ? last.error.message : inspect(last.error)}`
          : `last value: ${inspect(last.value, { depth: 3, breakLength: Infinity })}`
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what} (${seen})`,
        'error' in last ? { cause: last.error } : undefined,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, interval))
    interval = Math.min(maxIntervalMs, interval * 2)
  }
}
