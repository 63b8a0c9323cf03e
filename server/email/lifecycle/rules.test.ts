import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  composeDigest,
  couponReminderDue,
  dayBounds,
  digestDays,
  noticeLots,
  planSlots,
  saoPauloHour,
  type CreditFact,
} from './rules.ts'

const at = (iso: string) => new Date(iso)

describe('welcome drip pacing (planSlots)', () => {
  test('spaces sends evenly at the rate and stops at the horizon', () => {
    const now = at('2026-11-29T12:00:00Z')
    const plan = planSlots({ nextSlot: null, now, perMinute: 60, pending: 1000 })
    assert.equal(plan.slots.length, 60)
    assert.equal(plan.slots[0]!.getTime(), now.getTime())
    for (let i = 1; i < plan.slots.length; i++)
      assert.equal(plan.slots[i]!.getTime() - plan.slots[i - 1]!.getTime(), 1000)
    assert.equal(plan.nextSlot.getTime(), now.getTime() + 60_000)
  })

  test('a second run finds only the slots that entered its horizon; the next minute continues the same pace', () => {
    const now = at('2026-11-29T12:00:00Z')
    const first = planSlots({ nextSlot: null, now, perMinute: 120, pending: 1000 })
    assert.equal(first.slots.length, 120)
    const again = planSlots({ nextSlot: first.nextSlot, now, perMinute: 120, pending: 1000 })
    assert.equal(again.slots.length, 0, 'no burst from running twice')
    assert.equal(again.nextSlot.getTime(), first.nextSlot.getTime())
    const later = planSlots({
      nextSlot: first.nextSlot,
      now: new Date(now.getTime() + 5_000),
      perMinute: 120,
      pending: 1000,
    })
    assert.equal(later.slots.length, 10, 'five more seconds of the same pace')
    assert.equal(later.slots[0]!.getTime(), first.nextSlot.getTime())
    const next = planSlots({
      nextSlot: later.nextSlot,
      now: new Date(now.getTime() + 60_000),
      perMinute: 120,
      pending: 1000,
    })
    assert.equal(next.slots[0]!.getTime(), later.nextSlot.getTime())
    assert.equal(next.slots.length, 110)
  })

  test('a run that comes late (restart after an outage) starts now and does not catch up', () => {
    const now = at('2026-11-29T12:00:00Z')
    const stale = new Date(now.getTime() - 3_600_000)
    const plan = planSlots({ nextSlot: stale, now, perMinute: 30, pending: 1000 })
    assert.equal(plan.slots.length, 30, 'one minute of sends, not an hour of them')
    assert.equal(plan.slots[0]!.getTime(), now.getTime())
  })

  test('fewer pending than slots: only those, and the pace continues after the last', () => {
    const now = at('2026-11-29T12:00:00Z')
    const plan = planSlots({ nextSlot: null, now, perMinute: 6, pending: 2 })
    assert.deepEqual(
      plan.slots.map((d) => d.getTime() - now.getTime()),
      [0, 10_000],
    )
    assert.equal(plan.nextSlot.getTime() - now.getTime(), 20_000)
    assert.equal(planSlots({ nextSlot: null, now, perMinute: 6, pending: 0 }).slots.length, 0)
  })

  test('over any 60 s the number of sends never exceeds the rate, across many runs', () => {
    let nextSlot: Date | null = null
    const all: number[] = []
    for (let minute = 0; minute < 10; minute++) {
      // Runs at irregular moments, sometimes twice in a minute.
      for (const offset of [0, 17_000, 59_000]) {
        const plan = planSlots({
          nextSlot,
          now: new Date(Date.UTC(2026, 10, 29, 12, minute) + offset),
          perMinute: 45,
          pending: 10_000,
        })
        all.push(...plan.slots.map((d) => d.getTime()))
        nextSlot = plan.nextSlot
      }
    }
    all.sort((a, b) => a - b)
    for (let i = 0; i < all.length; i++) {
      const inWindow = all.filter((t) => t >= all[i]! && t < all[i]! + 60_000).length
      assert.ok(inWindow <= 45, `${inWindow} sends in 60 s`)
    }
    assert.equal(new Set(all).size, all.length)
  })
})

describe('São Paulo days', () => {
  test('a day is [03:00Z, 03:00Z next day) since 2019; 2018 DST days are 23 and 25 hours', () => {
    const d = dayBounds('2026-11-28')
    assert.equal(d.start.toISOString(), '2026-11-28T03:00:00.000Z')
    assert.equal(d.end.toISOString(), '2026-11-29T03:00:00.000Z')
    // DST began on 2018-11-04 (00:00 → 01:00) and ended on 2018-02-18 (00:00 → 23:00 the day before).
    const spring = dayBounds('2018-11-04')
    assert.equal((spring.end.getTime() - spring.start.getTime()) / 3_600_000, 23)
    const autumn = dayBounds('2018-02-17')
    assert.equal((autumn.end.getTime() - autumn.start.getTime()) / 3_600_000, 25)
  })

  test('digests: yesterday from 08:00 São Paulo, plus the day before for a missed day', () => {
    assert.equal(saoPauloHour(at('2026-11-29T10:59:59Z')), 7)
    assert.deepEqual(digestDays(at('2026-11-29T10:59:59Z')), [], 'nothing at night')
    assert.deepEqual(digestDays(at('2026-11-29T11:00:00Z')), ['2026-11-27', '2026-11-28'])
    // 23:30 in São Paulo is already the next day in UTC: still the 29th there.
    assert.deepEqual(digestDays(at('2026-11-30T02:30:00Z')), ['2026-11-27', '2026-11-28'])
    assert.deepEqual(digestDays(at('2026-11-30T03:00:00Z')), [])
  })
})

