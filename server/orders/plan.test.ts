import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Order } from '../db/schema.ts'
import { latestReports, orderRow, planOrder, settleEntries, type AwardContext, type IncomingOrder } from './plan.ts'

// The pure half of applyOrders: no database, the same decisions the sync tests see end to end.
const ctx: AwardContext = {
  programId: 'p1',
  earnRate: 1,
  awardingIds: new Set([9]),
  salesOn: true,
  statuses: new Map(),
  lifecycle: { pendingDays: 0, campaigns: [] },
  guard: {} as AwardContext['guard'],
}
const facts = { today: '2026-12-07', tierOf: new Map(), programCoupons: new Set<string>() }
const order = (over: Partial<IncomingOrder> = {}): IncomingOrder => ({
  source: 'li',
  externalId: '1001',
  liCustomerId: 7,
  customerEmail: 'ana@cliente.test',
  status: { id: 9, code: 'pedido_entregue', cancelled: false, final: true, name: 'Entregue' },
  subtotalCents: 15_000,
  shippingCents: 1_000,
  discountCents: 1_000,
  totalCents: 15_000,
  placedAt: new Date('2026-12-01T12:00:00Z'),
  updatedAt: new Date('2026-12-02T12:00:00Z'),
  ...over,
})

test('the newest report of an order wins within a batch', () => {
  const older = order({ updatedAt: new Date('2026-12-01T00:00:00Z'), totalCents: 1 })
  const newer = order()
  const latest = latestReports([newer, older, order({ externalId: '1002' })])
  assert.equal(latest.size, 2)
  assert.equal(latest.get('li:1001'), newer)
})

test('an order without a member is held as it is; with one it earns on subtotal minus discounts', () => {
  const held = planOrder(ctx, order(), undefined, null, facts)
  assert.equal(held.action, null)
  assert.equal(held.next.state, 'none')
  const p = planOrder(ctx, order(), undefined, 5, facts)
  assert.deepEqual(p.action, { kind: 'earn', amount: 140, cycle: 1 })
  assert.equal(p.next.state, 'awarded')
  assert.match(p.earnReason, /1001/)
  const row = orderRow('p1', p)
  assert.equal(row.member_id, 5)
  assert.equal(row.points_awarded, 140)
})

test('a tier multiplies the points and names itself in the reason; a pending period holds them', () => {
  const tiered = planOrder(ctx, order(), undefined, 5, { ...facts, tierOf: new Map([[5, { pct: 150, name: 'Ouro' }]]) })
  assert.equal(tiered.action?.amount, 210)
  assert.match(tiered.earnReason, /Ouro/)
  const pending = planOrder({ ...ctx, lifecycle: { pendingDays: 30, campaigns: [] } }, order(), undefined, 5, facts)
  assert.equal(pending.action?.kind, 'pend')
  assert.equal(pending.next.availableOn, '2027-01-01')
  assert.equal(pending.next.pendingReason, pending.earnReason)
})

test('a reversal takes back only what is left of the balance, and the plan records it', () => {
  const prev = {
    award_state: 'awarded',
    award_cycle: 1,
    points_awarded: 140,
    points_reversed: 0,
    available_on: null,
    pending_reason: null,
    member_id: 5,
    coupon_code: null,
  } as unknown as Order
  const cancelled = order({
    status: { id: 3, code: 'pedido_cancelado', cancelled: true, final: true, name: 'Cancelado' },
  })
  const p = planOrder(ctx, cancelled, prev, 5, facts)
  assert.equal(p.action?.kind, 'reverse')
  const balances = new Map([[5, 100]])
  const settled = settleEntries(ctx, [p], balances)
  assert.equal(settled.reversed, 1)
  assert.equal(settled.entries[0]!.amount, -100)
  assert.equal(balances.get(5), 0)
  assert.equal(p.next.pointsReversed, 100)
})
