import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import type { LedgerKind } from '../db/schema.ts'
import { decideAward, type AwardStatus, type StatusTarget } from '../orders/rules.ts'
import { addDays, addMonths, birthdayIn, saoPauloDay, startOfSaoPauloDay } from '../lib/calendar.ts'
import { dueExpiries, expireKey, pointLots, upcomingExpiries, type LedgerFact } from './expiry.ts'
import { availableOn, birthdaysBetween, campaignFor, multiplied } from './rules.ts'

// ---- São Paulo calendar ----------------------------------------------------------------------

test('São Paulo midnight: 02:59:59Z is still yesterday there, 03:00Z is today (UTC−3, no DST since 2019)', () => {
  assert.equal(saoPauloDay(new Date('2026-03-01T02:59:59Z')), '2026-02-28')
  assert.equal(saoPauloDay(new Date('2026-03-01T03:00:00Z')), '2026-03-01')
  assert.equal(saoPauloDay(new Date('2026-12-31T23:30:00-03:00')), '2026-12-31') // already 2027 in UTC
  assert.equal(startOfSaoPauloDay('2026-03-01').toISOString(), '2026-03-01T03:00:00.000Z')
})

test('daylight saving (Brazil until 2019): days follow the zone, not a fixed offset', () => {
  // Summer time 2018/19: UTC−2. 02:30Z on 2019-01-15 is 00:30 there, a fixed −3 would say the 14th.
  assert.equal(saoPauloDay(new Date('2019-01-15T02:30:00Z')), '2019-01-15')
  // 2018-11-04 began at 01:00 local (clocks jumped from 00:00): its first instant is 03:00Z.
  assert.equal(startOfSaoPauloDay('2018-11-04').toISOString(), '2018-11-04T03:00:00.000Z')
  assert.equal(saoPauloDay(new Date('2018-11-04T02:59:59Z')), '2018-11-03')
  // 2019-02-16 23:00 (−2) became 22:00 (−3): that day lasted 25 hours and ended at 03:00Z on the 17th.
  assert.equal(startOfSaoPauloDay('2019-02-17').toISOString(), '2019-02-17T03:00:00.000Z')
  assert.equal(saoPauloDay(new Date('2019-02-17T02:30:00Z')), '2019-02-16')
  assert.equal(startOfSaoPauloDay('2019-02-16').toISOString(), '2019-02-16T02:00:00.000Z')
})

test('calendar arithmetic: month ends clamp, leap years, year boundaries', () => {
  assert.equal(addMonths('2026-01-31', 1), '2026-02-28')
  assert.equal(addMonths('2028-01-31', 1), '2028-02-29')
  assert.equal(addMonths('2026-08-31', 6), '2027-02-28')
  assert.equal(addMonths('2026-11-15', 14), '2028-01-15')
  assert.equal(addMonths('2026-03-31', -1), '2026-02-28')
  assert.equal(addDays('2026-12-31', 1), '2027-01-01')
  assert.equal(addDays('2028-02-28', 1), '2028-02-29')
  assert.equal(birthdayIn('2000-02-29', 2027), '2027-02-28')
  assert.equal(birthdayIn('2000-02-29', 2028), '2028-02-29')
})

// ---- FIFO and expiry ----------------------------------------------------------------------------

let nextId = 1
/** An entry at a São Paulo wall time (the zone's rules, not an offset, turn it into an instant). */
function e(kind: LedgerKind, amount: number, spTime: string, redemptionId: number | null = null): LedgerFact {
  const createdAt = new Date(startOfSaoPauloDay(spTime.slice(0, 10)).getTime() + timeOfDay(spTime))
  return { id: nextId++, kind, amount, redemptionId, createdAt }
}
const timeOfDay = (s: string) => {
  const [h = 0, m = 0] = (s.slice(11) || '00:00').split(':').map(Number)
  return (h * 60 + m) * 60_000
}

