/**
 * Runs tasks with the same key one after another in this process (others run freely); tasks
 * of one key start in the order they were submitted. Not a lock: a database lock still guards
 * the data (several processes). It keeps tasks that would wait on that lock from doing so on a
 * pooled connection each — see its use in redemptions/redeem.ts.
 */
export function serialByKey() {
  const tails = new Map<string, Promise<unknown>>()
  return function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = tails.get(key)
    const result = before ? before.then(task, task) : task()
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
