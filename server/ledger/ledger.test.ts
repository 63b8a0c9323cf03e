import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import type { Db } from '../db/database.ts'
import { createMember } from '../members/service.ts'
import { createProgram } from '../programs/service.ts'
import { createTestApp, type TestApp } from '../test/harness.ts'
import { getBalance, history, lockBalances, postEntries, postEntry, postNewEntries, sumEntries } from './service.ts'

describe('ledger', () => {
  let t: TestApp
  let db: Db
  let programId: string
  let merchantToken: string
  let seq = 0
  const newMember = async () => (await createMember(db, programId, { email: `member${++seq}@cliente.test` })).id

  before(async () => {
    t = await createTestApp()
    db = t.database.db
    const m = await t.merchant()
    merchantToken = m.token
    programId = (
      await createProgram(db, m.id, {
        name: 'P',
        pointsName: 'pontos',
        earnRate: 1,
        primaryColor: '#000000',
        textColor: '#ffffff',
        joiningOpen: true,
      })
    ).id
  })
  after(() => t.close())

  test('same idempotency key twice = one entry; the second call returns the first', async () => {
    const memberId = await newMember()
    const input = {
      memberId,
      kind: 'earn' as const,
      amount: 120,
      reason: 'Compra #1001',
      idempotencyKey: 'order:1001:earn',
      orderRef: '1001',
    }
    const first = await db.transaction().execute((trx) => postEntry(trx, programId, input))
    const second = await db.transaction().execute((trx) => postEntry(trx, programId, input))
    assert.equal(first.created, true)
    assert.equal(second.created, false)
    assert.equal(second.entry.id, first.entry.id)
    assert.equal(second.balance, 120)
    assert.equal(await getBalance(db, programId, memberId), 120)
    // Within one batch too.
    const batch = await db.transaction().execute((trx) =>
      postEntries(trx, programId, [
        { ...input, idempotencyKey: 'dup' },
        { ...input, idempotencyKey: 'dup' },
      ]),
    )
    assert.deepEqual(
      batch.map((r) => r.created),
      [true, false],
    )
    assert.equal(batch[0]!.entry.id, batch[1]!.entry.id)
    assert.equal(await getBalance(db, programId, memberId), 240)
  })

  test('postNewEntries (keys the caller knows are new) still never posts a taken key twice', async () => {
    const memberId = await newMember()
    const earn = (key: string, amount: number) => ({
      memberId,
      kind: 'earn' as const,
      amount,
      reason: 'Compra',
      idempotencyKey: key,
    })
    const post = (entries: ReturnType<typeof earn>[]) =>
      db
        .transaction()
        .execute(async (trx) => postNewEntries(trx, programId, entries, await lockBalances(trx, programId, [memberId])))
    await post([earn('new-1', 10), earn('new-2', 5)])
    assert.equal(await getBalance(db, programId, memberId), 15)
    // The caller was wrong about new-1: it is skipped and moves nothing; new-3 is posted.
    await post([earn('new-1', 10), earn('new-3', 1)])
    assert.equal(await getBalance(db, programId, memberId), 16)
    assert.equal(await sumEntries(db, programId, memberId), 16)
    await assert.rejects(post([earn('new-2', 6)]), (err: any) => err.code === 'idempotency_conflict')
    await assert.rejects(
      db.transaction().execute((trx) => postNewEntries(trx, programId, [earn('new-4', 1)], new Map())),
      (err: any) => err.code === 'internal',
      'members must be locked first',
    )
    assert.equal(await getBalance(db, programId, memberId), 16)
  })

  test('a reused key for a different movement is an idempotency_conflict', async () => {
    const memberId = await newMember()
    await db
      .transaction()
      .execute((trx) =>
        postEntry(trx, programId, { memberId, kind: 'earn', amount: 5, reason: 'x', idempotencyKey: 'conflict-1' }),
      )
    await assert.rejects(
      db
        .transaction()
        .execute((trx) =>
          postEntry(trx, programId, { memberId, kind: 'earn', amount: 6, reason: 'x', idempotencyKey: 'conflict-1' }),
        ),
      (err: any) => err.code === 'idempotency_conflict',
    )
  })

  test('a debit never takes the balance below zero, and a replayed debit is not re-checked', async () => {
    const memberId = await newMember()
    await db
      .transaction()
      .execute((trx) =>
        postEntry(trx, programId, { memberId, kind: 'earn', amount: 10, reason: 'x', idempotencyKey: `e${memberId}` }),
      )
    await assert.rejects(
      db.transaction().execute((trx) =>
        postEntry(trx, programId, {
          memberId,
          kind: 'redeem',
          amount: -11,
          reason: 'Resgate',
          idempotencyKey: `r${memberId}`,
        }),
      ),
      (err: any) => err.code === 'insufficient_points',
    )
    const spend = { memberId, kind: 'redeem' as const, amount: -10, reason: 'Resgate', idempotencyKey: `r2${memberId}` }
    await db.transaction().execute((trx) => postEntry(trx, programId, spend))
    const replay = await db.transaction().execute((trx) => postEntry(trx, programId, spend))
    assert.equal(replay.created, false)
    assert.equal(await getBalance(db, programId, memberId), 0)
  })

  test('50 concurrent debits against a balance that covers 10: exactly 10 succeed', async () => {
    const memberId = await newMember()
    await db
      .transaction()
      .execute((trx) =>
        postEntry(trx, programId, { memberId, kind: 'earn', amount: 100, reason: 'x', idempotencyKey: `c${memberId}` }),
      )
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        db.transaction().execute((trx) =>
          postEntry(trx, programId, {
            memberId,
            kind: 'redeem',
            amount: -10,
            reason: 'Resgate',
            idempotencyKey: `c${memberId}-${i}`,
          }),
        ),
      ),
    )
    const ok = results.filter((r) => r.status === 'fulfilled').length
    const refused = results.filter(
      (r) => r.status === 'rejected' && (r.reason as any).code === 'insufficient_points',
    ).length
    assert.equal(ok, 10)
    assert.equal(refused, 40)
    assert.equal(await getBalance(db, programId, memberId), 0)
    assert.equal(await sumEntries(db, programId, memberId), 0)
  })

  test('property: after any sequence of operations, balance == sum(entries) and never negative', async () => {
    const memberIds = [await newMember(), await newMember(), await newMember()]
    let key = 0
    const op = fc.record({
      member: fc.integer({ min: 0, max: 2 }),
      kind: fc.constantFrom('earn', 'bonus', 'refund', 'redeem', 'reverse', 'expire', 'adjust'),
      size: fc.integer({ min: 1, max: 500 }),
      negativeAdjust: fc.boolean(),
      replay: fc.boolean(),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        let lastKey: { k: string; input: any } | undefined
        for (const o of ops) {
          const debit = ['redeem', 'reverse', 'expire'].includes(o.kind) || (o.kind === 'adjust' && o.negativeAdjust)
          const input =
            o.replay && lastKey
              ? lastKey.input
              : {
                  memberId: memberIds[o.member]!,
                  kind: o.kind,
                  amount: debit ? -o.size : o.size,
                  reason: 'prop',
                  idempotencyKey: `prop-${++key}`,
                }
          try {
            await db.transaction().execute((trx) => postEntry(trx, programId, input))
          } catch (err: any) {
            if (err.code !== 'insufficient_points') throw err
          }
          lastKey = { k: input.idempotencyKey, input }
        }
        for (const id of memberIds) {
          const balance = await getBalance(db, programId, id)
          assert.ok(balance >= 0)
          assert.equal(balance, await sumEntries(db, programId, id))
        }
      }),
      { numRuns: 25 },
    )
  })

  test('a failed batch writes nothing', async () => {
    const a = await newMember()
    const b = await newMember()
    await assert.rejects(
      db.transaction().execute((trx) =>
        postEntries(trx, programId, [
          { memberId: a, kind: 'earn', amount: 50, reason: 'x', idempotencyKey: `fb-${a}` },
          { memberId: b, kind: 'redeem', amount: -1, reason: 'x', idempotencyKey: `fb-${b}` },
        ]),
      ),
    )
    assert.equal(await getBalance(db, programId, a), 0)
    assert.equal(await sumEntries(db, programId, a), 0)
  })

  test('entries of an unknown member, or of another program, are refused', async () => {
    const m = await t.merchant()
    const other = await createProgram(db, m.id, {
      name: 'Other',
      pointsName: 'pontos',
      earnRate: 1,
      primaryColor: '#000000',
      textColor: '#ffffff',
      joiningOpen: true,
    })
    const memberId = await newMember()
    await assert.rejects(
      db
        .transaction()
        .execute((trx) =>
          postEntry(trx, other.id, { memberId, kind: 'earn', amount: 1, reason: 'x', idempotencyKey: 'cross' }),
        ),
      (err: any) => err.code === 'not_found',
    )
  })

  test('history is newest first and paginates by cursor', async () => {
    const memberId = await newMember()
    await db.transaction().execute((trx) =>
      postEntries(
        trx,
        programId,
        Array.from({ length: 25 }, (_, i) => ({
          memberId,
          kind: 'earn' as const,
          amount: i + 1,
          reason: `Compra #${i}`,
          idempotencyKey: `h${memberId}-${i}`,
        })),
      ),
    )
    const p1 = await history(db, programId, memberId, { limit: 10 })
    assert.equal(p1.items.length, 10)
    assert.equal(p1.items[0]!.reason, 'Compra #24')
    const p2 = await history(db, programId, memberId, { limit: 10, cursor: p1.nextCursor! })
    const p3 = await history(db, programId, memberId, { limit: 10, cursor: p2.nextCursor! })
    assert.equal(p3.items.length, 5)
    assert.equal(p3.nextCursor, null)
    const ids = [...p1.items, ...p2.items, ...p3.items].map((e) => e.id)
    assert.equal(new Set(ids).size, 25)
    assert.deepEqual(
      ids,
      [...ids].sort((x, y) => y - x),
    )
  })

  test('admin API: members search, detail with balance and history, adjustment with required reason', async () => {
    const token = merchantToken
    const mk = (email: string, name?: string) =>
      t.request('POST', `/v1/programs/${programId}/members`, { token, body: { email, ...(name ? { name } : {}) } })
    const ana = (await mk('Ana.Souza@Cliente.test', 'Ana Souza')).body
    assert.equal(ana.email, 'ana.souza@cliente.test')
    await mk('bruno@cliente.test', 'Bruno Lima')
    assert.equal((await mk('ana.souza@cliente.test')).status, 409)
    const badCpf = await t.request('POST', `/v1/programs/${programId}/members`, {
      token,
      body: { email: 'c@cliente.test', cpf: '123.456.789-00' },
    })
    assert.equal(badCpf.status, 400)
    assert.equal(badCpf.body.error.field, 'cpf')
    const goodCpf = await t.request('POST', `/v1/programs/${programId}/members`, {
      token,
      body: { email: 'd@cliente.test', cpf: '529.982.247-25' },
    })
    assert.equal(goodCpf.body.cpf, '52998224725')

    const search = await t.request('GET', `/v1/programs/${programId}/members?q=ana`, { token })
    assert.deepEqual(
      search.body.items.map((m: any) => m.id),
      [ana.id],
    )
    const byName = await t.request('GET', `/v1/programs/${programId}/members?q=brun`, { token })
    assert.equal(byName.body.items.length, 1)
    const page = await t.request('GET', `/v1/programs/${programId}/members?limit=2`, { token })
    assert.equal(page.body.items.length, 2)
    assert.ok(page.body.nextCursor)
    assert.equal(
      (await t.request('GET', `/v1/programs/${programId}/members?limit=500`, { token })).body.error.field,
      'limit',
    )

    const noReason = await t.request('POST', `/v1/programs/${programId}/members/${ana.id}/adjustments`, {
      token,
      body: { amount: 10 },
    })
    assert.equal(noReason.status, 400)
    assert.equal(noReason.body.error.field, 'reason')
    const add = await t.request('POST', `/v1/programs/${programId}/members/${ana.id}/adjustments`, {
      token,
      body: { amount: 30, reason: 'Cortesia da loja', idempotencyKey: 'adj-1' },
    })
    assert.equal(add.status, 201)
    assert.equal(add.body.balance, 30)
    const again = await t.request('POST', `/v1/programs/${programId}/members/${ana.id}/adjustments`, {
      token,
      body: { amount: 30, reason: 'Cortesia da loja', idempotencyKey: 'adj-1' },
    })
    assert.equal(again.status, 200)
    assert.equal(again.body.created, false)
    const over = await t.request('POST', `/v1/programs/${programId}/members/${ana.id}/adjustments`, {
      token,
      body: { amount: -31, reason: 'Correção' },
    })
    assert.equal(over.status, 409)
    assert.equal(over.body.error.code, 'insufficient_points')

    const detail = await t.request('GET', `/v1/programs/${programId}/members/${ana.id}`, { token })
    assert.equal(detail.body.member.balance, 30)
    assert.equal(detail.body.history.items[0].reason, 'Cortesia da loja')
    assert.equal(detail.body.history.items[0].kind, 'adjust')
    const ledger = await t.request('GET', `/v1/programs/${programId}/members/${ana.id}/ledger?limit=1`, { token })
    assert.equal(ledger.body.items.length, 1)
    assert.equal((await t.request('GET', `/v1/programs/${programId}/members/999999`, { token })).status, 404)
  })
})
