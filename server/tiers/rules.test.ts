import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { multiplied } from '../points/rules.ts'
import {
  earnMultiplied,
  entryRewardDue,
  entryRewardKey,
  sortTiers,
  standing,
  type TierLike,
  tierFor,
  tierListProblem,
  windowBounds,
} from './rules.ts'

const tierList = fc
  .uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 2, maxLength: 5 })
  .map((thresholds) =>
    sortTiers(
      thresholds.map(
        (threshold, i): TierLike => ({
          id: `t${i}`,
          name: `Tier ${i}`,
          threshold,
          multiplierPct: 100 + i * 25,
          entryReward: i * 10,
        }),
      ),
    ),
  )
const windows = fc.constantFrom('lifetime' as const, 'calendar_year' as const, 'rolling_12m' as const)
const amount = fc.integer({ min: 0, max: 2_000_000 })

const bronze: TierLike = { id: 'b', name: 'Bronze', threshold: 10_000, multiplierPct: 100, entryReward: 0 }
const prata: TierLike = { id: 'p', name: 'Prata', threshold: 50_000, multiplierPct: 150, entryReward: 100 }
const ouro: TierLike = { id: 'o', name: 'Ouro', threshold: 100_000, multiplierPct: 200, entryReward: 500 }
const example = [bronze, prata, ouro]

test('the example: R$ 880,00 this year is Prata, R$ 120,00 short of Ouro, kept until 31/12/2027', () => {
  const b = windowBounds('calendar_year', '2026-12-07')
  const s = standing(example, b, 88_000, 0)
  assert.equal(s.tier?.name, 'Prata')
  assert.equal(s.next?.name, 'Ouro')
  assert.equal(s.missing, 12_000)
  assert.equal(s.keptUntil, '2027-12-31')
  assert.equal(s.reachedIn, '2026')
  const kept = standing(example, windowBounds('calendar_year', '2027-03-01'), 5_000, 88_000)
  assert.equal(kept.tier?.name, 'Prata', "last year's tier is kept through this year")
  assert.equal(kept.keptUntil, '2027-12-31')
  assert.equal(kept.reachedIn, '2026')
  assert.equal(kept.missing, 95_000, 'what is missing counts this year only')
})

test('windows: rolling 12 months ends today and starts the day after a year ago', () => {
  const r = windowBounds('rolling_12m', '2026-03-01')
  assert.equal(r.currentFrom, '2025-03-02')
  assert.equal(r.previousFrom, null)
  assert.equal(windowBounds('lifetime', '2026-03-01').currentFrom, null)
  assert.equal(windowBounds('calendar_year', '2026-03-01').previousFrom, '2025-01-01')
})

test('a campaign and a tier multiply the base and round down once', () => {
  assert.equal(earnMultiplied(100, 200, 150), 300)
  assert.equal(earnMultiplied(7, 150, 150), 15, '7 × 2,25 = 15,75 → 15 (two floors would give 15 too here)')
  assert.equal(earnMultiplied(3, 150, 150), 6, '3 × 2,25 = 6,75 → 6; floor(floor(4,5) × 1,5) = 6 as well')
  assert.equal(earnMultiplied(5, 130, 130), 8, '5 × 1,69 = 8,45 → 8; rounding each step gives floor(6 × 1,3) = 7')
  assert.equal(earnMultiplied(100, null, null), 100)
  assert.equal(earnMultiplied(0, 200, 200), 0)
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.option(fc.integer({ min: 100, max: 1000 }), { nil: null }),
      fc.option(fc.integer({ min: 100, max: 1000 }), { nil: null }),
      (base, c, t) => {
        const out = earnMultiplied(base, c, t)
        assert.ok(Number.isSafeInteger(out))
        assert.ok(out >= base, 'multipliers never lower what an order earns')
        assert.equal(earnMultiplied(base, t, c), out, 'the order of the two multipliers does not matter')
        // Never below the campaign alone rounded and then the tier rounded (one floor loses least).
        const twoFloors = multiplied(
          multiplied(base, c === null ? null : { multiplierPct: c }),
          t === null ? null : { multiplierPct: t },
        )
        assert.ok(out >= twoFloors)
        assert.ok(out <= (base * (c ?? 100) * (t ?? 100)) / 10_000)
        if (t === null) assert.equal(out, multiplied(base, c === null ? null : { multiplierPct: c }))
      },
    ),
  )
})

test('property: the tier is the highest reached, monotonic in the amount; the next one is really missing', () => {
  fc.assert(
    fc.property(tierList, windows, amount, amount, fc.integer({ min: 0, max: 10_000 }), (tiers, w, cur, prev, more) => {
      const b = windowBounds(w, '2026-06-15')
      const s = standing(tiers, b, cur, prev)
      const counted = w === 'calendar_year' ? Math.max(cur, prev) : cur
      if (s.tier) assert.ok(counted >= s.tier.threshold)
      for (const t of tiers) if (counted >= t.threshold) assert.ok(s.tier && s.tier.threshold >= t.threshold)
      const higher = standing(tiers, b, cur + more, prev)
      assert.ok((higher.tier?.threshold ?? 0) >= (s.tier?.threshold ?? 0), 'more spend never drops a tier')
      if (s.next) {
        assert.ok(s.next.threshold > (s.tier?.threshold ?? 0))
        assert.ok((standing(tiers, b, cur + s.missing, prev).tier?.threshold ?? 0) >= s.next.threshold)
        if (s.missing > 0) {
          const short = standing(tiers, b, cur + s.missing - 1, prev)
          assert.ok((short.tier?.threshold ?? 0) < s.next.threshold || counted !== cur)
        }
      } else assert.equal(s.tier, tiers[tiers.length - 1])
      if (w !== 'calendar_year') assert.equal(s.keptUntil, null)
      else if (s.tier) assert.ok(s.keptUntil === '2027-12-31' || s.keptUntil === '2026-12-31')
      assert.deepEqual(tierFor(counted, tiers), s.tier)
    }),
  )
})

test('property: entry rewards are due on a rise only, once per tier and window key', () => {
  fc.assert(
    fc.property(tierList, fc.nat(4), fc.nat(4), (tiers, i, j) => {
      const from = i < tiers.length ? tiers[i]! : null
      const to = j < tiers.length ? tiers[j]! : null
      const due = entryRewardDue(from, to, to ? '2026' : null)
      if (!to || to.entryReward === 0 || (from && from.threshold >= to.threshold)) assert.equal(due, null)
      else {
        assert.equal(due?.amount, to.entryReward)
        assert.equal(due?.key, entryRewardKey(to.id, '2026'))
        assert.equal(due?.key, `tier:${to.id}:2026`)
      }
    }),
  )
  assert.equal(entryRewardDue(null, prata, '2026')?.key, 'tier:p:2026')
  assert.equal(entryRewardDue(ouro, prata, '2026'), null, 'a drop pays nothing')
})

test('a tier list needs rising thresholds and distinct names', () => {
  assert.equal(tierListProblem(example), null)
  assert.deepEqual(tierListProblem([bronze, { ...prata, threshold: 10_000 }])?.field, 'tiers.1.threshold')
  assert.deepEqual(tierListProblem([bronze, { ...prata, name: ' bronze ' }])?.field, 'tiers.1.name')
})
