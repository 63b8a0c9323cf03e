import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { TestApp } from '../test/harness.ts'
import { connectStore, startLiTestApp, type LiTestEnv } from '../test/li-store.ts'

/** ERP sales under concurrency: retries racing the first request must not award twice. */
describe('ERP sales, concurrently', () => {
  let env: LiTestEnv
  let t: TestApp
  let token: string
  let programId: string

  before(async () => {
    env = await startLiTestApp()
    t = env.t
    const m = await t.merchant()
    token = m.token
    programId = (await t.request('POST', '/v1/programs', { token, body: { name: 'Clube ERP', earnRate: 2 } })).body.id
    await connectStore(t.deps, env.sim, {
      seed: { seed: 7, customers: 2, orders: 2 },
      merchantId: m.id,
      programId,
      siteUrl: 'https://loja.test',
      awardingStatusIds: [],
      sales: 'erpSales',
      active: false,
    })
  })
  after(() => env.close())

  const post = (body: Record<string, unknown>) => t.request('POST', `/v1/programs/${programId}/sales`, { token, body })

  async function membersByEmail(email: string) {
    return (await t.request('GET', `/v1/programs/${programId}/members?q=${encodeURIComponent(email)}`, { token })).body
      .items as any[]
  }

  test('the same new sale sent 8 times at once: one member, one award, one "created"', async () => {
    const body = { externalId: 'PDV-77', customerEmail: 'rita@cliente.test', amountCents: 2550, date: '2025-03-01' }
    const results = await Promise.all(Array.from({ length: 8 }, () => post(body)))
    assert.ok(
      results.every((r) => r.status === 201 || r.status === 200),
      JSON.stringify(results.map((r) => r.body)),
    )
    assert.equal(results.filter((r) => r.body.created).length, 1)
    assert.ok(results.every((r) => r.body.pointsAwarded === 51 && r.body.state === 'awarded'))
    const members = await membersByEmail('rita@cliente.test')
    assert.equal(members.length, 1)
    assert.equal(members[0].balance, 51)
    assert.ok(results.every((r) => r.body.memberId === members[0].id))
  })

  test('different sales of one new customer at once: one member, every sale counted once', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        post({
          externalId: `PDV-${100 + i}`,
          customerEmail: 'Joao@Cliente.test',
          amountCents: 1000,
          date: '2025-03-02T10:00:00-03:00',
        }),
      ),
    )
    assert.ok(
      results.every((r) => r.status === 201),
      JSON.stringify(results.map((r) => r.body)),
    )
    const members = await membersByEmail('joao@cliente.test')
    assert.equal(members.length, 1)
    assert.equal(members[0].balance, 6 * 20)
    const ledger = await t.request('GET', `/v1/programs/${programId}/members/${members[0].id}/ledger?limit=100`, {
      token,
    })
    assert.equal(ledger.body.items.length, 6)
    assert.deepEqual(new Set(ledger.body.items.map((e: any) => e.orderRef)).size, 6)
  })
})
