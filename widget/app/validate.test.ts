import assert from 'node:assert/strict'
import { test } from 'node:test'
import * as v from 'valibot'
import { JoinBody } from '../../shared/api/widget.ts'
import { t } from './i18n.ts'
import { emailError, joinErrors } from './validate.ts'

const today = '2026-06-01'
const ok = { name: 'Ana Souza', cpf: '', birthDate: '' }

test('the join form names every refused field at once, with its rule', () => {
  assert.deepEqual(joinErrors(ok, today), {})
  assert.deepEqual(joinErrors({ name: 'x'.repeat(300), cpf: '529.982.247-24', birthDate: '2999-01-01' }, today), {
    name: 'Nome muito longo: até 200 caracteres.',
    cpf: 'CPF inválido: confira os 11 dígitos.',
    birthDate: t.fieldErrors.birthDate,
  })
  assert.deepEqual(joinErrors({ name: '   ', cpf: '111.111.111-11', birthDate: '1990-02-30' }, today), {
    name: t.fieldErrors.name,
    cpf: t.fieldErrors.cpf,
    birthDate: t.fieldErrors.birthDate,
  })
  assert.equal(emailError('nao-e-email'), t.fieldErrors.email)
  assert.equal(emailError('ana@loja.com.br'), undefined)
})

test('the widget’s rules agree with the API’s schema (shared/api/widget.ts JoinBody)', () => {
  const cases = [
    ok,
    { ...ok, name: 'x'.repeat(200) },
    { ...ok, name: 'x'.repeat(201) },
    { ...ok, name: `  ${'x'.repeat(200)}  ` },
    { ...ok, name: '' },
    { ...ok, cpf: '529.982.247-25' },
    { ...ok, cpf: '52998224724' },
    { ...ok, cpf: '1234' },
    { ...ok, birthDate: '1990-05-17' },
    { ...ok, birthDate: '1899-12-31' },
    { ...ok, birthDate: '2001-02-29' },
  ]
  for (const c of cases) {
    const body = {
      email: 'ana@loja.com.br',
      emailConsent: true,
      name: c.name,
      ...(c.cpf ? { cpf: c.cpf } : {}),
      ...(c.birthDate ? { birthDate: c.birthDate } : {}),
    }
    const api = [...new Set(v.safeParse(JoinBody, body).issues?.map((i) => i.path?.[0]?.key) ?? [])]
    assert.deepEqual(Object.keys(joinErrors(c)), api, JSON.stringify(c))
  }
})
