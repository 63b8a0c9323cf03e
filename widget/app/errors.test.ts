import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ERROR_CODES } from '../../shared/errors.ts'
import { ApiError } from './api.ts'
import { messageFor } from './errors.ts'
import { t } from './i18n.ts'

test('the widget has a pt-BR message for every API error code, and one for a refused login code', () => {
  for (const code of ERROR_CODES) assert.equal(messageFor(new ApiError(409, code, null)), t.errorCodes[code], code)
  assert.equal(messageFor(new ApiError(409, 'insufficient_points', null)), 'Saldo de pontos insuficiente para este prêmio.')
  assert.equal(messageFor(new ApiError(0, 'network', null)), t.errors.network)
  // Wrong, expired or malformed: the verify route names the `code` field either way.
  assert.equal(messageFor(new ApiError(401, 'unauthorized', 'code')), t.errors.code)
  assert.equal(messageFor(new ApiError(400, 'validation_failed', 'code')), t.errors.code)
  assert.equal(messageFor(new ApiError(400, 'validation_failed', 'cpf')), t.errorCodes.validation_failed)
  assert.equal(messageFor(new Error('boom')), t.errorCodes.internal)
  assert.equal(messageFor(new ApiError(500, 'not_a_code' as never, null)), t.errorCodes.internal)
})
