/**
 * How long no interactive job may have run here before deferred work goes ahead. Longer than the
 * gap between two batches of a busy coupon worker (it fetches again at once), so a burst counts
 * as one busy spell, not as many short ones.
 */
export const QUIET_MS = 200

/**
 * Interactive jobs running at once in this process from which it counts as a burst: the redeem
 * bench runs up to 200 coupon jobs at once. A steady trickle (the fleet bench: ~5 redemptions a
 * second across 300 stores, about one job at a time) holds nothing back: held for every one of
 * them, lifecycle e-mails left one per 2 s per worker, their queue grew, and the fleet's
 * order → points p99 went from 4 s to 11 s.
 */
export const BUSY_AT = 10

/**
 * This process's interactive jobs (queues marked `interactive`: a shopper waits for them) and the
 * work that gives way to them. On the redeem bench, writing the coupons' e-mails during the burst
 * (rendering, the outbox rows and their send jobs) put the last coupons ~300–400 ms later
 * (p99 ~1.5–1.7 s with them, ~1.1–1.3 s without): the shopper sees the coupon in the widget at
 * once, its e-mail can leave a moment after the burst. Per process: the coupon job writes its
 * e-mail in the process that ran it, so that is the one whose CPU and connections they share.
 */
export class InteractiveWork {
  private running = 0
  /** When the last burst ended (running fell below busyAt). */
  private endedAt = Number.NEGATIVE_INFINITY
  private closed = false
  private readonly waiters = new Set<() => void>()

  constructor(
    private readonly quietMs = QUIET_MS,
    private readonly now: () => number = () => performance.now(),
    private readonly busyAt = BUSY_AT,
  ) {}

  /** Runs one interactive job, counted while it runs. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.running++
    try {
      return await work()
    } finally {
      if (this.running-- >= this.busyAt) this.endedAt = this.now()
    }
  }

  /**
   * Resolves once this process is out of a burst of interactive jobs (fewer than `busyAt`
   * running) for `quietMs` — at once when it was in none —, after `maxWaitMs` at most (so a long
   * burst delays deferred work, it never starves it), and at once when closed (the process is
   * stopping: nothing is held back then).
   */
  quiet(maxWaitMs: number): Promise<void> {
    const until = this.now() + maxWaitMs
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(done)
        resolve()
      }
      const check = () => {
        const left = until - this.now()
        const quietFor = this.running >= this.busyAt ? 0 : this.now() - this.endedAt
        if (this.closed || quietFor >= this.quietMs || left <= 0) return done()
        timer = setTimeout(check, Math.max(1, Math.min(left, this.quietMs - quietFor)))
      }
      this.waiters.add(done)
      check()
    })
  }

  /** Stops holding work back (Jobs.stop), and releases what waits. */
  close(): void {
    this.closed = true
    for (const done of [...this.waiters]) done()
  }

  open(): void {
    this.closed = false
  }
}
