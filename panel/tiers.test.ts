import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addTier, removeTier, tiersBody, tiersToForm } from './tiers.ts'

const view = {
  enabled: true,
  basis: 'spend' as const,
  window: 'calendar_year' as const,
  updatedAt: null,
  reevaluating: false,
  tiers: [
    {
      id: 'a',
      name: 'Prata',
      color: '#6b7280',
      threshold: 50_000,
      multiplierPct: 150,
      entryReward: 0,
      entryRewardId: null,
    },
    {
      id: 'b',
      name: 'Ouro',
      color: '#a16207',
      threshold: 100_000,
      multiplierPct: 200,
      entryReward: 300,
      entryRewardId: 'r1',
    },
  ],
}

test('the tiers form round-trips the API view: reais, "1,5" multipliers, ids kept', () => {
  const form = tiersToForm(view, 'points')
  assert.equal(form['tiers.0.threshold'], '500,00')
  assert.equal(form['tiers.0.multiplierPct'], '1,5')
  assert.equal(form['tiers.1.entryReward'], '300')
  assert.deepEqual(tiersBody(form, 'points'), {
    basis: 'spend',
    window: 'calendar_year',
    tiers: view.tiers,
  })
})

test('rows are added up to five and removed down to two; garbage goes as typed for the API to name', () => {
  let form = tiersToForm({ ...view, enabled: false, tiers: [] }, 'cashback')
  assert.equal(form.count, '2')
  for (let i = 0; i < 5; i++) form = addTier(form)
  assert.equal(form.count, '5')
  form = removeTier(form, 0)
  assert.equal(form.count, '4')
  assert.equal(form['tiers.0.name'], 'Prata')
  form = { ...form, 'tiers.0.threshold': 'muito', 'tiers.0.entryReward': '5,00' }
  const body = tiersBody(form, 'cashback')
  assert.equal(body.tiers[0]!.threshold, 'muito')
  assert.equal(body.tiers[0]!.entryReward, 500)
  assert.equal(body.tiers.length, 4)
})
