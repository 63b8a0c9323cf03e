import { sql, type RawBuilder, type Transaction } from 'kysely'
import type { DB } from './schema.ts'

type ArrayType = 'bigint' | 'integer' | 'text' | 'uuid'

/**
 * `= any($1::type[])`: one array parameter instead of an IN list of N parameters. For the
 * batches sync writes (up to ~1,000 keys) PostgreSQL parses and plans this far faster, and the
 * statement text stays the same whatever the batch size.
 */
export function anyOf<T>(values: readonly T[], type: ArrayType): RawBuilder<T> {
  return sql<T>`any(${sql.val(values)}::${sql.raw(type)}[])`
}

/**
 * Holds an advisory lock named `key` until the transaction ends (commit or rollback), across
 * processes: what needs to be one step (read a count, then write past it) runs one at a time.
 */
export async function transactionLock(trx: Transaction<DB>, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`fidelis:${key}`}, 0))`.execute(trx)
}
