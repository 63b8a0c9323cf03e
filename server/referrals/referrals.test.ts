import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import { MeReferral, ReferralPage, ReferralView } from '../../shared/api/referrals.ts'
import { startWidgetTestApp, type WidgetTestEnv } from '../widget/test-support.ts'
import { referralOf, referralProgram, runCoupon } from './test-support.ts'

let env: WidgetTestEnv
before(async () => {
  env = await startWidgetTestApp({ config: { LI_TIMEOUT_MS: '300' } })
})
after(() => env.close())

const db = () => env.t.database.db
const outboxTo = (programId: string, to: string) =>
  db().selectFrom('email_outbox').selectAll().where('program_id', '=', programId).where('to_address', '=', to).execute()

describe('settings', () => {
  test('defaults when never saved, saved per program, 400 naming the field', async () => {
    const r = await referralProgram(env)
    const other = await referralProgram(env, {}, { mode: 'cashback' })
    assert.equal((await other.admin('GET', '/referrals/settings')).body.enabled, true)
    const saved = await r.admin('PUT', '/referrals/settings', {
      ...(await r.admin('GET', '/referrals/settings')).body,
      friendCouponCents: 3000,
    })
    assert.equal(saved.body.friendCouponCents, 3000)
    const bad = await r.admin('PUT', '/referrals/settings', { ...saved.body, shareText: 'Sem link aqui' })
    assert.deepEqual([bad.status, bad.body.error.field], [400, 'shareText'])
    const low = await r.admin('PUT', '/referrals/settings', { ...saved.body, friendCouponCents: 99 })
    assert.deepEqual([low.status, low.body.error.field], [400, 'friendCouponCents'])
  })
})

