import { CompiledQuery } from 'kysely'
import type PgBoss from 'pg-boss'
import type { Database, Executor } from '../db/database.ts'

/**
 * pg-boss reaches the database through our one pool on both dialects. Parameterless SQL (its
 * schema install and migrations) is several statements sent with the simple protocol; those come
 * back as one result per statement, which we flatten into a single `rows`.
 */
export function poolAdapter(
  database: Database,
  state: AdapterState = { inFlight: new Set(), closed: false },
): PgBoss.Db {
  const run = async (text: string, values?: unknown[]) => {
    const res: unknown = values?.length ? await database.pool.query(text, values) : await database.pool.query(text)
    if (Array.isArray(res)) return { rows: res.flatMap((r: { rows?: unknown[] }) => r.rows ?? []) }
    return res as { rows: unknown[] }
  }
  return {
    executeSql: (text, values) => {
      // After stop: a handler that outlived it finishing now. pg-boss would complete or fail its
      // job on a closed pool without awaiting it (an unhandled rejection that kills the process);
      // nothing is written instead (pg-boss reads an answer without rows as "none affected"), and
      // the job, still active, is retried after it expires.
      if (state.closed) return Promise.resolve({} as { rows: unknown[] })
      const p = run(text, values)
      state.inFlight.add(p)
      const forget = () => state.inFlight.delete(p)
      p.then(forget, forget)
      return p
    },
  }
}

export interface AdapterState {
  /** pg-boss's statements not yet answered. */
  inFlight: Set<Promise<unknown>>
  closed: boolean
}

/** Runs pg-boss's SQL on the caller's connection, so a job sent here commits or rolls back with it. */
export function executorAdapter(db: Executor): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      const res = await db.executeQuery(CompiledQuery.raw(text, values ?? []))
      return { rows: res.rows as unknown[] }
    },
  }
}
