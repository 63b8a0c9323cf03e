import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import type { Database } from '../db/database.ts'
import { runSync } from '../integrations/sync.ts'
import { connectStore, startLiTestApp, type LiTestEnv } from '../test/li-store.ts'
import { purgeDuePrograms } from './purge.ts'

// A store leaves (issue 22 §2): two programs with data; one is deleted. The LI key and webhook
// go at once, the purge after the grace period; the other program keeps every row.

let env: LiTestEnv
before(async () => {
  env = await startLiTestApp()
})
after(() => env.close())

/** Rows of the program in every public table with a program_id column (from the catalogue). */
async function rowCounts(database: Database, programId: string): Promise<Record<string, number>> {
  const tables = await sql<{ t: string }>`
    select c.table_name as t from information_schema.columns c
    join information_schema.tables x on x.table_schema = c.table_schema and x.table_name = c.table_name
    where c.table_schema = 'public' and c.column_name = 'program_id' and x.table_type = 'BASE TABLE'
    order by 1`.execute(database.db)
  const out: Record<string, number> = {}
  for (const { t } of tables.rows) {
    const r = await sql<{
      n: number
    }>`select count(*)::int as n from ${sql.table(t)} where program_id = ${programId}`.execute(database.db)
    out[t] = r.rows[0]!.n
  }
  const p = await sql<{ n: number }>`select count(*)::int as n from programs where id = ${programId}`.execute(
    database.db,
  )
  out.programs = p.rows[0]!.n
  return out
}

test('deleting a program: key and webhook gone at once, undo within the grace, purge leaves the other program whole', async () => {
  const { t, sim } = env
  const a = await connectStore(t.deps, sim, { seed: { customers: 6, orders: 12 } })
  const b = await connectStore(t.deps, sim, { seed: { customers: 5, orders: 10 } })
  for (const s of [a, b]) assert.equal(await runSync(t.deps, s.programId), 'done')
  assert.equal(a.store.orderWebhooks.size, 1)
  const bBefore = await rowCounts(t.database, b.programId)
  const aBefore = await rowCounts(t.database, a.programId)
  assert.ok(bBefore.members! > 0 && bBefore.orders! > 0 && bBefore.ledger_entries! > 0)
  assert.ok(aBefore.members! > 0 && aBefore.orders! > 0)

  const owner = await merchantToken(a.merchantId)

  const wrong = await t.request('DELETE', `/v1/programs/${a.programId}/data`, {
    token: owner,
    body: { confirmName: 'Outro' },
  })
  assert.equal(wrong.status, 400)
  assert.equal(wrong.body.error.field, 'confirmName')
  const other = await t.request('DELETE', `/v1/programs/${b.programId}/data`, {
    token: owner,
    body: { confirmName: 'Clube' },
  })
  assert.equal(other.status, 404, 'another merchant cannot delete the program')

  const del = await t.request('DELETE', `/v1/programs/${a.programId}/data`, {
    token: owner,
    body: { confirmName: 'Clube' },
  })
  assert.equal(del.status, 202, JSON.stringify(del.body))
  const hours = (Date.parse(del.body.purgeAfter) - Date.parse(del.body.deletionRequestedAt)) / 3_600_000
  assert.equal(hours, 48)
  // At once: the key is erased, the integration off, the webhook removed from the store.
  const integ = await t.database.db
    .selectFrom('integrations')
    .selectAll()
    .where('program_id', '=', a.programId)
    .executeTakeFirstOrThrow()
  assert.equal(integ.api_key_enc, '')
  assert.equal(integ.active, false)
  assert.equal(a.store.orderWebhooks.size, 0)
  assert.equal(b.store.orderWebhooks.size, 1)
  assert.equal(await runSync(t.deps, a.programId), 'skipped')
  const view = await t.request('GET', `/v1/programs/${a.programId}`, { token: owner })
  assert.equal(view.body.purgeAfter, del.body.purgeAfter)

  // Undo within the grace period, then delete again.
  const undo = await t.request('POST', `/v1/programs/${a.programId}/data/restore`, { token: owner })
  assert.equal(undo.status, 200)
  assert.equal(undo.body.purgeAfter, null)
  assert.equal(await purgeDuePrograms(t.deps, new Date(Date.now() + 49 * 3_600_000)), 0)
  assert.equal((await rowCounts(t.database, a.programId)).members, aBefore.members)
  assert.equal(
    (await t.request('DELETE', `/v1/programs/${a.programId}/data`, { token: owner, body: { confirmName: 'Clube' } }))
      .status,
    202,
  )

  // Before the grace period ends nothing is purged; after it, every row of A, none of B.
  assert.equal(await purgeDuePrograms(t.deps), 0)
  assert.equal(await purgeDuePrograms(t.deps, new Date(Date.now() + 49 * 3_600_000)), 1)
  const aAfter = await rowCounts(t.database, a.programId)
  assert.deepEqual(
    Object.entries(aAfter).filter(([, n]) => n > 0),
    [],
  )
  assert.deepEqual(await rowCounts(t.database, b.programId), bBefore)
  // Idempotent: a second run finds nothing to do.
  assert.equal(await purgeDuePrograms(t.deps, new Date(Date.now() + 49 * 3_600_000)), 0)
})

async function merchantToken(merchantId: string): Promise<string> {
  const row = await env.t.database.db
    .selectFrom('merchants')
    .select('email')
    .where('id', '=', merchantId)
    .executeTakeFirstOrThrow()
  const res = await env.t.request('POST', '/v1/auth/login', {
    body: { email: row.email, password: 'test merchant password' },
  })
  assert.equal(res.status, 200, JSON.stringify(res.body))
  return res.body.token
}
