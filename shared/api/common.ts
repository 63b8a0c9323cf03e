import * as v from 'valibot'

/** Pieces reused by several route schemas. Server and UIs both import from here. */

export const Uuid = v.pipe(v.string(), v.uuid('must be a UUID'))
export const Email = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(254),
  v.email('must be an e-mail address'),
)
export const NonEmpty = (max: number) =>
  v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max))
export const IsoDate = v.pipe(v.string(), v.isoDate('must be a date YYYY-MM-DD'))
export const HexColor = v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a2b3c'))

/** Query-string integers arrive as strings. */
export const QueryInt = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, 'must be a whole number'),
    v.transform(Number),
    v.number(),
    v.minValue(min),
    v.maxValue(max),
  )

export const DateTime = v.pipe(v.string(), v.isoTimestamp())

export const Page = <T extends v.GenericSchema>(item: T) =>
  v.object({
    items: v.array(item),
    /** Pass as `cursor` to get the next page; null on the last page. */
    nextCursor: v.nullable(v.string()),
  })

export const Ok = v.object({ ok: v.literal(true) })
