import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sumEntries } from '../ledger/service.ts'
import { addDays, saoPauloDay, startOfSaoPauloDay } from '../lib/calendar.ts'
import { findStatusByCodigo } from '../li-simulator/index.ts'
import { DELIVERED } from '../test/li-store.ts'
import { startWidgetTestApp, type WidgetTestEnv } from '../widget/test-support.ts'
import * as repo from './repository.ts'
import { processReferrals } from './service.ts'
import { referralOf, referralProgram, runCoupon, type ReferralProgram } from './test-support.ts'

// The friend's order → ordered → credited after the pending period, through the minutely pass
// with an injected clock (as the points' pending release is tested).

let env: WidgetTestEnv
before(async () => {
  env = await startWidgetTestApp({ config: { LI_TIMEOUT_MS: '300' } })
})
after(() => env.close())

const db = () => env.t.database.db
const CANCELLED = findStatusByCodigo('pedido_cancelado')!.id
const DAY = 86_400_000
const inDays = (n: number) => new Date(Date.now() + n * DAY)
const pass = (n = 0) => processReferrals(env.t.deps, inDays(n))

async function claimed(r: ReferralProgram, email: string) {
  assert.equal((await r.claim(email)).status, 202)
  const row = (await referralOf(env, r.p.programId, email))!
  assert.equal(await runCoupon(env, row.id), 'issued')
  return row.id
}

const status = async (id: string) =>
  await db().selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

const credits = (r: ReferralProgram) =>
  db()
    .selectFrom('ledger_entries')
    .select(['kind', 'amount', 'idempotency_key', 'reason'])
    .where('program_id', '=', r.p.programId)
    .where('member_id', '=', r.advocateId)
    .where('idempotency_key', 'like', 'referral:%')
    .execute()

/** The store's orders award points once delivered (the integration's awarding statuses). */
const awardOnDelivery = (r: ReferralProgram) =>
  db()
    .updateTable('integrations')
    .set({ awarding_status_ids: [DELIVERED] })
    .where('program_id', '=', r.p.programId)
    .execute()

/** An LI order row of R$ 180,00 placed now, of no member yet (the orders feature holds it; the pass still sees it). */
const liOrder = (r: ReferralProgram, id: string, email: string, statusId: number, code: string) => ({
  program_id: r.p.programId,
  source: 'li' as const,
  external_id: id,
  li_customer_id: null,
  customer_email: email,
  member_id: null,
  status_id: statusId,
  status_code: code,
  subtotal_cents: 20_000,
  shipping_cents: 0,
  discount_cents: 2_000,
  total_cents: 18_000,
  placed_at: new Date(),
  source_updated_at: new Date(),
})

