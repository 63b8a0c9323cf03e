import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { postEntries } from '../ledger/service.ts'
import { liveProgram, login, seedMember, startWidgetTestApp, type WidgetTestEnv } from '../widget/test-support.ts'

/**
 * The program and reward facts a redemption is decided on are kept for a second after a read
 * that allowed redeeming (redeem.ts, FACTS_TTL_MS). A merchant's change within that second must
 * still be what the next shopper gets: these tests change the reward right after a redemption,
 * while its facts are kept.
 */
describe('redemptions on kept facts', () => {
  let env: WidgetTestEnv
  before(async () => {
    env = await startWidgetTestApp()
  })
  after(() => env.close())

  const db = () => env.t.database.db
  let n = 0
  async function setUp(reward: Record<string, unknown> = {}) {
    const p = await liveProgram(env)
    const res = await env.t.request('POST', `/v1/programs/${p.programId}/rewards`, {
      token: p.merchantToken,
      body: { kind: 'fixed_discount', title: 'R$ 10 de desconto', pointsCost: 300, valueCents: 1000, ...reward },
    })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    const shopper = async () => {
      const email = `kept${++n}@cliente.test`
      const memberId = await seedMember(env.t, p.programId, email)
      await db()
        .transaction()
        .execute((trx) =>
          postEntries(trx, p.programId, [
            { memberId, kind: 'earn', amount: 1000, reason: 'Pontos', idempotencyKey: `kept-seed-${memberId}` },
          ]),
        )
      const session = await login(env.t, p, email)
      return {
        memberId,
        redeem: (key: string) =>
          env.t.request('POST', `${p.base}/redemptions`, {
            token: session.accessToken,
            body: { rewardId: res.body.id, idempotencyKey: key },
          }),
      }
    }
    const rewardPath = `/v1/programs/${p.programId}/rewards/${res.body.id}`
    const edit = (body: Record<string, unknown>) => env.t.request('PATCH', rewardPath, { token: p.merchantToken, body })
    const deactivate = () => env.t.request('POST', `${rewardPath}/deactivate`, { token: p.merchantToken })
    return { shopper, edit, deactivate }
  }
  const balance = async (memberId: number) =>
    (await db().selectFrom('members').select('balance').where('id', '=', memberId).executeTakeFirstOrThrow()).balance

  test('a new cost right after a redemption is the cost the next one pays', async () => {
    const { shopper, edit } = await setUp()
    const first = await shopper()
    assert.equal((await first.redeem('kept-cost-1')).status, 201)
    assert.equal((await edit({ pointsCost: 500 })).status, 200)
    const second = await shopper()
    const res = await second.redeem('kept-cost-2')
    assert.equal(res.status, 201, JSON.stringify(res.body))
    assert.equal(res.body.pointsSpent, 500)
    assert.equal(await balance(second.memberId), 500)
  })

  test('a reward switched off right after a redemption is refused as unavailable, debiting nothing', async () => {
    const { shopper, deactivate } = await setUp()
    assert.equal((await (await shopper()).redeem('kept-off-1')).status, 201)
    assert.equal((await deactivate()).status, 200)
    const late = await shopper()
    const res = await late.redeem('kept-off-2')
    assert.equal(res.status, 409, JSON.stringify(res.body))
    assert.equal(res.body.error.code, 'reward_unavailable')
    assert.equal(await balance(late.memberId), 1000)
  })

  test('the last unit taken: the next shopper is told it is out of stock', async () => {
    const { shopper } = await setUp({ totalStock: 1 })
    assert.equal((await (await shopper()).redeem('kept-stock-1')).status, 201)
    const late = await shopper()
    const res = await late.redeem('kept-stock-2')
    assert.equal(res.status, 409, JSON.stringify(res.body))
    assert.equal(res.body.error.code, 'out_of_stock')
    assert.equal(await balance(late.memberId), 1000)
  })
})
