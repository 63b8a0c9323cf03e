/**
 * Per-process cache of members' last-20-entries history, already serialised and UTF-8 encoded,
 * keyed by the member and the id of their newest ledger entry.
 *
 * Why it is exact, not merely fresh enough: ledger entries are never updated or deleted (design
 * rule 1), and every posting locks the member's row before inserting (ledger/service.ts
 * postEntries), so one member's entries commit in id order. The newest id therefore names one
 * history; a new entry changes the id and the stale copy is never served. The `me` route reads
 * that id (with the balance) on every request, so only the history is reused.
 *
 * Kept as bytes, not a string: the `me` answer is spliced from bytes (service.meJson), so the
 * ~3 KB of history are not re-encoded per request. pt-BR reasons make V8 strings Latin-1 or
 * two-byte, and encoding them to UTF-8 (twice: Content-Length, then the socket write) cost more
 * than everything else the route does in JS (measured: ~10–25 µs per answer as a string,
 * ~3–5 µs spliced from bytes). Bounded by those bytes (LRU, `maxBytes`).
 */
export class HistoryCache {
  private readonly entries = new Map<number, { lastEntryId: number; json: Buffer }>()
  private bytes = 0

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(memberId: number, lastEntryId: number): Buffer | undefined {
    const hit = this.entries.get(memberId)
    if (hit === undefined || hit.lastEntryId !== lastEntryId) return undefined
    this.entries.delete(memberId)
    this.entries.set(memberId, hit)
    return hit.json
  }

  set(memberId: number, lastEntryId: number, json: Buffer): void {
    const size = json.length
    if (size > this.maxBytes) return
    const old = this.entries.get(memberId)
    if (old) {
      // Never replace a newer history with an older one (two requests racing a posting).
      if (old.lastEntryId > lastEntryId) return
      this.entries.delete(memberId)
      this.bytes -= old.json.length
    }
    while (this.bytes + size > this.maxBytes) {
      const oldest = this.entries.entries().next()
      if (oldest.done) break
      this.entries.delete(oldest.value[0])
      this.bytes -= oldest.value[1].json.length
    }
    this.entries.set(memberId, { lastEntryId, json })
    this.bytes += size
  }

  get size(): number {
    return this.entries.size
  }

  get sizeBytes(): number {
    return this.bytes
  }
}