describe('order arrival and credit', () => {
  test('first order → ordered with the pending day → credited once on that day; replays and reruns add nothing', async () => {
    const r = await referralProgram(env, { advocateReward: 300 })
    const hook = await r.admin('POST', '/webhooks', {
      url: 'https://hooks.example.com/fidelis',
      events: ['referral.credited'],
    })
    assert.equal(hook.status, 201, JSON.stringify(hook.body))
    await r.admin('PATCH', '/points-rules', { pendingDays: 7 })
    const id = await claimed(r, 'bia@cliente.test')
    assert.equal((await pass()).matched, 0, 'no order yet')
    await r.sale('S-1', 'bia@cliente.test')
    const first = await pass()
    assert.equal(first.matched, 1)
    assert.equal(first.ordered, 1)
    const ordered = await status(id)
    assert.equal(ordered.status, 'ordered')
    assert.equal(ordered.order_external_id, 'S-1')
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/Sao_Paulo' })
    assert.equal(ordered.credit_available_on, new Date(Date.parse(today) + 7 * DAY).toISOString().slice(0, 10))
    assert.equal((await pass(6)).credited, 0, 'the day before: waits')
    assert.equal((await pass(7)).credited, 1)
    assert.equal((await pass(7)).credited, 0, 'a second run credits nothing')
    assert.equal((await status(id)).status, 'credited')
    const entries = await credits(r)
    assert.deepEqual(
      entries.map((e) => [e.kind, e.amount, e.idempotency_key]),
      [['bonus', 300, `referral:${id}`]],
    )
    assert.match(entries[0]!.reason, /indicação.*pedido nº S-1/)
    assert.equal(await sumEntries(db(), r.p.programId, r.advocateId), 300)
    const events = await db().selectFrom('webhook_events').selectAll().where('program_id', '=', r.p.programId).execute()
    assert.deepEqual(
      events.map((e) => [e.type, (e.data as { amount: number }).amount]),
      [['referral.credited', 300]],
    )
    const me = await env.t.request('GET', `${r.p.base}/me/referral`, { token: r.token })
    assert.deepEqual(me.body.counts, { invited: 1, credited: 1 })
    const dash = await r.admin('GET', '/dashboard?days=30')
    assert.deepEqual(dash.body.current.referrals, { claims: 1, couponsSent: 1, credited: 1 })
    assert.deepEqual(dash.body.previous.referrals, { claims: 0, couponsSent: 0, credited: 0 })
    // A cancellation after the credit changes nothing (the period is what protects the store).
    await r.sale('S-1', 'bia@cliente.test', { valid: false })
    await pass(8)
    assert.equal((await status(id)).status, 'credited')
  })

  test('a cancellation inside the pending period: cancelled, nothing credited', async () => {
    const r = await referralProgram(env)
    await r.admin('PATCH', '/points-rules', { pendingDays: 7 })
    const id = await claimed(r, 'caio@cliente.test')
    await r.sale('C-1', 'caio@cliente.test')
    await pass()
    assert.equal((await status(id)).status, 'ordered')
    await r.sale('C-1', 'caio@cliente.test', { valid: false })
    assert.equal((await pass(3)).cancelled, 1)
    await pass(10)
    assert.equal((await status(id)).status, 'cancelled')
    assert.deepEqual(await credits(r), [])
  })

  test('the order matched by the referral coupon under another e-mail; a cashback program credits cents', async () => {
    const r = await referralProgram(env, { advocateReward: 1500 }, { mode: 'cashback' })
    const id = await claimed(r, 'dora@cliente.test')
    const row = await status(id)
    // The friend bought with another address, paying with the coupon (the LI detail names it).
    await r.sale('D-1', 'dora.compras@outro.test')
    await db()
      .updateTable('orders')
      .set({ coupon_code: row.coupon_code!.toLowerCase() })
      .where('program_id', '=', r.p.programId)
      .where('external_id', '=', 'D-1')
      .execute()
    const counts = await pass()
    assert.deepEqual([counts.matched, counts.ordered, counts.credited], [1, 1, 1], 'no pending period: at once')
    assert.deepEqual(
      (await credits(r)).map((e) => [e.amount, e.reason.startsWith('Cashback')]),
      [[1500, true]],
    )
  })

  test('the monthly cap: past it the referral is capped, recorded, not credited', async () => {
    const r = await referralProgram(env, { advocateMonthlyCap: 1 })
    const a = await claimed(r, 'eva@cliente.test')
    const b = await claimed(r, 'fabi@cliente.test')
    await r.sale('E-1', 'eva@cliente.test')
    await r.sale('F-1', 'fabi@cliente.test')
    const counts = await pass()
    assert.deepEqual([counts.credited, counts.capped], [1, 1])
    const rows = [await status(a), await status(b)].map((x) => x.status).sort()
    assert.deepEqual(rows, ['capped', 'credited'])
    assert.equal((await credits(r)).length, 1)
    assert.ok((await status(a)).credit_month)
  })

  test('arrival checks: same CPF or name as the advocate, not the first order → review; approval continues to credit', async () => {
    const r = await referralProgram(env, {}, { advocate: { name: 'Gil Prado', cpf: '529.982.247-25' } })
    const same = await claimed(r, 'gil.outro@cliente.test')
    const old = await claimed(r, 'helo@cliente.test')
    // The friend's member row (the store's customer sync would have written it) has the advocate's CPF.
    await r.sale('G-1', 'gil.outro@cliente.test')
    await db()
      .updateTable('members')
      .set({ cpf: '52998224725', name: 'gil  prado' })
      .where('program_id', '=', r.p.programId)
      .where('email', '=', 'gil.outro@cliente.test')
      .execute()
    // Helo has an earlier order under the coupon's own e-mail (placed before the claim).
    await r.sale('H-0', 'helo@cliente.test')
    await db()
      .updateTable('orders')
      .set({ placed_at: new Date(Date.now() - 30 * DAY) })
      .where('program_id', '=', r.p.programId)
      .where('external_id', '=', 'H-0')
      .execute()
    await r.sale('H-1', 'helo@cliente.test')
    const counts = await pass()
    assert.equal(counts.held, 2)
    assert.deepEqual((await status(same)).reasons, ['same_cpf', 'same_name'])
    assert.equal((await status(same)).held_at, 'arrival')
    assert.deepEqual((await status(old)).reasons, ['not_first_order'])
    assert.equal((await status(old)).order_external_id, 'H-0')

    const ok = await r.admin('POST', `/referrals/${same}/approve`, {})
    assert.equal(ok.status, 200, JSON.stringify(ok.body))
    assert.equal(ok.body.status, 'coupon_sent')
    assert.deepEqual([(await pass()).credited, (await status(same)).status], [1, 'credited'])
    await r.admin('POST', `/referrals/${old}/reject`, { reason: 'Já era cliente' })
    await pass()
    assert.equal((await status(old)).status, 'rejected')
    assert.equal((await credits(r)).length, 1)
  })

  test('LI orders: an awarding status of the integration counts, a cancelling one cancels', async () => {
    const r = await referralProgram(env)
    await awardOnDelivery(r)
    const a = await claimed(r, 'joana@cliente.test')
    const b = await claimed(r, 'katia@cliente.test')
    // LI's case is not ours: matched lower-cased.
    const order = (id: string, email: string, statusId: number, code: string) =>
      liOrder(r, id, email.toUpperCase(), statusId, code)
    await db()
      .insertInto('orders')
      .values([
        order('5001', 'joana@cliente.test', 4, 'pedido_pago'),
        order('5002', 'katia@cliente.test', DELIVERED, 'pedido_entregue'),
      ])
      .execute()
    const first = await pass()
    assert.equal(first.matched, 2)
    assert.deepEqual(
      [(await status(a)).status, (await status(b)).status],
      ['coupon_sent', 'credited'],
      'paid is not awarding yet',
    )
    await db()
      .updateTable('orders')
      .set({ status_id: CANCELLED, status_code: 'pedido_cancelado' })
      .where('program_id', '=', r.p.programId)
      .where('external_id', '=', '5001')
      .execute()
    assert.equal((await pass()).cancelled, 1)
    assert.equal((await status(a)).status, 'cancelled')
    assert.equal((await credits(r)).length, 1)
  })

  test('a crash between two steps: each step commits alone and a rerun picks up where it stopped', async () => {
    const r = await referralProgram(env)
    const id = await claimed(r, 'ines@cliente.test')
    await r.sale('I-1', 'ines@cliente.test')
    // Two passes at once (two worker processes): one credit.
    const [x, y] = await Promise.all([pass(), pass()])
    assert.equal(x.credited + y.credited, 1)
    // The ledger key refuses a second entry even if the row were put back to `ordered`.
    await db().updateTable('referrals').set({ status: 'ordered' }).where('id', '=', id).execute()
    await pass()
    assert.equal((await credits(r)).length, 1)
    assert.equal(await sumEntries(db(), r.p.programId, r.advocateId), 500)
  })
})

