import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import {
  classifyStatus,
  decideAward,
  isRecommendedAwarding,
  pointsFor,
  type AwardStatus,
  type StatusTarget,
} from './rules.ts'

const S = (id: number, code: string, cancelled = false, final = false) => ({ id, code, cancelled, final })

test('status classification by code first, then flags', () => {
  const awarding = new Set([14])
  assert.equal(classifyStatus(S(14, 'pedido_entregue', false, true), awarding), 'award')
  assert.equal(classifyStatus(S(8, 'pedido_cancelado', true, true), awarding), 'reverse')
  assert.equal(classifyStatus(S(16, 'pedido_chargeback', false, true), awarding), 'reverse')
  assert.equal(classifyStatus(S(1019, 'cancelamento_solicitado', true, false), awarding), 'hold')
  assert.equal(classifyStatus(S(4, 'pedido_pago'), awarding), 'hold')
  assert.equal(classifyStatus(S(99, 'custom_devolvido', true, true), awarding), 'reverse')
})

test('recommended awarding statuses: final, not cancelled, not chargeback', () => {
  assert.equal(isRecommendedAwarding(S(14, 'pedido_entregue', false, true)), true)
  assert.equal(isRecommendedAwarding(S(11, 'pedido_enviado', false, true)), true)
  assert.equal(isRecommendedAwarding(S(16, 'pedido_chargeback', false, true)), false)
  assert.equal(isRecommendedAwarding(S(8, 'pedido_cancelado', true, true)), false)
  assert.equal(isRecommendedAwarding(S(4, 'pedido_pago')), false)
})

test('points: rate × reais of (subtotal − discount), rounded down, integer maths', () => {
  assert.equal(pointsFor(17082, 1), 170)
  assert.equal(pointsFor(17082, 2.5), 427)
  assert.equal(pointsFor(999, 0.1), 0)
  assert.equal(pointsFor(1000, 0.1), 1)
  assert.equal(pointsFor(-50, 1), 0)
  assert.equal(pointsFor(30, 3.3333), 0)
})

test('award once, reverse exactly what was awarded, award again on return', () => {
  const none: AwardStatus = { state: 'none', cycle: 0, pointsAwarded: 0 }
  const a = decideAward(none, 'award', 100, true)
  assert.deepEqual(a.action, { kind: 'earn', amount: 100, cycle: 1 })
  assert.equal(decideAward(a.next, 'award', 100, true).action, null, 'replay changes nothing')
  // Rules changed since (now 150 points): the reversal still takes 100.
  const r = decideAward(a.next, 'reverse', 150, true)
  assert.deepEqual(r.action, { kind: 'reverse', amount: 100, cycle: 1 })
  assert.equal(decideAward(r.next, 'reverse', 150, true).action, null)
  const again = decideAward(r.next, 'award', 150, true)
  assert.deepEqual(again.action, { kind: 'earn', amount: 150, cycle: 2 })
  assert.equal(decideAward(none, 'award', 100, false).action, null, 'sales registration off: no award')
  assert.deepEqual(
    decideAward(a.next, 'reverse', 0, false).action?.kind,
    'reverse',
    'reversal happens even when awarding is off',
  )
})

test('property: over any status walk, net points are either 0 or the last award', () => {
  const target = fc.constantFrom<StatusTarget>('award', 'reverse', 'hold')
  fc.assert(
    fc.property(fc.array(fc.tuple(target, fc.integer({ min: 0, max: 1000 })), { maxLength: 40 }), (walk) => {
      let s: AwardStatus = { state: 'none', cycle: 0, pointsAwarded: 0 }
      let net = 0
      for (const [t, p] of walk) {
        const { action, next } = decideAward(s, t, p, true)
        if (action) net += action.kind === 'earn' ? action.amount : -action.amount
        s = next
      }
      return s.state === 'awarded' ? net === s.pointsAwarded : net === 0
    }),
  )
})
