import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import { AdminRedemptionList, RedemptionView } from '../../shared/api/redemptions.ts'
import { WidgetMe } from '../../shared/api/widget.ts'
import { postEntries, sumEntries } from '../ledger/service.ts'
import { dateToSaoPauloDay } from '../loja-integrada/convert.ts'
import {
  liveProgram,
  login,
  seedMember,
  startWidgetTestApp,
  type LiveProgram,
  type WidgetTestEnv,
} from '../widget/test-support.ts'
import { eventually } from '../test/eventually.ts'
import { afterEachPost, never } from '../test/li-store.ts'
import { CouponRetry, issueCoupon, reconcileCoupons } from './service.ts'
import { MAX_COUPON_ATTEMPTS } from './rules.ts'
import { runCouponJob } from './test-support.ts'

describe('redemptions', () => {
  let env: WidgetTestEnv
  before(async () => {
    // Tiny LI timeout (the harness' backoff is already tiny): fault tests retry in milliseconds.
    env = await startWidgetTestApp({ config: { LI_TIMEOUT_MS: '300' } })
  })
  after(() => env.close())

  const db = () => env.t.database.db
  const req = (...a: Parameters<WidgetTestEnv['t']['request']>) => env.t.request(...a)

  interface Shopper {
    p: LiveProgram
    memberId: number
    token: string
  }

  let n = 0
  async function shopper(points: number, p?: LiveProgram): Promise<Shopper> {
    p ??= await liveProgram(env)
    const email = `cliente${++n}@cliente.test`
    const memberId = await seedMember(env.t, p.programId, email)
    if (points > 0) {
      await db()
        .transaction()
        .execute((trx) =>
          postEntries(trx, p!.programId, [
            {
              memberId,
              kind: 'earn',
              amount: points,
              reason: 'Pontos da compra nº 1',
              idempotencyKey: `seed-${memberId}`,
            },
          ]),
        )
    }
    const session = await login(env.t, p, email)
    return { p, memberId, token: session.accessToken }
  }

  async function reward(p: LiveProgram, body: Record<string, unknown>): Promise<string> {
    const res = await req('POST', `/v1/programs/${p.programId}/rewards`, { token: p.merchantToken, body })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return res.body.id
  }
  const tenReais = (p: LiveProgram, extra: Record<string, unknown> = {}) =>
    reward(p, { kind: 'fixed_discount', title: 'R$ 10 de desconto', pointsCost: 300, valueCents: 1000, ...extra })

  const redeem = (s: Shopper, rewardId: string, idempotencyKey: string) =>
    req('POST', `${s.p.base}/redemptions`, { token: s.token, body: { rewardId, idempotencyKey } })
  const balance = async (s: Shopper) =>
    (await db().selectFrom('members').select('balance').where('id', '=', s.memberId).executeTakeFirstOrThrow()).balance
  /** The store's coupons created by us (a seeded store has some of its own). */
  const simCoupons = (p: LiveProgram) =>
    env.sim.state.requireStore(p.store.store.id).coupons.filter((c) => c.codigo.startsWith('FID'))
  const redemptionRow = (id: number) =>
    db().selectFrom('redemptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  /** Runs the coupon job until it settles (as pg-boss would, retrying after CouponRetry). */
  const runJob = (id: number, maxRuns?: number) => runCouponJob(env.t.deps, id, maxRuns)

  test('redeeming debits at once, the job creates the coupon in LI, the member sees it issued', async () => {
    const s = await shopper(1000)
    const rewardId = await tenReais(s.p, { minimumOrderCents: 5000 })
    const res = await redeem(s, rewardId, 'click-0001')
    assert.equal(res.status, 201, JSON.stringify(res.body))
    const pending = v.parse(RedemptionView, res.body)
    assert.equal(pending.status, 'pending')
    assert.equal(pending.couponCode, null, 'no code before the coupon exists in the store')
    assert.equal(pending.benefit, 'R$ 10,00 de desconto')
    assert.equal(await balance(s), 700)

    // The pending row is its coupon job: committed with the debit, due at once, nobody's yet.
    const due = await redemptionRow(pending.id)
    assert.ok(due.next_attempt_at.getTime() <= Date.now() + 1000, 'due at once')
    assert.equal(due.lease_until, null)

    assert.equal(await runJob(pending.id), 'issued')
    const coupons = simCoupons(s.p)
    assert.equal(coupons.length, 1)
    const c = coupons[0]!
    const row = await redemptionRow(pending.id)
    assert.equal(c.codigo, row.coupon_code)
    assert.match(c.codigo, /^FID[A-HJKMNP-Z2-9]{12}$/)
    assert.equal(c.tipo, 'fixo')
    assert.equal(c.valorHundredths, 1000)
    assert.equal(c.valorMinimoCents, 5000)
    assert.equal(c.quantidade, 1)
    assert.equal(c.quantidadePorCliente, 1)
    assert.equal(c.ativo, true)
    assert.equal(c.condicaoCliente, 'todos_clientes')
    const day = dateToSaoPauloDay(new Date(Date.now() + 365 * 86_400_000))
    assert.equal(c.validade, `${day}T23:59:59`)

    const got = v.parse(
      RedemptionView,
      (await req('GET', `${s.p.base}/redemptions/${pending.id}`, { token: s.token })).body,
    )
    assert.equal(got.status, 'issued')
    assert.equal(got.couponCode, c.codigo)
    assert.equal(got.validUntil, day)
    const me = v.parse(WidgetMe, (await req('GET', `${s.p.base}/me`, { token: s.token })).body)
    assert.equal(me.balance, 700)
    assert.deepEqual(me.coupons, [
      {
        redemptionId: pending.id,
        code: c.codigo,
        title: 'R$ 10 de desconto',
        rewardKind: 'fixed_discount',
        benefit: 'R$ 10,00 de desconto',
        minimumOrderCents: 5000,
        validUntil: day,
        gift: null,
      },
    ])
    assert.equal(me.history[0]!.kind, 'redeem')
    assert.equal(me.history[0]!.reason, 'Resgate: R$ 10 de desconto')
    const list = (await req('GET', `${s.p.base}/redemptions`, { token: s.token })).body
    assert.deepEqual(
      list.items.map((r: RedemptionView) => r.id),
      [pending.id],
    )

    // A second run of the job changes nothing.
    assert.equal(await runJob(pending.id), 'skipped')
    assert.equal(simCoupons(s.p).length, 1)
  })

  test('each kind becomes the right coupon: percent, free shipping, product at its sale price', async () => {
    const s = await shopper(100_000)
    const percent = await reward(s.p, { kind: 'percent_discount', title: '15% off', pointsCost: 100, percent: 15 })
    const shipping = await reward(s.p, {
      kind: 'free_shipping',
      title: 'Frete',
      pointsCost: 100,
      minimumOrderCents: 9900,
    })
    const product = await reward(s.p, { kind: 'product', title: 'Camiseta', pointsCost: 100, priceCents: 8990 })
    await db().updateTable('rewards').set({ sale_price_cents: 7990 }).where('id', '=', product).execute()
    const ids: number[] = []
    for (const [i, id] of [percent, shipping, product].entries()) {
      const res = await redeem(s, id, `kinds-${i}-abcdef`)
      assert.equal(res.status, 201, JSON.stringify(res.body))
      ids.push(res.body.id)
      assert.equal(await runJob(res.body.id), 'issued')
    }
    const byCode = new Map(simCoupons(s.p).map((c) => [c.codigo, c]))
    const coupon = async (id: number) => byCode.get((await redemptionRow(id)).coupon_code)!
    const pc = await coupon(ids[0]!)
    assert.deepEqual([pc.tipo, pc.valorHundredths, pc.valorMinimoCents], ['porcentagem', 1500, null])
    const fs = await coupon(ids[1]!)
    assert.deepEqual([fs.tipo, fs.valorHundredths, fs.valorMinimoCents], ['frete_gratis', 0, 9900])
    const pr = await coupon(ids[2]!)
    assert.deepEqual(
      [pr.tipo, pr.valorHundredths, pr.valorMinimoCents],
      ['fixo', 7990, 7990],
      'the product price, as value and minimum order',
    )
    const views = (await req('GET', `${s.p.base}/redemptions`, { token: s.token })).body.items as RedemptionView[]
    assert.deepEqual(views.map((r) => r.benefit).reverse(), ['15% de desconto', 'Frete grátis', 'R$ 79,90 de desconto'])
  })

  test('the same idempotency key twice is one redemption; another reward with it is a conflict', async () => {
    const s = await shopper(1000)
    const rewardId = await tenReais(s.p)
    const first = await redeem(s, rewardId, 'same-key-123')
    const second = await redeem(s, rewardId, 'same-key-123')
    assert.equal(first.status, 201)
    assert.equal(second.status, 200)
    assert.equal(second.body.id, first.body.id)
    assert.equal(await balance(s), 700)
    const other = await tenReais(s.p, { title: 'Outro' })
    const conflict = await redeem(s, other, 'same-key-123')
    assert.equal(conflict.status, 409)
    assert.equal(conflict.body.error.code, 'idempotency_conflict')
    assert.equal(conflict.body.error.field, 'idempotencyKey')
    // Concurrent replays of one key: still one.
    const racing = await Promise.all(Array.from({ length: 10 }, () => redeem(s, rewardId, 'race-key-456')))
    assert.deepEqual(new Set(racing.map((r) => r.body.id)).size, 1)
    assert.equal(racing.filter((r) => r.status === 201).length, 1)
    assert.equal(racing.filter((r) => r.status === 200).length, 9, 'the others are replays of it')
    assert.equal(await balance(s), 400)
  })

  test('100 concurrent redemptions from a member whose balance covers 3: exactly 3, 3 coupons, never negative', async () => {
    const s = await shopper(950)
    const rewardId = await tenReais(s.p)
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => redeem(s, rewardId, `burst-${String(i).padStart(4, '0')}`)),
    )
    const created = results.filter((r) => r.status === 201)
    assert.equal(created.length, 3)
    for (const r of results.filter((r) => r.status !== 201)) {
      assert.equal(r.status, 409)
      assert.equal(r.body.error.code, 'insufficient_points')
    }
    assert.equal(await balance(s), 50)
    assert.equal(await sumEntries(db(), s.p.programId, s.memberId), 50)
    for (const r of created) assert.equal(await runJob(r.body.id), 'issued')
    assert.equal(simCoupons(s.p).length, 3)
    assert.equal(new Set(simCoupons(s.p).map((c) => c.codigo)).size, 3)
  })

  test('many members at once share a transaction, each answered on its own: stock, limit, balance, replay', async () => {
    // Requests of one program arriving together are decided in one locked transaction (group
    // commit): every member still gets exactly the answer they would get alone.
    const first = await shopper(900)
    const p = first.p
    const rich = [first, ...(await Promise.all(Array.from({ length: 9 }, () => shopper(900, p))))]
    const poor = await shopper(100, p)
    const rewardId = await tenReais(p, { totalStock: 6, perMemberLimit: 1 })
    const answers = await Promise.all([
      ...rich.map((s, i) => redeem(s, rewardId, `group-key-${i}`)),
      ...rich.slice(0, 3).map((s, i) => redeem(s, rewardId, `group-key-${i}`)), // replays
      redeem(rich[3]!, rewardId, 'group-second-key'), // the member's limit, or out of stock
      redeem(poor, rewardId, 'group-poor'),
    ])
    const created = answers.filter((r) => r.status === 201)
    assert.equal(created.length, 6, JSON.stringify(answers.map((a) => [a.status, a.body.error?.code ?? a.body.id])))
    const codes = answers.filter((r) => r.status === 409).map((r) => r.body.error.code)
    assert.ok(codes.includes('insufficient_points'), JSON.stringify(codes))
    for (const c of codes) assert.ok(['out_of_stock', 'limit_reached', 'insufficient_points'].includes(c), c)
    // A replay answers the same redemption as its first request (or the same refusal).
    for (let i = 0; i < 3; i++) {
      const [a, b] = [answers[i]!, answers[10 + i]!]
      if (a.status === 201) assert.equal(b.body.id, a.body.id)
    }
    const rows = await db().selectFrom('redemptions').selectAll().where('reward_id', '=', rewardId).execute()
    assert.equal(rows.length, 6)
    assert.equal(new Set(rows.map((r) => r.member_id)).size, 6, 'one per member (the limit)')
    for (const s of [...rich, poor]) {
      const held = rows.filter((r) => r.member_id === s.memberId).length
      assert.equal(await balance(s), (s === poor ? 100 : 900) - 300 * held)
      assert.equal(await sumEntries(db(), p.programId, s.memberId), await balance(s))
    }
    const stock = await db()
      .selectFrom('rewards')
      .select('issued_count')
      .where('id', '=', rewardId)
      .executeTakeFirstOrThrow()
    assert.equal(stock.issued_count, 6)
    for (const r of created) assert.equal(await runJob(r.body.id), 'issued')
  })

  test('refusals: unknown, inactive, out of stock, per-member limit, not enough points', async () => {
    const s = await shopper(10_000)
    const unknown = await redeem(s, '00000000-0000-4000-8000-000000000000', 'unknown-0001')
    assert.deepEqual(
      [unknown.status, unknown.body.error.code, unknown.body.error.field],
      [404, 'not_found', 'rewardId'],
    )
    const garbage = await redeem(s, 'not-a-uuid', 'unknown-0002')
    assert.equal(garbage.status, 404)

    const inactive = await tenReais(s.p, { active: false })
    const off = await redeem(s, inactive, 'inactive-001')
    assert.deepEqual([off.status, off.body.error.code], [409, 'reward_unavailable'])

    const limited = await tenReais(s.p, { perMemberLimit: 1 })
    assert.equal((await redeem(s, limited, 'limit-00001')).status, 201)
    const twice = await redeem(s, limited, 'limit-00002')
    assert.deepEqual([twice.status, twice.body.error.code], [409, 'limit_reached'])

    const scarce = await tenReais(s.p, { totalStock: 1 })
    assert.equal((await redeem(s, scarce, 'stock-00001')).status, 201)
    const other = await shopper(10_000, s.p)
    const gone = await redeem(other, scarce, 'stock-00002')
    assert.deepEqual([gone.status, gone.body.error.code], [409, 'out_of_stock'])

    const poor = await shopper(299, s.p)
    const short = await redeem(poor, await tenReais(s.p), 'poor-000001')
    assert.deepEqual(
      [short.status, short.body.error.code, short.body.error.balance, short.body.error.pointsCost],
      [409, 'insufficient_points', 299, 300],
    )
    assert.equal(await balance(poor), 299)

    const noToken = await req('POST', `${s.p.base}/redemptions`, {
      body: { rewardId: scarce, idempotencyKey: 'anon-000001' },
    })
    assert.equal(noToken.status, 401)
    const badKey = await req('POST', `${s.p.base}/redemptions`, {
      token: s.token,
      body: { rewardId: scarce, idempotencyKey: 'a b' },
    })
    assert.deepEqual([badKey.status, badKey.body.error.field], [400, 'idempotencyKey'])
  })

  test('LI refuses the coupon (400): failed at once, points and stock back with a reason', async () => {
    const s = await shopper(1000)
    const rewardId = await tenReais(s.p, { totalStock: 5 })
    const res = await redeem(s, rewardId, 'refused-0001')
    env.sim.faults.inject({
      kind: 'server_error',
      status: 400,
      store: s.p.store.store.id,
      path: '/cupom',
      method: 'POST',
      count: 1,
    })
    assert.equal(await runJob(res.body.id), 'failed')
    assert.equal(await balance(s), 1000)
    const view = v.parse(
      RedemptionView,
      (await req('GET', `${s.p.base}/redemptions/${res.body.id}`, { token: s.token })).body,
    )
    assert.equal(view.status, 'failed')
    assert.equal(view.couponCode, null)
    assert.match(view.failureReason!, /não aceitou criar este cupom/)
    const stock = await db()
      .selectFrom('rewards')
      .select('issued_count')
      .where('id', '=', rewardId)
      .executeTakeFirstOrThrow()
    assert.equal(stock.issued_count, 0)
    const me = v.parse(WidgetMe, (await req('GET', `${s.p.base}/me`, { token: s.token })).body)
    assert.deepEqual(
      me.history.slice(0, 2).map((e) => [e.kind, e.amount]),
      [
        ['refund', 300],
        ['redeem', -300],
      ],
    )
    assert.match(me.history[0]!.reason, /não pôde ser criado/)
    assert.equal(simCoupons(s.p).length, 0)
    assert.equal(await sumEntries(db(), s.p.programId, s.memberId), 1000)
  })

  test('LI down (500s, timeouts, 429s) is retried; past the attempts the redemption fails with points back', async () => {
    const s = await shopper(2000)
    const rewardId = await tenReais(s.p)
    const store = s.p.store.store.id

    // A few failures, then LI answers: issued, one coupon.
    const a = await redeem(s, rewardId, 'flaky-00001')
    env.sim.faults.inject({ kind: 'server_error', status: 503, store, path: '/cupom', count: 5 })
    env.sim.faults.inject({ kind: 'rate_limit', store, path: '/cupom', count: 3 })
    assert.equal(await runJob(a.body.id), 'issued')
    env.sim.faults.clear()
    assert.equal(simCoupons(s.p).length, 1)

    const b = await redeem(s, rewardId, 'timeout-0001')
    env.sim.faults.inject({ kind: 'timeout', store, path: '/cupom', count: 2 })
    assert.equal(await runJob(b.body.id), 'issued')
    env.sim.faults.clear()
    assert.equal(simCoupons(s.p).length, 2)

    // LI down for good: every attempt fails; the last one gives the points back.
    const c = await redeem(s, rewardId, 'down-000001')
    env.sim.faults.inject({ kind: 'server_error', status: 500, store, path: '/cupom' })
    for (let i = 1; i < MAX_COUPON_ATTEMPTS; i++) {
      await assert.rejects(issueCoupon(env.t.deps, c.body.id), CouponRetry)
      assert.equal((await redemptionRow(c.body.id)).status, 'pending')
    }
    assert.equal(await issueCoupon(env.t.deps, c.body.id), 'failed')
    env.sim.faults.clear()
    const row = await redemptionRow(c.body.id)
    assert.deepEqual([row.status, row.failure_code, row.attempts], ['failed', 'li_unavailable', MAX_COUPON_ATTEMPTS])
    assert.equal(await balance(s), 2000 - 600)
    assert.equal(simCoupons(s.p).length, 2)
  })

  test('an answer lost after LI created the coupon: the retry finds it by its code, never a second coupon', async () => {
    const s = await shopper(1000)
    const rewardId = await tenReais(s.p)
    const res = await redeem(s, rewardId, 'lost-answer-1')
    // The POST is applied but its JSON is cut: the client retries, LI says the code exists.
    env.sim.faults.inject({
      kind: 'malformed_json',
      store: s.p.store.store.id,
      path: '/cupom',
      method: 'POST',
      count: 1,
    })
    assert.equal(await runJob(res.body.id), 'issued')
    const coupons = simCoupons(s.p)
    assert.equal(coupons.length, 1)
    assert.equal((await redemptionRow(res.body.id)).li_coupon_id, coupons[0]!.id)
  })

  test('a crash between the POST and recording it: the resumed job looks the code up first', async () => {
    const s = await shopper(1000)
    const rewardId = await tenReais(s.p)
    const res = await redeem(s, rewardId, 'crash-00001')
    const id = res.body.id as number
    // The first worker posts the coupon and dies before writing `issued` (here: its fetch never
    // returns and it is abandoned; its lease then runs out).
    const crash = afterEachPost(env.t.deps, never)
    void issueCoupon(env.t.deps, id).catch(() => undefined)
    await eventually('the first worker to post the coupon', crash.posted)
    crash.restore()
    assert.equal(simCoupons(s.p).length, 1)
    const row = await redemptionRow(id)
    assert.equal(row.status, 'pending')
    assert.ok(row.create_attempted_at, 'the attempt was recorded before the POST')

    // While the lease is live, another worker leaves it alone.
    assert.equal(await issueCoupon(env.t.deps, id), 'skipped')
    await db()
      .updateTable('redemptions')
      .set({ lease_until: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute()
    const before = env.sim.requests.entries((e) => e.method === 'POST').length
    assert.equal(await issueCoupon(env.t.deps, id), 'issued')
    assert.equal(
      env.sim.requests.entries((e) => e.method === 'POST').length,
      before,
      'found by its code, not created again',
    )
    assert.equal(simCoupons(s.p).length, 1)
  })

  test('daily reconciliation: a coupon used at checkout leaves the active coupons; expired unused ones give the points back once', async () => {
    const s = await shopper(1000)
    const rewardId = await tenReais(s.p)
    const usedOne = await redeem(s, rewardId, 'expiry-0001')
    const unused = await redeem(s, rewardId, 'expiry-0002')
    const deleted = await redeem(s, rewardId, 'expiry-0003')
    for (const r of [usedOne, unused, deleted]) assert.equal(await runJob(r.body.id), 'issued')
    const liStore = env.sim.state.requireStore(s.p.store.store.id)
    liStore.findCouponByCodigo((await redemptionRow(usedOne.body.id)).coupon_code)!.quantidadeUsada = 1
    assert.equal(await balance(s), 100)
    const coupons = async () =>
      v
        .parse(WidgetMe, (await req('GET', `${s.p.base}/me`, { token: s.token })).body)
        .coupons.map((c) => c.redemptionId)
    assert.deepEqual((await coupons()).sort(), [usedOne.body.id, unused.body.id, deleted.body.id].sort())

    // Before expiry: the used coupon is marked used, nothing is refunded.
    const first = await reconcileCoupons(env.t.deps)
    assert.ok(first.used >= 1)
    assert.equal((await redemptionRow(usedOne.body.id)).status, 'used')
    assert.equal((await redemptionRow(unused.body.id)).status, 'issued')
    assert.deepEqual((await coupons()).sort(), [unused.body.id, deleted.body.id].sort())
    assert.equal(await balance(s), 100)

    // Expired (more than a day ago), one of them deleted by the merchant in the store.
    const deletedCode = (await redemptionRow(deleted.body.id)).coupon_code
    liStore.coupons.splice(
      liStore.coupons.findIndex((c) => c.codigo === deletedCode),
      1,
    )
    const past = new Date(Date.now() - 3 * 86_400_000)
    await db()
      .updateTable('redemptions')
      .set({ expires_at: past })
      .where('id', 'in', [unused.body.id, deleted.body.id])
      .execute()
    const second = await reconcileCoupons(env.t.deps)
    assert.ok(second.refunded >= 2)
    assert.equal((await redemptionRow(unused.body.id)).failure_code, 'expired_unused')
    assert.equal((await redemptionRow(deleted.body.id)).failure_code, 'deleted_in_store')
    assert.equal(await balance(s), 700)
    const me = v.parse(WidgetMe, (await req('GET', `${s.p.base}/me`, { token: s.token })).body)
    assert.match(me.history[0]!.reason, /venceu sem ser usado/)
    assert.deepEqual(me.coupons, [])

    // Twice in a row: nothing more.
    await reconcileCoupons(env.t.deps)
    assert.equal(await balance(s), 700)
    assert.equal(await sumEntries(db(), s.p.programId, s.memberId), 700)
  })

  test('reconciliation with the store down changes nothing and tries again next time', async () => {
    const s = await shopper(1000)
    const rewardId = await tenReais(s.p)
    const r = await redeem(s, rewardId, 'recon-down-1')
    assert.equal(await runJob(r.body.id), 'issued')
    await db()
      .updateTable('redemptions')
      .set({ expires_at: new Date(Date.now() - 3 * 86_400_000) })
      .where('id', '=', r.body.id)
      .execute()
    env.sim.faults.inject({ kind: 'server_error', status: 503, store: s.p.store.store.id, path: '/cupom' })
    const report = await reconcileCoupons(env.t.deps)
    env.sim.faults.clear()
    assert.ok(report.programsSkipped >= 1)
    assert.equal(
      (await redemptionRow(r.body.id)).status,
      'issued',
      'a store that could not be listed is never taken as "deleted"',
    )
    assert.equal(await balance(s), 700)
    await reconcileCoupons(env.t.deps)
    assert.equal((await redemptionRow(r.body.id)).status, 'refunded')
    assert.equal(await balance(s), 1000)
  })

  test('a failed redemption whose coupon reached LI after all: reconciliation turns the coupon off, once; one never created is recorded absent', async () => {
    const s = await shopper(1000)
    const rewardId = await tenReais(s.p)
    const store = s.p.store.store.id
    const realFetch = env.t.deps.liFetch!
    try {
      // The POST reaches LI, its answer is lost, and LI is unreachable until the attempts run out.
      const lost = await redeem(s, rewardId, 'orphan-0001')
      afterEachPost(env.t.deps, async () => {
        env.sim.faults.inject({ kind: 'server_error', status: 503, store, path: '/cupom' })
        throw new TypeError('fetch failed: connection reset')
      })
      assert.equal(await runJob(lost.body.id), 'failed')
      env.t.deps.liFetch = realFetch
      // LI still down: a second redemption's POSTs never get through.
      const never = await redeem(s, rewardId, 'orphan-0002')
      assert.equal(await runJob(never.body.id), 'failed')
      env.sim.faults.clear()
      assert.equal(await balance(s), 1000, 'both gave the points back')
      const lostCode = (await redemptionRow(lost.body.id)).coupon_code
      const orphan = simCoupons(s.p).find((c) => c.codigo === lostCode)!
      assert.ok(orphan && orphan.ativo, 'the lost POST left a working coupon in the store')
      assert.equal(simCoupons(s.p).length, 1)

      const first = await reconcileCoupons(env.t.deps)
      assert.equal(first.orphansDeactivated, 1)
      assert.equal(orphan.ativo, false)
      assert.deepEqual(
        [orphan.codigo, orphan.valorHundredths, orphan.quantidade],
        [lostCode, 1000, 1],
        'the rest of the coupon is unchanged',
      )
      assert.deepEqual(
        [(await redemptionRow(lost.body.id)).store_check, (await redemptionRow(never.body.id)).store_check],
        ['deactivated', 'absent'],
      )
      const admin = await req('GET', `/v1/programs/${s.p.programId}/redemptions?memberId=${s.memberId}`, {
        token: s.p.merchantToken,
      })
      const views = v.parse(AdminRedemptionList, admin.body).items
      assert.deepEqual(
        views.map((r) => [r.id, r.status, r.storeCheck]).sort(),
        [
          [lost.body.id, 'failed', 'deactivated'],
          [never.body.id, 'failed', 'absent'],
        ].sort(),
      )

      // Twice: nothing more is asked of LI beyond the list, nothing changes.
      const puts = env.sim.requests.entries((e) => e.method === 'PUT').length
      const second = await reconcileCoupons(env.t.deps)
      assert.equal(second.orphansDeactivated, 0)
      assert.equal(env.sim.requests.entries((e) => e.method === 'PUT').length, puts)
      assert.equal(await balance(s), 1000)
      assert.equal(await sumEntries(db(), s.p.programId, s.memberId), 1000)
    } finally {
      env.t.deps.liFetch = realFetch
      env.sim.faults.clear()
    }
  })

  test('a failed redemption whose coupon was already used at checkout is recorded, not touched', async () => {
    const s = await shopper(1000)
    const rewardId = await tenReais(s.p)
    const r = await redeem(s, rewardId, 'orphan-used-1')
    const realFetch = env.t.deps.liFetch!
    try {
      afterEachPost(env.t.deps, async () => {
        env.sim.faults.inject({ kind: 'server_error', status: 503, store: s.p.store.store.id, path: '/cupom' })
        throw new TypeError('fetch failed: connection reset')
      })
      assert.equal(await runJob(r.body.id), 'failed')
    } finally {
      env.t.deps.liFetch = realFetch
      env.sim.faults.clear()
    }
    const code = (await redemptionRow(r.body.id)).coupon_code
    const coupon = simCoupons(s.p).find((c) => c.codigo === code)!
    coupon.quantidadeUsada = 1
    const report = await reconcileCoupons(env.t.deps)
    assert.equal(report.orphansUsed, 1)
    assert.equal((await redemptionRow(r.body.id)).store_check, 'used')
    assert.equal(coupon.ativo, true)
    assert.equal(await balance(s), 1000)
  })

  test('admin: the merchant lists redemptions by member and status, another merchant cannot', async () => {
    const s = await shopper(1000)
    const rewardId = await tenReais(s.p)
    const res = await redeem(s, rewardId, 'admin-00001')
    const list = await req('GET', `/v1/programs/${s.p.programId}/redemptions?memberId=${s.memberId}`, {
      token: s.p.merchantToken,
    })
    assert.equal(list.status, 200, JSON.stringify(list.body))
    const parsed = v.parse(AdminRedemptionList, list.body)
    assert.equal(parsed.items.length, 1)
    assert.equal(parsed.items[0]!.status, 'pending')
    assert.ok(parsed.items[0]!.couponCode, 'the merchant sees the code the coupon will have')
    assert.equal(parsed.items[0]!.memberEmail, `cliente${n}@cliente.test`)
    const one = await req('GET', `/v1/programs/${s.p.programId}/redemptions/${res.body.id}`, {
      token: s.p.merchantToken,
    })
    assert.equal(one.status, 200)
    const filtered = await req('GET', `/v1/programs/${s.p.programId}/redemptions?status=issued`, {
      token: s.p.merchantToken,
    })
    assert.deepEqual(filtered.body.items, [])
    const bad = await req('GET', `/v1/programs/${s.p.programId}/redemptions?status=lost`, { token: s.p.merchantToken })
    assert.deepEqual([bad.status, bad.body.error.field], [400, 'status'])
    const stranger = await env.t.merchant()
    const denied = await req('GET', `/v1/programs/${s.p.programId}/redemptions`, { token: stranger.token })
    assert.equal(denied.status, 404)
    // A shopper cannot read another member's redemption.
    const other = await shopper(0, s.p)
    assert.equal((await req('GET', `${s.p.base}/redemptions/${res.body.id}`, { token: other.token })).status, 404)
  })
})