describe("the friend's coupon lapses unused", () => {
  /** The first instant the referral's coupon counts as lapsed: a whole day after its last valid day. */
  const lapseAt = (validUntil: string) => startOfSaoPauloDay(addDays(validUntil, 1)).getTime() + DAY
  const at = (ms: number) => processReferrals(env.t.deps, new Date(ms))

  test('expired a day after the last valid day, not before; reruns and a late order change nothing', async () => {
    const r = await referralProgram(env)
    await db()
      .updateTable('integrations')
      .set({ coupon_validity_days: 3 })
      .where('program_id', '=', r.p.programId)
      .execute()
    const id = await claimed(r, 'lia@cliente.test')
    const validUntil = (await status(id)).coupon_valid_until!
    assert.equal(validUntil, saoPauloDay(inDays(3)), "the integration's validity")
    assert.equal((await at(lapseAt(validUntil) - 60_000)).expired, 0, 'inside the one-day margin')
    assert.equal((await status(id)).status, 'coupon_sent')
    assert.equal((await at(lapseAt(validUntil) + 60_000)).expired, 1)
    assert.equal((await status(id)).status, 'expired')
    assert.equal((await at(lapseAt(validUntil) + 60_000)).expired, 0, 'a second run finds nothing')
    const me = await env.t.request('GET', `${r.p.base}/me/referral`, { token: r.token })
    assert.deepEqual(me.body.counts, { invited: 1, credited: 0 })
    const [view] = (await r.admin('GET', '/referrals?status=all')).body.items
    assert.deepEqual([view.status, view.couponValidUntil], ['expired', validUntil])
    // The friend orders after all: the coupon could not be used any more; nothing is credited.
    await r.sale('L-1', 'lia@cliente.test')
    const late = await at(lapseAt(validUntil) + 2 * DAY)
    assert.deepEqual([late.matched, late.credited], [0, 0])
    assert.equal((await status(id)).status, 'expired')
    assert.deepEqual(await credits(r), [])
  })

  test('a friend with an order recorded never lapses, even while the order is not awarding yet', async () => {
    const r = await referralProgram(env)
    await awardOnDelivery(r)
    const id = await claimed(r, 'mia@cliente.test')
    await db()
      .insertInto('orders')
      .values(liOrder(r, '6001', 'mia@cliente.test', 4, 'pedido_pago'))
      .execute()
    assert.equal((await pass()).matched, 1)
    const validUntil = (await status(id)).coupon_valid_until!
    assert.equal((await at(lapseAt(validUntil) + DAY)).expired, 0)
    assert.deepEqual([(await status(id)).status, (await status(id)).order_external_id], ['coupon_sent', '6001'])
    // A pass that read the row before the order was recorded cannot lapse it afterwards.
    assert.equal(
      await repo.transition(db(), id, ['coupon_sent'], { status: 'expired' }, { withoutOrder: true }),
      undefined,
    )
  })

  test("only orders placed by the coupon's last day count; a store whose orders cannot be read waits", async () => {
    const r = await referralProgram(env)
    const inTime = await claimed(r, 'nina@cliente.test')
    const tooLate = await claimed(r, 'olga@cliente.test')
    const today = saoPauloDay(new Date())
    const yesterday = addDays(today, -1)
    const validUntil = (id: string, day: string) =>
      db().updateTable('referrals').set({ coupon_valid_until: day }).where('id', '=', id).execute()
    await validUntil(inTime, today)
    await validUntil(tooLate, yesterday)
    // Both order today: Nina on her coupon's last day, Olga the day after hers (inside the margin).
    await r.sale('N-1', 'nina@cliente.test')
    await r.sale('O-1', 'olga@cliente.test')
    // Nina's order is seen late, inside the margin: it counts.
    const first = await at(lapseAt(today) - 60_000)
    assert.deepEqual([first.matched, first.credited, first.expired], [1, 1, 1])
    assert.deepEqual([(await status(inTime)).status, (await status(tooLate)).status], ['credited', 'expired'])
    assert.equal((await credits(r)).length, 1)
  })

  test('a store whose key was rejected keeps its referrals open until its orders can be read', async () => {
    const r = await referralProgram(env)
    const id = await claimed(r, 'paula@cliente.test')
    const validUntil = (await status(id)).coupon_valid_until!
    const rejected = (when: Date | null) =>
      db()
        .updateTable('integrations')
        .set({ credentials_rejected_at: when })
        .where('program_id', '=', r.p.programId)
        .execute()
    await rejected(new Date())
    assert.equal((await at(lapseAt(validUntil) + DAY)).expired, 0)
    assert.equal((await status(id)).status, 'coupon_sent')
    await rejected(null)
    assert.equal((await at(lapseAt(validUntil) + DAY)).expired, 1)
    assert.equal((await status(id)).status, 'expired')
  })
})
