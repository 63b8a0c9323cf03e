import { CompiledQuery } from 'kysely'
import PgBoss from 'pg-boss'
import * as v from 'valibot'
import type { Database, Executor } from '../db/database.ts'
import type { Logger } from '../lib/logger.ts'

export { defineCronQueue, defineQueue, type Handler, type Payload, type QueueDef } from './queue-def.ts'
import type { Handler, QueueDef } from './queue-def.ts'
import { InteractiveWork } from './interactive.ts'
import { executorAdapter, poolAdapter, type AdapterState } from './adapters.ts'
import { RowQueueRunner, type RowQueueControl, type RowQueueDef, type RowQueueHandlers } from './row-queue.ts'

export interface JobsOptions {
  /** Poll and run handlers in this process. */
  work: boolean
  /** Seconds between polls when a queue is empty (pg-boss minimum 0.5). */
  pollingIntervalSeconds?: number
}

/**
 * The typed job registry over pg-boss: queues are declared with `defineQueue`, handlers attached
 * with `handle`, jobs sent with `enqueue(executor, …)` — inside the caller's transaction when the
 * executor is one.
 */
export class Jobs {
  readonly boss: PgBoss
  private readonly queues = new Map<string, QueueDef<v.GenericSchema>>()
  private readonly handlers = new Map<string, Handler<any>>()
  private readonly workerIds = new Map<string, string[]>()
  private readonly adapter: AdapterState = { inFlight: new Set(), closed: false }
  private readonly repeating: Array<{ name: string; seconds: number; task: () => Promise<void> }> = []
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly running = new Set<Promise<void>>()
  private wakeTurn = 0
  private started = false
  private readonly interactive = new InteractiveWork()
  private readonly rowQueues = new Map<string, RowQueueControl>()

  constructor(
    private readonly database: Database,
    private readonly log: Logger,
  ) {
    this.boss = new PgBoss({
      db: poolAdapter(database, this.adapter),
      schema: 'pgboss',
      // Maintenance and cron leader election run in every process; pg-boss coordinates them in SQL.
      supervise: true,
      schedule: true,
      migrate: true,
      // Keep pgboss.job small however many stores sync: finished jobs move to the archive after
      // 15 minutes (pg-boss's default, 12 h, held ~100k rows at 300 stores) and leave it after 2
      // days. Failed jobs stay in the job table a day for inspection.
      archiveCompletedAfterSeconds: 15 * 60,
      archiveFailedAfterSeconds: 24 * 3600,
      deleteAfterDays: 2,
    })
    this.boss.on('error', (err) => this.log.error('job system error', { err }))
  }

  register<S extends v.GenericSchema>(queue: QueueDef<S>, handler?: Handler<QueueDef<S>>): void {
    if (this.started) throw new Error(`register queue ${queue.name} before start()`)
    this.queues.set(queue.name, queue as unknown as QueueDef<v.GenericSchema>)
    if (handler) this.handlers.set(queue.name, handler)
  }

  /**
   * A queue an earlier release had and this one does not (its work is done another way now):
   * deleted at start, with its jobs and its schedule, so its cron stops sending jobs nobody works.
   */
  retire(name: string): void {
    if (this.started) throw new Error(`retire queue ${name} before start()`)
    this.retired.add(name)
  }
  private readonly retired = new Set<string>()

  /** A row queue (see row-queue.ts) and its handlers; worked where `start({ work: true })` runs. */
  registerRowQueue<T>(queue: RowQueueDef, handlers: RowQueueHandlers<T>): void {
    if (this.started) throw new Error(`register queue ${queue.name} before start()`)
    const track = queue.interactive ? (work: () => Promise<void>) => this.interactive.track(work) : undefined
    this.rowQueues.set(queue.name, new RowQueueRunner(queue, handlers, this.log, track))
  }

  /**
   * A task every worker process runs at start, then every `seconds` after each run ends (never
   * two at once), in-process: for checks more frequent than a cron queue allows (pg-boss cron
   * runs at most once a minute). The task catches its own errors; one that throws is logged.
   */
  repeat(name: string, seconds: number, task: () => Promise<void>): void {
    if (this.started) throw new Error(`register repeating task ${name} before start()`)
    this.repeating.push({ name, seconds, task })
  }

