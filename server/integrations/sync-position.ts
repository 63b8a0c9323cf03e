import type { SyncResource } from '../db/schema.ts'
import type { LiCustomer, LiOrderSummary, LiPage } from '../loja-integrada/types.ts'

// The pure half of the LI sync (sync.ts): where a pass stands and how one page moves it on. No
// I/O here, so the listing-order proofs are tested page by page (sync.test.ts).

/**
 * How far behind the stored cursor each run starts again. LI's own clock stamps
 * data_modificacao, but writes become visible out of order (a long transaction commits after a
 * later one), and LI's web clock (the Date header the orders cursor is taken from) may differ
 * from its database's a little: re-reading 10 minutes costs a page or two and catches them.
 * Replays are harmless — applying an order is state-based.
 */
export const OVERLAP_MS = 10 * 60_000

/** LI rejects offset + limit above ~10,000: a listing longer than this is narrowed, never skipped. */
export const MAX_OFFSET = 9_900

/** A window whose listing shifted while it was paged is paged again this often, then narrowed. */
const MAX_REPAGES = 2

/** The created-at floor of an unbounded window being narrowed (no LI store has older orders). */
const CREATED_FLOOR = Date.UTC(2000, 0, 1)

export const ORDER_PAGE = 50 // the documented maximum of /pedido/search

/**
 * Where a run stands, persisted in sync_state.run_next after every page in the same transaction
 * as the page's effects — so a run killed anywhere resumes from the last committed page and
 * re-applies at most one page (idempotently).
 *
 * The order of /pedido/search is undocumented, so the orders pass never trusts it:
 * - `numero` (first import) walks since_numero, and only while every page proves the listing is
 *   in numero order and honours the filter: numeros above the position, ascending, and the
 *   previous page's total minus this one's no more than what the previous page held (otherwise
 *   something listed later was skipped). A page failing that — e.g. one that brings nothing past
 *   the position because since_numero is ignored — switches the pass to `window`, once, and the
 *   run's counts say so (`listingFallback`).
 * - `window` pages the whole since_atualizado listing (all orders changed since the pass's
 *   floor) by offset, one created-at range at a time, and a range counts as read only when the
 *   distinct numeros read reach the listing's total_count: the set of orders changed since a
 *   fixed instant only grows, so that equality means nothing was missed however the listing is
 *   ordered or shifts while paged (`repaged` when not; after MAX_REPAGES, or when the listing is
 *   longer than LI lets us page, the range is halved by since_criado/until_criado: `narrowed`).
 * The orders cursor then moves to LI's clock (Date header) at the pass's first page: everything
 * changed before it was read in a state at least that recent, and anything changed while the
 * pass ran is at or after it. Customers (`time`) are listed with order_by=data_modificacao,
 * which LI documents for /cliente: they walk since_atualizado, with `skip` stepping over the
 * items of the anchor second already read (LI filters by whole seconds).
 */
export type Position =
  | { mode: 'numero'; after: number; maxSeen: string | null; liNow?: string | null; total?: number; len?: number }
  | { mode: 'time'; since: string | null; skip: number; maxSeen: string | null }
  | WindowPosition

export interface WindowPosition {
  mode: 'window'
  /** since_atualizado of the pass; null reads every order (a first import). */
  since: string | null
  /** The created-at range being paged, [from, to) (null: unbounded), and the ranges left. */
  from: string | null
  to: string | null
  rest: Array<[string | null, string | null]>
  offset: number
  /** Distinct numeros read in this range, ascending. */
  ids: number[]
  repaged: number
  maxSeen: string | null
  /** LI's clock at the pass's first page: the cursor once the pass is read. */
  liNow: string | null
}

/** Events of a pass worth telling the merchant, counted in the run's counts. */
export type PassNote = 'listingFallback' | 'repaged' | 'narrowed'

/** The position after a page (null: the pass is read), and what happened, if notable. */
export interface Step {
  next: Position | null
  note?: PassNote
}

export type Page = LiPage<LiOrderSummary> | LiPage<LiCustomer>

/** Where a run starts: the first import by numero, later passes from the cursor less OVERLAP_MS. */
export function startPosition(resource: SyncResource, cursor: Date | null): Position {
  if (resource === 'orders' && cursor === null) return { mode: 'numero', after: 0, maxSeen: null, liNow: null }
  const since = cursor ? new Date(wholeSecond(new Date(cursor.getTime() - OVERLAP_MS))).toISOString() : null
  if (resource === 'orders') return windowPass(since, null, null)
  return { mode: 'time', since, skip: 0, maxSeen: null }
}

function windowPass(since: string | null, maxSeen: string | null, liNow: string | null): WindowPosition {
  return { mode: 'window', since, from: null, to: null, rest: [], offset: 0, ids: [], repaged: 0, maxSeen, liNow }
}

const wholeSecond = (d: Date) => Math.floor(d.getTime() / 1000) * 1000

