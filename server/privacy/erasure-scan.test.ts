import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { privacyKey } from '../config/secrets.ts'
import { upsertStoreCustomers } from '../members/store-customers.ts'
import { latestCode, liveProgram, startWidgetTestApp, type WidgetTestEnv } from '../widget/test-support.ts'
import { latestErasureCode, richShopper, scanCatalogue } from './test-support.ts'

// The erasure test of issue 22: a shopper with every kind of data erases themselves in the
// widget; then every column of every table, found in the database's own catalogue (public and
// pg-boss's schema), is searched for their e-mail, CPF, name, LI id and IP. Zero hits.

let env: WidgetTestEnv
before(async () => {
  env = await startWidgetTestApp()
})
after(() => env.close())

test('erasure leaves no trace of the shopper in any column of the catalogue; figures still add up', async () => {
  const { t } = env
  const p = await liveProgram(env)
  const s = await richShopper(t, p)
  const other = await richShopper(t, p)
  const db = t.database.db
  const before = await db.selectFrom('members').select('balance').where('id', '=', s.memberId).executeTakeFirstOrThrow()

  // Step 1: a code to the shopper's e-mail; a wrong one is refused and nothing is erased.
  const h = { 'x-forwarded-for': s.ip }
  const sent = await t.request('POST', `${p.base}/me/erasure/code`, { token: s.accessToken, headers: h })
  assert.equal(sent.status, 202, JSON.stringify(sent.body))
  const code = await latestErasureCode(t, p.programId, s.email)
  const wrong = await t.request('POST', `${p.base}/me/erasure`, {
    token: s.accessToken,
    body: { code: code === '000000' ? '111111' : '000000' },
    headers: h,
  })
  assert.equal(wrong.status, 401)
  assert.equal(wrong.body.error.field, 'code')
  const bad = await t.request('POST', `${p.base}/me/erasure`, { token: s.accessToken, body: { code: '12' } })
  assert.equal(bad.status, 400)
  assert.equal(bad.body.error.field, 'code')

  const erased = await t.request('POST', `${p.base}/me/erasure`, { token: s.accessToken, body: { code }, headers: h })
  assert.equal(erased.status, 200, JSON.stringify(erased.body))
  assert.equal(erased.body.erased, true)

  // The scan: every text/json column and every integer column of both schemas.
  const { hits, scanned } = await scanCatalogue(t.database, [s.email, s.cpf, s.name, String(s.liId), s.ip], [s.liId])
  assert.ok(scanned.includes('pgboss.job.data'), 'pg-boss job payloads are scanned')
  assert.ok(scanned.includes('public.orders.li_customer_id'), 'numeric columns are scanned')
  assert.ok(scanned.length > 100, `only ${scanned.length} columns scanned`)
  assert.deepEqual(hits, [])
  // The other shopper of the same program is untouched (the scan does find a live shopper).
  const live = await scanCatalogue(t.database, [other.email], [])
  assert.ok(live.hits.some((h) => h.column === 'public.members.email'))
  assert.ok(
    live.hits.some((h) => h.column === 'public.referrals.friend_email'),
    'a referral claim holds the address',
  )
  const liveIp = await scanCatalogue(t.database, [other.ip], [])
  assert.ok(
    liveIp.hits.some((h) => h.column === 'public.referrals.claim_ip'),
    'and the IP it came from',
  )

  // What stays: the member row with its balance (= the ledger's sum), the order's amounts, the coupon.
  const m = await db.selectFrom('members').selectAll().where('id', '=', s.memberId).executeTakeFirstOrThrow()
  assert.equal(m.balance, before.balance)
  assert.ok(m.erased_at)
  assert.equal(m.name, null)
  const sum = await db
    .selectFrom('ledger_entries')
    .select((eb) => eb.fn.sum<string>('amount').as('s'))
    .where('member_id', '=', s.memberId)
    .executeTakeFirstOrThrow()
  assert.equal(Number(sum.s), m.balance)
  const order = await db.selectFrom('orders').selectAll().where('member_id', '=', s.memberId).executeTakeFirstOrThrow()
  assert.equal(Number(order.total_cents), 26_500)
  assert.equal(order.points_awarded, 250)
  const requests = await db.selectFrom('privacy_requests').selectAll().where('member_id', '=', s.memberId).execute()
  assert.ok(requests.every((r) => r.state === 'done' && r.note === null))
  assert.ok(requests.some((r) => r.kind === 'erasure' && r.channel === 'widget'))

  // Sessions ended; queued e-mails gone.
  const refreshed = await t.request('POST', `${p.base}/session/refresh`, { body: { refreshToken: s.refreshToken } })
  assert.equal(refreshed.status, 401)
  const pending = await db
    .selectFrom('email_outbox')
    .select('id')
    .where('member_id', '=', s.memberId)
    .where('status', '=', 'pending')
    .execute()
  assert.deepEqual(pending, [])

  // A later sync of the same store customer does not re-enrol them.
  const synced = await db
    .transaction()
    .execute((trx) =>
      upsertStoreCustomers(
        trx,
        p.programId,
        [{ liCustomerId: s.liId, email: s.email, name: s.name, cpf: s.cpf, birthDate: null }],
        { key: privacyKey(t.deps.secrets) },
      ),
    )
  assert.equal(synced.counts.created, 0)
  assert.equal(synced.counts.skipped, 1)
  assert.equal((await scanCatalogue(t.database, [s.email], [s.liId])).hits.length, 0)

  // Only the shopper joining again in the widget enrols them again: a new member, from zero.
  assert.equal((await t.request('POST', `${p.base}/login`, { body: { email: s.email } })).status, 202)
  const again = await t.request('POST', `${p.base}/login/verify`, {
    body: {
      email: s.email,
      code: await latestCode(t, p.programId, s.email),
      join: { name: 'Zu', emailConsent: false },
    },
  })
  assert.equal(again.status, 200, JSON.stringify(again.body))
  assert.notEqual(again.body.member.id, s.memberId)
  const rejoined = await db
    .selectFrom('members')
    .selectAll()
    .where('id', '=', again.body.member.id)
    .executeTakeFirstOrThrow()
  assert.equal(Number(rejoined.li_customer_id), s.liId)
})
