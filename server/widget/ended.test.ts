import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { postEntries } from '../ledger/service.ts'
import {
  liveProgram,
  login,
  seedMember,
  startWidgetTestApp,
  type LiveProgram,
  type WidgetTestEnv,
} from './test-support.ts'

/** Sessions and programs that have ended: no redemption from a revoked session or on a paused program. */
describe('ended sessions and paused programs', () => {
  let env: WidgetTestEnv
  before(async () => {
    env = await startWidgetTestApp()
  })
  after(() => env.close())

  const db = () => env.t.database.db
  let n = 0
  async function member(p?: LiveProgram) {
    p ??= await liveProgram(env)
    const email = `ended${++n}@cliente.test`
    const memberId = await seedMember(env.t, p.programId, email)
    await db()
      .transaction()
      .execute((trx) =>
        postEntries(trx, p!.programId, [
          {
            memberId,
            kind: 'earn',
            amount: 1000,
            reason: 'Pontos da compra nº 1',
            idempotencyKey: `ended-seed-${memberId}`,
          },
        ]),
      )
    const session = await login(env.t, p, email)
    const reward = await env.t.request('POST', `/v1/programs/${p.programId}/rewards`, {
      token: p.merchantToken,
      body: { kind: 'fixed_discount', title: 'R$ 10 de desconto', pointsCost: 300, valueCents: 1000 },
    })
    assert.equal(reward.status, 201, JSON.stringify(reward.body))
    return { p, memberId, session, rewardId: reward.body.id as string }
  }
  const redeem = (m: Awaited<ReturnType<typeof member>>, key: string) =>
    env.t.request('POST', `${m.p.base}/redemptions`, {
      token: m.session.accessToken,
      body: { rewardId: m.rewardId, idempotencyKey: key },
    })
  const balance = async (memberId: number) =>
    (await db().selectFrom('members').select('balance').where('id', '=', memberId).executeTakeFirstOrThrow()).balance
  const redemptions = async (memberId: number) =>
    (await db().selectFrom('redemptions').select('id').where('member_id', '=', memberId).execute()).length

  test('after logout the access token can no longer redeem, at once (it still reads until it expires)', async () => {
    const m = await member()
    // The token is verified and cached before the logout, as on a busy widget.
    assert.equal((await env.t.request('GET', `${m.p.base}/me`, { token: m.session.accessToken })).status, 200)
    const out = await env.t.request('POST', `${m.p.base}/logout`, { body: { refreshToken: m.session.refreshToken } })
    assert.equal(out.status, 200)
    const res = await redeem(m, 'after-logout-1')
    assert.equal(res.status, 401, JSON.stringify(res.body))
    assert.equal(res.body.error.code, 'unauthorized')
    assert.equal(await balance(m.memberId), 1000, 'nothing debited')
    assert.equal(await redemptions(m.memberId), 0)
    assert.equal(
      (await env.t.request('GET', `${m.p.base}/me`, { token: m.session.accessToken })).status,
      200,
      'reads are not checked (see requireLiveSession)',
    )
  })

  test('a reused refresh token revokes the family: its access tokens cannot redeem any more', async () => {
    const m = await member()
    const first = await env.t.request('POST', `${m.p.base}/session/refresh`, {
      body: { refreshToken: m.session.refreshToken },
    })
    assert.equal(first.status, 200)
    // Another live session of the same member is not affected.
    const other = await login(env.t, m.p, `ended${n}@cliente.test`)
    // The old refresh token again, past the grace window: a copy was made, the family is revoked.
    await db()
      .updateTable('refresh_tokens')
      .set({ rotated_at: new Date(Date.now() - 120_000) })
      .where('rotated_at', 'is not', null)
      .where('member_id', '=', m.memberId)
      .execute()
    const reuse = await env.t.request('POST', `${m.p.base}/session/refresh`, {
      body: { refreshToken: m.session.refreshToken },
    })
    assert.equal(reuse.status, 401)
    for (const token of [m.session.accessToken, first.body.accessToken as string]) {
      const res = await env.t.request('POST', `${m.p.base}/redemptions`, {
        token,
        body: { rewardId: m.rewardId, idempotencyKey: `after-reuse-${token.slice(-8)}` },
      })
      assert.equal(res.status, 401, JSON.stringify(res.body))
    }
    assert.equal(await balance(m.memberId), 1000)
    const ok = await env.t.request('POST', `${m.p.base}/redemptions`, {
      token: other.accessToken,
      body: { rewardId: m.rewardId, idempotencyKey: 'other-session-1' },
    })
    assert.equal(ok.status, 201, JSON.stringify(ok.body))
  })

  test('a program whose store connection is not active refuses redemptions (program_paused), debits nothing, creates no coupon', async () => {
    const m = await member()
    await db().updateTable('integrations').set({ active: false }).where('program_id', '=', m.p.programId).execute()
    const posts = env.sim.requests.entries((e) => e.method === 'POST').length
    const res = await redeem(m, 'paused-1')
    assert.equal(res.status, 409, JSON.stringify(res.body))
    assert.equal(res.body.error.code, 'program_paused')
    assert.match(res.body.error.message, /paused/)
    assert.equal(await balance(m.memberId), 1000, 'nothing debited')
    assert.equal(await redemptions(m.memberId), 0)
    assert.equal(env.sim.requests.entries((e) => e.method === 'POST').length, posts, 'no coupon created in the store')
    // What the widget reads to show "Programa pausado" (once its 10-second program cache turns over).
    const inactive = await liveProgram(env, { active: false })
    const config = await env.t.request('GET', `${inactive.base}/config`)
    assert.equal(config.body.loginOpen, false)

    // Resumed: redeeming works again.
    await db().updateTable('integrations').set({ active: true }).where('program_id', '=', m.p.programId).execute()
    assert.equal((await redeem(m, 'resumed-1')).status, 201)
  })
})