describe('points earned digest (composeDigest)', () => {
  const credit = (
    id: number,
    amount: number,
    orderRef: string | null,
    createdAt = '2026-11-28T15:00:00Z',
    kind = 'earn',
    occurredAt = createdAt,
  ): CreditFact => ({
    id,
    kind,
    amount,
    reason: orderRef ? `Pontos da compra nº ${orderRef.slice(3)}` : 'Bônus de aniversário',
    orderRef,
    createdAt: at(createdAt),
    occurredAt: at(occurredAt),
  })

  test('sums earns and bonuses, names the orders in the reason', () => {
    const d = composeDigest({
      day: '2026-11-28',
      credits: [
        // Placed on the 25th (São Paulo), credited on the 28th: the line says when the order was.
        credit(1, 120, 'li:123', '2026-11-28T15:00:00Z', 'earn', '2026-11-26T02:30:00Z'),
        credit(2, 30, null, '2026-11-28T16:00:00Z', 'bonus'),
      ],
      reversedByRef: new Map(),
      placedAtByRef: new Map([['li:123', at('2026-11-28T14:00:00Z')]]),
      cutoff: null,
    })
    assert.ok(d)
    assert.equal(d.total, 150)
    assert.equal(d.causes, 'pedido nº 123; bônus de aniversário')
    assert.deepEqual(d.lines, [
      { text: 'Pontos da compra nº 123', points: 120, orderDay: '2026-11-25' },
      { text: 'Bônus de aniversário', points: 30 },
    ])
  })

  test('leaves out imported history, what was reversed the same day and what the welcome reported', () => {
    const d = composeDigest({
      day: '2026-11-28',
      credits: [
        credit(1, 100, 'li:1'),
        credit(2, 50, 'li:2'),
        credit(3, 40, 'li:3', '2026-11-28T04:00:00Z'),
        credit(4, 10, 'li:4'),
        credit(5, 7, 'li:5'),
        credit(6, 8, 'li:6'),
        credit(7, 9, 'li:7'),
      ],
      reversedByRef: new Map([['li:2', 50]]),
      placedAtByRef: new Map([['li:1', at('2024-01-10T12:00:00Z')]]),
      cutoff: at('2026-11-28T05:00:00Z'),
    })
    assert.ok(d)
    assert.equal(d.total, 34)
    assert.equal(d.causes, 'pedidos nº 4, 5, 6 e mais 1')
    assert.equal(
      composeDigest({
        day: '2026-11-28',
        credits: [credit(1, 100, 'li:1')],
        reversedByRef: new Map([['li:1', 100]]),
        placedAtByRef: new Map(),
        cutoff: null,
      }),
      null,
    )
  })
})

describe('reminders', () => {
  test('a coupon is reminded within 7 days of its last day, not right after it was issued', () => {
    const now = at('2026-11-29T15:00:00Z')
    assert.deepEqual(couponReminderDue({ issuedAt: at('2026-11-01T15:00:00Z'), validUntil: '2026-12-06', now }), {
      due: true,
      daysLeft: 7,
    })
    assert.deepEqual(couponReminderDue({ issuedAt: at('2026-11-01T15:00:00Z'), validUntil: '2026-12-07', now }), {
      due: false,
      daysLeft: 8,
    })
    assert.equal(
      couponReminderDue({ issuedAt: at('2026-11-28T15:00:00Z'), validUntil: '2026-12-03', now }).due,
      false,
      'issued yesterday',
    )
    assert.equal(
      couponReminderDue({ issuedAt: at('2026-11-01T15:00:00Z'), validUntil: '2026-11-29', now }).due,
      true,
      'last day',
    )
    assert.equal(
      couponReminderDue({ issuedAt: at('2026-11-01T15:00:00Z'), validUntil: '2026-11-28', now }).due,
      false,
      'gone',
    )
  })

  test('the 7-day notice covers today..+7, the 30-day one +8..+30', () => {
    const lots = [
      { points: 10, on: '2026-11-29' },
      { points: 20, on: '2026-12-06' },
      { points: 30, on: '2026-12-07' },
      { points: 40, on: '2026-12-29' },
      { points: 50, on: '2026-12-30' },
    ]
    assert.deepEqual(
      noticeLots(lots, { days: 7, fromDay: 0 }, '2026-11-29').map((l) => l.points),
      [10, 20],
    )
    assert.deepEqual(
      noticeLots(lots, { days: 30, fromDay: 8 }, '2026-11-29').map((l) => l.points),
      [30, 40],
    )
  })
})
