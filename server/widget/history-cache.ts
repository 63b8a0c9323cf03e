/**
 * Per-process cache of members' last-20-entries history, already serialised, keyed by the member
 * and the id of their newest ledger entry.
 *
 * Why it is exact, not merely fresh enough: ledger entries are never updated or deleted (design
 * rule 1), and every posting locks the member's row before inserting (ledger/service.ts
 * postEntries), so one member's entries commit in id order. The newest id therefore names one
 * history; a new entry changes the id and the stale copy is never served. The `me` route reads
 * that id (with the balance) on every request, so only the history is reused.
 *
 * Bounded by the size of the cached JSON (LRU): `maxBytes` counts 2 bytes per character, what
 * V8 needs for strings with accents (pt-BR reasons); pure-ASCII ones take half.
 */
export class HistoryCache {
  private readonly entries = new Map<number, { lastEntryId: number; json: string }>()
  private bytes = 0

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(memberId: number, lastEntryId: number): string | undefined {
    const hit = this.entries.get(memberId)
    if (hit === undefined || hit.lastEntryId !== lastEntryId) return undefined
    this.entries.delete(memberId)
    this.entries.set(memberId, hit)
    return hit.json
  }

  set(memberId: number, lastEntryId: number, json: string): void {
    const size = json.length * 2
    if (size > this.maxBytes) return
    const old = this.entries.get(memberId)
    if (old) {
      // Never replace a newer history with an older one (two requests racing a posting).
      if (old.lastEntryId > lastEntryId) return
      this.entries.delete(memberId)
      this.bytes -= old.json.length * 2
    }
    while (this.bytes + size > this.maxBytes) {
      const oldest = this.entries.entries().next()
      if (oldest.done) break
      this.entries.delete(oldest.value[0])
      this.bytes -= oldest.value[1].json.length * 2
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
