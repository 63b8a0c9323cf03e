import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import { WidgetMe } from '../../shared/api/widget.ts'
import { saoPauloDay } from '../lib/calendar.ts'
import { liveProgram, login, seedMember, startWidgetTestApp, type WidgetTestEnv } from '../widget/test-support.ts'

describe('widget `me`: the member tier', () => {
  let env: WidgetTestEnv
  before(async () => {
    env = await startWidgetTestApp()
  })
  after(() => env.close())

  test('an ERP sale lifts the shopper to Prata; `me` shows the badge and what is missing', async () => {
    const { t } = env
    const p = await liveProgram(env)
    const admin = (method: string, path: string, body?: unknown) =>
      t.request(method, `/v1/programs/${p.programId}${path}`, {
        token: p.merchantToken,
        ...(body !== undefined ? { body } : {}),
      })
    // Before the widget first reads the program (its settings are kept for 10 s per process).
    const saved = await admin('PUT', '/tiers', {
      basis: 'spend',
      window: 'calendar_year',
      tiers: [
        { name: 'Prata', color: '#a8a9ad', threshold: 500_00, entryReward: 50 },
        { name: 'Ouro', color: '#d4af37', threshold: 620_00, multiplierPct: 200 },
      ],
    })
    assert.equal(saved.status, 200, JSON.stringify(saved.body))
    await t.database.db
      .updateTable('integrations')
      .set({ erp_sales: true })
      .where('program_id', '=', p.programId)
      .execute()
    await seedMember(t, p.programId, 'gabi@cliente.test')
    const sale = await admin('POST', '/sales', {
      externalId: 'V-1',
      customerEmail: 'gabi@cliente.test',
      amountCents: 500_00,
      date: saoPauloDay(new Date()),
    })
    assert.equal(sale.status, 201, JSON.stringify(sale.body))

    const session = await login(t, p, 'gabi@cliente.test')
    const res = await t.request('GET', `${p.base}/me`, { token: session.accessToken })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    const me = v.parse(WidgetMe, res.body)
    const year = Number(saoPauloDay(new Date()).slice(0, 4))
    assert.equal(me.balance, 500 + 50, 'the purchase and the entry reward')
    assert.deepEqual(me.tier?.tier, { id: saved.body.rules.tiers[0].id, name: 'Prata', color: '#a8a9ad' })
    assert.equal(me.tier?.nextText, 'Faltam R$ 120,00 para Ouro')
    assert.equal(me.tier?.keepText, `Você mantém o nível Prata até 31/12/${year + 1}`)
    assert.equal(me.tier?.keptUntil, `${year + 1}-12-31`)
    assert.ok(me.history.some((e) => e.kind === 'bonus' && e.reason === 'Bônus de boas-vindas ao nível Prata'))
  })
})
