import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestApp, type TestApp } from '../test/harness.ts'

describe('programs', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp()
  })
  after(() => t.close())

  test('create with defaults, read, list, update, archive', async () => {
    const m = await t.merchant()
    const created = await t.request('POST', '/v1/programs', { token: m.token, body: { name: 'Clube Loja Bela' } })
    assert.equal(created.status, 201)
    const p = created.body
    assert.equal(p.pointsName, 'pontos')
    assert.equal(p.earnRate, 1)
    assert.equal(p.joiningOpen, true)
    assert.match(p.programKey, /^pk_[0-9a-f]{24}$/)
    assert.notEqual(p.programKey, p.id)

    assert.equal((await t.request('GET', `/v1/programs/${p.id}`, { token: m.token })).body.name, 'Clube Loja Bela')
    assert.equal((await t.request('GET', '/v1/programs', { token: m.token })).body.items.length, 1)

    const upd = await t.request('PATCH', `/v1/programs/${p.id}`, {
      token: m.token,
      body: { earnRate: 2.5, pointsName: 'estrelas', primaryColor: '#112233' },
    })
    assert.equal(upd.status, 200)
    assert.equal(upd.body.earnRate, 2.5)
    assert.equal(upd.body.pointsName, 'estrelas')
    assert.equal(upd.body.name, 'Clube Loja Bela')

    const empty = await t.request('PATCH', `/v1/programs/${p.id}`, { token: m.token, body: {} })
    assert.equal(empty.status, 400)
    const badRate = await t.request('PATCH', `/v1/programs/${p.id}`, { token: m.token, body: { earnRate: 1.00001 } })
    assert.equal(badRate.body.error.field, 'earnRate')

    assert.equal((await t.request('DELETE', `/v1/programs/${p.id}`, { token: m.token })).status, 200)
    assert.equal((await t.request('GET', `/v1/programs/${p.id}`, { token: m.token })).status, 404)
    assert.equal((await t.request('GET', '/v1/programs', { token: m.token })).body.items.length, 0)
  })

  test("the launcher's corner and offsets: defaults, a change, and each bad value refused by name", async () => {
    const m = await t.merchant()
    const p = (await t.request('POST', '/v1/programs', { token: m.token, body: { name: 'Clube Canto' } })).body
    assert.deepEqual([p.launcherCorner, p.launcherOffsetX, p.launcherOffsetY], ['bottom-right', 20, 20])

    const upd = await t.request('PATCH', `/v1/programs/${p.id}`, {
      token: m.token,
      body: { launcherCorner: 'bottom-left', launcherOffsetX: 0, launcherOffsetY: 200 },
    })
    assert.equal(upd.status, 200)
    assert.deepEqual(
      [upd.body.launcherCorner, upd.body.launcherOffsetX, upd.body.launcherOffsetY],
      ['bottom-left', 0, 200],
    )
    assert.equal(
      (await t.request('GET', `/v1/programs/${p.id}`, { token: m.token })).body.launcherCorner,
      'bottom-left',
    )

    for (const [body, field] of [
      [{ launcherCorner: 'top-right' }, 'launcherCorner'],
      [{ launcherOffsetX: 201 }, 'launcherOffsetX'],
      [{ launcherOffsetX: -1 }, 'launcherOffsetX'],
      [{ launcherOffsetY: 12.5 }, 'launcherOffsetY'],
      [{ launcherOffsetY: '20' }, 'launcherOffsetY'],
    ] as const) {
      const res = await t.request('PATCH', `/v1/programs/${p.id}`, { token: m.token, body })
      assert.equal(res.status, 400, JSON.stringify(body))
      assert.equal(res.body.error.field, field, JSON.stringify(body))
    }
    // Nothing refused was written.
    const now = (await t.request('GET', `/v1/programs/${p.id}`, { token: m.token })).body
    assert.deepEqual([now.launcherCorner, now.launcherOffsetX, now.launcherOffsetY], ['bottom-left', 0, 200])
  })

  test('a malformed program id is a 400 naming programId', async () => {
    const m = await t.merchant()
    const res = await t.request('GET', '/v1/programs/not-a-uuid', { token: m.token })
    assert.equal(res.status, 400)
    assert.equal(res.body.error.field, 'programId')
  })

  test("tenants are walls: a merchant can never read or change another's program", async () => {
    const a = await t.merchant()
    const b = await t.merchant()
    const pa = (await t.request('POST', '/v1/programs', { token: a.token, body: { name: 'A' } })).body
    const member = (
      await t.request('POST', `/v1/programs/${pa.id}/members`, { token: a.token, body: { email: 'x@cliente.test' } })
    ).body
    await t.request('POST', `/v1/programs/${pa.id}/members/${member.id}/adjustments`, {
      token: a.token,
      body: { amount: 50, reason: 'Boas-vindas' },
    })

    const tokenB = (await t.request('POST', '/v1/api-tokens', { token: b.token, body: { name: 'b' } })).body.token
    for (const tok of [b.token, tokenB]) {
      const attempts = [
        await t.request('GET', `/v1/programs/${pa.id}`, { token: tok }),
        await t.request('PATCH', `/v1/programs/${pa.id}`, { token: tok, body: { name: 'hacked' } }),
        await t.request('DELETE', `/v1/programs/${pa.id}`, { token: tok }),
        await t.request('GET', `/v1/programs/${pa.id}/members`, { token: tok }),
        await t.request('POST', `/v1/programs/${pa.id}/members`, { token: tok, body: { email: 'y@cliente.test' } }),
        await t.request('GET', `/v1/programs/${pa.id}/members/${member.id}`, { token: tok }),
        await t.request('GET', `/v1/programs/${pa.id}/members/${member.id}/ledger`, { token: tok }),
        await t.request('POST', `/v1/programs/${pa.id}/members/${member.id}/adjustments`, {
          token: tok,
          body: { amount: 1000, reason: 'x' },
        }),
      ]
      assert.deepEqual(
        attempts.map((r) => r.status),
        [404, 404, 404, 404, 404, 404, 404, 404],
      )
    }
    assert.equal((await t.request('GET', '/v1/programs', { token: b.token })).body.items.length, 0)

    // B's own program cannot reach A's member by id either.
    const pb = (await t.request('POST', '/v1/programs', { token: b.token, body: { name: 'B' } })).body
    assert.equal((await t.request('GET', `/v1/programs/${pb.id}/members/${member.id}`, { token: b.token })).status, 404)
    assert.equal(
      (
        await t.request('POST', `/v1/programs/${pb.id}/members/${member.id}/adjustments`, {
          token: b.token,
          body: { amount: 5, reason: 'x' },
        })
      ).status,
      404,
    )

    const still = await t.request('GET', `/v1/programs/${pa.id}/members/${member.id}`, { token: a.token })
    assert.equal(still.body.member.balance, 50)
    assert.equal((await t.request('GET', `/v1/programs/${pa.id}`, { token: a.token })).body.name, 'A')
  })
})
