import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { pointsFor } from '../orders/rules.ts'

/**
 * Orders whose points in Fidelis' ledger differ from what the simulator's store says they are
 * worth now: a delivered order of a member must have earned exactly pointsFor(subtotal −
 * discount) net (earns minus reversals, so an earn written twice shows), any other order nothing.
 * Orders of customers who are not members (no usable e-mail) are held by design and left out.
 */
export async function lostOrDouble(db: Db, simUrl: string, programId: string, storeId: string): Promise<number> {
  const res = await fetch(`${simUrl}/__fleet/orders/${storeId}`)
  const orders = (await res.json()) as Array<[number, 0 | 1, number, string | null]>
  const members = new Set(
    (await db.selectFrom('members').select('email').where('program_id', '=', programId).execute()).map((m) =>
      m.email.toLowerCase(),
    ),
  )
  const net = new Map<string, number>()
  const rows = await sql<{ numero: string; points: string }>`
    select split_part(idempotency_key, ':', 3) as numero, sum(amount) as points from ledger_entries
     where program_id = ${programId} and idempotency_key like 'order:li:%' group by 1`.execute(db)
  for (const r of rows.rows) net.set(r.numero, Number(r.points))
  let bad = 0
  for (const [numero, delivered, base, email] of orders) {
    const key = String(numero)
    const got = net.get(key) ?? 0
    net.delete(key)
    if (!email || !members.has(email)) continue
    if (got !== (delivered ? pointsFor(base, 1) : 0)) bad++
  }
  // Points for orders the store does not have.
  for (const points of net.values()) if (points !== 0) bad++
  return bad
}

export const p99 = (values: number[]) => {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!
}
