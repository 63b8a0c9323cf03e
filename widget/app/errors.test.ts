import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ERROR_CODES } from '../../shared/errors.ts'
import { ApiError } from './api.ts'
import { messageFor } from './errors.ts'
import { t } from './i18n.ts'

test('the widget has a pt-BR message for every API error code, and one for a refused login code', () => {
  for (const code of ERROR_CODES) assert.equal(messageFor(new ApiError(409, code, null)), t.errorCodes[code], code)
  assert.equal(
    messageFor(new ApiError(409, 'insufficient_points', null)),
    'Saldo de pontos insuficiente para este prêmio.',
  )
  assert.equal(messageFor(new ApiError(0, 'network', null)), t.errors.network)
  // Wrong, expired or malformed: the verify route names the `code` field either way.
  assert.equal(messageFor(new ApiError(401, 'unauthorized', 'code')), t.errors.code)
  assert.equal(messageFor(new ApiError(400, 'validation_failed', 'code')), t.errors.code)
  assert.equal(messageFor(new Error('boom')), t.errorCodes.internal)
  assert.equal(messageFor(new ApiError(500, 'not_a_code' as never, null)), t.errorCodes.internal)
})

test('a refused field is named with its rule, also inside the join form sent with the code', () => {
  assert.equal(messageFor(new ApiError(400, 'validation_failed', 'cpf')), 'CPF inválido: confira os 11 dígitos.')
  assert.equal(messageFor(new ApiError(400, 'validation_failed', 'join.cpf')), 'CPF inválido: confira os 11 dígitos.')
  assert.equal(messageFor(new ApiError(400, 'validation_failed', 'join.birthDate')), t.fieldErrors.birthDate)
  assert.equal(messageFor(new ApiError(400, 'validation_failed', 'email')), t.fieldErrors.email)
  // A field the widget has no words for still gets the generic message, never a key's text.
  assert.equal(messageFor(new ApiError(400, 'validation_failed', 'toString')), t.errorCodes.validation_failed)
  assert.equal(messageFor(new ApiError(400, 'validation_failed', null)), t.errorCodes.validation_failed)
})

test('a rate limit says how long to wait, from the API’s retryAfter, and when the wait is over', () => {
  const now = 1_000_000
  const limited = new ApiError(429, 'rate_limited', null, now + 9_000)
  assert.equal(messageFor(limited, now), 'Muitas tentativas. Tente de novo em 9 s.')
  assert.equal(messageFor(limited, now + 3_500), 'Muitas tentativas. Tente de novo em 6 s.')
  assert.equal(
    messageFor(new ApiError(429, 'rate_limited', null, now + 1_800_000), now),
    'Muitas tentativas. Tente de novo em 30 min.',
  )
  assert.equal(messageFor(limited, now + 9_000), t.errors.waitOver)
  // Without a retryAfter, the dictionary's message.
  assert.equal(messageFor(new ApiError(429, 'rate_limited', null), now), t.errorCodes.rate_limited)
})
