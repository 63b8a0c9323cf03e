import { sql } from 'kysely'
import type { Db, Executor } from '../db/database.ts'

/** Adds `by` hits to the key's window and returns the new count (one round trip, race-free). */
export async function incrementWindow(db: Executor, key: string, windowStart: Date, by = 1): Promise<number> {
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart, count: by })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ count: sql`rate_limits.count + ${by}` }))
    .returning('count')
    .executeTakeFirstOrThrow()
  return row.count
}

export interface WindowWant {
  key: string
  /** Most hits this window may hold. */
  limit: number
}

export interface WindowClaim {
  /** Hits added to every key (0..want). */
  granted: number
  /** Keys that had the least room, when they left less than `want` (the budget that held us back). */
  short: string[]
}

/**
 * Takes up to `want` hits from every key's window at once, or none: one transaction that locks
 * the keys' rows (in key order, so two claims never deadlock), reads their counts, and adds the
 * same number to each — the most every limit still allows. Nothing is ever taken from one budget
 * without the others, so no refund is needed.
 */
export async function claimWindows(db: Db, windowStart: Date, wants: WindowWant[], want: number): Promise<WindowClaim> {
  const sorted = [...wants].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return db.transaction().execute(async (trx) => {
    // A no-op update on conflict still locks the existing row, and returns its current count.
    const rows = await trx
      .insertInto('rate_limits')
      .values(sorted.map((w) => ({ key: w.key, window_start: windowStart, count: 0 })))
      .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ count: sql`rate_limits.count` }))
      .returning(['key', 'count'])
      .execute()
    const count = new Map(rows.map((r) => [r.key, r.count]))
    const room = sorted.map((w) => ({ key: w.key, room: Math.max(0, w.limit - (count.get(w.key) ?? 0)) }))
    const least = Math.min(...room.map((r) => r.room))
    const granted = Math.min(want, least)
    if (granted > 0) {
      await trx
        .updateTable('rate_limits')
        .set({ count: sql`count + ${granted}` })
        .where('window_start', '=', windowStart)
        .where(
          'key',
          'in',
          sorted.map((w) => w.key),
        )
        .execute()
    }
    return { granted, short: least < want ? room.filter((r) => r.room === least).map((r) => r.key) : [] }
  })
}

export async function deleteWindowsBefore(db: Executor, before: Date): Promise<number> {
  const res = await db.deleteFrom('rate_limits').where('window_start', '<', before).executeTakeFirst()
  return Number(res.numDeletedRows)
}
