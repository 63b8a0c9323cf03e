import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import * as v from 'valibot'
import { TierSaveResult } from '../../shared/api/tiers.ts'
import { WidgetMe } from '../../shared/api/widget.ts'
import { saoPauloDay } from '../lib/calendar.ts'
import { evaluateAllPrograms } from '../tiers/service.ts'
import { erpSales } from '../tiers/test-support.ts'
import { liveProgram, login, seedMember, startWidgetTestApp, type WidgetTestEnv } from '../widget/test-support.ts'
import { runCouponJob } from './test-support.ts'
import { handTierGifts } from './tier-gifts.ts'

/**
 * A tier's entry reward as a reward's coupon (issue 19): recorded once per tier and window by
 * the evaluation, handed over by the redemptions' worker as a redemption that costs nothing, and
 * created in the store by the same exactly-once coupon job as a bought one.
 */
let env: WidgetTestEnv
before(async () => {
  env = await startWidgetTestApp({ config: { LI_TIMEOUT_MS: '300' } })
})
after(() => env.close())

const db = () => env.t.database.db
const year = saoPauloDay(new Date()).slice(0, 4)

async function setUp(opts: { active?: boolean } = {}) {
  const p = await liveProgram(env, opts)
  const api = (method: string, path: string, body?: unknown) =>
    env.t.request(method, `/v1/programs/${p.programId}${path}`, {
      token: p.merchantToken,
      ...(body !== undefined ? { body } : {}),
    })
  const reward = await api('POST', '/rewards', { kind: 'free_shipping', title: 'Frete grátis', pointsCost: 900 })
  assert.equal(reward.status, 201, JSON.stringify(reward.body))
  const tiers = (rewardId: string) => ({
    basis: 'spend',
    window: 'calendar_year',
    tiers: [
      { name: 'Prata', color: '#a8a9ad', threshold: 500_00, entryRewardId: rewardId },
      { name: 'Ouro', color: '#d4af37', threshold: 1000_00 },
    ],
  })
  const saved = await api('PUT', '/tiers', tiers(reward.body.id))
  assert.equal(saved.status, 200, JSON.stringify(saved.body))
  const prata = v.parse(TierSaveResult, saved.body).rules.tiers[0]!
  assert.equal(prata.entryRewardId, reward.body.id)
  const sale = erpSales(env.t.deps, p.programId, 'points')
  return { p, api, sale, prata, rewardId: reward.body.id as string, tiers }
}

const grants = (programId: string) =>
  db().selectFrom('tier_reward_grants').selectAll().where('program_id', '=', programId).orderBy('id').execute()
const gifts = (programId: string) =>
  db().selectFrom('redemptions').selectAll().where('program_id', '=', programId).orderBy('id').execute()
const ledgerKinds = async (memberId: number) =>
  (
    await db().selectFrom('ledger_entries').select('kind').where('member_id', '=', memberId).orderBy('id').execute()
  ).map((e) => e.kind)