  private startRepeating(): void {
    for (const { name, seconds, task } of this.repeating) {
      const run = () => {
        if (!this.started) return
        const p = task()
          .catch((err) => this.log.error('repeating task failed', { task: name, err }))
          .finally(() => {
            this.running.delete(p)
            if (!this.started) return
            const t = setTimeout(() => {
              this.timers.delete(t)
              run()
            }, seconds * 1000)
            this.timers.add(t)
          })
        this.running.add(p)
      }
      run()
    }
  }

  async start(options: JobsOptions): Promise<void> {
    this.adapter.closed = false
    this.interactive.open()
    await this.boss.start()
    for (const name of this.retired) {
      // pg-boss refuses to delete a queue that still has jobs (finished ones too). Processes
      // starting at once may race for it, or its cron send one more job in between: then it is
      // left for the next start.
      try {
        await this.database.pool.query('delete from pgboss.job where name = $1', [name])
        await this.boss.deleteQueue(name)
      } catch (err) {
        this.log.warn('retired queue not deleted', { queue: name, err })
      }
    }
    for (const q of this.queues.values()) {
      const def = {
        name: q.name,
        policy: q.policy ?? 'standard',
        retryLimit: q.retryLimit,
        retryDelay: q.retryDelaySeconds,
        retryBackoff: q.retryBackoff,
        expireInSeconds: q.expireInSeconds,
      }
      if (await this.boss.getQueue(q.name)) await this.boss.updateQueue(q.name, def)
      else await this.boss.createQueue(q.name, def)
      if (options.work && q.cron) await this.boss.schedule(q.name, q.cron, {}, { tz: 'America/Sao_Paulo' })
    }
    this.started = true
    if (!options.work) return
    this.startRepeating()
    for (const runner of this.rowQueues.values()) runner.start()
    for (const [name, handler] of this.handlers) {
      const q = this.queues.get(name)!
      const runOne = async (job: PgBoss.JobWithMetadata<object>) => {
        const parsed = v.safeParse(q.schema, job.data)
        if (!parsed.success) {
          this.log.error('job payload rejected', { queue: name, jobId: job.id, issue: parsed.issues[0]?.message })
          throw new Error(`invalid payload for ${name}: ${parsed.issues[0]?.message}`)
        }
        const started = performance.now()
        const meta = { id: job.id, retryCount: job.retryCount }
        try {
          if (q.interactive) await this.interactive.track(() => handler(parsed.output, meta))
          else await handler(parsed.output, meta)
          this.log.info('job done', { queue: name, jobId: job.id, ms: Math.round(performance.now() - started) })
        } catch (err) {
          this.log.warn('job failed', { queue: name, jobId: job.id, retryCount: job.retryCount, err })
          throw err
        }
      }
      const run = async (jobs: PgBoss.JobWithMetadata<object>[]) => {
        if (jobs.length === 1) return runOne(jobs[0]!) // pg-boss fails it when this throws
        // pg-boss completes a whole batch when the handler resolves and fails it whole when it
        // throws. Run the batch at once and fail the jobs that threw here, one by one, before
        // resolving: its completion only touches jobs still active, so those keep their retry.
        const results = await Promise.allSettled(jobs.map(runOne))
        await Promise.all(
          results.map(async (r, i) => {
            if (r.status === 'fulfilled') return
            // Not thrown on: that would fail the jobs that succeeded too. A job left active is
            // expired and retried by pg-boss (expireInSeconds); its handler is idempotent.
            await this.boss.fail(name, jobs[i]!.id, r.reason).catch((err) => {
              this.log.error('failed job not recorded', { queue: name, jobId: jobs[i]!.id, err })
            })
          }),
        )
      }
      const ids: string[] = []
      const interval = q.pollingIntervalSeconds ?? options.pollingIntervalSeconds ?? 2
      for (let i = 0; i < (q.workers ?? 1); i++) {
        let id = ''
        id = await this.boss.work(
          name,
          { pollingIntervalSeconds: interval, includeMetadata: true, batchSize: q.batchSize ?? 1 },
          async (jobs: PgBoss.JobWithMetadata<object>[]) => {
            try {
              await run(jobs)
            } finally {
              // pg-boss waits a polling interval after every batch, even when more jobs are queued;
              // a worker that found work fetches again at once and sleeps only when the queue is empty.
              if (jobs.length > 0 && id) this.boss.notifyWorker(id)
            }
          },
        )
        ids.push(id)
      }
      this.workerIds.set(name, ids)
    }
  }

