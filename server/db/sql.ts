import { sql, type RawBuilder } from 'kysely'

type ArrayType = 'bigint' | 'integer' | 'text' | 'uuid'

/**
 * `= any($1::type[])`: one array parameter instead of an IN list of N parameters. For the
 * batches sync writes (up to ~1,000 keys) PostgreSQL parses and plans this far faster, and the
 * statement text stays the same whatever the batch size.
 */
export function anyOf<T>(values: readonly T[], type: ArrayType): RawBuilder<T> {
  return sql<T>`any(${sql.val(values)}::${sql.raw(type)}[])`
}
