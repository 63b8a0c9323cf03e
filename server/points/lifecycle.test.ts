import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { setActive } from '../integrations/service.ts'
import { postEntry } from '../ledger/service.ts'
import { findStatusByCodigo, manualClock, type LiSimulator } from '../li-simulator/index.ts'
import { runSync } from '../integrations/sync.ts'
import { pointsFor } from '../orders/rules.ts'
import type { TestApp } from '../test/harness.ts'
import { connectStore, startLiTestApp, type LiTestEnv } from '../test/li-store.ts'
import { addDays, addMonths, saoPauloDay } from '../lib/calendar.ts'
import { runDaily } from './daily.ts'
import { pointsExpiringWithin } from './me.ts'
import { releasePending } from './pending.ts'

const AWARDING = [findStatusByCodigo('pedido_entregue')!.id]

let t: TestApp
let sim: LiSimulator
const clock = manualClock('2025-03-14T13:00:00Z')

let env: LiTestEnv

before(async () => {
  env = await startLiTestApp({ sim: { clock }, config: { LI_TIMEOUT_MS: '1000' } })
  ;({ t, sim } = env)
})
after(() => env.close())

const today = () => saoPauloDay(new Date())

/** A program with ERP sales on (sales are the quickest way to award and cancel orders). */
async function erpProgram(earnRate = 2) {
  const m = await t.merchant()
  const programId = (await t.request('POST', '/v1/programs', { token: m.token, body: { name: 'Clube', earnRate } }))
    .body.id as string
  await connectStore(t.deps, sim, {
    seed: { seed: 11, customers: 1, orders: 0 },
    merchantId: m.id,
    programId,
    siteUrl: 'https://loja.test',
    awardingStatusIds: [],
    sales: 'erpSales',
    active: false,
  })
  const api = (method: string, path: string, body?: unknown) =>
    t.request(method, `/v1/programs/${programId}${path}`, { token: m.token, ...(body !== undefined ? { body } : {}) })
  return {
    programId,
    merchantId: m.id,
    api,
    sale: (body: Record<string, unknown>) => api('POST', '/sales', body),
    rules: async (body: Record<string, unknown>) => {
      const res = await api('PATCH', '/points-rules', body)
      assert.equal(res.status, 200, JSON.stringify(res.body))
      return res.body
    },
  }
}

async function ledger(programId: string, memberId: number) {
  return t.deps.db
    .selectFrom('ledger_entries')
    .select(['kind', 'amount', 'reason', 'idempotency_key'])
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .orderBy('id')
    .execute()
}

async function balance(programId: string, memberId: number) {
  const row = await t.deps.db
    .selectFrom('members')
    .select('balance')
    .where('program_id', '=', programId)
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow()
  return row.balance
}

/** The cached balances equal the ledger's sums (design rule 1). */
async function assertBalancesConsistent(programId: string) {
  const { rows } = await sql<{ bad: number }>`
    select count(*)::int as bad from members m where m.program_id = ${programId}
      and m.balance <> coalesce((select sum(amount) from ledger_entries e where e.member_id = m.id), 0)`.execute(
    t.deps.db,
  )
  assert.equal(rows[0]!.bad, 0)
}

