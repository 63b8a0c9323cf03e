import type { SyncResource } from '../db/schema.ts'
import type { LiClient } from '../loja-integrada/client.ts'
import { advance, MAX_OFFSET, ORDER_PAGE, type Page, type PassNote, type Position } from './sync-position.ts'

const CUSTOMER_PAGE = 100

/** Reads the page at `pos`: the LI request each kind of position stands for. */
export function fetchPage(client: LiClient, resource: SyncResource, pos: Position): Promise<Page> {
  if (pos.mode === 'window') {
    return client.searchOrders({
      ...(pos.since ? { since: new Date(pos.since) } : {}),
      ...(pos.from ? { createdFrom: new Date(pos.from) } : {}),
      ...(pos.to ? { createdTo: new Date(pos.to) } : {}),
      offset: pos.offset,
      limit: ORDER_PAGE,
    })
  }
  if (pos.mode === 'time' && pos.skip > MAX_OFFSET)
    throw new Error(`more than ${MAX_OFFSET} ${resource} modified within one second: cannot page past them`)
  if (resource === 'customers') {
    return client.searchCustomers({
      ...(pos.mode === 'time' && pos.since ? { since: new Date(pos.since) } : {}),
      offset: pos.mode === 'time' ? pos.skip : 0,
      limit: CUSTOMER_PAGE,
    })
  }
  return pos.mode === 'numero'
    ? client.searchOrders({ sinceNumero: pos.after + 1, limit: ORDER_PAGE })
    : client.searchOrders({ ...(pos.since ? { since: new Date(pos.since) } : {}), offset: pos.skip, limit: ORDER_PAGE })
}

export interface Fetched {
  page: Page
  /** Position the page was read from, and the one after it (null: the run has read everything). */
  pos: Position
  next: Position | null
  note?: PassNote
}

/**
 * Reads pages ahead of the writer: LI's latency and the database's overlap, and every page
 * that has arrived while the previous transaction ran is written in the next one (up to
 * `maxPages`), so a fast store costs few transactions and a slow one still commits page by page.
 */
export function pageReader(
  client: LiClient,
  resource: SyncResource,
  from: Position,
  deadline: number,
  maxBuffered: number,
  maxOffset: number,
) {
  const buffered: Fetched[] = []
  let done = false
  let failure: unknown = null
  let stopped = false
  let waiters: Array<() => void> = []
  const signal = () => {
    const woken = waiters
    waiters = []
    for (const w of woken) w()
  }
  const waitFor = async (cond: () => boolean): Promise<void> => {
    while (!cond()) await new Promise<void>((resolve) => waiters.push(resolve))
  }

  void (async () => {
    let pos = from
    try {
      for (;;) {
        const page = await fetchPage(client, resource, pos)
        if (stopped) return
        const { next, note } = advance(pos, page, maxOffset)
        buffered.push({ page, pos, next, ...(note ? { note } : {}) })
        signal()
        if (!next || Date.now() >= deadline) break
        pos = next
        await waitFor(() => stopped || buffered.length < maxBuffered)
        if (stopped) return
      }
    } catch (err) {
      failure = err
    }
    done = true
    signal()
  })()

  return {
    /** Everything read so far (at least one page), or [] when the reader has finished. */
    async take(max: number): Promise<Fetched[]> {
      await waitFor(() => buffered.length > 0 || done)
      if (buffered.length === 0 && failure) throw failure
      const batch = buffered.splice(0, max)
      signal()
      return batch
    },
    stop() {
      stopped = true
      signal()
    },
  }
}
