import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { eventually } from '../test/eventually.ts'
import { afterEachPost, never } from '../test/li-store.ts'
import { MAX_COUPON_ATTEMPTS } from '../redemptions/rules.ts'
import { startWidgetTestApp, type WidgetTestEnv } from '../widget/test-support.ts'
import { referralCouponQueue } from './queues.ts'
import { issueReferralCoupon, ReferralCouponRetry, resumeStalledCoupons } from './service.ts'
import { referralOf, referralProgram, runCoupon, type ReferralProgram } from './test-support.ts'

// The friend's coupon, exactly once (server/redemptions' rules): retries, a lost answer, a crash
// after LI created it, LI refusing it, a lost job.

let env: WidgetTestEnv
before(async () => {
  env = await startWidgetTestApp({ config: { LI_TIMEOUT_MS: '300' } })
})
after(() => env.close())

const db = () => env.t.database.db
const simCoupons = (r: ReferralProgram) =>
  env.sim.state.requireStore(r.p.store.store.id).coupons.filter((c) => c.codigo.startsWith('FID'))
const row = (id: string) => db().selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const mails = (r: ReferralProgram) =>
  db()
    .selectFrom('email_outbox')
    .select('id')
    .where('program_id', '=', r.p.programId)
    .where('kind', '=', 'referral_coupon')
    .execute()

async function claimed(r: ReferralProgram, email: string) {
  assert.equal((await r.claim(email)).status, 202)
  return (await referralOf(env, r.p.programId, email))!.id
}

test('LI down is retried until it answers; down for good, the referral fails after the attempts', async () => {
  const r = await referralProgram(env)
  const store = r.p.store.store.id
  const a = await claimed(r, 'flaky@cliente.test')
  env.sim.faults.inject({ kind: 'server_error', status: 503, store, path: '/cupom', count: 4 })
  env.sim.faults.inject({ kind: 'rate_limit', store, path: '/cupom', count: 2 })
  assert.equal(await runCoupon(env, a), 'issued')
  env.sim.faults.clear()
  assert.equal(simCoupons(r).length, 1)

  const b = await claimed(r, 'down@cliente.test')
  env.sim.faults.inject({ kind: 'server_error', status: 500, store, path: '/cupom' })
  for (let i = 1; i < MAX_COUPON_ATTEMPTS; i++) {
    await assert.rejects(issueReferralCoupon(env.t.deps, b), ReferralCouponRetry)
    assert.equal((await row(b)).status, 'coupon_pending')
  }
  assert.equal(await issueReferralCoupon(env.t.deps, b), 'failed')
  env.sim.faults.clear()
  assert.deepEqual([(await row(b)).status, (await row(b)).failure], ['coupon_failed', 'li_unavailable'])
  assert.equal(simCoupons(r).length, 1)
  assert.equal((await mails(r)).length, 1)
})

test('LI refuses the coupon: coupon_failed at once, no e-mail', async () => {
  const r = await referralProgram(env)
  const id = await claimed(r, 'refused@cliente.test')
  env.sim.faults.inject({
    kind: 'server_error',
    status: 400,
    store: r.p.store.store.id,
    path: '/cupom',
    method: 'POST',
    count: 1,
  })
  assert.equal(await runCoupon(env, id), 'failed')
  assert.deepEqual([(await row(id)).status, (await row(id)).failure], ['coupon_failed', 'li_refused'])
  assert.equal((await mails(r)).length, 0)
})

test('an answer lost after LI created the coupon: found by its code, one coupon, one e-mail', async () => {
  const r = await referralProgram(env)
  const id = await claimed(r, 'lost@cliente.test')
  env.sim.faults.inject({ kind: 'malformed_json', store: r.p.store.store.id, path: '/cupom', method: 'POST', count: 1 })
  assert.equal(await runCoupon(env, id), 'issued')
  assert.equal(simCoupons(r).length, 1)
  assert.equal(Number((await row(id)).li_coupon_id), simCoupons(r)[0]!.id)
  assert.equal((await mails(r)).length, 1)
})

test('a crash after the POST: the resumed job looks the code up first and never creates a second coupon', async () => {
  const r = await referralProgram(env)
  const id = await claimed(r, 'crash@cliente.test')
  const crash = afterEachPost(env.t.deps, never)
  void issueReferralCoupon(env.t.deps, id).catch(() => undefined)
  await eventually('the first worker to post the coupon', crash.posted)
  crash.restore()
  assert.equal(simCoupons(r).length, 1)
  assert.ok((await row(id)).coupon_attempted_at, 'the attempt was recorded before the POST')
  assert.equal(await issueReferralCoupon(env.t.deps, id), 'skipped', 'the lease is still live')
  await db()
    .updateTable('referrals')
    .set({ lease_until: new Date(Date.now() - 1000) })
    .where('id', '=', id)
    .execute()
  const before = env.sim.requests.entries((e) => e.method === 'POST').length
  assert.equal(await issueReferralCoupon(env.t.deps, id), 'issued')
  assert.equal(env.sim.requests.entries((e) => e.method === 'POST').length, before, 'found, not created again')
  assert.equal(simCoupons(r).length, 1)
  assert.equal((await mails(r)).length, 1)
})

test('a lost job: the pass re-enqueues stalled coupon-pending referrals', async () => {
  const r = await referralProgram(env)
  const id = await claimed(r, 'lostjob@cliente.test')
  await env.t.database.pool.query('delete from pgboss.job where name = $1 and singleton_key = $2', [
    referralCouponQueue.name,
    id,
  ])
  assert.equal(await resumeStalledCoupons(env.t.deps), 0, 'too young to be stalled')
  await db()
    .updateTable('referrals')
    .set({ updated_at: new Date(Date.now() - 3600_000) })
    .where('id', '=', id)
    .execute()
  assert.ok((await resumeStalledCoupons(env.t.deps)) >= 1)
  const jobs = await env.t.database.pool.query('select 1 from pgboss.job where name = $1 and singleton_key = $2', [
    referralCouponQueue.name,
    id,
  ])
  assert.equal((jobs as { rows: unknown[] }).rows.length, 1)
})
