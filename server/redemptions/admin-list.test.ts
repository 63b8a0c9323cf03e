import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import { AdminRedemptionList, type RedemptionStatus } from '../../shared/api/redemptions.ts'
import { createTestApp, type TestApp } from '../test/harness.ts'

/**
 * The merchant's program-wide redemptions list (the panel's "Resgates"): status filter, search by
 * coupon code or member e-mail, keyset paging, 400s naming the field, walls between programs.
 * Rows are written directly: the coupon job's life is tested in redemptions.test.ts.
 */
describe('admin redemptions list: filters, search, paging', () => {
  let t: TestApp
  let token: string
  let programId: string
  let rewardId: string
  const members: Record<string, number> = {}
  const base = () => `/v1/programs/${programId}/redemptions`
  const list = async (qs: string) => {
    const res = await t.request('GET', `${base()}${qs}`, { token })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    return v.parse(AdminRedemptionList, res.body)
  }

  let n = 0
  async function redemption(email: string, status: RedemptionStatus, code: string) {
    const issued = status === 'issued' || status === 'used' || status === 'refunded'
    const row = await t.database.db
      .insertInto('redemptions')
      .values({
        program_id: programId,
        member_id: members[email]!,
        reward_id: rewardId,
        idempotency_key: `key-${++n}`,
        status,
        points_cost: 100 * n,
        reward_kind: 'fixed_discount',
        reward_title: 'R$ 10 de desconto',
        coupon_type: 'fixo',
        coupon_value: 1000,
        coupon_code: code,
        li_coupon_id: issued ? 9000 + n : null,
        valid_until_day: issued ? '2027-01-31' : null,
        expires_at: issued ? new Date('2027-02-01T02:59:59Z') : null,
        failure_code: status === 'failed' ? 'li_refused' : null,
        failure_reason: status === 'failed' ? 'A loja recusou o cupom.' : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  }

  const ids: Record<string, number> = {}
  before(async () => {
    t = await createTestApp()
    token = (await t.merchant()).token
    programId = (await t.request('POST', '/v1/programs', { token, body: { name: 'Clube Bella' } })).body.id
    const reward = await t.request('POST', `/v1/programs/${programId}/rewards`, {
      token,
      body: { kind: 'fixed_discount', title: 'R$ 10 de desconto', pointsCost: 100, valueCents: 1000 },
    })
    assert.equal(reward.status, 201, JSON.stringify(reward.body))
    rewardId = reward.body.id
    for (const email of ['maria@cliente.test', 'joao@cliente.test', 'ana.maria@outra.test']) {
      const m = await t.database.db
        .insertInto('members')
        .values({ program_id: programId, email, name: email.split('@')[0]! })
        .returning('id')
        .executeTakeFirstOrThrow()
      members[email] = m.id
    }
    ids.a = await redemption('maria@cliente.test', 'issued', 'FIDAAAA22223333')
    ids.b = await redemption('joao@cliente.test', 'failed', 'FIDBBBB22223333')
    ids.c = await redemption('maria@cliente.test', 'used', 'FIDAAAB22223333')
    ids.d = await redemption('ana.maria@outra.test', 'pending', 'FIDCCCC22223333')
    ids.e = await redemption('joao@cliente.test', 'issued', 'FIDDDDD22223333')
  })
  after(() => t?.close())

  test('newest first, each item names its member and carries what the panel shows', async () => {
    const all = await list('')
    assert.deepEqual(
      all.items.map((r) => r.id),
      [ids.e, ids.d, ids.c, ids.b, ids.a],
    )
    assert.equal(all.nextCursor, null)
    const failed = all.items.find((r) => r.id === ids.b)!
    assert.equal(failed.memberId, members['joao@cliente.test'])
    assert.equal(failed.memberEmail, 'joao@cliente.test')
    assert.equal(failed.failureReason, 'A loja recusou o cupom.')
    assert.equal(failed.couponCode, 'FIDBBBB22223333', 'the merchant sees the code even of a failed one')
    const issued = all.items.find((r) => r.id === ids.a)!
    assert.deepEqual(
      [issued.validUntil, issued.benefit, issued.title],
      ['2027-01-31', 'R$ 10,00 de desconto', 'R$ 10 de desconto'],
    )
  })

  test('status filter', async () => {
    assert.deepEqual(
      (await list('?status=issued')).items.map((r) => r.id),
      [ids.e, ids.a],
    )
    assert.deepEqual(
      (await list('?status=failed')).items.map((r) => r.id),
      [ids.b],
    )
    assert.deepEqual((await list('?status=refunded')).items, [])
  })

  test('q: a whole code or its beginning in any case, or part of the e-mail; combined with status', async () => {
    assert.deepEqual(
      (await list('?q=FIDBBBB22223333')).items.map((r) => r.id),
      [ids.b],
    )
    assert.deepEqual(
      (await list('?q=fidaaa')).items.map((r) => r.id),
      [ids.c, ids.a],
    )
    assert.deepEqual(
      (await list(`?q=${encodeURIComponent('  FIDAAAB  ')}`)).items.map((r) => r.id),
      [ids.c],
      'trimmed',
    )
    assert.deepEqual(
      (await list('?q=maria')).items.map((r) => r.id),
      [ids.d, ids.c, ids.a],
      'maria@… and ana.maria@…',
    )
    assert.deepEqual(
      (await list(`?q=${encodeURIComponent('MARIA@cliente.test')}`)).items.map((r) => r.id),
      [ids.c, ids.a],
    )
    assert.deepEqual(
      (await list('?q=maria&status=used')).items.map((r) => r.id),
      [ids.c],
    )
    // LIKE's wildcards are plain characters here.
    assert.deepEqual((await list('?q=%25')).items, [])
    assert.deepEqual((await list('?q=FID_AAA')).items, [])
    assert.deepEqual((await list('?q=nobody')).items, [])
    // An empty search is no search.
    assert.equal((await list('?q=')).items.length, 5)
  })

  test('paging: the cursor walks every match once, with the same filters', async () => {
    const first = await list('?limit=2')
    assert.deepEqual(
      first.items.map((r) => r.id),
      [ids.e, ids.d],
    )
    assert.equal(first.nextCursor, String(ids.d))
    const second = await list(`?limit=2&cursor=${first.nextCursor}`)
    assert.deepEqual(
      second.items.map((r) => r.id),
      [ids.c, ids.b],
    )
    const third = await list(`?limit=2&cursor=${second.nextCursor}`)
    assert.deepEqual(
      third.items.map((r) => r.id),
      [ids.a],
    )
    assert.equal(third.nextCursor, null)
    const filtered = await list('?q=maria&limit=1')
    const rest = await list(`?q=maria&limit=5&cursor=${filtered.nextCursor}`)
    assert.deepEqual(
      [...filtered.items, ...rest.items].map((r) => r.id),
      [ids.d, ids.c, ids.a],
    )
    assert.equal(rest.nextCursor, null)
  })

  test('bad filters are a 400 naming each field', async () => {
    const bad = await t.request('GET', `${base()}?status=lost&cursor=abc&limit=0&q=${'x'.repeat(201)}`, { token })
    assert.equal(bad.status, 400)
    assert.equal(bad.body.error.code, 'validation_failed')
    assert.deepEqual(bad.body.error.fields.map((f: { field: string }) => f.field).sort(), [
      'cursor',
      'limit',
      'q',
      'status',
    ])
  })

  test("tenants are walls: another merchant's program is not found, its search finds nothing of ours", async () => {
    const other = await t.merchant()
    assert.equal((await t.request('GET', `${base()}?q=maria`, { token: other.token })).status, 404)
    const theirs = (await t.request('POST', '/v1/programs', { token: other.token, body: { name: 'Outra' } })).body.id
    const res = await t.request('GET', `/v1/programs/${theirs}/redemptions?q=FIDAAAA`, { token: other.token })
    assert.deepEqual([res.status, res.body.items], [200, []])
  })
})
