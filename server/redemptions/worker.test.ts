import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { postEntries } from '../ledger/service.ts'
import { eventually } from '../test/eventually.ts'
import { liveProgram, login, seedMember, startWidgetTestApp, type WidgetTestEnv } from '../widget/test-support.ts'

/** The redemption through the real job system: pg-boss workers in this process pick it up. */
let env: WidgetTestEnv
before(async () => {
  env = await startWidgetTestApp({ work: true })
})
after(() => env.close())

test('a redemption becomes issued by the coupon worker, without anyone running the job by hand', async () => {
  const p = await liveProgram(env)
  const memberId = await seedMember(env.t, p.programId, 'worker@cliente.test')
  await env.t.database.db
    .transaction()
    .execute((trx) =>
      postEntries(trx, p.programId, [
        { memberId, kind: 'earn', amount: 500, reason: 'Pontos da compra nº 9', idempotencyKey: 'worker-seed' },
      ]),
    )
  const session = await login(env.t, p, 'worker@cliente.test')
  const created = await env.t.request('POST', `/v1/programs/${p.programId}/rewards`, {
    token: p.merchantToken,
    body: { kind: 'free_shipping', title: 'Frete grátis', pointsCost: 200 },
  })
  const res = await env.t.request('POST', `${p.base}/redemptions`, {
    token: session.accessToken,
    body: { rewardId: created.body.id, idempotencyKey: 'worker-click-1' },
  })
  assert.equal(res.status, 201, JSON.stringify(res.body))
  const body = await eventually('the redemption to leave `pending`', async () => {
    const view = (await env.t.request('GET', `${p.base}/redemptions/${res.body.id}`, { token: session.accessToken }))
      .body
    return view.status !== 'pending' && view
  })
  assert.equal(body.status, 'issued', JSON.stringify(body))
  assert.match(body.couponCode, /^FID/)
  const inStore = env.sim.state.requireStore(p.store.store.id).findCouponByCodigo(body.couponCode)
  assert.equal(inStore?.tipo, 'frete_gratis')
  // The sync now reads this member's orders' details until the coupon expires (which one used it).
  const member = await env.t.database.db
    .selectFrom('members')
    .select('coupon_held_until')
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow()
  assert.ok(member.coupon_held_until && member.coupon_held_until.getTime() > Date.now(), 'the member holds a coupon')
})