  /**
   * Wakes one of this process's idle workers of `queue` now instead of at its next poll. Call it after
   * the transaction that enqueued a job commits (a shopper is waiting for that job).
   */
  wake(queue: Pick<QueueDef<v.GenericSchema>, 'name'>): void {
    const rows = this.rowQueues.get(queue.name)
    if (rows) return rows.wake()
    // Wakes asked in one turn of the event loop (a group commit answers a dozen redemptions at
    // once) are sent together after it: one worker per batch of jobs, in turn. A worker drains
    // the queue while it finds work (see start), so waking one per job only multiplied fetches
    // of one job each (redeem bench: 1.3 fetches per coupon).
    const ids = this.workerIds.get(queue.name)
    if (!ids?.length) return
    const asked = this.wakes.get(queue.name) ?? 0
    this.wakes.set(queue.name, asked + 1)
    if (asked > 0) return
    setImmediate(() => {
      const jobs = this.wakes.get(queue.name) ?? 1
      this.wakes.delete(queue.name)
      const per = this.queues.get(queue.name)?.batchSize ?? 1
      for (let i = 0; i < Math.min(ids.length, Math.ceil(jobs / per)); i++) {
        this.wakeTurn = (this.wakeTurn + 1) % ids.length
        this.boss.notifyWorker(ids[this.wakeTurn]!)
      }
    })
  }
  private readonly wakes = new Map<string, number>()

  /**
   * Sends a job through `executor`: pass the open transaction and the job exists only if it
   * commits. `key` (singletonKey) makes re-sends of the same logical job collapse while queued.
   */
  async enqueue<S extends v.GenericSchema>(
    executor: Executor,
    queue: QueueDef<S>,
    payload: v.InferInput<S>,
    options: { key?: string; startAfter?: Date | number; priority?: number } = {},
  ): Promise<string | null> {
    if (!this.queues.has(queue.name)) throw new Error(`queue ${queue.name} is not registered`)
    v.parse(queue.schema, payload) // fail at the sender, where the bug is
    return this.boss.send(queue.name, payload as object, {
      db: executorAdapter(executor),
      ...(options.key ? { singletonKey: options.key } : {}),
      ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
    })
  }

  /**
   * `enqueue` for a job asked now (a merchant's "sync now", an activation): a job of the same key
   * already queued for a later start (a scheduled poll) would drop the send (stately), so it is
   * moved to now instead.
   */
  async enqueueNow<S extends v.GenericSchema>(
    executor: Executor,
    queue: QueueDef<S>,
    payload: v.InferInput<S>,
    key: string,
  ): Promise<void> {
    if (await this.enqueue(executor, queue, payload, { key })) return
    await executor.executeQuery(
      CompiledQuery.raw(
        `update pgboss.job set start_after = now()
          where name = $1 and singleton_key = $2 and state = 'created' and start_after > now()`,
        [queue.name, key],
      ),
    )
  }

  /** `enqueue` of several jobs of one queue in one statement (same transaction rule; no priority). */
  async enqueueMany<S extends v.GenericSchema>(
    executor: Executor,
    queue: QueueDef<S>,
    jobs: ReadonlyArray<{ payload: v.InferInput<S>; key?: string; startAfter?: Date }>,
  ): Promise<void> {
    if (!this.queues.has(queue.name)) throw new Error(`queue ${queue.name} is not registered`)
    if (jobs.length === 0) return
    for (const j of jobs) v.parse(queue.schema, j.payload)
    await this.boss.insert(
      jobs.map((j) => ({
        name: queue.name,
        data: j.payload as object,
        ...(j.key ? { singletonKey: j.key } : {}),
        // An ISO instant (pg-boss reads a string ending in Z as a time, anything else as an interval).
        ...(j.startAfter ? { startAfter: j.startAfter.toISOString() } : {}),
      })),
      { db: executorAdapter(executor) },
    )
  }