test("reaching a tier gives its reward's coupon once, free, through the coupon job", async () => {
  const { p, sale, prata, rewardId } = await setUp()
  const email = 'vip@cliente.test'
  const ana = await seedMember(env.t, p.programId, email)
  await sale('A', ana, 600_00)
  let g = await grants(p.programId)
  assert.deepEqual(
    g.map((x) => [x.member_id, x.tier_id, x.reward_id, x.grant_key, x.handled_at]),
    [[ana, prata.id, rewardId, `tier:${prata.id}:${year}`, null]],
  )
  // Evaluating again (the daily run), a drop and a return in the same year record nothing new.
  await evaluateAllPrograms(db())
  await sale('A', ana, 600_00, false)
  await sale('B', ana, 700_00)
  assert.equal((await grants(p.programId)).length, 1)

  assert.equal(await handTierGifts(env.t.deps), 1)
  assert.equal(await handTierGifts(env.t.deps), 0, 'a grant is handed over once')
  g = await grants(p.programId)
  const [r] = await gifts(p.programId)
  assert.ok(r)
  assert.deepEqual([g[0]!.outcome, g[0]!.redemption_id], ['redemption', r.id])
  assert.deepEqual(
    [r.member_id, r.points_cost, r.status, r.reward_id, r.idempotency_key, r.gift_reason],
    [ana, 0, 'pending', rewardId, `tier:${prata.id}:${year}`, 'Presente de boas-vindas ao nível Prata'],
  )
  const before = (await db().selectFrom('members').select('balance').where('id', '=', ana).executeTakeFirstOrThrow())
    .balance
  assert.equal(await runCouponJob(env.t.deps, r.id), 'issued')
  const inStore = env.sim.state.requireStore(p.store.store.id).findCouponByCodigo(r.coupon_code)
  assert.equal(inStore?.tipo, 'frete_gratis')
  assert.equal(inStore?.quantidade, 1)
  const after = (await db().selectFrom('members').select('balance').where('id', '=', ana).executeTakeFirstOrThrow())
    .balance
  assert.equal(after, before, 'nothing debited')
  assert.ok(!(await ledgerKinds(ana)).includes('redeem'))

  // The shopper sees it among their coupons, as a gift; the e-mail says why they got it.
  const session = await login(env.t, p, email)
  const me = v.parse(WidgetMe, (await env.t.request('GET', `${p.base}/me`, { token: session.accessToken })).body)
  assert.deepEqual(
    me.coupons.map((c) => [c.code, c.gift]),
    [[r.coupon_code, 'Presente de boas-vindas ao nível Prata']],
  )
  const mail = await db()
    .selectFrom('email_outbox')
    .select(['text_body', 'reason'])
    .where('program_id', '=', p.programId)
    .where('kind', '=', 'reward_redeemed')
    .executeTakeFirst()
  assert.match(mail?.text_body ?? '', /Presente de boas-vindas ao nível Prata: Frete grátis/)
  assert.doesNotMatch(mail?.text_body ?? '', /Você trocou/)
  assert.match(mail?.reason ?? '', /ao chegar a um novo nível/)
})

test('a coupon the store refuses is not given, and nothing is refunded; a paused program gets none', async () => {
  const { p, sale } = await setUp()
  const bia = await seedMember(env.t, p.programId, 'bia@cliente.test')
  await sale('A', bia, 600_00)
  assert.equal(await handTierGifts(env.t.deps), 1)
  const [r] = await gifts(p.programId)
  env.sim.faults.inject({
    kind: 'server_error',
    status: 400,
    store: p.store.store.id,
    path: '/cupom',
    method: 'POST',
    count: 1,
  })
  assert.equal(await runCouponJob(env.t.deps, r!.id), 'failed')
  assert.deepEqual(await ledgerKinds(bia), ['earn'], 'no refund of a gift')
  const [failed] = await gifts(p.programId)
  assert.equal(failed?.failure_reason, 'A loja não aceitou criar este cupom de presente.', 'no "pontos devolvidos"')
  const reward = await db().selectFrom('rewards').select('issued_count').where('program_id', '=', p.programId).execute()
  assert.deepEqual(
    reward.map((x) => x.issued_count),
    [0],
    'no stock unit taken or given back',
  )

  const paused = await setUp({ active: false })
  const caio = await seedMember(env.t, paused.p.programId, 'caio@cliente.test')
  await paused.sale('A', caio, 600_00)
  assert.equal(await handTierGifts(env.t.deps), 1)
  assert.deepEqual(
    (await grants(paused.p.programId)).map((x) => x.outcome),
    ['program_paused'],
  )
  assert.equal((await gifts(paused.p.programId)).length, 0)
})

test("a tier's coupon must be one of the program's rewards, named at its field", async () => {
  const a = await setUp()
  const b = await setUp()
  const res = await a.api('PUT', '/tiers', a.tiers(b.rewardId))
  assert.equal(res.status, 400, JSON.stringify(res.body))
  assert.equal(res.body.error.field, 'tiers.0.entryRewardId')
})
