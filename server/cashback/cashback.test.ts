import { singleUseCouponInput } from '../li-simulator/coupons.ts'
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import { CashbackRulesView, WidgetCashback } from '../../shared/api/cashback.ts'
import { MemberDetail } from '../../shared/api/members.ts'
import { ProgramView } from '../../shared/api/programs.ts'
import { runSync } from '../integrations/sync.ts'
import { addDays, saoPauloDay } from '../lib/calendar.ts'
import { manualClock, type LiSimulator } from '../li-simulator/index.ts'
import { holdCoupons } from '../members/service.ts'
import { meCashbackJson } from '../points/me.ts'
import { releasePending } from '../points/pending.ts'
import type { TestApp } from '../test/harness.ts'
import { connectStore, startLiTestApp, type LiTestEnv } from '../test/li-store.ts'

/** Cashback programs through the admin API and the order sync against the LI simulator. */
const clock = manualClock('2025-03-14T13:00:00Z')
let env: LiTestEnv
let t: TestApp
let sim: LiSimulator
before(async () => {
  env = await startLiTestApp({ sim: { clock } })
  ;({ t, sim } = env)
})
after(() => env.close())

async function cashbackStore(rules: Record<string, unknown>, mode: 'points' | 'cashback' = 'cashback') {
  const m = await t.merchant()
  const created = await t.request('POST', '/v1/programs', { token: m.token, body: { name: 'Clube Volta', mode } })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const programId = created.body.id as string
  const api = (method: string, path: string, body?: unknown) =>
    t.request(method, `/v1/programs/${programId}${path}`, { token: m.token, ...(body !== undefined ? { body } : {}) })
  if (Object.keys(rules).length) {
    const res = await api('PATCH', '/cashback-rules', rules)
    assert.equal(res.status, 200, JSON.stringify(res.body))
  }
  const s = await connectStore(t.deps, sim, {
    seed: { seed: 23, customers: 3, orders: 0 },
    merchantId: m.id,
    programId,
  })
  return { ...s, api, token: m.token }
}

async function memberOf(programId: string, liCustomerId: number) {
  return t.deps.db
    .selectFrom('members')
    .selectAll()
    .where('program_id', '=', programId)
    .where('li_customer_id', '=', liCustomerId)
    .executeTakeFirstOrThrow()
}
const entries = (programId: string, memberId: number) =>
  t.deps.db
    .selectFrom('ledger_entries')
    .select(['kind', 'amount', 'reason'])
    .where('program_id', '=', programId)
    .where('member_id', '=', memberId)
    .orderBy('id')
    .execute()
const storedOrder = (programId: string, numero: number) =>
  t.deps.db
    .selectFrom('orders')
    .selectAll()
    .where('program_id', '=', programId)
    .where('external_id', '=', String(numero))
    .executeTakeFirstOrThrow()

