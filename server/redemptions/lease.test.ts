import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { postEntries } from '../ledger/service.ts'
import {
  liveProgram,
  login,
  seedMember,
  startWidgetTestApp,
  type LiveProgram,
  type WidgetTestEnv,
} from '../widget/test-support.ts'
import { claimCoupons, couponBacklog, issueCoupon, keepLease, LEASE_SECONDS, settleLeased } from './coupon-job.ts'
import * as repo from './repository.ts'
import { couponRetryDelayMs } from './rules.ts'
import { afterEachPost, never } from '../test/li-store.ts'

/**
 * The coupon job's lease is short and renewed while LI is called, so a redemption whose worker
 * died is claimed again within about half a minute (the kill -9 test measures it end to end on
 * PostgreSQL: kill.test.ts). Workers do not run here: the tests claim as the runner does.
 */
describe('redemption leases', () => {
  let env: WidgetTestEnv
  before(async () => {
    env = await startWidgetTestApp({ config: { LI_RETRY_BASE_MS: '1', LI_TIMEOUT_MS: '300' } })
  })
  after(() => env.close())

  const db = () => env.t.database.db
  const row = (id: number) => db().selectFrom('redemptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const ourCoupons = (p: LiveProgram) =>
    env.sim.state.requireStore(p.store.store.id).coupons.filter((c) => c.codigo.startsWith('FID'))
  const posts = () => env.sim.requests.entries((e) => e.method === 'POST').length
  const eventually = async (what: string, check: () => Promise<boolean> | boolean) => {
    for (let i = 0; i < 400; i++) {
      if (await check()) return
      await new Promise((r) => setTimeout(r, 10))
    }
    assert.fail(`never happened: ${what}`)
  }

  let n = 0
  /** A pending redemption of a R$ 10 reward (due; nobody claims it here but the test). */
  async function pending(): Promise<{ p: LiveProgram; id: number }> {
    const p = await liveProgram(env)
    const email = `lease${++n}@cliente.test`
    const memberId = await seedMember(env.t, p.programId, email)
    await db()
      .transaction()
      .execute((trx) =>
        postEntries(trx, p.programId, [
          {
            memberId,
            kind: 'earn',
            amount: 1000,
            reason: 'Pontos da compra nº 1',
            idempotencyKey: `lease-seed-${memberId}`,
          },
        ]),
      )
    const session = await login(env.t, p, email)
    const reward = await env.t.request('POST', `/v1/programs/${p.programId}/rewards`, {
      token: p.merchantToken,
      body: { kind: 'fixed_discount', title: 'R$ 10 de desconto', pointsCost: 300, valueCents: 1000 },
    })
    const res = await env.t.request('POST', `${p.base}/redemptions`, {
      token: session.accessToken,
      body: { rewardId: reward.body.id, idempotencyKey: `lease-click-${n}` },
    })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return { p, id: res.body.id }
  }

  /** What a claim of every due redemption takes, of these ids. */
  const claimed = async (...ids: number[]) => {
    const rows = await claimCoupons(env.t.deps, 200)
    // Others' rows go back as they were: due at once.
    for (const r of rows) if (!ids.includes(r.id)) await repo.releaseLease(db(), r.id, r.lease_until!)
    return rows.filter((r) => ids.includes(r.id))
  }
  const lapse = (id: number) =>
    sql`update redemptions set lease_until = now() - interval '1 second', next_attempt_at = now() - interval '1 second'
        where id = ${id}`.execute(db())

  test('a fresh redemption is due at once and claimed by one worker only', async () => {
    const { p, id } = await pending()
    const before = await couponBacklog(env.t.deps)
    assert.ok(before.waiting >= 1, 'in the backlog GET /metrics reads')
    const [r] = await claimed(id)
    assert.ok(r, 'claimed')
    const during = await couponBacklog(env.t.deps)
    assert.equal(during.waiting, before.waiting - 1)
    assert.ok(during.active >= 1)
    assert.equal(r.attempts, 1)
    assert.equal(r.previously_attempted, false)
    assert.deepEqual(await claimed(id), [], 'a second claim does not take it')
    assert.equal(await settleLeased(env.t.deps, r), 'issued')
    assert.equal(ourCoupons(p).length, 1)
    assert.deepEqual(await claimed(id), [], 'settled: never claimed again')
  })

  test('a worker dies after its POST reached LI: once its lease runs out, it is claimed again and the coupon found by its code', async () => {
    const { p, id } = await pending()
    // The first worker's POST is applied and its answer never comes back (the process is gone).
    const crash = afterEachPost(env.t.deps, never)
    void issueCoupon(env.t.deps, id).catch(() => undefined)
    await eventually('the POST reached LI', crash.posted)
    crash.restore()

    const held = await row(id)
    assert.ok(held.lease_until!.getTime() - Date.now() <= LEASE_SECONDS * 1000, 'a short lease')
    assert.equal(held.next_attempt_at.getTime(), held.lease_until!.getTime(), 'due again when the lease ends')
    assert.deepEqual(await claimed(id), [], 'a live lease is left alone')
    // Thirty seconds later, without a heartbeat (the worker is dead):
    await lapse(id)
    const before = posts()
    const [r] = await claimed(id)
    assert.equal(r?.previously_attempted, true)
    assert.equal(await settleLeased(env.t.deps, r!), 'issued')
    const issued = await row(id)
    assert.equal(issued.status, 'issued')
    assert.equal(posts(), before, 'looked up by its code, not created again')
    assert.equal(ourCoupons(p).length, 1)
    assert.equal(issued.li_coupon_id, ourCoupons(p)[0]!.id)
  })

  test('LI down: the lease is given up and the redemption comes due again after its backoff', async () => {
    const { p, id } = await pending()
    env.sim.faults.inject({ kind: 'server_error', status: 503, store: p.store.store.id, path: '/cupom' })
    try {
      const [r] = await claimed(id)
      const t0 = Date.now()
      assert.equal(await settleLeased(env.t.deps, r!), 'retry')
      const after = await row(id)
      assert.equal(after.status, 'pending')
      assert.equal(after.lease_until, null, 'the lease is given up')
      const wait = after.next_attempt_at.getTime() - t0
      assert.ok(wait >= couponRetryDelayMs(1) - 1000 && wait <= couponRetryDelayMs(1) + 5000, `due in ${wait} ms`)
      assert.deepEqual(await claimed(id), [], 'not before its time')
    } finally {
      env.sim.faults.clear()
    }
    await lapse(id)
    const [again] = await claimed(id)
    assert.equal(again?.attempts, 2)
    assert.equal(await settleLeased(env.t.deps, again!), 'issued')
    assert.equal(ourCoupons(p).length, 1)
  })

  test('the heartbeat renews the lease while LI is called, and stops once another worker took it', async () => {
    const { id } = await pending()
    const r = (await repo.acquireLeases(db(), [id], LEASE_SECONDS))[0]!
    const first = r.lease_until!
    const lease = keepLease(env.t.deps, id, first, 20)
    await eventually('the lease renewed', async () => (await row(id)).lease_until!.getTime() > first.getTime())
    const renewed = await lease.stop()
    assert.equal((await row(id)).lease_until!.getTime(), renewed.getTime(), 'stop() answers the token now held')
    assert.equal(await repo.renewLease(db(), id, first, LEASE_SECONDS), undefined, 'a stale token renews nothing')

    // Another worker took over (the lease ran out while this one stalled).
    const again = keepLease(env.t.deps, id, renewed, 20)
    const foreign = new Date(Date.now() + 60_000)
    await db().updateTable('redemptions').set({ lease_until: foreign }).where('id', '=', id).execute()
    await eventually('the loss noticed', () =>
      env.t.logLines.some((l) => l.includes('redemption lease lost') && l.includes(`"redemptionId":${id}`)),
    )
    const stale = await again.stop()
    await repo.releaseLease(db(), id, stale)
    assert.equal(
      (await row(id)).lease_until!.getTime(),
      foreign.getTime(),
      "the other worker's lease is neither renewed nor released",
    )
  })
})
