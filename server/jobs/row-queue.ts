import type { Logger } from '../lib/logger.ts'

/**
 * A queue whose jobs are rows of the feature's own table (a pending redemption is its coupon
 * job): the feature claims due rows with a lease in one statement (`claim`), runs each, and the
 * row's state says what is left. No second record of the same work to keep in step with it.
 * pg-boss's job per redemption cost three statements of its own per coupon batch (its insert in
 * the redemption's transaction, its fetch, its completion) — a quarter of PostgreSQL's time on
 * the redeem bench — and its fetch sorts every queued job of the queue.
 */
export interface RowQueueDef {
  name: string
  /** Rows claimed per statement, at most. */
  batchSize: number
  /** Rows running at once in one process. */
  concurrency: number
  /** How often an idle process looks for due rows (other processes' rows, retries coming due). */
  pollMs: number
  /**
   * How soon it looks again after a claim found some rows but not a full batch: more are likely
   * being committed (a burst of redemptions answered by another process), and a claim of the
   * few that came meanwhile is one statement for all of them.
   */
  busyPollMs: number
  /** A shopper waits for these jobs (see Jobs.whenQuiet). */
  interactive?: boolean
}

export interface RowQueueHandlers<T> {
  /** Leases up to `limit` due rows and answers them; a row is claimed by one worker only. */
  claim(limit: number): Promise<T[]>
  /** Runs one claimed row. Throws only what it did not expect (logged); the row's lease decides what follows. */
  run(row: T): Promise<void>
  /** For GET /metrics: rows due and unclaimed, claimed, the age of the oldest due one. */
  stats(): Promise<{ waiting: number; active: number; oldestSeconds: number }>
}

/** How soon a process tries to claim again after a claim failed. */
const ERROR_RETRY_MS = 5_000

export function defineRowQueue(def: RowQueueDef): RowQueueDef {
  return def
}

/** What Jobs holds of a runner, whatever its rows' type. */
export interface RowQueueControl {
  readonly def: RowQueueDef
  start(): void
  wake(): void
  stop(): Promise<void>
  stats(): ReturnType<RowQueueHandlers<unknown>['stats']>
}

/**
 * Runs one row queue in this process: claims while it finds rows and has room, then sleeps
 * until `wake` (a row committed here) or the next poll.
 */
export class RowQueueRunner<T> implements RowQueueControl {
  private running = 0
  /** The last pump stopped for want of room, not of rows: a finished row makes room. */
  private capped = false
  private pumping = false
  private again = false
  private stopped = true
  private timer: NodeJS.Timeout | undefined
  private readonly inFlight = new Set<Promise<void>>()
  private pumped: Promise<void> = Promise.resolve()

  constructor(
    readonly def: RowQueueDef,
    readonly handlers: RowQueueHandlers<T>,
    private readonly log: Logger,
    private readonly track: (work: () => Promise<void>) => Promise<void> = (work) => work(),
  ) {}

  stats() {
    return this.handlers.stats()
  }

  start(): void {
    this.stopped = false
    this.wake()
  }

  /** Look for rows now (they were just committed); a claim in flight looks again after it. */
  wake(): void {
    if (this.stopped) return
    if (this.pumping) {
      this.again = true
      return
    }
    this.pumped = this.pump()
  }

  private async pump(): Promise<void> {
    this.pumping = true
    clearTimeout(this.timer)
    let found = 0
    let failed = false
    try {
      do {
        this.again = false
        for (;;) {
          this.capped = this.running >= this.def.concurrency
          if (this.stopped || this.capped) break
          const limit = Math.min(this.def.batchSize, this.def.concurrency - this.running)
          const rows = await this.handlers.claim(limit)
          found += rows.length
          for (const row of rows) this.runOne(row)
          if (rows.length < limit) break
        }
      } while (this.again && !this.stopped)
    } catch (err) {
      failed = true
      this.log.warn('row queue claim failed; trying again in a few seconds', { queue: this.def.name, err })
    } finally {
      this.pumping = false
      if (!this.stopped && !this.capped) {
        // The database down (a restart, a failover): one warning every few seconds, not five a second.
        const next = failed ? ERROR_RETRY_MS : found > 0 ? this.def.busyPollMs : this.def.pollMs
        this.timer = setTimeout(() => this.wake(), next)
      }
    }
  }

  private runOne(row: T): void {
    this.running++
    const p = this.track(() => this.handlers.run(row))
      .catch((err) => this.log.warn('row queue job failed', { queue: this.def.name, err }))
      .finally(() => {
        this.running--
        this.inFlight.delete(p)
        // Room again after running full: claim more at once rather than at the next poll.
        if (this.capped) this.wake()
      })
    this.inFlight.add(p)
  }

  /** Stops claiming and waits for the rows running (their leases lapse if the process dies instead). */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    // The claim in flight may still start rows; then every row it started.
    await this.pumped
    while (this.inFlight.size) await Promise.all([...this.inFlight])
  }
}
