import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { runExpiryNotices, type ExpirySource } from '../email/lifecycle/expiring.ts'
import { lockBalances, postEntries, postNewEntries } from '../ledger/service.ts'
import { upsertStoreCustomers } from '../members/store-customers.ts'
import { issueCoupon, reconcileCoupons } from '../redemptions/service.ts'
import { liveProgram, login, seedMember, startWidgetTestApp, type WidgetTestEnv } from '../widget/test-support.ts'
import { dispatchEvents } from './dispatcher.ts'
import { emit, pruneDeliveryLog } from './service.ts'
import { privacyKey } from '../config/secrets.ts'
import { eraseMember } from '../privacy/service.ts'

/**
 * Each place where an event happens writes its outbox row in its own transaction (the delivery
 * itself is tested in delivery.test.ts). Endpoints are saved through the API; the outbox is read
 * directly.
 */
describe('webhook events in the outbox', () => {
  let env: WidgetTestEnv
  before(async () => {
    env = await startWidgetTestApp({ config: { WEBHOOK_ALLOW_LOOPBACK: 'true' } })
  })
  after(() => env.close())
  const db = () => env.t.deps.db

  async function subscribed(events: string[] = ['*']) {
    const p = await liveProgram(env)
    const all = events[0] === '*'
    const body = {
      url: 'http://127.0.0.1:9/hooks',
      events: all
        ? [
            'member.joined',
            'points.earned',
            'points.reversed',
            'reward.redeemed',
            'coupon.issued',
            'coupon.used',
            'points.expiring',
            'member.erased',
          ]
        : events,
    }
    const res = await env.t.request('POST', `/v1/programs/${p.programId}/webhooks`, { token: p.merchantToken, body })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return p
  }

  const outbox = (programId: string) =>
    db()
      .selectFrom('webhook_events')
      .select(['id', 'type', 'data'])
      .where('program_id', '=', programId)
      .orderBy('id')
      .execute()
  const ofType = async (programId: string, type: string) =>
    (await outbox(programId)).filter((e) => e.type === type).map((e) => e.data as Record<string, any>)

  test('nothing is written when no endpoint listens, or the endpoint is off', async () => {
    const p = await liveProgram(env)
    const memberId = await seedMember(env.t, p.programId, 'sem-webhook@cliente.test')
    const earn = (key: string) =>
      db()
        .transaction()
        .execute((trx) =>
          postEntries(trx, p.programId, [
            { memberId, kind: 'earn', amount: 10, reason: 'Compra', idempotencyKey: key },
          ]),
        )
    await earn('a')
    assert.equal((await outbox(p.programId)).length, 0)
    const res = await env.t.request('POST', `/v1/programs/${p.programId}/webhooks`, {
      token: p.merchantToken,
      body: { url: 'http://127.0.0.1:9/h', events: ['points.reversed'], enabled: true },
    })
    await earn('b') // listened type is another one
    await env.t.request('PATCH', `/v1/programs/${p.programId}/webhooks/${res.body.endpoint.id}`, {
      token: p.merchantToken,
      body: { events: ['points.earned'], enabled: false },
    })
    await earn('c') // off
    assert.equal((await outbox(p.programId)).length, 0)
  })

  test('member.joined: enrolment by hand and by the store sync (one statement per page)', async () => {
    const p = await subscribed()
    const res = await env.t.request('POST', `/v1/programs/${p.programId}/members`, {
      token: p.merchantToken,
      body: { email: 'manual@cliente.test', name: 'Bia' },
    })
    assert.equal(res.status, 201)
    await db()
      .transaction()
      .execute((trx) =>
        upsertStoreCustomers(
          trx,
          p.programId,
          [
            { liCustomerId: 501, email: 'sync1@cliente.test', name: null, cpf: null, birthDate: null },
            { liCustomerId: 502, email: 'sync2@cliente.test', name: null, cpf: null, birthDate: null },
          ],
          { key: privacyKey(env.t.deps.secrets) },
        ),
      )
    const joined = await ofType(p.programId, 'member.joined')
    const synced = await db()
      .selectFrom('members')
      .select('id')
      .where('program_id', '=', p.programId)
      .where('li_customer_id', 'in', [501, 502])
      .orderBy('id')
      .execute()
    assert.deepEqual(
      joined.map((d) => d.memberId),
      [res.body.id, ...synced.map((m) => m.id)],
    )
    // No personal data (e-mail, LI id) in the outbox: it is read at delivery time.
    assert.deepEqual(
      joined.map((d) => Object.keys(d)),
      [['memberId'], ['memberId'], ['memberId']],
    )
  })

  test('points.earned / points.reversed from both ledger paths, amounts with their unit', async () => {
    const p = await subscribed()
    const memberId = await seedMember(env.t, p.programId, 'pontos@cliente.test')
    await db()
      .transaction()
      .execute(async (trx) => {
        await postEntries(trx, p.programId, [
          { memberId, kind: 'earn', amount: 120, reason: 'Compra nº 7', idempotencyKey: 'o7', orderRef: 'li:7' },
          { memberId, kind: 'bonus', amount: 50, reason: 'Bônus', idempotencyKey: 'b1' },
        ])
        // A replay writes no second event.
        await postEntries(trx, p.programId, [
          { memberId, kind: 'earn', amount: 120, reason: 'Compra nº 7', idempotencyKey: 'o7', orderRef: 'li:7' },
        ])
      })
    await db()
      .transaction()
      .execute(async (trx) => {
        const locked = await lockBalances(trx, p.programId, [memberId])
        await postNewEntries(
          trx,
          p.programId,
          [{ memberId, kind: 'reverse', amount: -120, reason: 'Cancelado', idempotencyKey: 'o7:r', orderRef: 'li:7' }],
          locked,
        )
      })
    const earned = await ofType(p.programId, 'points.earned')
    assert.deepEqual(
      earned.map((d) => [d.kind, d.amount, d.unit, d.orderRef]),
      [
        ['earn', 120, 'points', 'li:7'],
        ['bonus', 50, 'points', null],
      ],
    )
    const [reversed] = await ofType(p.programId, 'points.reversed')
    assert.deepEqual([reversed!.amount, reversed!.unit, reversed!.memberId], [120, 'points', memberId])
    assert.ok(reversed!.entryId)
  })

  test('reward.redeemed, coupon.issued and coupon.used follow the redemption', async () => {
    const p = await subscribed()
    const email = 'resgate@cliente.test'
    const memberId = await seedMember(env.t, p.programId, email)
    await db()
      .transaction()
      .execute((trx) =>
        postEntries(trx, p.programId, [{ memberId, kind: 'earn', amount: 500, reason: 'Compra', idempotencyKey: 's' }]),
      )
    const reward = await env.t.request('POST', `/v1/programs/${p.programId}/rewards`, {
      token: p.merchantToken,
      body: { kind: 'fixed_discount', title: 'R$ 10 de desconto', pointsCost: 300, valueCents: 1000 },
    })
    const session = await login(env.t, p, email)
    const res = await env.t.request('POST', `${p.base}/redemptions`, {
      token: session.accessToken,
      body: { rewardId: reward.body.id, idempotencyKey: 'click-0001' },
    })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    const [redeemed] = await ofType(p.programId, 'reward.redeemed')
    assert.deepEqual(
      [redeemed!.redemptionId, redeemed!.amount, redeemed!.unit, redeemed!.rewardTitle],
      [res.body.id, 300, 'points', 'R$ 10 de desconto'],
    )
    assert.equal(await issueCoupon(env.t.deps, res.body.id), 'issued')
    const [issued] = await ofType(p.programId, 'coupon.issued')
    assert.match(issued!.couponCode, /^FID/)
    assert.ok(issued!.validUntil)
    env.sim.state.requireStore(p.store.store.id).findCouponByCodigo(issued!.couponCode)!.quantidadeUsada = 1
    await reconcileCoupons(env.t.deps)
    const [used] = await ofType(p.programId, 'coupon.used')
    assert.deepEqual([used!.redemptionId, used!.couponCode], [res.body.id, issued!.couponCode])
  })

  test('points.expiring is written with the 30-day notice e-mail', async () => {
    const p = await subscribed()
    const memberId = await seedMember(env.t, p.programId, 'vence@cliente.test')
    const source: ExpirySource = {
      programs: async () => [p.programId],
      candidates: async (_db, _p, _today, _within, afterId) => (afterId < memberId ? [memberId] : []),
      upcoming: async () => new Map([[memberId, [{ points: 80, on: '2026-12-30' }]]]),
    }
    await db().updateTable('integrations').set({ active: true }).where('program_id', '=', p.programId).execute()
    assert.ok((await runExpiryNotices(env.t.deps, source, new Date('2026-12-07T15:00:00Z'))) >= 1)
    const [expiring] = await ofType(p.programId, 'points.expiring')
    assert.deepEqual(
      [expiring!.memberId, expiring!.amount, expiring!.unit, expiring!.lots],
      [memberId, 80, 'points', [{ amount: 80, unit: 'points', expiresOn: '2026-12-30' }]],
    )
  })

  test('member.erased (fired by the erasure) is dispatched to the endpoints listening to it', async () => {
    const p = await subscribed(['member.erased'])
    const memberId = await seedMember(env.t, p.programId, 'apagar@cliente.test')
    await db()
      .transaction()
      .execute((trx) => emit(trx, p.programId, 'member.erased', { memberId }))
    // And through the privacy feature's erasure, in its transaction.
    const other = await seedMember(env.t, p.programId, 'apagar2@cliente.test')
    await db()
      .transaction()
      .execute((trx) => eraseMember(trx, env.t.deps, p.programId, other, { channel: 'api', ip: null }))
    const erased = await ofType(p.programId, 'member.erased')
    assert.deepEqual(
      erased.map((e) => e.memberId),
      [memberId, other],
    )
    assert.ok(erased[1]!.erasedAt)
    await dispatchEvents(env.t.deps)
    const deliveries = await db()
      .selectFrom('webhook_deliveries')
      .select(['status', 'attempts'])
      .where('program_id', '=', p.programId)
      .execute()
    assert.deepEqual(deliveries, [
      { status: 'pending', attempts: 0 },
      { status: 'pending', attempts: 0 },
    ])
  })

  test('the delivery log forgets events 30 days after their deliveries ended, never a pending one', async () => {
    const p = await subscribed(['points.earned'])
    const memberId = await seedMember(env.t, p.programId, 'log@cliente.test')
    for (const key of ['old-done', 'old-pending', 'new-done'])
      await db()
        .transaction()
        .execute((trx) =>
          postEntries(trx, p.programId, [
            { memberId, kind: 'earn', amount: 10, reason: 'Compra', idempotencyKey: key },
          ]),
        )
    await dispatchEvents(env.t.deps)
    const [oldDone, oldPending, newDone] = await outbox(p.programId)
    const longAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000)
    await db()
      .updateTable('webhook_events')
      .set({ dispatched_at: longAgo })
      .where('id', 'in', [oldDone!.id, oldPending!.id])
      .execute()
    await db()
      .updateTable('webhook_deliveries')
      .set({ status: 'delivered' })
      .where('event_id', 'in', [oldDone!.id, newDone!.id])
      .execute()
    assert.ok((await pruneDeliveryLog(db())) >= 1)
    const left = (await outbox(p.programId)).map((e) => e.id)
    assert.deepEqual(left, [oldPending!.id, newDone!.id], 'a pending delivery keeps its event; a recent one stays')
    const deliveries = await db()
      .selectFrom('webhook_deliveries')
      .select('event_id')
      .where('program_id', '=', p.programId)
      .execute()
    assert.deepEqual(deliveries.map((d) => d.event_id).sort(), [oldPending!.id, newDone!.id].sort())
  })
})
