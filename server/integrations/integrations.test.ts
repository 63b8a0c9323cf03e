import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { findStatusByCodigo, STATUSES, type LiSimulator, type SeededStore } from '../li-simulator/index.ts'
import type { TestApp } from '../test/harness.ts'
import { startLiTestApp, type LiTestEnv } from '../test/li-store.ts'
import { ACTIVATION_NOTICE, DEACTIVATION_NOTICE } from './service.ts'

const DELIVERED = findStatusByCodigo('pedido_entregue')!.id
const PAID = findStatusByCodigo('pedido_pago')!.id

describe('Loja Integrada integration API', () => {
  let env: LiTestEnv
  let t: TestApp
  let sim: LiSimulator
  let seedN = 100

  before(async () => {
    // Webhooks the simulator delivers land in our own app, in process.
    env = await startLiTestApp({ config: { FEED_ALLOW_PRIVATE_HOSTS: 'false' } })
    ;({ t, sim } = env)
  })
  after(() => env.close())

  interface Setup {
    token: string
    programId: string
    base: string
    seeded: SeededStore
  }

  async function setup(): Promise<Setup> {
    const m = await t.merchant()
    const program = await t.request('POST', '/v1/programs', {
      token: m.token,
      body: { name: 'Clube Loja', earnRate: 1 },
    })
    assert.equal(program.status, 201)
    const seeded = sim.seed({ seed: ++seedN, customers: 3, orders: 6 })
    return {
      token: m.token,
      programId: program.body.id,
      base: `/v1/programs/${program.body.id}/integrations/loja-integrada`,
      seeded,
    }
  }

  const form = (s: Setup, extra: Record<string, unknown> = {}) => ({
    apiKey: s.seeded.apiKey,
    siteUrl: 'https://www.lojabela.com.br',
    ...extra,
  })

  async function saved(extra: Record<string, unknown> = {}): Promise<Setup> {
    const s = await setup()
    const res = await t.request('PUT', s.base, { token: s.token, body: form(s, extra) })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    return s
  }

  async function active(): Promise<Setup> {
    const s = await saved({ awardingStatusIds: [DELIVERED] })
    const res = await t.request('POST', `${s.base}/activate`, { token: s.token })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    return s
  }

  async function jobs(name: string, programId: string) {
    const res = await sql<{ data: any; singleton_key: string | null; state: string }>`
      select data, singleton_key, state from pgboss.job where name = ${name} and data->>'programId' = ${programId} order by created_on`.execute(
      t.database.db,
    )
    return res.rows
  }

  async function webhookToken(programId: string) {
    const row = await t.database.db
      .selectFrom('integrations')
      .select('webhook_token')
      .where('program_id', '=', programId)
      .executeTakeFirstOrThrow()
    return row.webhook_token!
  }

  // ---- save ---------------------------------------------------------------------------------

  test('save with a chave_api: verified with LI, key stored encrypted and never returned', async () => {
    const s = await setup()
    assert.equal((await t.request('GET', s.base, { token: s.token })).status, 404)

    const res = await t.request('PUT', s.base, { token: s.token, body: form(s) })
    assert.equal(res.status, 200)
    const view = res.body
    assert.equal(view.programId, s.programId)
    assert.equal(view.credentialKind, 'chave_api')
    assert.equal(view.apiKeyLast4, s.seeded.apiKey.slice(-4))
    assert.equal(view.couponValidityDays, 365, 'default validity')
    assert.deepEqual(view.rewardAllowlist, [])
    assert.deepEqual(view.awardingStatusIds, [])
    assert.equal(view.active, false)
    assert.equal(view.salesRegistration, false)
    assert.equal(view.erpSales, false)
    assert.equal(view.webhookRegistered, false)
    assert.ok(view.keyVerifiedAt)
    assert.equal(view.siteUrl, 'https://www.lojabela.com.br')
    assert.ok(!JSON.stringify(view).includes(s.seeded.apiKey), 'the key is not in the answer')

    // LI was asked with the integrator header (chave_api + our application key).
    const calls = sim.requests.entries((e) => e.storeId === s.seeded.store.id)
    assert.ok(calls.length > 0)
    assert.ok(calls.every((e) => e.authKind === 'chave_api' && e.status === 200))

    const row = await t.database.db
      .selectFrom('integrations')
      .selectAll()
      .where('program_id', '=', s.programId)
      .executeTakeFirstOrThrow()
    assert.ok(!row.api_key_enc.includes(s.seeded.apiKey), 'api_key_enc does not contain the key')
    assert.ok(row.api_key_enc.length > s.seeded.apiKey.length)
    assert.ok(!t.logLines.some((l) => l.includes(s.seeded.apiKey)), 'the key is never logged')

    const read = await t.request('GET', s.base, { token: s.token })
    assert.equal(read.status, 200)
    assert.deepEqual(read.body, view)

    // Saving without apiKey keeps the saved key and changes the rest.
    const again = await t.request('PUT', s.base, {
      token: s.token,
      body: { siteUrl: 'http://loja.test/', couponValidityDays: 30 },
    })
    assert.equal(again.status, 200)
    assert.equal(again.body.apiKeyLast4, s.seeded.apiKey.slice(-4))
    assert.equal(again.body.siteUrl, 'http://loja.test/')
    assert.equal(again.body.couponValidityDays, 30)
    const after = await t.database.db
      .selectFrom('integrations')
      .select('api_key_enc')
      .where('program_id', '=', s.programId)
      .executeTakeFirstOrThrow()
    assert.equal(after.api_key_enc, row.api_key_enc)
  })

  test('save with a Personal Token', async () => {
    const s = await setup()
    const res = await t.request('PUT', s.base, {
      token: s.token,
      body: form(s, { apiKey: s.seeded.personalToken, credentialKind: 'personal_token' }),
    })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.equal(res.body.credentialKind, 'personal_token')
    assert.equal(res.body.apiKeyLast4, s.seeded.personalToken.slice(-4))
    assert.ok(!JSON.stringify(res.body).includes(s.seeded.personalToken))
    const calls = sim.requests.entries((e) => e.storeId === s.seeded.store.id)
    assert.ok(calls.length > 0 && calls.every((e) => e.authKind !== 'chave_api'))
  })

  test('a key LI refuses is a 422 naming apiKey, and nothing is stored', async () => {
    const s = await setup()
    const wrong = await t.request('PUT', s.base, { token: s.token, body: form(s, { apiKey: 'not-a-real-key-0000' }) })
    assert.equal(wrong.status, 422)
    assert.equal(wrong.body.error.code, 'li_credentials_rejected')
    assert.equal(wrong.body.error.field, 'apiKey')
    assert.ok(wrong.body.requestId)
    assert.equal((await t.request('GET', s.base, { token: s.token })).status, 404)
    const count = await t.database.db
      .selectFrom('integrations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('program_id', '=', s.programId)
      .executeTakeFirstOrThrow()
    assert.equal(Number(count.n), 0)

    // A key revoked in the store is refused the same way.
    sim.faults.inject({ kind: 'revoke_key', store: s.seeded.store.id, credential: s.seeded.apiKey, count: 1 })
    const revoked = await t.request('PUT', s.base, { token: s.token, body: form(s) })
    assert.equal(revoked.status, 422)
    assert.equal(revoked.body.error.field, 'apiKey')
    assert.equal((await t.request('GET', s.base, { token: s.token })).status, 404)
  })

  test('input validation names the field', async () => {
    const s = await setup()
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ siteUrl: 'ftp://loja.test' }, 'siteUrl'],
      [{ siteUrl: 'www.loja.test' }, 'siteUrl'],
      [{ siteUrl: 'javascript:alert(1)' }, 'siteUrl'],
      [{ signupUrl: '/cadastro' }, 'signupUrl'],
      [{ couponValidityDays: 0 }, 'couponValidityDays'],
      [{ couponValidityDays: 3651 }, 'couponValidityDays'],
      [{ couponValidityDays: 1.5 }, 'couponValidityDays'],
      [{ credentialKind: 'senha' }, 'credentialKind'],
      [{ apiKey: 'short' }, 'apiKey'],
      [{ awardingStatusIds: [999999] }, 'awardingStatusIds'],
    ]
    for (const [patch, field] of cases) {
      const res = await t.request('PUT', s.base, { token: s.token, body: form(s, patch) })
      assert.ok([400, 422].includes(res.status), `${JSON.stringify(patch)} → ${res.status}`)
      assert.equal(res.body.error.field, field, JSON.stringify(patch))
    }
    const noKey = await t.request('PUT', s.base, { token: s.token, body: { siteUrl: 'https://loja.test' } })
    assert.equal(noKey.status, 400)
    assert.equal(noKey.body.error.field, 'apiKey')
    assert.equal((await t.request('GET', s.base, { token: s.token })).status, 404)

    for (const days of [1, 3650]) {
      const ok = await t.request('PUT', s.base, { token: s.token, body: form(s, { couponValidityDays: days }) })
      assert.equal(ok.status, 200)
      assert.equal(ok.body.couponValidityDays, days)
    }
  })

  test('a feed URL on a private or local address is refused at save time (the download checks every hop again)', async () => {
    const s = await setup()
    for (const feedUrl of [
      'http://127.0.0.1:8080/feed.xml',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/feed.xml',
      'http://10.0.0.8/feed.xml',
      'http://localhost/feed.xml',
    ]) {
      const res = await t.request('PUT', s.base, { token: s.token, body: form(s, { feedUrl }) })
      assert.equal(res.status, 400, feedUrl)
      assert.equal(res.body.error.field, 'feedUrl', feedUrl)
    }
    // A name is not resolved at save time; a public address is fine.
    const ok = await t.request('PUT', s.base, {
      token: s.token,
      body: form(s, { feedUrl: 'https://www.lojabela.com.br/google-shopping.xml' }),
    })
    assert.equal(ok.status, 200, JSON.stringify(ok.body))
  })

  // ---- statuses -----------------------------------------------------------------------------

  test("statuses: 409 before a key, then the store's list with recommendations", async () => {
    const s = await setup()
    const early = await t.request('GET', `${s.base}/statuses`, { token: s.token })
    assert.equal(early.status, 409)
    assert.equal(early.body.error.field, 'apiKey')

    await t.request('PUT', s.base, { token: s.token, body: form(s, { awardingStatusIds: [DELIVERED] }) })
    const res = await t.request('GET', `${s.base}/statuses`, { token: s.token })
    assert.equal(res.status, 200)
    assert.ok(res.body.fetchedAt)
    assert.equal(res.body.items.length, STATUSES.length)
    const byCode = new Map<string, any>(res.body.items.map((i: any) => [i.code, i]))
    assert.equal(byCode.get('pedido_entregue').recommended, true)
    assert.equal(byCode.get('pedido_entregue').selected, true)
    assert.equal(byCode.get('pedido_pago').recommended, false)
    assert.equal(byCode.get('pedido_pago').selected, false)
    assert.equal(byCode.get('pedido_cancelado').recommended, false)
    assert.equal(byCode.get('pedido_cancelado').reverses, true)
    assert.equal(byCode.get('pedido_chargeback').recommended, false)
    assert.equal(byCode.get('pedido_chargeback').reverses, true)
    assert.ok(res.body.items.every((i: any) => typeof i.name === 'string' && typeof i.id === 'number'))
  })

  // ---- activation ---------------------------------------------------------------------------

  test('activation is refused without a key or an awarding status', async () => {
    const s = await setup()
    const none = await t.request('POST', `${s.base}/activate`, { token: s.token })
    assert.equal(none.status, 404)

    await t.request('PUT', s.base, { token: s.token, body: form(s) })
    const noStatus = await t.request('POST', `${s.base}/activate`, { token: s.token })
    assert.equal(noStatus.status, 409)
    assert.equal(noStatus.body.error.field, 'awardingStatusIds')

    await t.request('PUT', s.base, { token: s.token, body: form(s, { awardingStatusIds: [DELIVERED] }) })
    await t.database.db
      .updateTable('integrations')
      .set({ credentials_rejected_at: new Date() })
      .where('program_id', '=', s.programId)
      .execute()
    const rejected = await t.request('POST', `${s.base}/activate`, { token: s.token })
    assert.equal(rejected.status, 409)
    assert.equal(rejected.body.error.field, 'apiKey')
    assert.equal((await t.request('GET', s.base, { token: s.token })).body.active, false)
    assert.equal((await jobs('li-sync', s.programId)).length, 0)
  })

  test('activation starts syncing and e-mails: notice, webhook registered, sync queued; deactivation undoes it', async () => {
    const s = await saved({ awardingStatusIds: [DELIVERED] })
    const res = await t.request('POST', `${s.base}/activate`, { token: s.token })
    assert.equal(res.status, 200)
    assert.equal(res.body.notice, ACTIVATION_NOTICE)
    assert.match(res.body.notice, /e-mails/)
    assert.equal(res.body.integration.active, true)
    assert.ok(res.body.integration.activatedAt)
    assert.equal(res.body.integration.webhookRegistered, true)

    const url = `${t.deps.config.publicUrl}/v1/webhooks/loja-integrada/${s.programId}`
    const token = await webhookToken(s.programId)
    assert.ok(token.length >= 24)
    assert.equal(s.seeded.store.orderWebhooks.get(url), token)

    const queued = await jobs('li-sync', s.programId)
    assert.equal(queued.length, 1)
    assert.deepEqual(queued[0]!.data, { programId: s.programId })

    const off = await t.request('POST', `${s.base}/deactivate`, { token: s.token })
    assert.equal(off.status, 200)
    assert.equal(off.body.notice, DEACTIVATION_NOTICE)
    assert.equal(off.body.integration.active, false)
    assert.equal(off.body.integration.webhookRegistered, false)
    assert.equal(s.seeded.store.orderWebhooks.size, 0)
  })

  test('the OpenAPI document says activation starts syncing and e-mailing shoppers', async () => {
    const doc = (await t.request('GET', '/openapi.json')).body
    const activate = doc.paths['/v1/programs/{programId}/integrations/loja-integrada/activate'].post
    assert.match(activate.description, /sync/i)
    assert.match(activate.description, /e-mail/i)
    assert.match(activate.summary, /e-mail/i)
    assert.deepEqual(activate.security, [{ merchantBearer: [] }])
    const webhook = doc.paths['/v1/webhooks/loja-integrada/{programId}'].post
    assert.deepEqual(webhook.security, [])
    assert.ok(doc.paths['/v1/programs/{programId}/sales'].post.requestBody)
  })

  // ---- toggles ------------------------------------------------------------------------------

  test('sales registration and ERP sales are mutually exclusive, both ways', async () => {
    const s = await saved()
    const reg = `${s.base}/sales-registration`
    const erp = `${s.base}/erp-sales`

    const on = await t.request('PUT', reg, { token: s.token, body: { enabled: true } })
    assert.equal(on.status, 200)
    assert.equal(on.body.salesRegistration, true)
    const clash = await t.request('PUT', erp, { token: s.token, body: { enabled: true } })
    assert.equal(clash.status, 409)
    assert.equal(clash.body.error.field, 'enabled')
    assert.match(clash.body.error.message, /turn it off/)

    assert.equal(
      (await t.request('PUT', reg, { token: s.token, body: { enabled: false } })).body.salesRegistration,
      false,
    )
    const erpOn = await t.request('PUT', erp, { token: s.token, body: { enabled: true } })
    assert.equal(erpOn.status, 200)
    assert.equal(erpOn.body.erpSales, true)
    const clash2 = await t.request('PUT', reg, { token: s.token, body: { enabled: true } })
    assert.equal(clash2.status, 409)
    assert.equal(clash2.body.error.field, 'enabled')
    assert.match(clash2.body.error.message, /ERP/)
    const view = (await t.request('GET', s.base, { token: s.token })).body
    assert.equal(view.erpSales, true)
    assert.equal(view.salesRegistration, false)

    const bad = await t.request('PUT', erp, { token: s.token, body: { enabled: 'yes' } })
    assert.equal(bad.status, 400)
    assert.equal(bad.body.error.field, 'enabled')

    const s2 = await setup()
    assert.equal(
      (await t.request('PUT', `${s2.base}/erp-sales`, { token: s2.token, body: { enabled: true } })).status,
      404,
    )
  })

  // ---- sync ---------------------------------------------------------------------------------

  test('sync now: 409 while inactive, 202 and a queued job when active; status shape', async () => {
    const s = await saved({ awardingStatusIds: [DELIVERED] })
    const early = await t.request('POST', `${s.base}/sync`, { token: s.token })
    assert.equal(early.status, 409)
    assert.equal(early.body.error.code, 'conflict')

    const idle = await t.request('GET', `${s.base}/sync`, { token: s.token })
    assert.equal(idle.status, 200)
    assert.equal(idle.body.active, false)
    assert.equal(idle.body.nextRunAt, null)
    assert.deepEqual(idle.body.totals, { customers: 0, orders: 0, pointsAwarded: 0, since: null })

    await t.request('POST', `${s.base}/activate`, { token: s.token })
    const now = await t.request('POST', `${s.base}/sync`, { token: s.token })
    assert.equal(now.status, 202)
    assert.deepEqual(now.body, { queued: true })
    const queued = await jobs('li-sync', s.programId)
    assert.ok(queued.length >= 1)
    assert.ok(queued.every((j) => j.singleton_key === s.programId))

    const status = await t.request('GET', `${s.base}/sync`, { token: s.token })
    assert.equal(status.status, 200)
    assert.equal(status.body.active, true)
    assert.equal(status.body.credentialsRejected, false)
    assert.equal(status.body.intervalMinutes, t.deps.config.syncIntervalMinutes)
    assert.ok(status.body.nextRunAt)
    for (const r of ['customers', 'orders']) {
      assert.deepEqual(Object.keys(status.body[r]).sort(), [
        'currentCounts',
        'cursor',
        'lastCounts',
        'lastError',
        'lastErrorAt',
        'lastRunFinishedAt',
        'lastRunStartedAt',
        'running',
      ])
      assert.equal(status.body[r].running, false)
    }
    const view = await t.request('GET', s.base, { token: s.token })
    assert.equal(status.body.totals.since, view.body.activatedAt)
    assert.ok(status.body.totals.since)
  })

  // ---- ERP sales ----------------------------------------------------------------------------

  const sale = (extra: Record<string, unknown> = {}) => ({
    externalId: 'ERP-1001',
    customerEmail: 'ana@cliente.test',
    customerName: 'Ana',
    amountCents: 12990,
    date: '2025-03-10',
    ...extra,
  })

  async function memberBalance(s: Setup, memberId: number) {
    const res = await t.request('GET', `/v1/programs/${s.programId}/members/${memberId}`, { token: s.token })
    assert.equal(res.status, 200)
    return res.body
  }

  test('ERP sale: refused while the ERP toggle is off', async () => {
    const s = await setup()
    const none = await t.request('POST', `/v1/programs/${s.programId}/sales`, { token: s.token, body: sale() })
    assert.equal(none.status, 409)
    assert.match(none.body.error.message, /ERP sales are off/)

    await t.request('PUT', s.base, { token: s.token, body: form(s) })
    const off = await t.request('POST', `/v1/programs/${s.programId}/sales`, { token: s.token, body: sale() })
    assert.equal(off.status, 409)
    assert.equal(
      (await t.request('GET', `/v1/programs/${s.programId}/members`, { token: s.token })).body.items.length,
      0,
      'nobody enrolled',
    )
  })

  test('ERP sale: enrols the customer, awards once, replays answer the same', async () => {
    const s = await saved()
    await t.request('PUT', `${s.base}/erp-sales`, { token: s.token, body: { enabled: true } })
    const path = `/v1/programs/${s.programId}/sales`

    const first = await t.request('POST', path, { token: s.token, body: sale() })
    assert.equal(first.status, 201, JSON.stringify(first.body))
    assert.deepEqual(
      { ...first.body, memberId: 0 },
      { externalId: 'ERP-1001', memberId: 0, pointsAwarded: 129, state: 'awarded', created: true },
    )
    const member = await memberBalance(s, first.body.memberId)
    assert.equal(member.member.email, 'ana@cliente.test')
    assert.equal(member.member.name, 'Ana')
    assert.equal(member.member.balance, 129)
    assert.equal(member.history.items.length, 1)
    assert.equal(member.history.items[0].kind, 'earn')
    assert.equal(member.history.items[0].orderRef, 'erp:ERP-1001')

    // Same sale again (an ERP retry; e-mail in other case): same answer, no second award.
    const replay = await t.request('POST', path, {
      token: s.token,
      body: sale({ customerEmail: ' ANA@Cliente.test ' }),
    })
    assert.equal(replay.status, 200)
    assert.deepEqual(replay.body, { ...first.body, created: false })
    const again = await Promise.all([1, 2, 3].map(() => t.request('POST', path, { token: s.token, body: sale() })))
    assert.ok(again.every((r) => r.status === 200 && r.body.created === false))
    assert.equal((await memberBalance(s, first.body.memberId)).member.balance, 129)

    // The same id with another amount or customer is a caller bug, answered as such.
    const otherAmount = await t.request('POST', path, { token: s.token, body: sale({ amountCents: 100 }) })
    assert.equal(otherAmount.status, 409)
    assert.equal(otherAmount.body.error.code, 'idempotency_conflict')
    assert.equal(otherAmount.body.error.field, 'amountCents')
    const otherCustomer = await t.request('POST', path, {
      token: s.token,
      body: sale({ customerEmail: 'bia@cliente.test' }),
    })
    assert.equal(otherCustomer.status, 409)
    assert.equal(otherCustomer.body.error.field, 'customerEmail')

    // A second sale of the same customer reuses the member; an existing member is not duplicated.
    const second = await t.request('POST', path, {
      token: s.token,
      body: sale({ externalId: 'ERP-1002', amountCents: 5000, date: '2025-03-11T15:30:00Z' }),
    })
    assert.equal(second.status, 201)
    assert.equal(second.body.memberId, first.body.memberId)
    assert.equal((await memberBalance(s, first.body.memberId)).member.balance, 179)

    const existing = await t.request('POST', `/v1/programs/${s.programId}/members`, {
      token: s.token,
      body: { email: 'caio@cliente.test' },
    })
    const third = await t.request('POST', path, {
      token: s.token,
      body: sale({ externalId: 'ERP-1003', customerEmail: 'Caio@Cliente.test' }),
    })
    assert.equal(third.body.memberId, existing.body.id)
    assert.equal(
      (await t.request('GET', `/v1/programs/${s.programId}/members`, { token: s.token })).body.items.length,
      2,
    )
  })

  test('ERP sale: a cancellation takes the points back once and stays cancelled', async () => {
    const s = await saved()
    await t.request('PUT', `${s.base}/erp-sales`, { token: s.token, body: { enabled: true } })
    const path = `/v1/programs/${s.programId}/sales`
    const first = await t.request('POST', path, { token: s.token, body: sale({ amountCents: 10000 }) })
    assert.equal((await memberBalance(s, first.body.memberId)).member.balance, 100)

    // Even after ERP sales are turned off, a known sale's cancellation is taken.
    await t.request('PUT', `${s.base}/erp-sales`, { token: s.token, body: { enabled: false } })
    const cancel = await t.request('POST', path, { token: s.token, body: sale({ amountCents: 10000, valid: false }) })
    assert.equal(cancel.status, 200, JSON.stringify(cancel.body))
    assert.equal(cancel.body.state, 'reversed')
    assert.equal((await memberBalance(s, first.body.memberId)).member.balance, 0)
    const cancelAgain = await t.request('POST', path, {
      token: s.token,
      body: sale({ amountCents: 10000, valid: false }),
    })
    assert.equal(cancelAgain.body.state, 'reversed')
    const unknownCancel = await t.request('POST', path, {
      token: s.token,
      body: sale({ externalId: 'ERP-9', valid: false }),
    })
    assert.equal(unknownCancel.status, 409)

    await t.request('PUT', `${s.base}/erp-sales`, { token: s.token, body: { enabled: true } })
    const stale = await t.request('POST', path, { token: s.token, body: sale({ amountCents: 10000 }) })
    assert.equal(stale.status, 200)
    assert.equal(stale.body.state, 'reversed')
    const m = await memberBalance(s, first.body.memberId)
    assert.equal(m.member.balance, 0)
    assert.deepEqual(m.history.items.map((e: any) => e.kind).sort(), ['earn', 'reverse'])
  })

  test('ERP sale: bad input is a 400 naming the field', async () => {
    const s = await saved()
    await t.request('PUT', `${s.base}/erp-sales`, { token: s.token, body: { enabled: true } })
    const path = `/v1/programs/${s.programId}/sales`
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ externalId: undefined }, 'externalId'],
      [{ externalId: '   ' }, 'externalId'],
      [{ customerEmail: 'not-an-email' }, 'customerEmail'],
      [{ customerEmail: undefined }, 'customerEmail'],
      [{ amountCents: -1 }, 'amountCents'],
      [{ amountCents: 12.5 }, 'amountCents'],
      [{ amountCents: '1000' }, 'amountCents'],
      [{ date: 'yesterday' }, 'date'],
      [{ date: undefined }, 'date'],
      [{ valid: 'no' }, 'valid'],
    ]
    for (const [patch, field] of cases) {
      const res = await t.request('POST', path, { token: s.token, body: sale(patch) })
      assert.equal(res.status, 400, `${JSON.stringify(patch)} → ${res.status}`)
      assert.equal(res.body.error.code, 'validation_failed')
      assert.equal(res.body.error.field, field, JSON.stringify(patch))
    }
    const huge = await t.request('POST', `/v1/programs/${s.programId}/sales`, {
      token: s.token,
      body: sale({ amountCents: 100_000_000_00 }),
    })
    assert.equal(huge.status, 201, 'R$ 100 million at 1 point per real fits')
    assert.equal(
      (await t.request('GET', `/v1/programs/${s.programId}/members`, { token: s.token })).body.items.length,
      1,
    )
  })

  // ---- webhook ------------------------------------------------------------------------------

  test('webhook: only the registered token of an active integration is accepted', async () => {
    const s = await active()
    const token = await webhookToken(s.programId)
    const path = `/v1/webhooks/loja-integrada/${s.programId}`
    const numero = s.seeded.store.orders[0]!.numero
    const post = (headers: Record<string, string>, body: unknown = { numero, situacao: { id: PAID } }) =>
      t.request('POST', path, { headers, body })

    const variants: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: token },
      { authorization: `Basic ${token}` },
      { authorization: `Bearer ${token}x` },
    ]
    for (const headers of variants) {
      const res = await post(headers)
      assert.equal(res.status, 401, JSON.stringify(headers))
      assert.equal(res.body.error.code, 'unauthorized')
    }
    // Authentication comes before the body: no token + bad body is still 401.
    assert.equal((await post({}, { nothing: true })).status, 401)
    // Another program's token, an unknown program and a malformed id answer the same.
    const other = await active()
    assert.equal(
      (
        await t.request('POST', `/v1/webhooks/loja-integrada/${other.programId}`, {
          headers: { authorization: `Bearer ${token}` },
          body: { numero },
        })
      ).status,
      401,
    )
    assert.equal(
      (
        await t.request('POST', '/v1/webhooks/loja-integrada/6f1c2a8e-0000-4000-8000-000000000000', {
          headers: { authorization: `Bearer ${token}` },
          body: { numero },
        })
      ).status,
      401,
    )
    assert.equal(
      (
        await t.request('POST', '/v1/webhooks/loja-integrada/nope', {
          headers: { authorization: `Bearer ${token}` },
          body: { numero },
        })
      ).status,
      401,
    )
    assert.equal((await jobs('li-order-update', s.programId)).length, 0)

    const ok = await post({ authorization: `Bearer ${token}` })
    assert.equal(ok.status, 202)
    assert.deepEqual(ok.body, { ok: true })
    const asString = await post({ authorization: `Bearer ${token}` }, { numero: String(numero + 1) })
    assert.equal(asString.status, 202)
    const queued = await jobs('li-order-update', s.programId)
    assert.deepEqual(
      queued.map((j) => [j.data, j.singleton_key]),
      [
        [{ programId: s.programId, numero }, `${s.programId}:${numero}`],
        [{ programId: s.programId, numero: numero + 1 }, `${s.programId}:${numero + 1}`],
      ],
    )

    for (const body of [{}, { numero: null }, { numero: 'abc' }, { numero: -3 }, { numero: 1.5 }, []]) {
      const bad = await post({ authorization: `Bearer ${token}` }, body)
      assert.equal(bad.status, 400, JSON.stringify(body))
      assert.equal(bad.body.error.field, 'numero', JSON.stringify(body))
    }

    // A paused integration accepts nothing, with the same answer.
    await t.request('POST', `${s.base}/deactivate`, { token: s.token })
    assert.equal((await post({ authorization: `Bearer ${token}` })).status, 401)
  })

  test('webhook: a status change in the store reaches us and queues the order update', async () => {
    const s = await active()
    const order = s.seeded.store.orders.find((o) => o.statusId !== PAID)!
    sim.webhooks.clear()
    s.seeded.store.setOrderStatus(order.numero, 'pedido_pago')
    await sim.webhooks.flush()
    const deliveries = sim.webhooks.deliveries().filter((d) => d.storeId === s.seeded.store.id)
    assert.equal(deliveries.length, 1)
    assert.equal(deliveries[0]!.status, 202, JSON.stringify(deliveries[0]))
    const queued = await jobs('li-order-update', s.programId)
    assert.deepEqual(
      queued.map((j) => j.data),
      [{ programId: s.programId, numero: order.numero }],
    )
  })

  // ---- tenancy ------------------------------------------------------------------------------

  test("tenants are walls: another merchant can neither see nor change the program's integration", async () => {
    const s = await active()
    const intruder = await t.merchant()
    const tok = intruder.token
    const attempts = [
      await t.request('GET', s.base, { token: tok }),
      await t.request('PUT', s.base, { token: tok, body: form(s) }),
      await t.request('GET', `${s.base}/statuses`, { token: tok }),
      await t.request('POST', `${s.base}/activate`, { token: tok }),
      await t.request('POST', `${s.base}/deactivate`, { token: tok }),
      await t.request('PUT', `${s.base}/sales-registration`, { token: tok, body: { enabled: true } }),
      await t.request('PUT', `${s.base}/erp-sales`, { token: tok, body: { enabled: true } }),
      await t.request('POST', `${s.base}/sync`, { token: tok }),
      await t.request('GET', `${s.base}/sync`, { token: tok }),
      await t.request('POST', `/v1/programs/${s.programId}/sales`, { token: tok, body: sale() }),
    ]
    for (const res of attempts) {
      assert.equal(res.status, 404)
      assert.equal(res.body.error.code, 'not_found')
    }
    const view = (await t.request('GET', s.base, { token: s.token })).body
    assert.equal(view.active, true)
    assert.equal(view.salesRegistration, false)
    assert.equal(view.erpSales, false)

    // Without any credentials: 401.
    assert.equal((await t.request('GET', s.base)).status, 401)
  })
})