  /**
   * Per queue: jobs waiting (created or retry, due now), running, and the age of the oldest due
   * one. One indexed scan of pg-boss's job table (the archive is not read): `GET /metrics`.
   */
  async queueStats(): Promise<Array<{ queue: string; waiting: number; active: number; oldestSeconds: number }>> {
    const res = await this.database.pool.query(
      `select name,
              count(*) filter (where state in ('created', 'retry') and start_after <= now())::int as waiting,
              count(*) filter (where state = 'active')::int as active,
              coalesce(extract(epoch from now() - min(start_after)
                filter (where state in ('created', 'retry') and start_after <= now())), 0)::float8 as oldest
         from pgboss.job where state < 'completed' group by name`,
    )
    const rows = (res as { rows: Array<{ name: string; waiting: number; active: number; oldest: number }> }).rows
    const byName = new Map(rows.map((r) => [r.name, r]))
    const jobs = [...this.queues.keys()].map((queue) => {
      const r = byName.get(queue)
      return { queue, waiting: r?.waiting ?? 0, active: r?.active ?? 0, oldestSeconds: Number(r?.oldest ?? 0) }
    })
    const ofRows = await Promise.all(
      [...this.rowQueues.values()].map(async (q) => ({ queue: q.def.name, ...(await q.stats()) })),
    )
    return [...jobs, ...ofRows]
  }

  async getJob(queue: QueueDef<v.GenericSchema>, id: string) {
    return this.boss.getJobById(queue.name, id, { includeArchive: true })
  }

  /**
   * Work a job started and does not wait for (a batched e-mail): `stop` waits for it after the
   * handlers, before the caller closes the pool. It must not reject.
   */
  background(work: Promise<void>): void {
    this.backgroundWork.add(work)
    void work.finally(() => this.backgroundWork.delete(work))
  }
  private readonly backgroundWork = new Set<Promise<void>>()

  /**
   * Resolves once this process's interactive jobs (a redemption's coupon) have been quiet for a
   * moment, or after `maxWaitMs`: for work that should not compete with them. See InteractiveWork.
   */
  whenQuiet(maxWaitMs: number): Promise<void> {
    return this.interactive.quiet(maxWaitMs)
  }

  /** Resolves when the background work started so far is done (tests read what it wrote). */
  async backgroundDone(): Promise<void> {
    await Promise.all([...this.backgroundWork])
  }

  /** Stops polling, waits for running handlers (up to timeoutMs), leaves the pool open for the caller to close. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.started) return
    this.started = false
    // Deferred work goes ahead now: stop waits for it below, and nothing is held back any more.
    this.interactive.close()
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    await within(Promise.all([...this.running, ...[...this.rowQueues.values()].map((q) => q.stop())]), timeoutMs)
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: timeoutMs })
    await within(this.backgroundDone(), timeoutMs)
    // pg-boss completes (or fails) a finished batch without awaiting it, and its stop only waits
    // for handlers: wait for those statements too, then let no more through (the runtime closes
    // the pool next; see poolAdapter).
    await Promise.allSettled([...this.adapter.inFlight])
    this.adapter.closed = true
  }
}

/** Waits for `work`, at most `ms`. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([work, new Promise((r) => (timer = setTimeout(r, ms)))])
  clearTimeout(timer)
}

/** Installs pg-boss's own schema without starting workers (bakes it into test templates). */
export async function installJobSchema(database: Database): Promise<void> {
  const boss = new PgBoss({
    db: poolAdapter(database),
    schema: 'pgboss',
    supervise: false,
    schedule: false,
    migrate: true,
  })
  await boss.start()
  await boss.stop({ graceful: false, close: false, wait: true })
}