describe('program mode', () => {
  test('chosen at creation, shown in every view, and never switched', async () => {
    const m = await t.merchant()
    const cb = await t.request('POST', '/v1/programs', { token: m.token, body: { name: 'Volta', mode: 'cashback' } })
    assert.equal(cb.status, 201)
    assert.equal(v.parse(ProgramView, cb.body).mode, 'cashback')
    const pts = (await t.request('POST', '/v1/programs', { token: m.token, body: { name: 'Pontos' } })).body
    assert.equal(pts.mode, 'points', 'points by default')
    assert.equal((await t.request('GET', `/v1/programs/${cb.body.id}`, { token: m.token })).body.mode, 'cashback')
    const list = (await t.request('GET', '/v1/programs', { token: m.token })).body.items
    assert.deepEqual(list.map((p: { mode: string }) => p.mode).sort(), ['cashback', 'points'])

    const bad = await t.request('POST', '/v1/programs', { token: m.token, body: { name: 'X', mode: 'giftback' } })
    assert.equal(bad.status, 400)
    assert.equal(bad.body.error.field, 'mode')

    for (const [p, other] of [
      [cb.body, 'points'],
      [pts, 'cashback'],
    ] as const) {
      const res = await t.request('PATCH', `/v1/programs/${p.id}`, { token: m.token, body: { mode: other } })
      assert.equal(res.status, 409)
      assert.equal(res.body.error.code, 'program_mode_locked')
      assert.equal(res.body.error.field, 'mode')
      assert.match(res.body.error.message, /cannot change/)
      const same = await t.request('PATCH', `/v1/programs/${p.id}`, { token: m.token, body: { mode: p.mode } })
      assert.equal(same.status, 200, 'naming the current mode is harmless')
      assert.equal(same.body.mode, p.mode)
    }
  })

  test('a cashback program refuses points-only settings: expiry in months and campaigns', async () => {
    const m = await t.merchant()
    const cb = (await t.request('POST', '/v1/programs', { token: m.token, body: { name: 'V', mode: 'cashback' } })).body
    const months = await t.request('PATCH', `/v1/programs/${cb.id}/points-rules`, {
      token: m.token,
      body: { expiryMonths: 6 },
    })
    assert.equal(months.status, 409)
    assert.equal(months.body.error.code, 'wrong_program_mode')
    assert.equal(months.body.error.field, 'expiryMonths')
    const bonus = await t.request('PATCH', `/v1/programs/${cb.id}/points-rules`, {
      token: m.token,
      body: { signupBonus: 500 },
    })
    assert.equal(bonus.status, 200, 'a sign-up bonus (in cents) is still a cashback program’s')
    const campaign = await t.request('POST', `/v1/programs/${cb.id}/campaigns`, {
      token: m.token,
      body: { name: 'Dobro', multiplier: 2, startsOn: '2030-01-01', endsOn: '2030-01-31' },
    })
    assert.equal(campaign.status, 409)
    assert.equal(campaign.body.error.code, 'wrong_program_mode')
  })

  test('cashback rules: defaults, changes, bounds named by field; each mode keeps its own settings', async () => {
    const m = await t.merchant()
    const cb = (await t.request('POST', '/v1/programs', { token: m.token, body: { name: 'V', mode: 'cashback' } })).body
    const pts = (await t.request('POST', '/v1/programs', { token: m.token, body: { name: 'P' } })).body
    const get = (p: { id: string }, path: string) => t.request('GET', `/v1/programs/${p.id}${path}`, { token: m.token })
    const patch = (p: { id: string }, path: string, body: unknown) =>
      t.request('PATCH', `/v1/programs/${p.id}${path}`, { token: m.token, body })
    const defaults = v.parse(CashbackRulesView, (await get(cb, '/cashback-rules')).body)
    assert.equal(defaults.earnOnProgramCouponOrders, false, 'no cashback on an order paid with cashback')
    assert.equal(defaults.updatedAt, null)

    const rules = {
      percentBp: 1000,
      minimumOrderCents: 29_900,
      pendingDays: 8,
      validityDays: 31,
      minRedemptionCents: 500,
      maxRedemptionCents: 20_000,
      maxOrderSharePct: 30,
    }
    const saved = await patch(cb, '/cashback-rules', rules)
    assert.equal(saved.status, 200, JSON.stringify(saved.body))
    assert.deepEqual(
      { ...saved.body, updatedAt: null },
      { ...rules, earnOnProgramCouponOrders: false, updatedAt: null },
    )
    // The pending period and validity drive the points lifecycle's own jobs.
    const life = await t.deps.db
      .selectFrom('points_rules')
      .select(['pending_days', 'expiry_days', 'expiry_months'])
      .where('program_id', '=', cb.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(life, { pending_days: 8, expiry_days: 31, expiry_months: null })

    for (const [body, field] of [
      [{ percentBp: 0 }, 'percentBp'],
      [{ percentBp: 12.5 }, 'percentBp'],
      [{ maxOrderSharePct: 101 }, 'maxOrderSharePct'],
      [{ maxRedemptionCents: 100 }, 'maxRedemptionCents'],
      [{ minRedemptionCents: 1000, maxRedemptionCents: 900 }, 'maxRedemptionCents'],
      [{ points: 1 }, 'points'],
    ] as const) {
      const res = await patch(cb, '/cashback-rules', body)
      assert.equal(res.status, 400, JSON.stringify(body))
      assert.equal(res.body.error.field, field, JSON.stringify(res.body))
    }
    assert.equal((await get(cb, '/cashback-rules')).body.maxRedemptionCents, 20_000, 'nothing refused was written')

    const wrong = await get(pts, '/cashback-rules')
    assert.equal(wrong.status, 409)
    assert.equal(wrong.body.error.code, 'wrong_program_mode')
    assert.equal((await get(cb, '/amount-redemption')).body.error.code, 'wrong_program_mode')
    assert.equal((await get(pts, '/amount-redemption')).body.enabled, false)

    // Documented from the same schemas.
    const doc = (await t.request('GET', '/openapi.json')).body
    assert.ok(doc.paths['/v1/programs/{programId}/cashback-rules'].patch.requestBody)
    assert.ok(doc.paths['/v1/programs/{programId}/amount-redemption'].get)
    assert.ok(doc.paths['/v1/widget/{programKey}/redemptions/amount'].post.requestBody)
    assert.ok(JSON.stringify(doc.paths['/v1/programs'].post).includes('cashback'), 'the mode at creation')
  })
})

describe('earning cashback through the sync', () => {
  test('a share of subtotal − discount from the minimum order, reversed exactly on cancellation', async () => {
    const s = await cashbackStore({ percentBp: 1000, minimumOrderCents: 5000 })
    assert.equal(await runSync(t.deps, s.programId), 'done')
    const [ana] = s.store.customers
    const products = s.store.products
    clock.advance(60_000)
    const big = s.store.createOrder({
      customerId: ana!.id,
      items: [{ productId: products[0]!.id, quantity: 3, unitPriceCents: 12_345 }],
      statusCodigo: 'pedido_entregue',
      shippingCents: 2500,
    })
    const small = s.store.createOrder({
      customerId: ana!.id,
      items: [{ productId: products[0]!.id, unitPriceCents: 4999 }],
      statusCodigo: 'pedido_entregue',
    })
    clock.advance(60_000)
    assert.equal(await runSync(t.deps, s.programId), 'done')
    const member = await memberOf(s.programId, ana!.id)
    const row = await storedOrder(s.programId, big.numero)
    const expected = Math.floor((row.subtotal_cents - row.discount_cents) / 10)
    assert.equal(expected, 3703, 'R$ 370,35 → R$ 37,03: shipping never earns, rounded down to the cent')
    assert.deepEqual(await entries(s.programId, member.id), [
      { kind: 'earn', amount: expected, reason: `Cashback da compra nº ${big.numero}` },
    ])
    assert.equal((await storedOrder(s.programId, small.numero)).points_awarded, 0, 'below the minimum order')

    // Replaying changes nothing; the cancellation takes back exactly what was credited.
    assert.equal(await runSync(t.deps, s.programId), 'done')
    await s.api('PATCH', '/cashback-rules', { percentBp: 5000 })
    s.store.setOrderStatus(big.numero, 'pedido_cancelado')
    clock.advance(60_000)
    assert.equal(await runSync(t.deps, s.programId), 'done')
    const after = await entries(s.programId, member.id)
    assert.equal(after.length, 2)
    assert.equal(after[1]!.kind, 'reverse')
    assert.equal(after[1]!.amount, -expected, 'what was credited, not what today’s 50 % would give')
    assert.match(after[1]!.reason, /^Estorno do cashback da compra nº/)
    assert.equal((await memberOf(s.programId, ana!.id)).balance, 0)

    // The admin API shows the balance in reais.
    const detail = await s.api('GET', `/members/${member.id}`)
    const view = v.parse(MemberDetail, detail.body).member
    assert.deepEqual([view.unit, view.balanceCents, view.balanceText], ['cents', 0, 'R$ 0,00'])
  })

  test('an order paid with a coupon of the program earns nothing, unless the merchant allows it', async () => {
    const s = await cashbackStore({ percentBp: 1000 })
    assert.equal(await runSync(t.deps, s.programId), 'done')
    const [ana, bia] = s.store.customers
    const a = await memberOf(s.programId, ana!.id)
    const b = await memberOf(s.programId, bia!.id)
    // A cashback coupon each, as a redemption would have issued it.
    for (const [m, code] of [
      [a, 'FIDAAAAAAAAAAAA2'],
      [b, 'FIDBBBBBBBBBBBB3'],
    ] as const) {
      await t.deps.db
        .insertInto('redemptions')
        .values({
          program_id: s.programId,
          member_id: m.id,
          reward_id: null,
          idempotency_key: `seed-${code}`,
          status: 'issued',
          points_cost: 1000,
          reward_kind: 'amount',
          reward_title: 'R$ 10,00 de cashback',
          coupon_type: 'fixo',
          coupon_value: 1000,
          minimum_order_cents: null,
          amount_cents: 1000,
          coupon_code: code,
          li_coupon_id: 1,
          valid_until_day: '2026-01-01',
          expires_at: new Date('2026-01-02T02:59:59Z'),
        })
        .execute()
      await holdCoupons(t.deps.db, s.programId, [{ memberId: m.id, until: new Date('2026-01-01T00:00:00Z') }])
      s.store.insertCoupon(singleUseCouponInput(code))
    }
    const product = s.store.products[0]!.id
    clock.advance(60_000)
    const paid = s.store.createOrder({
      customerId: ana!.id,
      items: [{ productId: product, unitPriceCents: 20_000 }],
      statusCodigo: 'pedido_entregue',
      couponCodigo: 'FIDAAAAAAAAAAAA2',
    })
    const plain = s.store.createOrder({
      customerId: ana!.id,
      items: [{ productId: product, unitPriceCents: 20_000 }],
      statusCodigo: 'pedido_entregue',
    })
    clock.advance(60_000)
    assert.equal(await runSync(t.deps, s.programId), 'done')
    assert.equal((await storedOrder(s.programId, paid.numero)).coupon_code, 'FIDAAAAAAAAAAAA2')
    assert.equal((await storedOrder(s.programId, paid.numero)).points_awarded, 0, 'paid with cashback')
    assert.equal((await storedOrder(s.programId, plain.numero)).points_awarded, 2000)

    await s.api('PATCH', '/cashback-rules', { earnOnProgramCouponOrders: true })
    clock.advance(60_000)
    const allowed = s.store.createOrder({
      customerId: bia!.id,
      items: [{ productId: product, unitPriceCents: 20_000 }],
      statusCodigo: 'pedido_entregue',
      couponCodigo: 'FIDBBBBBBBBBBBB3',
    })
    clock.advance(60_000)
    assert.equal(await runSync(t.deps, s.programId), 'done')
    const o = await storedOrder(s.programId, allowed.numero)
    assert.equal(o.points_awarded, Math.floor((o.subtotal_cents - o.discount_cents) / 10))
  })

  test('pending days: the credit waits, shows its day, then becomes available', async () => {
    const s = await cashbackStore({ percentBp: 1000, pendingDays: 8, validityDays: 31 })
    assert.equal(await runSync(t.deps, s.programId), 'done')
    const [ana] = s.store.customers
    // The period counts from the order's last change: bring the store's clock to the present so
    // the order is still inside it (the clock only ever moves forward).
    clock.set(Math.max(Date.now(), clock.now().getTime() + 60_000))
    s.store.createOrder({
      customerId: ana!.id,
      items: [{ productId: s.store.products[0]!.id, unitPriceCents: 30_000 }],
      statusCodigo: 'pedido_entregue',
    })
    clock.advance(60_000)
    assert.equal(await runSync(t.deps, s.programId), 'done')
    const member = await memberOf(s.programId, ana!.id)
    assert.equal(member.balance, 0)
    const order = await t.deps.db
      .selectFrom('orders')
      .select(['award_state', 'points_awarded', 'available_on', 'source_updated_at'])
      .where('program_id', '=', s.programId)
      .where('member_id', '=', member.id)
      .executeTakeFirstOrThrow()
    assert.equal(order.award_state, 'pending')
    assert.equal(order.points_awarded, 3000)
    const day = order.available_on!
    assert.equal(day, addDays(saoPauloDay(order.source_updated_at), 8))
    // What the widget's `me` shows: nothing available yet, R$ 30,00 on that day.
    const me = (lastEntryId: number | null, balance: number) =>
      meCashbackJson(
        t.deps.db,
        s.programId,
        { expiryMonths: null, expiryDays: 31, pendingDays: 8 },
        member.id,
        balance,
        lastEntryId,
      ).then((json) => v.parse(WidgetCashback, JSON.parse(json)))
    assert.deepEqual(await me(null, 0), {
      availableCents: 0,
      pendingCents: 3000,
      pending: [{ cents: 3000, availableOn: day }],
      expiring: [],
    })
    assert.equal(await releasePending(t.deps.db, addDays(day, -1)), 0)
    assert.equal(await releasePending(t.deps.db, day), 1)
    assert.equal((await memberOf(s.programId, ana!.id)).balance, 3000)
    const [entry] = await t.deps.db
      .selectFrom('ledger_entries')
      .select(['id', 'created_at'])
      .where('member_id', '=', member.id)
      .execute()
    const after = await me(entry!.id, 3000)
    assert.deepEqual([after.availableCents, after.pendingCents, after.pending], [3000, 0, []])
    // Valid 31 days from the day it became spendable (the day the release ran).
    assert.deepEqual(after.expiring, [{ cents: 3000, on: addDays(saoPauloDay(entry!.created_at), 31) }])
  })
})
