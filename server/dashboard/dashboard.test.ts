import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import { DashboardView } from '../../shared/api/dashboard.ts'
import { createTestApp, type TestApp } from '../test/harness.ts'
import { dashboard } from './service.ts'
import { NOW, seedHandStore } from './test-support/hand.ts'

/**
 * Every figure of the dashboard against numbers worked out by hand from test-support.ts's store,
 * asked on NOW (07/12/2026) for 30 days: this period is 08/11–07/12, the previous one 09/10–07/11,
 * weeks start on Mondays from 02/11 (0: 02/11, 1: 09/11, 2: 16/11, 3: 23/11, 4: 30/11, 5: 07/12).
 */
describe('dashboard figures of a hand-computed store', () => {
  let t: TestApp
  let token: string
  let programId: string
  let view: DashboardView

  before(async () => {
    t = await createTestApp()
    token = (await t.merchant()).token
    programId = (await t.request('POST', '/v1/programs', { token, body: { name: 'Clube Bella' } })).body.id
    await seedHandStore(t.database.db, programId)
    // Another merchant's store with the same shapes: nothing of it may show in ours.
    const other = await t.merchant()
    const theirs = (await t.request('POST', '/v1/programs', { token: other.token, body: { name: 'Outra' } })).body.id
    await seedHandStore(t.database.db, theirs)
    const program = await t.database.db
      .selectFrom('programs')
      .selectAll()
      .where('id', '=', programId)
      .executeTakeFirstOrThrow()
    view = v.parse(DashboardView, await dashboard(t.database.db, program, 30, NOW))
  })
  after(() => t.close())

  test('periods and weeks', () => {
    assert.equal(view.unit, 'points')
    assert.deepEqual(view.period, { from: '2026-11-08', to: '2026-12-07' })
    assert.deepEqual(view.previousPeriod, { from: '2026-10-09', to: '2026-11-07' })
    assert.deepEqual(
      view.weeks.map((w) => w.start),
      ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30', '2026-12-07'],
    )
  })

  test('members: total, new, share of buying customers', () => {
    // Ana (01/10) and Caio (20/10) before this period, Bia (20/11) in it. Buyers: Ana, Bia, Caio
    // (members) and store customers 501, 502 (not); before: Ana and 501.
    assert.deepEqual(view.current.members, { total: 3, new: 1, buyerShare: 3 / 5 })
    assert.deepEqual(view.previous.members, { total: 2, new: 1, buyerShare: 1 / 2 })
    assert.deepEqual(
      view.weeks.map((w) => w.newMembers),
      [0, 0, 1, 0, 0, 0],
    )
  })

  test('orders of members and non-members; cancelled orders never count', () => {
    // Members: Ana 100,00 + 50,00, Bia 80,00 (her 30,00 cancelled), Caio's ERP sale 25,00 (his
    // 70,00 one reported cancelled). Not members: 501 40,00 + 60,00, 502 10,00 (the guest's 20,00
    // waits on a requested cancellation).
    assert.deepEqual(view.current.byMembers, {
      orders: 4,
      revenueCents: 25500,
      customers: 3,
      repeatCustomers: 1,
      averageOrderCents: 6375,
      repeatRate: 1 / 3,
    })
    assert.deepEqual(view.current.byNonMembers, {
      orders: 3,
      revenueCents: 11000,
      customers: 2,
      repeatCustomers: 1,
      averageOrderCents: 3667,
      repeatRate: 1 / 2,
    })
    assert.deepEqual(view.previous.byMembers, {
      orders: 1,
      revenueCents: 20000,
      customers: 1,
      repeatCustomers: 0,
      averageOrderCents: 20000,
      repeatRate: 0,
    })
    assert.equal(view.previous.byNonMembers.revenueCents, 3000)
    assert.deepEqual(
      view.weeks.map((w) => [w.memberOrders, w.memberRevenueCents, w.nonMemberOrders, w.nonMemberRevenueCents]),
      [
        [0, 0, 0, 0],
        [1, 10000, 1, 4000],
        [1, 8000, 0, 0],
        [1, 5000, 0, 0],
        [1, 2500, 2, 7000],
        [0, 0, 0, 0],
      ],
    )
  })

  test('revenue of orders that used a program coupon', () => {
    // Ana's 50,00 used FIDCOUPON1; 502's NOTOURS is no coupon of the program.
    assert.deepEqual(view.current.couponOrders, { orders: 1, revenueCents: 5000 })
    assert.deepEqual(view.previous.couponOrders, { orders: 0, revenueCents: 0 })
  })

  test('points issued, redeemed, expired, reversed; redemption rate', () => {
    // Issued 150 (Ana) + 120 (Bia, with +10 adjusted) + 95 (Caio); redeemed 150 + 100 − 100
    // refunded + 10; reversed 30 + 70 + 10 (Ana's −10 adjustment).
    assert.deepEqual(view.current.ledger, {
      issued: 365,
      redeemed: 160,
      expired: 20,
      reversed: 110,
      redemptionRate: 160 / 365,
    })
    assert.deepEqual(view.previous.ledger, {
      issued: 240,
      redeemed: 5,
      expired: 0,
      reversed: 0,
      redemptionRate: 5 / 240,
    })
    assert.deepEqual(
      view.weeks.map((w) => [w.issued, w.redeemed, w.expired, w.reversed]),
      [
        [0, 0, 0, 0],
        [170, 0, 0, 0],
        [110, 0, 0, 70],
        [60, 150, 0, 30],
        [25, 10, 20, 10],
        [0, 0, 0, 0],
      ],
    )
  })

  test('liability: the balance held, at the median cents per point of fixed-discount rewards', () => {
    // Active fixed discounts: 2, 3 and 5 cents a point (the 10% coupon and the inactive reward
    // do not count) → 3. Now 220 + 80 + 60 = 360 points; on 07/11, 250 + 35 = 285.
    assert.deepEqual(view.pointValue, { milliCentsPerPoint: 3000, basis: 'fixed_discount', rewards: 3 })
    assert.deepEqual(view.current.liability, { balance: 360, cents: 1080 })
    assert.deepEqual(view.previous.liability, { balance: 285, cents: 855 })
  })

  test('redemptions, coupons issued vs used, top rewards', () => {
    // This period: FIDCOUPON1 (used on an order), FIDCOUPON4 (unused); FIDCOUPON2 failed.
    assert.deepEqual(view.current.redemptions, { count: 2, couponsIssued: 2, couponsUsed: 1 })
    assert.deepEqual(view.previous.redemptions, { count: 1, couponsIssued: 1, couponsUsed: 1 })
    assert.deepEqual(
      view.topRewards.map((r) => [r.title, r.redemptions, r.points]),
      [
        ['R$ 10 de desconto', 1, 150],
        ['R$ 5 de desconto', 1, 10],
      ],
    )
  })

  test('members per VIP tier: none without tiers; each tier and the rest once there are tiers', async () => {
    assert.equal(view.tiers, null)
    const db = t.database.db
    const members = await db.selectFrom('members').select(['id', 'email']).where('program_id', '=', programId).execute()
    const id = (email: string) => members.find((m) => m.email === email)!.id
    await db.insertInto('tier_rules').values({ program_id: programId, basis: 'spend', period: 'lifetime' }).execute()
    const tier = async (name: string, threshold: number) =>
      (
        await db
          .insertInto('tiers')
          .values({ program_id: programId, name, color: '#334155', threshold })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    // Inserted out of order: the answer goes by threshold.
    const ouro = await tier('Ouro', 50_000)
    const bronze = await tier('Bronze', 5_000)
    await tier('Prata', 20_000)
    // Ana in Ouro, Bia in Bronze, Caio evaluated below the first tier (a standing without a tier).
    const standing = (memberId: number, tierId: string | null) => ({
      program_id: programId,
      member_id: memberId,
      tier_id: tierId,
      qualifying: 0,
      previous_qualifying: 0,
    })
    await db
      .insertInto('member_tiers')
      .values([
        standing(id('ana@cliente.test'), ouro),
        standing(id('bia@cliente.test'), bronze),
        standing(id('caio@cliente.test'), null),
      ])
      .execute()
    const program = await db.selectFrom('programs').selectAll().where('id', '=', programId).executeTakeFirstOrThrow()
    const withTiers = v.parse(DashboardView, await dashboard(db, program, 30, NOW))
    assert.deepEqual(
      withTiers.tiers?.tiers.map((x) => [x.name, x.members]),
      [
        ['Bronze', 1],
        ['Prata', 0],
        ['Ouro', 1],
      ],
    )
    assert.equal(withTiers.tiers?.noTier, 1)

    // Ouro's entry coupon for Ana, a gift: a coupon issued, but no redemption and no top reward.
    const r10 = await db.selectFrom('redemptions').select('reward_id').where('coupon_code', '=', 'FIDCOUPON1')
    await db
      .insertInto('redemptions')
      .values({
        program_id: programId,
        member_id: id('ana@cliente.test'),
        reward_id: (await r10.executeTakeFirstOrThrow()).reward_id,
        idempotency_key: `tier:${ouro}:lifetime`,
        status: 'issued',
        points_cost: 0,
        reward_kind: 'fixed_discount',
        reward_title: 'R$ 10 de desconto',
        coupon_type: 'fixo',
        coupon_value: 1000,
        coupon_code: 'FIDGIFT0001',
        created_at: new Date('2026-12-01T15:00:00Z'),
        issued_at: new Date('2026-12-01T15:00:00Z'),
        li_coupon_id: 9999,
        expires_at: new Date('2027-01-31T15:00:00Z'),
        gift_reason: 'Presente de boas-vindas ao nível Ouro',
      })
      .execute()
    const withGift = v.parse(DashboardView, await dashboard(db, program, 30, NOW))
    assert.deepEqual(withGift.current.redemptions, { count: 2, couponsIssued: 3, couponsUsed: 1 })
    assert.deepEqual(withGift.topRewards, view.topRewards)
  })

  test('the route answers the figures; a bad period is a 400 naming the field; another tenant is a 404', async () => {
    const ok = await t.request('GET', `/v1/programs/${programId}/dashboard?days=365`, { token })
    assert.equal(ok.status, 200, JSON.stringify(ok.body))
    const parsed = v.parse(DashboardView, ok.body)
    assert.equal(parsed.days, 365)
    assert.ok(parsed.weeks.length >= 53)
    const bad = await t.request('GET', `/v1/programs/${programId}/dashboard?days=7`, { token })
    assert.equal(bad.status, 400)
    assert.equal(bad.body.error.field, 'days')
    const stranger = await t.merchant()
    const res = await t.request('GET', `/v1/programs/${programId}/dashboard`, { token: stranger.token })
    assert.equal(res.status, 404)
    const csv = await t.request('GET', `/v1/programs/${programId}/dashboard/exports/members`, { token: stranger.token })
    assert.equal(csv.status, 404)
    const figure = await t.request('GET', `/v1/programs/${programId}/dashboard/exports/pizza`, { token })
    assert.equal(figure.status, 400)
    assert.equal(figure.body.error.field, 'figure')
  })

  test('CSV exports: BOM, semicolons, decimal comma, pt-BR dates, members with balances', async () => {
    const get = async (figure: string) => {
      const res = await t.app.request(`/v1/programs/${programId}/dashboard/exports/${figure}?days=90`, {
        headers: { authorization: `Bearer ${token}` },
      })
      assert.equal(res.status, 200)
      assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8')
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="fidelis-[a-z]+-90-dias-/)
      const bytes = new Uint8Array(await res.arrayBuffer())
      assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf])
      return new TextDecoder().decode(bytes.slice(3)).split('\r\n')
    }
    const members = await get('members')
    assert.equal(members[0], 'ID;Nome;E-mail;Saldo (pontos);Valor do saldo dos participantes (R$);Participante desde')
    assert.match(members[1]!, /^\d+;Ana Souza;ana@cliente\.test;220;6,60;01\/10\/2026$/)
    assert.match(members[2]!, /^\d+;"Bia; ""Bê"" Lima";bia@cliente\.test;80;2,40;20\/11\/2026$/)
    // A name a spreadsheet would run as a formula is defused.
    assert.match(members[3]!, /^\d+;'=Caio;caio@cliente\.test;60;1,80;20\/10\/2026$/)
    assert.equal(members.length, 5) // header, 3 members, the empty string after the last CRLF

    const summary = await get('summary')
    assert.match(summary[0]!, /^Indicador;Este período \(\d{2}\/\d{2}\/\d{4} a \d{2}\/\d{2}\/\d{4}\);Período anterior/)
    assert.ok(summary.some((l) => /^Receita de participantes \(R\$\);\d+,\d{2};\d+,\d{2}$/.test(l)))
    const weekly = await get('weekly')
    assert.match(weekly[0]!, /^Semana \(início\);Novos participantes;/)
    assert.match(weekly[1]!, /^\d{2}\/\d{2}\/\d{4};/)
    assert.match((await get('rewards'))[0]!, /^Prêmio;Resgates;Pontos gastos$/)
  })
})
