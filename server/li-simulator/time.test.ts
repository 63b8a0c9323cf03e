import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { formatNaive, formatUtcZ, formatWithOffset, parseLiDateTime } from './time.ts'

const us = (iso: string, micro = 0) => Date.parse(iso) * 1000 + micro

describe('LI date handling', () => {
  test('naive São Paulo wall-clock with microseconds (UTC-3 since 2019)', () => {
    assert.equal(formatNaive(us('2025-03-14T13:22:31.418Z', 552)), '2025-03-14T10:22:31.418552')
    assert.equal(formatNaive(us('2025-01-01T02:59:59Z', 999_999)), '2024-12-31T23:59:59.999999')
  })

  test('historical DST is honoured through Intl (UTC-2 in January 2018)', () => {
    assert.equal(formatNaive(us('2018-01-15T12:00:00Z')), '2018-01-15T10:00:00.000000')
    assert.equal(new Date(parseLiDateTime('2018-01-15T10:00:00')! / 1000).toISOString(), '2018-01-15T12:00:00.000Z')
  })

  test('parsing: date-only, minutes, seconds, fractions, space separator, explicit zones; junk → null', () => {
    assert.equal(parseLiDateTime('2025-03-14'), us('2025-03-14T03:00:00Z'))
    assert.equal(parseLiDateTime('2025-03-14T10:22'), us('2025-03-14T13:22:00Z'))
    assert.equal(parseLiDateTime('2025-03-14 10:22:31'), us('2025-03-14T13:22:31Z'))
    assert.equal(parseLiDateTime('2025-03-14T10:22:31.418552'), us('2025-03-14T13:22:31.418Z', 552))
    assert.equal(parseLiDateTime('2025-03-14T10:22:31Z'), us('2025-03-14T10:22:31Z'))
    assert.equal(parseLiDateTime('2025-03-14T10:22:31-03:00'), us('2025-03-14T13:22:31Z'))
    for (const bad of ['', 'ontem', '2025-02-30', '2025-13-01', '14/03/2025', '2025-03-14T25:00:00'])
      assert.equal(parseLiDateTime(bad), null, bad)
  })

  test('round trip and webhook forms', () => {
    const t = us('2025-07-04T21:05:09.123Z', 456)
    assert.equal(parseLiDateTime(formatNaive(t)), t)
    assert.equal(formatUtcZ(t), '2025-07-04T21:05:09.123456Z')
    assert.equal(formatWithOffset(t), '2025-07-04T18:05:09.123456-03:00')
  })
})