test('lots: each credit expires N months after its São Paulo day; points never expire without a setting', () => {
  const entries = [e('earn', 100, '2026-01-31 23:30'), e('bonus', 50, '2026-02-10 10:00')]
  assert.deepEqual(
    pointLots(entries, 1).map((l) => [l.earnedOn, l.expiresOn, l.remaining]),
    [
      ['2026-01-31', '2026-02-28', 100], // 23:30 in São Paulo is 02:30Z on 1 February: still January's points
      ['2026-02-10', '2026-03-10', 50],
    ],
  )
  assert.deepEqual(
    pointLots(entries, null).map((l) => l.expiresOn),
    [null, null],
  )
  assert.deepEqual(dueExpiries(entries, null, '2030-01-01'), [])
  assert.deepEqual(upcomingExpiries(entries, null, '2026-02-01'), [])
})

test('FIFO: redemptions and reversals consume the oldest points first', () => {
  const entries = [
    e('earn', 100, '2026-01-05'),
    e('earn', 80, '2026-02-05'),
    e('redeem', -120, '2026-02-20', 1), // 100 from January, 20 from February
    e('earn', 40, '2026-03-01'),
    e('reverse', -30, '2026-03-02'), // a cancellation: also oldest first (February's 60 → 30)
  ]
  assert.deepEqual(
    pointLots(entries, 12).map((l) => [l.earnedOn, l.remaining]),
    [
      ['2026-02-05', 30],
      ['2026-03-01', 40],
    ],
  )
  assert.deepEqual(upcomingExpiries(entries, 12, '2026-03-10'), [
    { on: '2027-02-05', points: 30 },
    { on: '2027-03-01', points: 40 },
  ])
})

test('a refunded redemption gives back the very lots it took, with their dates (no renewal by letting a coupon lapse)', () => {
  const entries = [
    e('earn', 100, '2026-01-05'),
    e('earn', 100, '2026-03-05'),
    e('redeem', -150, '2026-04-01', 7), // January's 100 and 50 of March's
    e('earn', 10, '2026-05-01'),
    e('refund', 150, '2026-05-02', 7),
  ]
  const lots = pointLots(entries, 6)
  assert.deepEqual(
    lots.map((l) => [l.earnedOn, l.remaining]),
    [
      ['2026-01-05', 100],
      ['2026-03-05', 50],
      ['2026-03-05', 50],
      ['2026-05-01', 10],
    ],
  )
  // January's points came back after their day (05/07 is past on 10/07): due at the next run.
  assert.deepEqual(
    dueExpiries(entries, 6, '2026-07-10').map((d) => [d.on, d.points]),
    [['2026-07-05', 100]],
  )
  // A refund with no redeem to match (or more than it took) is a fresh lot of its own day.
  const loose = [e('refund', 20, '2026-06-01', 99)]
  assert.deepEqual(
    pointLots(loose, 6).map((l) => [l.earnedOn, l.remaining]),
    [['2026-06-01', 20]],
  )
})

test('expiry: due lots grouped by day; once posted, the same lots never expire again', () => {
  const entries = [
    e('earn', 100, '2026-01-29'),
    e('earn', 30, '2026-01-31'), // both clamp to 28/02 with 1 month
    e('earn', 50, '2026-02-10'),
    e('redeem', -60, '2026-02-15', 1),
  ]
  const due = dueExpiries(entries, 1, '2026-02-28')
  assert.deepEqual(
    due.map((d) => [d.on, d.points]),
    [['2026-02-28', 70]],
  )
  assert.equal(dueExpiries(entries, 1, '2026-02-27').length, 0, 'the day before: nothing due')
  const posted = [...entries, e('expire', -70, '2026-02-28 00:05')]
  assert.deepEqual(dueExpiries(posted, 1, '2026-02-28'), [], 'a second run the same day finds nothing')
  assert.deepEqual(dueExpiries(posted, 1, '2026-03-09'), [])
  const next = dueExpiries(posted, 1, '2026-03-10')
  assert.deepEqual(
    next.map((d) => [d.on, d.points]),
    [['2026-03-10', 50]],
  )
  assert.notEqual(expireKey(1, next[0]!), expireKey(1, due[0]!))
})

