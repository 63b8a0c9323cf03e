import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import * as v from 'valibot'
import { TierRulesView } from '../../shared/api/tiers.ts'
import { createTestApp, type TestApp } from '../test/harness.ts'
import { tiersApplyQueue } from './queues.ts'
import { applyPendingRules, saveTierRules } from './service.ts'
import { erpSales } from './test-support.ts'

/**
 * A rules change of a big program goes to the tiers-apply job (the threshold is lowered to 2
 * members here): the PUT keeps the body and queues the job, the tiers in force stay until it runs,
 * then it re-evaluates everyone in one transaction without touching a balance.
 */
let t: TestApp
before(async () => {
  t = await createTestApp()
})
after(() => t.close())

test('above the threshold, saving queues the re-evaluation; the job applies it, balances untouched', async () => {
  const m = await t.merchant()
  const id = (await t.request('POST', '/v1/programs', { token: m.token, body: { name: 'Clube Grande' } })).body
    .id as string
  const api = (method: string, path: string, body?: unknown) =>
    t.request(method, `/v1/programs/${id}${path}`, { token: m.token, ...(body !== undefined ? { body } : {}) })
  const member = async (email: string) => (await api('POST', '/members', { email })).body.id as number
  const [ana, bia, caio] = [await member('ana@x.test'), await member('bia@x.test'), await member('caio@x.test')]
  const sale = erpSales(t.deps, id, 'points')
  await sale('A', ana, 600_00)
  await sale('B', bia, 200_00)
  const body = (prata: number) => ({
    basis: 'spend' as const,
    window: 'lifetime' as const,
    tiers: [
      { name: 'Prata', color: '#a8a9ad', threshold: prata, multiplierPct: 100, entryReward: 50, entryRewardId: null },
      { name: 'Ouro', color: '#d4af37', threshold: 1000_00, multiplierPct: 100, entryReward: 0, entryRewardId: null },
    ],
  })
  const first = await api('PUT', '/tiers', body(500_00))
  assert.equal(first.body.queued, false, 'three members: inside the request')
  const tierOf = async (memberId: number) => (await api('GET', `/members/${memberId}`)).body.tier?.tier?.name ?? null
  assert.deepEqual([await tierOf(ana), await tierOf(bia), await tierOf(caio)], ['Prata', null, null])
  const balances = async () =>
    (
      await t.deps.db
        .selectFrom('members')
        .select(['id', 'balance'])
        .where('program_id', '=', id)
        .orderBy('id')
        .execute()
    ).map((r) => r.balance)
  const before = await balances()
  const program = await t.deps.db.selectFrom('programs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  const lower = body(100_00)
  const rules = v.parse(TierRulesView, (await api('GET', '/tiers')).body)
  lower.tiers = lower.tiers.map((x, i) => ({ ...x, id: rules.tiers[i]!.id }))
  const saved = await t.deps.db.transaction().execute((trx) => saveTierRules(trx, t.deps, program, lower, 2))
  assert.equal(saved.queued, true)
  assert.equal(saved.rules.tiers[0]!.threshold, 500_00, 'the tiers in force until the job runs')
  assert.equal(saved.rules.reevaluating, true)
  const jobs = await t.database.pool.query('select data from pgboss.job where name = $1', [tiersApplyQueue.name])
  assert.deepEqual(
    jobs.rows.map((r) => r.data),
    [{ programId: id }],
    'the job was queued in the same transaction',
  )
  assert.equal(await tierOf(bia), null)

  const counts = await applyPendingRules(t.deps.db, id)
  assert.deepEqual([counts?.evaluated, counts?.changed, counts?.rewards], [2, 1, 0])
  assert.equal(await applyPendingRules(t.deps.db, id), null, 'nothing left to apply')
  const after = v.parse(TierRulesView, (await api('GET', '/tiers')).body)
  assert.deepEqual(
    [after.reevaluating, after.tiers[0]!.threshold, after.tiers[0]!.id],
    [false, 100_00, rules.tiers[0]!.id],
  )
  assert.deepEqual([await tierOf(ana), await tierOf(bia), await tierOf(caio)], ['Prata', 'Prata', null])
  assert.deepEqual(await balances(), before, 'a rules change touches no balance (Bia gets no entry bonus)')
})
