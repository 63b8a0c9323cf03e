/**
 * Runs tasks with the same key one after another in this process (others run freely); tasks
 * of one key start in the order they were submitted. Not a lock: a database lock still guards
 * the data (several processes). It keeps tasks that would wait on that lock from doing so on a
 * pooled connection each — see its use in redemptions/redeem.ts.
 */
export function serialByKey() {
  const tails = new Map<string, Promise<unknown>>()
  /** `task` is told whether it waited behind an earlier task of its key. */
  return function run<T>(key: string, task: (queued: boolean) => Promise<T>): Promise<T> {
    const before = tails.get(key)
    const later = () => task(true)
    const result = before ? before.then(later, later) : task(false)
    // The tail never rejects (a failed task must not fail the next one) and is dropped once
    // nothing is queued behind it, so the map holds only keys with work in flight.
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    tails.set(key, tail)
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key)
    })
    return result
  }
}

/**
 * Callers asking for the same key while a load is in flight share its answer instead of each
 * sending their own query: an answer at most as old as the load in flight, as if they had asked
 * a few milliseconds earlier. Nothing is kept once it settles (not a cache).
 */
export function singleFlight<T>() {
  const inFlight = new Map<string, Promise<T>>()
  return function load(key: string, read: () => Promise<T>): Promise<T> {
    let p = inFlight.get(key)
    if (!p) {
      p = read().finally(() => inFlight.delete(key))
      inFlight.set(key, p)
    }
    return p
  }
}

/**
 * Items submitted while a write of earlier ones is in flight (or in the same turn of the event
 * loop) are written together when it ends, at most `max` at a time: natural batching, so nothing
 * waits at low load and batches form under load. `writeMany` answers one result per item, in
 * order. A batch that throws is tried again item by item, so one bad item fails only its own
 * caller (a batch in one transaction rolled back whole, so nothing of it stayed).
 */
export function coalesce<T, R>(
  writeMany: (items: T[]) => Promise<R[]>,
  max = 50,
  /**
   * How long the first item of a batch waits for others (default: to the end of this turn of the
   * event loop, or the end of the batch in flight). For work nobody waits on closely, where
   * fewer, larger batches are worth a few milliseconds each.
   */
  lingerMs = 0,
): (item: T) => Promise<R> {
  type Waiter = { item: T; resolve: (r: R) => void; reject: (err: unknown) => void }
  const queue: Waiter[] = []
  let busy = false
  let scheduled = false
  const one = (w: Waiter) => writeMany([w.item]).then((r) => w.resolve(r[0] as R), w.reject)
  const flush = async () => {
    scheduled = false
    if (busy || queue.length === 0) return
    busy = true
    const batch = queue.splice(0, max)
    try {
      const results = await writeMany(batch.map((w) => w.item))
      batch.forEach((w, i) => {
        w.resolve(results[i] as R)
      })
    } catch (err) {
      if (batch.length === 1) batch[0]!.reject(err)
      else await Promise.all(batch.map(one))
    } finally {
      busy = false
      if (queue.length >= max || (queue.length > 0 && lingerMs === 0)) void flush()
      else if (queue.length > 0) schedule()
    }
  }
  const schedule = () => {
    scheduled = true
    if (lingerMs > 0) setTimeout(flush, lingerMs)
    else setImmediate(flush)
  }
  return (item: T) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject })
      if (!busy && !scheduled) schedule()
    })
}

/** One `make(key)` per key object, dropped with it: per-database batchers in tests with several databases. */
export function perObject<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>()
  return (key) => {
    let v = made.get(key)
    if (v === undefined) made.set(key, (v = make(key)))
    return v
  }
}

/**
 * `coalesce` per key (a program): items of one key are written together, keys apart. Keys are
 * few (programs); the map is a bound, not an LRU.
 */
export function coalesceByKey<T, R>(
  writeMany: (key: string, items: T[]) => Promise<R[]>,
  max = 50,
): (key: string, item: T) => Promise<R> {
  const byKey = new Map<string, (item: T) => Promise<R>>()
  return (key, item) => {
    let write = byKey.get(key)
    if (!write) {
      if (byKey.size >= 10_000) byKey.clear()
      byKey.set(key, (write = coalesce((items: T[]) => writeMany(key, items), max)))
    }
    return write(item)
  }
}