test('what expires next: soonest first, overdue counted as today, window and limit', () => {
  const entries = [
    e('earn', 10, '2026-01-01'),
    e('earn', 20, '2026-01-20'),
    e('earn', 30, '2026-02-01'),
    e('earn', 40, '2026-03-01'),
  ]
  assert.deepEqual(upcomingExpiries(entries, 1, '2026-02-05'), [
    { on: '2026-02-05', points: 10 },
    { on: '2026-02-20', points: 20 },
    { on: '2026-03-01', points: 30 },
    { on: '2026-04-01', points: 40 },
  ])
  assert.deepEqual(upcomingExpiries(entries, 1, '2026-02-05', { limit: 2 }).length, 2)
  assert.deepEqual(upcomingExpiries(entries, 1, '2026-02-05', { withinDays: 15 }), [
    { on: '2026-02-05', points: 10 },
    { on: '2026-02-20', points: 20 },
  ])
})

test('property: FIFO lots always add up to the balance, and expiring them empties exactly the due lots', () => {
  const step = fc.record({
    credit: fc.boolean(),
    amount: fc.integer({ min: 1, max: 500 }),
    days: fc.integer({ min: 0, max: 40 }),
  })
  fc.assert(
    fc.property(fc.array(step, { maxLength: 40 }), fc.integer({ min: 1, max: 3 }), (steps, months) => {
      const entries: LedgerFact[] = []
      let balance = 0
      let day = '2026-01-01'
      let redemption = 0
      for (const s of steps) {
        day = addDays(day, s.days)
        if (s.credit) {
          entries.push(e('earn', s.amount, day))
          balance += s.amount
        } else if (balance > 0) {
          const take = Math.min(s.amount, balance)
          entries.push(e('redeem', -take, day, ++redemption))
          balance -= take
        }
      }
      const lots = pointLots(entries, months)
      if (lots.reduce((a, l) => a + l.remaining, 0) !== balance) return false
      const today = addDays(day, 45)
      const due = dueExpiries(entries, months, today)
      const expired = due.reduce((a, d) => a + d.points, 0)
      const after = [...entries, ...due.map((d) => e('expire', -d.points, today))]
      return (
        expired <= balance &&
        dueExpiries(after, months, today).length === 0 &&
        pointLots(after, months).every((l) => l.expiresOn! > today)
      )
    }),
  )
})

// ---- campaigns, birthdays, pending period -------------------------------------------------------

const bf = { id: 'a', name: 'Black Friday', multiplierPct: 200, startsOn: '2026-11-27', endsOn: '2026-11-30' }
const triple = { id: 'b', name: 'Sábado triplo', multiplierPct: 300, startsOn: '2026-11-28', endsOn: '2026-11-28' }

test('campaigns: the purchase day (São Paulo) decides, both ends inclusive, the highest multiplier wins', () => {
  assert.equal(campaignFor('2026-11-26', [bf, triple]), null)
  assert.equal(campaignFor('2026-11-27', [bf, triple])?.name, 'Black Friday')
  assert.equal(campaignFor('2026-11-28', [bf, triple])?.name, 'Sábado triplo')
  assert.equal(campaignFor('2026-11-30', [bf, triple])?.name, 'Black Friday')
  assert.equal(campaignFor('2026-12-01', [bf, triple]), null)
  // 23:59 on the last day in São Paulo is 02:59Z the next day: still in the campaign.
  assert.equal(campaignFor(saoPauloDay(new Date('2026-12-01T02:59:00Z')), [bf])?.name, 'Black Friday')
  assert.equal(campaignFor(saoPauloDay(new Date('2026-12-01T03:00:00Z')), [bf]), null)
  assert.equal(multiplied(171, bf), 342)
  assert.equal(multiplied(171, { multiplierPct: 150 }), 256) // rounded down
  assert.equal(multiplied(171, null), 171)
})

