import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import { RedemptionView } from '../../shared/api/redemptions.ts'
import { WidgetConfig, WidgetMe } from '../../shared/api/widget.ts'
import { postEntries } from '../ledger/service.ts'
import { reconcileCoupons } from '../redemptions/service.ts'
import { runCouponJob } from '../redemptions/test-support.ts'
import {
  liveProgram,
  login,
  seedMember,
  startWidgetTestApp,
  type LiveProgram,
  type WidgetTestEnv,
} from '../widget/test-support.ts'

/** "Any amount" redemptions in both modes: one path, coupons in the LI simulator. */
describe('redeeming a chosen amount', () => {
  let env: WidgetTestEnv
  before(async () => {
    env = await startWidgetTestApp({ config: { LI_TIMEOUT_MS: '300' } })
  })
  after(() => env.close())

  const db = () => env.t.database.db
  let n = 0
  async function shopper(p: LiveProgram, balance: number) {
    const email = `cliente${++n}@cliente.test`
    const memberId = await seedMember(env.t, p.programId, email)
    await db()
      .transaction()
      .execute((trx) =>
        postEntries(trx, p.programId, [
          {
            memberId,
            kind: 'earn',
            amount: balance,
            reason: 'Cashback da compra nº 1',
            idempotencyKey: `seed-${memberId}`,
          },
        ]),
      )
    const session = await login(env.t, p, email)
    return { memberId, token: session.accessToken }
  }
  const settings = (p: LiveProgram, path: string, body: unknown) =>
    env.t.request('PATCH', `/v1/programs/${p.programId}${path}`, { token: p.merchantToken, body })
  const redeem = (p: LiveProgram, token: string, amountCents: number, idempotencyKey: string) =>
    env.t.request('POST', `${p.base}/redemptions/amount`, { token, body: { amountCents, idempotencyKey } })
  const balance = async (memberId: number) =>
    (await db().selectFrom('members').select('balance').where('id', '=', memberId).executeTakeFirstOrThrow()).balance
  const simCoupon = (p: LiveProgram, code: string) =>
    env.sim.state.requireStore(p.store.store.id).coupons.find((c) => c.codigo === code)
  const runJob = (id: number) => runCouponJob(env.t.deps, id)
  const row = (id: number) => db().selectFrom('redemptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  test('cashback: "Usar R$ 25,00" becomes a fixo coupon of R$ 25,00 for orders from R$ 83,34 (30 %)', async () => {
    const p = await liveProgram(env, { mode: 'cashback' })
    const saved = await settings(p, '/cashback-rules', {
      minRedemptionCents: 500,
      maxRedemptionCents: 4000,
      maxOrderSharePct: 30,
    })
    assert.equal(saved.status, 200, JSON.stringify(saved.body))
    const s = await shopper(p, 5000)

    const config = v.parse(WidgetConfig, (await env.t.request('GET', `${p.base}/config`)).body)
    assert.deepEqual([config.mode, config.amountRedemption], ['cashback', true])
    const me = v.parse(WidgetMe, (await env.t.request('GET', `${p.base}/me`, { token: s.token })).body)
    assert.equal(me.mode, 'cashback')
    assert.deepEqual(me.cashback, { availableCents: 5000, pendingCents: 0, pending: [], expiring: [] })
    assert.deepEqual(me.amountRedemption, {
      availableCents: 5000,
      minCents: 500,
      maxCents: 4000,
      stepCents: 1,
      centsPerPoint: null,
      maxOrderSharePct: 30,
      maxCentsMinimumOrderCents: 13_334,
    })

    for (const [amount, field, code] of [
      [499, 'amountCents', 'validation_failed'],
      [4001, 'amountCents', 'validation_failed'],
    ] as const) {
      const res = await redeem(p, s.token, amount, `bad-${amount}-key`)
      assert.equal(res.status, 400, JSON.stringify(res.body))
      assert.deepEqual([res.body.error.code, res.body.error.field], [code, field])
    }
    assert.equal(await balance(s.memberId), 5000, 'nothing debited by a refusal')

    const res = await redeem(p, s.token, 2500, 'click-amount-1')
    assert.equal(res.status, 201, JSON.stringify(res.body))
    const r = v.parse(RedemptionView, res.body)
    assert.deepEqual([r.rewardKind, r.rewardId, r.amountCents, r.pointsSpent], ['amount', null, 2500, 2500])
    assert.equal(r.title, 'R$ 25,00 de cashback')
    assert.equal(r.minimumOrderCents, 8334)
    assert.equal(await balance(s.memberId), 2500)
    const again = await redeem(p, s.token, 2500, 'click-amount-1')
    assert.equal(again.status, 200, 'the same click twice is one redemption')
    assert.equal(again.body.id, r.id)
    assert.equal((await redeem(p, s.token, 2400, 'click-amount-1')).body.error.code, 'idempotency_conflict')
    assert.equal(await balance(s.memberId), 2500)

    const short = await redeem(p, s.token, 3000, 'click-amount-2')
    assert.equal(short.status, 409)
    assert.equal(short.body.error.code, 'insufficient_points')

    assert.equal(await runJob(r.id), 'issued')
    const stored = await row(r.id)
    const coupon = simCoupon(p, stored.coupon_code)!
    assert.equal(coupon.tipo, 'fixo')
    assert.equal(coupon.valorHundredths, 2500, 'exactly the chosen amount')
    assert.equal(coupon.valorMinimoCents, 8334, 'R$ 25,00 is at most 30 % of any order it accepts')
    assert.equal(coupon.quantidade, 1, 'single use')
    const history = (await env.t.request('GET', `${p.base}/me`, { token: s.token })).body.history
    assert.equal(history[0].reason, 'Cupom de R$ 25,00 com seu cashback')

    // Unused past its last day: the daily reconciliation gives the R$ 25,00 back, once.
    await db()
      .updateTable('redemptions')
      .set({ expires_at: new Date(Date.now() - 3 * 86_400_000) })
      .where('id', '=', r.id)
      .execute()
    await reconcileCoupons(env.t.deps)
    await reconcileCoupons(env.t.deps)
    assert.equal(await balance(s.memberId), 5000)
    const refunded = await row(r.id)
    assert.equal(refunded.status, 'refunded')
    assert.equal(refunded.failure_reason, 'O cupom venceu sem ser usado. Seu cashback foi devolvido.')
  })

  test('cashback: a coupon that cannot be created gives the cents back, in cashback words', async () => {
    const p = await liveProgram(env, { mode: 'cashback' })
    const s = await shopper(p, 3000)
    const res = await redeem(p, s.token, 1000, 'click-refused-1')
    assert.equal(res.status, 201, JSON.stringify(res.body))
    // The store connection is removed before the job runs: no coupon can exist.
    await db().deleteFrom('integrations').where('program_id', '=', p.programId).execute()
    assert.equal(await runJob(res.body.id), 'failed')
    assert.equal(await balance(s.memberId), 3000, 'every cent back')
    const r = await row(res.body.id)
    assert.match(r.failure_reason!, /Seu cashback foi devolvido/)
    const last = await db()
      .selectFrom('ledger_entries')
      .select(['kind', 'amount', 'reason'])
      .where('member_id', '=', s.memberId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.deepEqual(last, {
      kind: 'refund',
      amount: 1000,
      reason: 'Cashback devolvido: o cupom de R$ 10,00 não pôde ser criado',
    })
  })

  test('points: the any-amount option at the merchant’s rate, off by default, in whole points', async () => {
    const p = await liveProgram(env)
    const s = await shopper(p, 1000)
    const off = await redeem(p, s.token, 1000, 'click-points-0')
    assert.equal(off.status, 409)
    assert.equal(off.body.error.code, 'amount_redemption_off')
    assert.equal((await env.t.request('GET', `${p.base}/me`, { token: s.token })).body.amountRedemption, null)

    const on = await settings(p, '/amount-redemption', {
      enabled: true,
      centsPerPoint: 5,
      minRedemptionCents: 500,
      maxOrderSharePct: 50,
    })
    assert.equal(on.status, 200, JSON.stringify(on.body))
    assert.equal((await settings(p, '/cashback-rules', { percentBp: 100 })).body.error.code, 'wrong_program_mode')
    // The widget caches program settings for a few seconds; a new process would see them at once.
    const me = v.parse(WidgetMe, (await env.t.request('GET', `${p.base}/me`, { token: s.token })).body)
    assert.equal(me.cashback, null)

    const step = await redeem(p, s.token, 1003, 'click-points-1')
    assert.equal(step.status, 400)
    assert.equal(step.body.error.field, 'amountCents')
    const res = await redeem(p, s.token, 1000, 'click-points-2')
    assert.equal(res.status, 201, JSON.stringify(res.body))
    assert.deepEqual([res.body.pointsSpent, res.body.amountCents, res.body.minimumOrderCents], [200, 1000, 2000])
    assert.equal(res.body.title, 'R$ 10,00 de desconto')
    assert.equal(await balance(s.memberId), 800)
    assert.equal(await runJob(res.body.id), 'issued')
    const coupon = simCoupon(p, (await row(res.body.id)).coupon_code)!
    assert.deepEqual([coupon.tipo, coupon.valorHundredths, coupon.valorMinimoCents], ['fixo', 1000, 2000])
    const detail = await env.t.request('GET', `/v1/programs/${p.programId}/members/${s.memberId}`, {
      token: p.merchantToken,
    })
    assert.deepEqual(
      [detail.body.member.unit, detail.body.member.balanceCents, detail.body.member.balanceText],
      ['points', 4000, '800 pontos'],
    )
  })
})
