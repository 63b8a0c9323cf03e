import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import type { Database, Db } from '../db/database.ts'
import * as m0011 from '../db/migrations/2026-12-03-0011-ledger-occurred-at.ts'
import { createMember } from '../members/service.ts'
import { createMerchant } from '../merchants/service.ts'
import { createProgram } from '../programs/service.ts'
import { testDatabase } from '../test/database.ts'
import { history, postEntries } from './service.ts'

const DAY = 86_400_000

describe('ledger: when each movement happened (occurred_at)', () => {
  let database: Database
  let db: Db
  let programId: string
  let seq = 0
  const newMember = async () => (await createMember(db, programId, { email: `m${++seq}@cliente.test` })).id

  before(async () => {
    database = await testDatabase()
    db = database.db
    const merchant = await createMerchant(db, { email: 'dona@loja.test', password: 'uma senha longa' })
    programId = (
      await createProgram(db, merchant.id, {
        name: 'P',
        pointsName: 'pontos',
        earnRate: 1,
        primaryColor: '#000000',
        textColor: '#ffffff',
        joiningOpen: true,
      })
    ).id
  })
  after(() => database.close())

  test('set at posting: given, else now; a time in the future is taken as now', async () => {
    const memberId = await newMember()
    const placed = new Date(Date.now() - 90 * DAY)
    const [old, now, future] = await db.transaction().execute((trx) =>
      postEntries(trx, programId, [
        { memberId, kind: 'earn', amount: 10, reason: 'a', idempotencyKey: 'oa:1', occurredAt: placed },
        { memberId, kind: 'bonus', amount: 5, reason: 'b', idempotencyKey: 'oa:2' },
        {
          memberId,
          kind: 'earn',
          amount: 7,
          reason: 'c',
          idempotencyKey: 'oa:3',
          occurredAt: new Date(Date.now() + 30 * DAY),
        },
      ]),
    )
    assert.equal(old!.entry.occurred_at.getTime(), placed.getTime())
    assert.equal(now!.entry.occurred_at.getTime(), now!.entry.created_at.getTime())
    assert.equal(future!.entry.occurred_at.getTime(), future!.entry.created_at.getTime())
  })

  test('history: newest happening first, id breaking ties; paging by the old id cursor is stable', async () => {
    const memberId = await newMember()
    const at = (daysAgo: number) => new Date(Date.UTC(2026, 10, 30) - daysAgo * DAY)
    // Written in an order unrelated to their dates (as a first import lists a store's orders),
    // with ties on the same instant.
    const days = [40, 5, 90, 5, 60, 5, 1, 30, 90, 12]
    await db.transaction().execute((trx) =>
      postEntries(
        trx,
        programId,
        days.map((d, i) => ({
          memberId,
          kind: 'earn' as const,
          amount: 1 + i,
          reason: `r${i}`,
          idempotencyKey: `hist:${memberId}:${i}`,
          occurredAt: at(d),
        })),
      ),
    )
    const all = (await history(db, programId, memberId, { limit: 100 })).items
    assert.equal(all.length, days.length)
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!]
      assert.ok(
        a.occurredAt > b.occurredAt || (a.occurredAt === b.occurredAt && a.id > b.id),
        `${a.occurredAt}#${a.id} before ${b.occurredAt}#${b.id}`,
      )
    }
    assert.deepEqual(
      all.map((e) => e.occurredAt),
      [...days].sort((x, y) => x - y).map((d) => at(d).toISOString()),
    )
    // Pages of 3 by the cursor the API always gave (an entry id) walk the same list exactly once.
    const walked: number[] = []
    let cursor: string | undefined
    for (let n = 0; n < 10; n++) {
      const page = await history(db, programId, memberId, { limit: 3, ...(cursor ? { cursor } : {}) })
      walked.push(...page.items.map((e) => e.id))
      if (!page.nextCursor) break
      assert.match(page.nextCursor, /^\d+$/)
      cursor = page.nextCursor
    }
    assert.deepEqual(
      walked,
      all.map((e) => e.id),
    )
    // Another member's entry id as a cursor finds nothing (no leak across members).
    const other = await newMember()
    assert.deepEqual((await history(db, programId, other, { cursor: String(all[0]!.id) })).items, [])
  })

  test('migration 0011 dates existing entries from their orders', async () => {
    const memberId = await newMember()
    const placed = new Date('2026-09-01T15:00:00Z')
    const cancelled = new Date('2026-09-20T15:00:00Z')
    const imported = new Date('2026-11-30T12:00:00Z')
    const order = (externalId: string, updated: Date) =>
      db
        .insertInto('orders')
        .values({
          program_id: programId,
          source: 'li',
          external_id: externalId,
          member_id: memberId,
          subtotal_cents: 1000,
          shipping_cents: 0,
          discount_cents: 0,
          total_cents: 1000,
          placed_at: placed,
          source_updated_at: updated,
        })
        .execute()
    await order('501', cancelled)
    // Paid again after the reversal was written: its update time is later than the reversal.
    await order('502', new Date('2026-12-01T12:00:00Z'))
    await m0011.down(db)
    const insert = (key: string, kind: string, amount: number, orderRef: string | null) =>
      sql`insert into ledger_entries (program_id, member_id, kind, amount, reason, idempotency_key, order_ref, created_at)
          values (${programId}, ${memberId}, ${kind}, ${amount}, 'x', ${key}, ${orderRef}, ${imported})`.execute(db)
    try {
      await insert('mig:earn', 'earn', 10, 'li:501')
      await insert('mig:reverse', 'reverse', -10, 'li:501')
      await insert('mig:reverse2', 'reverse', -10, 'li:502')
      await insert('mig:unknown', 'earn', 10, 'li:999')
      await insert('mig:bonus', 'bonus', 10, null)
    } finally {
      await m0011.up(db)
    }
    const rows = await db
      .selectFrom('ledger_entries')
      .select(['idempotency_key', 'occurred_at', 'created_at'])
      .where('member_id', '=', memberId)
      .execute()
    const when = new Map(rows.map((r) => [r.idempotency_key, r.occurred_at.toISOString()]))
    assert.equal(when.get('mig:earn'), placed.toISOString(), "an order's earn: when it was placed")
    assert.equal(when.get('mig:reverse'), cancelled.toISOString(), 'its reversal: when the store changed it')
    assert.equal(when.get('mig:reverse2'), imported.toISOString(), 'never after the entry itself')
    assert.equal(when.get('mig:unknown'), imported.toISOString(), 'no order: its own time')
    assert.equal(when.get('mig:bonus'), imported.toISOString())
    // Not null, defaulting to now, for rows written afterwards.
    const { rows: cols } = await sql<{ is_nullable: string; column_default: string | null }>`
      select is_nullable, column_default from information_schema.columns
      where table_name = 'ledger_entries' and column_name = 'occurred_at'`.execute(db)
    assert.equal(cols[0]!.is_nullable, 'NO')
    assert.match(cols[0]!.column_default ?? '', /now\(\)/)
  })
})