const entryCount = async (programId: string) =>
  Number(
    (
      await t.deps.db
        .selectFrom('ledger_entries')
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .where('program_id', '=', programId)
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('points rules and campaigns API', () => {
  test('defaults, partial updates, validation by field, tenants are walls', async () => {
    const p = await erpProgram()
    assert.deepEqual((await p.api('GET', '/points-rules')).body, {
      expiryMonths: null,
      signupBonus: 0,
      birthdayBonus: 0,
      pendingDays: 0,
      updatedAt: null,
    })
    const saved = await p.rules({ expiryMonths: 12, signupBonus: 100 })
    assert.equal(saved.expiryMonths, 12)
    assert.equal(saved.signupBonus, 100)
    assert.equal((await p.rules({ expiryMonths: null })).expiryMonths, null)
    assert.equal((await p.rules({ pendingDays: 7 })).signupBonus, 100, 'untouched fields stay')
    for (const [body, field] of [
      [{ expiryMonths: 0 }, 'expiryMonths'],
      [{ pendingDays: 91 }, 'pendingDays'],
      [{ birthdayBonus: 1.5 }, 'birthdayBonus'],
      [{ signupBonus: -1 }, 'signupBonus'],
      [{ other: 1 }, 'other'],
    ] as const) {
      const res = await p.api('PATCH', '/points-rules', body)
      assert.equal(res.status, 400)
      assert.equal(res.body.error.field, field)
    }
    assert.equal((await p.api('PATCH', '/points-rules', {})).status, 400)

    const created = await p.api('POST', '/campaigns', {
      name: 'Black Friday',
      multiplier: 2,
      startsOn: '2026-11-27',
      endsOn: '2026-11-30',
    })
    assert.equal(created.status, 201)
    assert.equal(created.body.multiplier, 2)
    const id = created.body.id
    assert.equal((await p.api('GET', `/campaigns/${id}`)).body.name, 'Black Friday')
    assert.equal((await p.api('PATCH', `/campaigns/${id}`, { multiplier: 1.5 })).body.multiplier, 1.5)
    const backwards = await p.api('PATCH', `/campaigns/${id}`, { endsOn: '2026-11-01' })
    assert.equal(backwards.status, 400)
    assert.equal(backwards.body.error.field, 'endsOn')
    assert.equal(
      (await p.api('POST', '/campaigns', { name: 'x', multiplier: 2, startsOn: '2026-11-27', endsOn: '2026-11-26' }))
        .body.error.field,
      'endsOn',
    )
    assert.equal(
      (await p.api('POST', '/campaigns', { name: 'x', multiplier: 1, startsOn: '2026-11-27', endsOn: '2026-11-28' }))
        .body.error.field,
      'multiplier',
    )
    assert.equal(
      (await p.api('POST', '/campaigns', { name: 'x', multiplier: 2, startsOn: '2026-02-30', endsOn: '2026-03-01' }))
        .body.error.field,
      'startsOn',
    )
    assert.equal((await p.api('GET', '/campaigns')).body.items.length, 1)

    const other = await erpProgram()
    const foreign = await t.request('GET', `/v1/programs/${p.programId}/campaigns/${id}`, {
      token: (await t.merchant()).token,
    })
    assert.equal(foreign.status, 404)
    assert.equal(
      (await other.api('GET', `/campaigns/${id}`)).status,
      404,
      "another program's campaign id opens nothing",
    )
    assert.equal(
      (await t.request('GET', `/v1/programs/${p.programId}/points-rules`, { token: (await t.merchant()).token }))
        .status,
      404,
    )

    assert.equal((await p.api('DELETE', `/campaigns/${id}`)).status, 200)
    assert.equal((await p.api('GET', `/campaigns/${id}`)).status, 404)
    const doc = (await t.request('GET', '/openapi.json')).body
    assert.ok(doc.paths['/v1/programs/{programId}/points-rules'].patch.description.includes('expiryMonths'))
  })
})

describe('campaigns', () => {
  test('points × N on purchases inside the dates, named in the reason; a cancellation reverses exactly the award', async () => {
    const p = await erpProgram(2)
    const day = today()
    await p.api('POST', '/campaigns', {
      name: 'Semana do Cliente',
      multiplier: 2,
      startsOn: addDays(day, -2),
      endsOn: day,
    })
    const inside = await p.sale({ externalId: 'C-1', customerEmail: 'bia@cliente.test', amountCents: 2550, date: day })
    assert.equal(inside.body.pointsAwarded, 102) // 51 × 2
    const outside = await p.sale({
      externalId: 'C-2',
      customerEmail: 'bia@cliente.test',
      amountCents: 2550,
      date: addDays(day, -3),
    })
    assert.equal(outside.body.pointsAwarded, 51)
    const memberId = inside.body.memberId
    const entries = await ledger(p.programId, memberId)
    assert.match(entries[0]!.reason, /^Pontos da compra C-1 — campanha "Semana do Cliente": pontos × 2$/)
    assert.equal(entries[1]!.reason, 'Pontos da compra C-2')

    // The merchant triples the campaign afterwards: the reversal still takes what was awarded.
    const id = (await p.api('GET', '/campaigns')).body.items[0].id
    await p.api('PATCH', `/campaigns/${id}`, { multiplier: 3 })
    const cancelled = await p.sale({
      externalId: 'C-1',
      customerEmail: 'bia@cliente.test',
      amountCents: 2550,
      date: day,
      valid: false,
    })
    assert.equal(cancelled.body.state, 'reversed')
    const after = await ledger(p.programId, memberId)
    assert.deepEqual(
      after.slice(2).map((e) => [e.kind, e.amount]),
      [['reverse', -102]],
    )
    assert.equal(await balance(p.programId, memberId), 51)
    // Replaying the cancellation changes nothing.
    await p.sale({ externalId: 'C-1', customerEmail: 'bia@cliente.test', amountCents: 2550, date: day, valid: false })
    assert.equal((await ledger(p.programId, memberId)).length, 3)
    await assertBalancesConsistent(p.programId)
  })
})

describe('pending period', () => {
  test('points wait, are shown apart, are released once on their day; a cancellation inside the period leaves no trace and no negative balance', async () => {
    const p = await erpProgram(1)
    await p.rules({ pendingDays: 7 })
    const first = await p.sale({
      externalId: 'P-1',
      customerEmail: 'caio@cliente.test',
      amountCents: 10_000,
      date: today(),
    })
    assert.equal(first.body.state, 'pending')
    assert.equal(first.body.pointsAwarded, 100)
    const memberId = first.body.memberId
    assert.equal(await balance(p.programId, memberId), 0)
    assert.deepEqual(await ledger(p.programId, memberId), [])
    const row = await t.deps.db
      .selectFrom('orders')
      .select(['available_on', 'pending_reason'])
      .where('program_id', '=', p.programId)
      .where('external_id', '=', 'P-1')
      .executeTakeFirstOrThrow()
    assert.equal(row.available_on, addDays(today(), 7))

    // Cancelled inside the period: dropped, nothing posted, nothing to go negative.
    const cancelled = await p.sale({
      externalId: 'P-1',
      customerEmail: 'caio@cliente.test',
      amountCents: 10_000,
      date: today(),
      valid: false,
    })
    assert.equal(cancelled.body.state, 'reversed')
    assert.deepEqual(await ledger(p.programId, memberId), [])
    assert.equal(await balance(p.programId, memberId), 0)

    // A second order waits out its period.
    await p.sale({ externalId: 'P-2', customerEmail: 'caio@cliente.test', amountCents: 5_000, date: today() })
    assert.equal(await releasePending(t.deps.db, addDays(today(), 6)), 0, 'the day before: still waiting')
    assert.equal(await releasePending(t.deps.db, addDays(today(), 7)), 1)
    assert.equal(await releasePending(t.deps.db, addDays(today(), 7)), 0, 'a second run releases nothing')
    assert.deepEqual(
      (await ledger(p.programId, memberId)).map((e) => [e.kind, e.amount, e.idempotency_key]),
      [['earn', 50, 'order:erp:P-2:earn:1']],
    )
    assert.equal(await balance(p.programId, memberId), 50)
    // After release it is an ordinary award: a cancellation reverses exactly it.
    await p.sale({
      externalId: 'P-2',
      customerEmail: 'caio@cliente.test',
      amountCents: 5_000,
      date: today(),
      valid: false,
    })
    assert.equal(await balance(p.programId, memberId), 0)

    // Turning the period off releases what still waits, at the next run.
    await p.sale({ externalId: 'P-3', customerEmail: 'caio@cliente.test', amountCents: 3_000, date: today() })
    await p.rules({ pendingDays: 0 })
    assert.equal(await releasePending(t.deps.db, today()), 1)
    assert.equal(await balance(p.programId, memberId), 30)
    await assertBalancesConsistent(p.programId)
  })
})

describe('signup bonus', () => {
  test('every enrolment path pays it once: admin API, ERP sale, store sync (replayed)', async () => {
    const p = await erpProgram(1)
    const before = await p.api('POST', '/members', { email: 'antes@cliente.test' })
    assert.equal(before.body.balance, 0, 'no bonus before it was set')
    await p.rules({ signupBonus: 25 })
    const admin = await p.api('POST', '/members', { email: 'ana@cliente.test' })
    assert.equal(admin.status, 201)
    assert.equal(admin.body.balance, 25)
    assert.deepEqual(
      (await ledger(p.programId, admin.body.id)).map((e) => [e.kind, e.amount, e.reason]),
      [['bonus', 25, 'Bônus de boas-vindas ao programa']],
    )

    const sale = await p.sale({
      externalId: 'S-1',
      customerEmail: 'novo@cliente.test',
      amountCents: 1000,
      date: today(),
    })
    assert.equal(await balance(p.programId, sale.body.memberId), 25 + 10)
    await p.sale({ externalId: 'S-2', customerEmail: 'novo@cliente.test', amountCents: 1000, date: today() })
    assert.equal(await balance(p.programId, sale.body.memberId), 25 + 20, 'an existing member gets no second bonus')
    await assertBalancesConsistent(p.programId)
  })

  test('the store sync pays each imported customer once, and a campaign names itself on synced orders', async () => {
    const m = await t.merchant()
    const { programId, seeded } = await connectStore(t.deps, sim, {
      seed: { seed: 21, customers: 12, orders: 40 },
      merchantId: m.id,
      awardingStatusIds: AWARDING,
      active: false,
    })
    const program = { id: programId }
    const token = m.token
    await t.request('PATCH', `/v1/programs/${program.id}/points-rules`, { token, body: { signupBonus: 10 } })
    await t.request('POST', `/v1/programs/${program.id}/campaigns`, {
      token,
      body: { name: 'Sempre em dobro', multiplier: 2, startsOn: '2000-01-01', endsOn: '2099-12-31' },
    })
    await setActive(t.deps, m.id, program.id, true)
    assert.equal(await runSync(t.deps, program.id), 'done')

    const members = await t.deps.db
      .selectFrom('members')
      .select(['id', 'email', 'balance'])
      .where('program_id', '=', program.id)
      .execute()
    assert.equal(members.length, seeded.store.customers.length)
    const expected = new Map(members.map((x) => [x.email, 10]))
    for (const o of seeded.store.orders) {
      if (!AWARDING.includes(o.statusId)) continue
      const email = seeded.store.getCustomer(o.customerId)!.email.toLowerCase()
      expected.set(email, expected.get(email)! + 2 * pointsFor(o.subtotalCents - o.discountCents, 1))
    }
    assert.deepEqual(new Map(members.map((x) => [x.email, x.balance])), expected)
    const earns = await t.deps.db
      .selectFrom('ledger_entries')
      .select('reason')
      .where('program_id', '=', program.id)
      .where('kind', '=', 'earn')
      .execute()
    assert.ok(earns.length > 0 && earns.every((e) => e.reason.endsWith('campanha "Sempre em dobro": pontos × 2')))

    const count = await entryCount(program.id)
    await t.deps.db.updateTable('sync_state').set({ cursor: null }).where('program_id', '=', program.id).execute()
    assert.equal(await runSync(t.deps, program.id), 'done')
    assert.equal(await entryCount(program.id), count, 'a replayed sync pays no bonus twice')
    await assertBalancesConsistent(program.id)
  })
})

describe('daily job: expiry and birthdays', () => {
  test('points expire N months after they were earned, oldest first; every run twice in a row changes nothing', async () => {
    const p = await erpProgram(1)
    await p.rules({ expiryMonths: 1 })
    const sale = await p.sale({
      externalId: 'E-1',
      customerEmail: 'duda@cliente.test',
      amountCents: 10_000,
      date: today(),
    })
    const memberId = sale.body.memberId
    await t.deps.db.transaction().execute((trx) =>
      postEntry(trx, p.programId, {
        memberId,
        kind: 'redeem',
        amount: -30,
        reason: 'Resgate: teste',
        idempotencyKey: 'test-redeem-1',
      }),
    )
    const d0 = today()
    const due = addMonths(d0, 1)
    assert.deepEqual((await pointsExpiringWithin(t.deps.db, p.programId, 1, [memberId], 40)).get(memberId), [
      { on: due, points: 70 },
    ])

    // The first run looks at everyone (no day checked yet) and finds nothing due.
    await runDaily(t.deps, addDays(due, -1))
    assert.equal(await balance(p.programId, memberId), 70)
    // On the expiry day the window of credits earned a month earlier holds this one.
    const counts = await runDaily(t.deps, due)
    assert.deepEqual([counts.expiredMembers, counts.expiredPoints], [1, 70])
    const entries = await ledger(p.programId, memberId)
    assert.deepEqual(
      entries.slice(-1).map((e) => [e.kind, e.amount]),
      [['expire', -70]],
    )
    assert.match(entries.at(-1)!.idempotency_key, new RegExp(`^expire:${memberId}:${due}:`))
    assert.equal(await balance(p.programId, memberId), 0)

    const n = await entryCount(p.programId)
    assert.equal((await runDaily(t.deps, due)).expiredPoints, 0)
    assert.equal(await entryCount(p.programId), n, 'second run the same day: nothing')
    // Even forgetting the day it finished (a crash before saving it), the keys and FIFO post nothing.
    await t.deps.db
      .updateTable('points_rules')
      .set({ expiry_checked_through: null })
      .where('program_id', '=', p.programId)
      .execute()
    await runDaily(t.deps, due)
    await runDaily(t.deps, addDays(due, 1))
    assert.equal(await entryCount(p.programId), n)
    await assertBalancesConsistent(p.programId)
  })

  test('birthday bonus once per member per São Paulo year; a rerun pays nothing', async () => {
    const p = await erpProgram(1)
    const day = today()
    const born = `1990-${day.slice(5)}`
    const bday = (
      await p.api('POST', '/members', {
        email: 'eva@cliente.test',
        birthDate: born === '1990-02-29' ? '1992-02-29' : born,
      })
    ).body.id
    const other = (
      await p.api('POST', '/members', { email: 'flor@cliente.test', birthDate: `1990-${addDays(day, 10).slice(5)}` })
    ).body.id
    await p.rules({ birthdayBonus: 40 })
    await runDaily(t.deps, day)
    assert.deepEqual(
      (await ledger(p.programId, bday)).map((e) => [e.kind, e.amount, e.idempotency_key]),
      [['bonus', 40, `bonus:birthday:${bday}:${day.slice(0, 4)}`]],
    )
    assert.deepEqual(await ledger(p.programId, other), [])
    const n = await entryCount(p.programId)
    await runDaily(t.deps, day)
    await t.deps.db
      .updateTable('points_rules')
      .set({ birthdays_checked_through: null })
      .where('program_id', '=', p.programId)
      .execute()
    await runDaily(t.deps, day)
    assert.equal(await entryCount(p.programId), n, 'run twice (and after losing its place): nothing new')
    // A year later (the job kept running daily up to the day before): the next year's bonus.
    const nextYear = addMonths(day, 12)
    await t.deps.db
      .updateTable('points_rules')
      .set({ birthdays_checked_through: addDays(nextYear, -1) })
      .where('program_id', '=', p.programId)
      .execute()
    await runDaily(t.deps, nextYear)
    assert.equal((await ledger(p.programId, bday)).length, 2)
    await assertBalancesConsistent(p.programId)
  })
})
