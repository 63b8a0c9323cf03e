import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import { WidgetMe } from '../../shared/api/widget.ts'
import { postEntry } from '../ledger/service.ts'
import { liveProgram, login, seedMember, startWidgetTestApp, type WidgetTestEnv } from '../widget/test-support.ts'
import { addMonths, saoPauloDay } from '../lib/calendar.ts'

describe('widget `me`: pending points and what expires next', () => {
  let env: WidgetTestEnv
  before(async () => {
    env = await startWidgetTestApp()
  })
  after(() => env.close())

  test('pendingPoints apart from the balance; expiring follows FIFO and every new entry', async () => {
    const { t } = env
    const p = await liveProgram(env)
    const admin = (method: string, path: string, body?: unknown) =>
      t.request(method, `/v1/programs/${p.programId}${path}`, {
        token: p.merchantToken,
        ...(body !== undefined ? { body } : {}),
      })
    // Before the widget first reads the program (its settings are kept for 10 s per process).
    assert.equal((await admin('PATCH', '/points-rules', { expiryMonths: 6, pendingDays: 5 })).status, 200)
    await t.database.db
      .updateTable('integrations')
      .set({ erp_sales: true })
      .where('program_id', '=', p.programId)
      .execute()
    const memberId = await seedMember(t, p.programId, 'gabi@cliente.test')
    assert.equal(
      (await admin('POST', `/members/${memberId}/adjustments`, { amount: 120, reason: 'Boas-vindas da loja' })).status,
      201,
    )
    const sale = await admin('POST', '/sales', {
      externalId: 'W-1',
      customerEmail: 'gabi@cliente.test',
      amountCents: 4000,
      date: saoPauloDay(new Date()),
    })
    assert.equal(sale.body.state, 'pending', JSON.stringify(sale.body))

    const session = await login(t, p, 'gabi@cliente.test')
    const me = async () => {
      const res = await t.request('GET', `${p.base}/me`, { token: session.accessToken })
      assert.equal(res.status, 200, JSON.stringify(res.body))
      return v.parse(WidgetMe, res.body)
    }
    const on = addMonths(saoPauloDay(new Date()), 6)
    let view = await me()
    assert.equal(view.balance, 120)
    assert.equal(view.pendingPoints, 40)
    assert.deepEqual(view.expiring, [{ points: 120, on }])

    // A redemption spends the oldest points: what expires shrinks at once (the cache follows the newest entry).
    await t.database.db.transaction().execute((trx) =>
      postEntry(trx, p.programId, {
        memberId,
        kind: 'redeem',
        amount: -50,
        reason: 'Resgate: teste',
        idempotencyKey: 'w-redeem-1',
      }),
    )
    view = await me()
    assert.equal(view.balance, 70)
    assert.deepEqual(view.expiring, [{ points: 70, on }])
    assert.equal((await me()).expiring[0]!.points, 70, 'served again from the cache')

    // Cancelled inside the period: the pending points go, the balance stays.
    await admin('POST', '/sales', {
      externalId: 'W-1',
      customerEmail: 'gabi@cliente.test',
      amountCents: 4000,
      date: saoPauloDay(new Date()),
      valid: false,
    })
    view = await me()
    assert.equal(view.pendingPoints, 0)
    assert.equal(view.balance, 70)
  })
})
