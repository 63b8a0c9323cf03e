import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isValidCpf } from './cpf.ts'

test('CPF check digits', () => {
  assert.equal(isValidCpf('529.982.247-25'), true)
  assert.equal(isValidCpf('52998224725'), true)
  assert.equal(isValidCpf('52998224724'), false)
  assert.equal(isValidCpf('111.111.111-11'), false, 'repeated digits pass the formula but are invalid')
  assert.equal(isValidCpf('123'), false)
})