test('birthdays: once per year, 29/02 on 28/02, not before enrolment, across a year boundary', () => {
  assert.deepEqual(birthdaysBetween('1990-07-14', '2020-01-01', '2026-07-14', '2026-07-14'), [
    { day: '2026-07-14', year: 2026 },
  ])
  assert.deepEqual(birthdaysBetween('1990-07-14', '2020-01-01', '2026-07-15', '2026-07-20'), [])
  assert.deepEqual(birthdaysBetween('1992-02-29', '2020-01-01', '2027-02-28', '2027-02-28'), [
    { day: '2027-02-28', year: 2027 },
  ])
  assert.deepEqual(birthdaysBetween('1992-02-29', '2020-01-01', '2028-02-28', '2028-02-28'), [])
  assert.deepEqual(birthdaysBetween('1992-02-29', '2020-01-01', '2028-02-29', '2028-02-29'), [
    { day: '2028-02-29', year: 2028 },
  ])
  assert.deepEqual(
    birthdaysBetween('1990-07-14', '2026-07-15', '2026-07-14', '2026-07-16'),
    [],
    'enrolled the day after',
  )
  assert.deepEqual(birthdaysBetween('1985-12-31', '2020-01-01', '2026-12-30', '2027-01-02'), [
    { day: '2026-12-31', year: 2026 },
  ])
  assert.deepEqual(birthdaysBetween('1985-01-01', '2020-01-01', '2026-12-30', '2027-01-02'), [
    { day: '2027-01-01', year: 2027 },
  ])
})

test('pending period: awards wait, a cancellation inside it drops them without an entry, release is the only earn', () => {
  const none: AwardStatus = { state: 'none', cycle: 0, pointsAwarded: 0 }
  const p = decideAward(none, 'award', 100, true, true)
  assert.deepEqual(p.action, { kind: 'pend', amount: 100, cycle: 1 })
  assert.equal(p.next.state, 'pending')
  assert.equal(decideAward(p.next, 'award', 100, true, true).action, null, 'replay changes nothing')
  assert.equal(decideAward(p.next, 'hold', 100, true, true).action, null)
  const d = decideAward(p.next, 'reverse', 100, true, true)
  assert.deepEqual(d.action, { kind: 'drop', amount: 100, cycle: 1 })
  assert.deepEqual(d.next, { state: 'reversed', cycle: 1, pointsAwarded: 0 })
  assert.equal(decideAward(d.next, 'reverse', 100, true, true).action, null)
  // Released (the job marks it awarded): a later cancellation reverses exactly what was awarded.
  const released: AwardStatus = { ...p.next, state: 'awarded' }
  assert.deepEqual(decideAward(released, 'reverse', 999, true, true).action, { kind: 'reverse', amount: 100, cycle: 1 })
  assert.equal(availableOn('2026-12-28', 7), '2027-01-04')
})

test('property: with a pending period, the ledger only ever holds 0 or the released award', () => {
  const target = fc.constantFrom<StatusTarget | 'release'>('award', 'reverse', 'hold', 'release')
  fc.assert(
    fc.property(fc.array(fc.tuple(target, fc.integer({ min: 1, max: 1000 })), { maxLength: 40 }), (walk) => {
      let s: AwardStatus = { state: 'none', cycle: 0, pointsAwarded: 0 }
      let net = 0
      for (const [t, pts] of walk) {
        if (t === 'release') {
          if (s.state === 'pending') {
            net += s.pointsAwarded
            s = { ...s, state: 'awarded' }
          }
          continue
        }
        const { action, next } = decideAward(s, t, pts, true, true)
        if (action?.kind === 'earn') return false // with a period, nothing is earned directly
        if (action?.kind === 'reverse') net -= action.amount
        s = next
      }
      return s.state === 'awarded' ? net === s.pointsAwarded : net === 0
    }),
  )
})
