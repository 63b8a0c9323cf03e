import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import {
  centsToDecimal,
  dateToNaiveSaoPaulo,
  dateToSaoPauloDay,
  decimalToCents,
  naiveSaoPauloToDate,
  resourceId,
} from './convert.ts'

test('decimal strings to integer cents', () => {
  assert.equal(decimalToCents('129.90'), 12990)
  assert.equal(decimalToCents('129.9'), 12990)
  assert.equal(decimalToCents('129'), 12900)
  assert.equal(decimalToCents('0.01'), 1)
  assert.equal(decimalToCents('18.985'), 1899)
  assert.equal(decimalToCents(96.66), 9666)
  assert.equal(decimalToCents(null), 0)
  assert.equal(decimalToCents('-5.50'), -550)
  assert.throws(() => decimalToCents('12,90'))
  assert.throws(() => decimalToCents('abc'))
  fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), (c) => decimalToCents(centsToDecimal(c)) === c))
})

test('naive São Paulo date-times to UTC instants', () => {
  // Brazil has had no DST since 2019: UTC−3 all year.
  assert.equal(naiveSaoPauloToDate('2025-03-14T10:22:31.418552').toISOString(), '2025-03-14T13:22:31.418Z')
  assert.equal(naiveSaoPauloToDate('2014-04-04 13:48:49.689375').toISOString(), '2014-04-04T16:48:49.689Z')
  assert.equal(naiveSaoPauloToDate('2025-03-14').toISOString(), '2025-03-14T03:00:00.000Z')
  // Summer time (UTC−2) in January 2018.
  assert.equal(naiveSaoPauloToDate('2018-01-15T12:00:00').toISOString(), '2018-01-15T14:00:00.000Z')
  // Late evening in São Paulo is already the next UTC day.
  assert.equal(naiveSaoPauloToDate('2025-12-31T23:59:59').toISOString(), '2026-01-01T02:59:59.000Z')
  // Offsets in webhook payloads are respected.
  assert.equal(naiveSaoPauloToDate('2025-03-14T13:22:31Z').toISOString(), '2025-03-14T13:22:31.000Z')
  assert.equal(naiveSaoPauloToDate('2025-03-14T10:22:31-03:00').toISOString(), '2025-03-14T13:22:31.000Z')
  assert.throws(() => naiveSaoPauloToDate('14/03/2025'))
})

test('UTC instants back to São Paulo wall-clock', () => {
  assert.equal(dateToNaiveSaoPaulo(new Date('2025-03-14T13:22:31.418Z')), '2025-03-14T10:22:31')
  assert.equal(dateToSaoPauloDay(new Date('2026-01-01T02:00:00Z')), '2025-12-31')
  fc.assert(
    fc.property(fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }), (d) => {
      const whole = new Date(Math.floor(d.getTime() / 1000) * 1000)
      return naiveSaoPauloToDate(dateToNaiveSaoPaulo(whole)).getTime() === whole.getTime()
    }),
  )
})

test('resource ids from URIs or objects', () => {
  assert.equal(resourceId('/api/v1/cliente/5550123'), 5550123)
  assert.equal(resourceId('/api/v1/cliente/5550123/'), 5550123)
  assert.equal(resourceId({ id: 7, resource_uri: '/api/v1/cliente/8' }), 7)
  assert.equal(resourceId({ resource_uri: '/api/v1/cliente/8' }), 8)
  assert.equal(resourceId(null), null)
})