/** The position after `page` (null when the pass has read everything), and any notable event. Pure. */
export function advance(pos: Position, page: Page, maxOffset = MAX_OFFSET): Step {
  const items = page.items as Array<LiOrderSummary | LiCustomer>
  const newest = newestSeen(pos, page)
  const maxSeen = newest ? newest.toISOString() : null
  if (pos.mode === 'numero') return advanceNumero(pos, page as LiPage<LiOrderSummary>, maxSeen)
  if (pos.mode === 'window') return advanceWindow(pos, page as LiPage<LiOrderSummary>, maxSeen, maxOffset)
  if (!page.next || items.length === 0) return { next: null }
  // Items come oldest change first: the last one's second anchors the next page.
  const last = [...items].reverse().find((i) => i.updatedAt !== null)?.updatedAt
  if (!last) return { next: { ...pos, skip: pos.skip + items.length, maxSeen } }
  const anchor = wholeSecond(last)
  const inAnchor = items.filter((i) => i.updatedAt !== null && wholeSecond(i.updatedAt) === anchor).length
  const sameAnchor = pos.since !== null && Date.parse(pos.since) === anchor
  return {
    next: {
      mode: 'time',
      since: new Date(anchor).toISOString(),
      skip: sameAnchor ? pos.skip + items.length : inAnchor,
      maxSeen,
    },
  }
}

/** LI's clock at the pass's first page, kept for the whole pass (whole seconds: a lower bound). */
const passClock = (liNow: string | null | undefined, page: Page): string | null =>
  liNow ?? (page.servedAt ? new Date(wholeSecond(page.servedAt)).toISOString() : null)

function advanceNumero(
  pos: Extract<Position, { mode: 'numero' }>,
  page: LiPage<LiOrderSummary>,
  maxSeen: string | null,
): Step {
  const items = page.items
  const liNow = passClock(pos.liNow, page)
  const past = items.every((o) => o.numero > pos.after)
  const ascending = items.every((o, i) => i === 0 || items[i - 1]!.numero < o.numero)
  // Orders in (previous position, this position] = previous total − this total, less arrivals
  // (which only make this total bigger): more than the previous page held means some were skipped.
  const skipped = pos.total !== undefined && pos.len !== undefined && pos.total - page.total > pos.len
  if (!past || !ascending || skipped) return { next: windowPass(null, maxSeen, liNow), note: 'listingFallback' }
  if (!page.next || items.length === 0) return { next: null }
  return {
    next: {
      mode: 'numero',
      after: items[items.length - 1]!.numero,
      maxSeen,
      liNow,
      total: page.total,
      len: items.length,
    },
  }
}

function advanceWindow(
  pos: WindowPosition,
  page: LiPage<LiOrderSummary>,
  maxSeen: string | null,
  maxOffset: number,
): Step {
  const base: WindowPosition = { ...pos, maxSeen, liNow: passClock(pos.liNow, page) }
  // Longer than LI lets us page (or grown so while paged): halve the created-at range.
  if (page.total > maxOffset || (page.next && pos.offset + 2 * ORDER_PAGE > maxOffset))
    return { next: narrow(base), note: 'narrowed' }
  const ids = mergeIds(
    pos.ids,
    page.items.map((o) => o.numero),
  )
  if (page.next && page.items.length > 0) return { next: { ...base, ids, offset: pos.offset + ORDER_PAGE } }
  // The end of the listing: read only if every order in it was (see Position).
  if (ids.length < page.total) {
    if (pos.repaged < MAX_REPAGES)
      return { next: { ...base, ids, offset: 0, repaged: pos.repaged + 1 }, note: 'repaged' }
    return { next: narrow(base), note: 'narrowed' }
  }
  const [range, ...rest] = pos.rest
  if (!range) return { next: null }
  return { next: { ...base, from: range[0], to: range[1], rest, offset: 0, ids: [], repaged: 0 } }
}

/** Splits the current created-at range in two by time; the halves are paged from scratch. */
function narrow(pos: WindowPosition): WindowPosition {
  const from = pos.from ? Date.parse(pos.from) : CREATED_FLOOR
  const to = pos.to
    ? Date.parse(pos.to)
    : Math.max(from + 2000, Date.parse(pos.liNow ?? pos.maxSeen ?? new Date().toISOString()) + 1000)
  const mid = wholeSecond(new Date(from + (to - from) / 2))
  if (mid <= from)
    throw new Error(
      `more orders created within one second than LI lets us page (${MAX_OFFSET}): cannot narrow the listing further`,
    )
  const midIso = new Date(mid).toISOString()
  return { ...pos, to: midIso, rest: [[midIso, pos.to], ...pos.rest], offset: 0, ids: [], repaged: 0 }
}

function mergeIds(a: number[], b: number[]): number[] {
  const set = new Set(a)
  for (const n of b) set.add(n)
  return set.size === a.length ? a : [...set].sort((x, y) => x - y)
}

/**
 * Where the cursor moves once a pass is read: for orders, LI's clock at the pass's first page
 * (see Position); without a Date header, and for customers (listed in change order), the newest
 * modification seen.
 */
export function passBound(pos: Position, page: Page): Date | null {
  if (pos.mode !== 'time') {
    const liNow = passClock(pos.liNow, page)
    if (liNow) return new Date(liNow)
  }
  return newestSeen(pos, page)
}

/** A position saved by an older version: an orders pass in `time` mode starts again as a window pass. */
export function resumePosition(resource: SyncResource, pos: Position): Position {
  return resource === 'orders' && pos.mode === 'time' ? windowPass(pos.since, pos.maxSeen, null) : pos
}

/** The newest modification seen by the run up to and including `page`. */
function newestSeen(pos: Position, page: Page): Date | null {
  let max = pos.maxSeen ? Date.parse(pos.maxSeen) : null
  for (const i of page.items as Array<{ updatedAt: Date | null }>)
    if (i.updatedAt && (max === null || i.updatedAt.getTime() > max)) max = i.updatedAt.getTime()
  return max === null ? null : new Date(max)
}
