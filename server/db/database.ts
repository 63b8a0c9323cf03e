import fs from 'node:fs/promises'
import { Kysely, PostgresDialect, type Transaction } from 'kysely'
import pg from 'pg'
import { lockDataDir } from './lock.ts'
import type { DB } from './schema.ts'

// pg returns int8 (bigint ids, counts, sums) as strings to be safe past 2^53. Our ids and point
// sums stay far below that, and numbers everywhere are simpler and match what PGlite returns.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
// `date` columns (birth dates) stay 'YYYY-MM-DD' strings: turning them into JS Dates would shift
// them by the process' time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v)

export type Dialect = 'postgres' | 'pglite'
export type Db = Kysely<DB>
export type Trx = Transaction<DB>
/** Anything that can run a query: the database or an open transaction. */
export type Executor = Kysely<DB> | Transaction<DB>

export interface Database {
  db: Db
  /** The one pool every query goes through (PGlite: max 1, which serialises transactions). */
  pool: pg.Pool
  dialect: Dialect
  close(): Promise<void>
  /** PGlite only: the whole data folder as a tarball (test templates). */
  dump?: () => Promise<Blob>
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined
  /** PGlite folder; `memory://` for an in-memory database. */
  dataDir?: string
  poolMax?: number
  /** A `dumpDataDir()` tarball to start an in-memory PGlite from (test templates). */
  loadDataDir?: Blob
}

/**
 * The single place that chooses the dialect. Both paths end in Kysely's own PostgresDialect on
 * a `pg.Pool`: on PGlite the pool is built from `createPgConfig`, so migrations, queries and
 * pg-boss run the same code against the WASM build and a real server.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolMax ?? 10 })
    pool.on('error', () => {
      // An idle client lost its connection (e.g. the server restarted); the pool replaces it on
      // the next checkout. Without a listener node would crash the process.
    })
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    return { db, pool, dialect: 'postgres', close: () => db.destroy() }
  }

  // Loaded only here: a process on a real PostgreSQL never pays PGlite's module (~6 MB RSS).
  const [{ PGlite }, { createPgConfig }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/node-postgres'),
  ])
  const dataDir = options.dataDir ?? 'memory://'
  let unlock = () => {}
  if (!dataDir.startsWith('memory://')) {
    await fs.mkdir(dataDir, { recursive: true })
    // Before PGlite touches a file: a second process must not open a folder another one holds.
    unlock = lockDataDir(dataDir)
  }
  let pglite: InstanceType<typeof PGlite>
  try {
    pglite = await PGlite.create({
      dataDir,
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    })
  } catch (err) {
    unlock()
    throw err
  }
  // One connection: PGlite is a single backend, and a second pool (or direct pglite.query calls)
  // would interleave statements into another client's open transaction.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 })
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    pool,
    dialect: 'pglite',
    dump: () => pglite.dumpDataDir('gzip'),
    close: async () => {
      try {
        await db.destroy()
        await pglite.close()
      } finally {
        unlock()
      }
    },
  }
}
