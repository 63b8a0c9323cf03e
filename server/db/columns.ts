import type { ColumnType } from 'kysely'

/** Column types shared by the schema files: timestamps read as Date, written as Date or ISO text. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** Set by the database on insert (default now()), never updated. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>