describe('the member link and the claim', () => {
  test('one stable code per member, the link and share text filled; a passing claim gets an e-mailed coupon once', async () => {
    const r = await referralProgram(env)
    const me = v.parse(MeReferral, (await env.t.request('GET', `${r.p.base}/me/referral`, { token: r.token })).body)
    assert.ok(me.enabled)
    assert.equal(me.code, r.code, 'stable')
    assert.match(me.code, /^[ACDEFGHJKMNPQRTUVWXY34679]{8}$/)
    assert.equal(me.link, `${r.p.siteUrl}/?indicacao=${r.code}`)
    assert.equal(me.shareText, `Oi! Ganhe R$ 20,00 na sua primeira compra na Clube Bella: ${me.link}`)
    assert.equal(me.whatsappUrl, `https://wa.me/?text=${encodeURIComponent(me.shareText)}`)
    assert.deepEqual(me.counts, { invited: 0, credited: 0 })

    const landing = await env.t.request('GET', `${r.p.base}/referrals/${r.code.toLowerCase()}`)
    assert.deepEqual(landing.body, { friendCouponCents: 2000, friendMinOrderCents: 10_000, advocateFirstName: 'Ana' })
    assert.equal(
      (await env.t.request('GET', `${r.p.base}/referrals/ACDEFGHJ`)).body.error.code,
      'referral_code_unknown',
    )

    const res = await r.claim('Bia.Nova@Cliente.test')
    assert.deepEqual([res.status, res.body], [202, { email: 'bia.nova@cliente.test' }])
    const row = (await referralOf(env, r.p.programId, 'bia.nova@cliente.test'))!
    assert.equal(row.status, 'coupon_pending')
    assert.match(row.coupon_code!, /^FID/)
    assert.equal(await runCoupon(env, row.id), 'issued')
    const inStore = env.sim.state.requireStore(r.p.store.store.id).findCouponByCodigo(row.coupon_code!)
    assert.equal(inStore?.tipo, 'fixo')
    const mail = await outboxTo(r.p.programId, 'bia.nova@cliente.test')
    assert.equal(mail.length, 1)
    assert.equal(mail[0]!.kind, 'referral_coupon')
    assert.equal(mail[0]!.category, 'transactional')
    assert.match(mail[0]!.text_body!, new RegExp(row.coupon_code!))
    assert.match(mail[0]!.text_body!, /R\$ 20,00/)
    assert.match(mail[0]!.text_body!, /R\$ 100,00/)
    assert.equal(await runCoupon(env, row.id), 'skipped', 'a replayed job does nothing')

    // A second claim of the same mailbox (another spelling): the same 202, nothing new.
    const again = await r.claim('bianova+x@cliente.test', '198.51.100.8')
    assert.equal(again.status, 202)
    const all = await db().selectFrom('referrals').selectAll().where('program_id', '=', r.p.programId).execute()
    assert.equal(all.length, 1)
    const counts = (await env.t.request('GET', `${r.p.base}/me/referral`, { token: r.token })).body.counts
    assert.deepEqual(counts, { invited: 1, credited: 0 })
  })

  test('held claims answer the same 202 and wait in review with their reasons; no coupon, no e-mail', async () => {
    const r = await referralProgram(env, {}, { advocate: { email: 'carla.dias@cliente.test' } })
    await r.claim('carla.dias@cliente.test')
    // Another spelling of the same mailbox is the same claim: nothing new (one per normalised e-mail).
    await r.claim('carladias+promo@cliente.test')
    await r.claim('carla.dias1@cliente.test')
    await r.claim('carla.diaz@cliente.test')
    // Already a customer: an order (the sale also enrolled her) under that address.
    await r.sale('OLD-1', 'antiga@cliente.test')
    const ag = await r.claim('antiga@cliente.test')
    assert.equal(ag.status, 202, JSON.stringify(ag.body))
    const held = await db()
      .selectFrom('referrals')
      .select(['friend_email', 'status', 'reasons', 'coupon_code'])
      .where('program_id', '=', r.p.programId)
      .orderBy('claimed_at')
      .execute()
    assert.deepEqual(
      held.map((h) => [h.friend_email, h.status, h.reasons, h.coupon_code]),
      [
        ['carla.dias@cliente.test', 'review', ['already_customer', 'self_email'], null],
        ['carla.dias1@cliente.test', 'review', ['similar_email'], null],
        ['carla.diaz@cliente.test', 'review', ['similar_email'], null],
        ['antiga@cliente.test', 'review', ['already_customer'], null],
      ],
    )
    assert.equal(
      (await outboxTo(r.p.programId, 'antiga@cliente.test')).filter((m) => m.kind === 'referral_coupon').length,
      0,
    )
    const list = v.parse(ReferralPage, (await r.admin('GET', '/referrals?status=review&limit=3')).body)
    assert.equal(list.items.length, 3)
    assert.equal(list.items[0]!.friendEmail, 'antiga@cliente.test', 'newest first')
    assert.equal(list.items[0]!.advocate.email, 'carla.dias@cliente.test')
    const rest = (await r.admin('GET', `/referrals?status=review&cursor=${encodeURIComponent(list.nextCursor!)}`)).body
    assert.deepEqual(
      rest.items.map((i: { friendEmail: string }) => i.friendEmail),
      ['carla.dias@cliente.test'],
    )
    assert.equal(rest.nextCursor, null)
  })

  test('claims past claimsPerIpPerWeek from one IP go to review; the request limit answers 429', async () => {
    const r = await referralProgram(env, { claimsPerIpPerWeek: 2 })
    for (const e of ['f1@cliente.test', 'f2@cliente.test', 'f3@cliente.test'])
      assert.equal((await r.claim(e, '203.0.113.50')).status, 202)
    const rows = await db()
      .selectFrom('referrals')
      .select(['friend_email', 'status', 'reasons'])
      .where('program_id', '=', r.p.programId)
      .orderBy('claimed_at')
      .execute()
    assert.deepEqual(
      rows.map((x) => [x.status, x.reasons]),
      [
        ['coupon_pending', []],
        ['coupon_pending', []],
        ['review', ['ip_limit']],
      ],
    )
    // The ordinary request limit: 5 a minute per IP, then 429.
    const codes: number[] = []
    for (let i = 0; i < 4; i++) codes.push((await r.claim(`g${i}@cliente.test`, '203.0.113.51')).status)
    codes.push((await r.claim('g9@cliente.test', '203.0.113.51')).status)
    const limited = await r.claim('h@cliente.test', '203.0.113.51')
    assert.deepEqual(codes, [202, 202, 202, 202, 202])
    assert.equal(limited.status, 429)
    assert.equal(limited.body.error.code, 'rate_limited')
    const malformed = await r.claim('nao-e-email', '203.0.113.52')
    assert.deepEqual([malformed.status, malformed.body.error.field], [400, 'email'])
  })

  test('simultaneous claims from one IP still count against claimsPerIpPerWeek one by one', async () => {
    const r = await referralProgram(env, { claimsPerIpPerWeek: 2 })
    const answers = await Promise.all(
      ['s1@cliente.test', 's2@cliente.test', 's3@cliente.test', 's4@cliente.test'].map((e) =>
        r.claim(e, '203.0.113.71'),
      ),
    )
    assert.deepEqual(
      answers.map((a) => a.status),
      [202, 202, 202, 202],
    )
    const rows = await db().selectFrom('referrals').select(['status']).where('program_id', '=', r.p.programId).execute()
    assert.deepEqual(rows.map((x) => x.status).sort(), ['coupon_pending', 'coupon_pending', 'review', 'review'])
  })

  test('referrals off: the widget says so and codes are unknown', async () => {
    const r = await referralProgram(env)
    const s = (await r.admin('GET', '/referrals/settings')).body
    await r.admin('PUT', '/referrals/settings', { ...s, enabled: false })
    assert.deepEqual((await env.t.request('GET', `${r.p.base}/me/referral`, { token: r.token })).body, {
      enabled: false,
    })
    const res = await r.claim('ninguem@cliente.test')
    assert.deepEqual([res.status, res.body.error.code], [404, 'referral_code_unknown'])
  })
})

