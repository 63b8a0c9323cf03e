import { sql } from 'kysely'
import type { Executor } from '../db/database.ts'

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

export async function deleteWindowsBefore(db: Executor, before: Date): Promise<number> {
  const res = await db.deleteFrom('rate_limits').where('window_start', '<', before).executeTakeFirst()
  return Number(res.numDeletedRows)
}