describe('review decisions', () => {
  test('approve a claim-time hold issues the coupon; reject needs a reason; decisions recorded; 409 once decided', async () => {
    const r = await referralProgram(env, { claimsPerIpPerWeek: 1 })
    await r.claim('um@cliente.test', '203.0.113.60')
    await r.claim('dois@cliente.test', '203.0.113.60')
    await r.claim('tres@cliente.test', '203.0.113.60')
    const two = (await referralOf(env, r.p.programId, 'dois@cliente.test'))!
    const three = (await referralOf(env, r.p.programId, 'tres@cliente.test'))!
    assert.equal(two.status, 'review')

    const approved = await r.admin('POST', `/referrals/${two.id}/approve`, { reason: 'Conheço a cliente' })
    assert.equal(approved.status, 200, JSON.stringify(approved.body))
    const view = v.parse(ReferralView, approved.body)
    assert.equal(view.status, 'coupon_pending')
    assert.match(view.couponCode!, /^FID/)
    assert.equal(view.decisions.length, 1)
    assert.equal(view.decisions[0]!.decision, 'approved')
    assert.match(view.decisions[0]!.by, /@/)
    assert.equal(await runCoupon(env, two.id), 'issued')

    const noReason = await r.admin('POST', `/referrals/${three.id}/reject`, {})
    assert.deepEqual([noReason.status, noReason.body.error.field], [400, 'reason'])
    const rejected = await r.admin('POST', `/referrals/${three.id}/reject`, { reason: 'Mesmo IP de várias contas' })
    assert.equal(rejected.body.status, 'rejected')
    assert.equal(rejected.body.decisions[0].reason, 'Mesmo IP de várias contas')
    const twice = await r.admin('POST', `/referrals/${three.id}/approve`, {})
    assert.deepEqual([twice.status, twice.body.error.code], [409, 'referral_not_in_review'])
    const all = (await r.admin('GET', '/referrals?status=all')).body.items
    assert.equal(all.length, 3)
    assert.equal((await outboxTo(r.p.programId, 'tres@cliente.test')).length, 0)
  })
})
