import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser, Locator, Page } from 'playwright-core'
import { startRuntime, type Runtime } from '../server/runtime.ts'
import { testDatabase } from '../server/test/database.ts'
import { testConfig } from '../server/test/harness.ts'
import { launchBrowser, watchErrors } from './browser.ts'

/**
 * A fresh server, as a newcomer meets it after `npm start`: no account at all (a fresh database,
 * and nothing created up front). Typing the server's address leads to the panel, whose login page
 * offers "Criar a primeira conta"; the person creates it and lands logged in. From then on the
 * login page is the login only, for them and for anyone else; a second person who had the form
 * open when the first account was made is sent to the login with a notice.
 */
const ARTIFACTS = path.resolve('e2e/artifacts')
const NAME = 'Dona Bella'
const EMAIL = 'dona@primeira.test'
const PASSWORD = 'senha longa da primeira conta'
let runtime: Runtime
let browser: Browser

const EXPECTED = [
  { status: 400, url: /\/v1\/setup\/first-merchant$/ }, // empty fields, then a short password
  { status: 409, url: /\/v1\/setup\/first-merchant$/ }, // the latecomer's form
  { status: 404, url: /\/integrations\/loja-integrada$/ }, // the home checklist: no integration saved yet
]

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `first-run-${name}.png`), fullPage: true })

/** Visible and wholly inside the viewport (not clipped, not off to a side). */
async function seen(page: Page, locator: Locator) {
  await locator.waitFor({ state: 'visible' })
  const box = await locator.boundingBox()
  const view = page.viewportSize()!
  assert.ok(box && box.width > 0 && box.height > 0, 'has a size')
  assert.ok(box.x >= 0 && box.x + box.width <= view.width + 0.5, `inside the width: ${JSON.stringify(box)}`)
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  // testDatabase is a migrated, empty database: no merchant, as after a first `npm start`.
  const database = await testDatabase()
  runtime = await startRuntime(testConfig({ PORT: '0', HOST: '127.0.0.1' }), { database })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await runtime?.stop()
})

test('on a fresh server a person creates the first account in the panel and lands logged in; then only the login is offered', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const errors = watchErrors(page, EXPECTED)
  // A second person opens the panel at the same time; their form is answered after the first wins.
  const late = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage()
  const lateErrors = watchErrors(late, EXPECTED)

  // The server's bare address leads to the panel.
  await page.goto(`${runtime.url}/`)
  assert.equal(new URL(page.url()).pathname, '/panel')
  const title = page.getByRole('heading', { name: 'Criar a primeira conta' })
  await seen(page, title)
  assert.equal(await page.getByRole('heading', { name: 'Entrar no Fidelis' }).count(), 0)
  await page.getByText('Este Fidelis ainda não tem nenhuma conta.').waitFor()
  assert.equal(await page.title(), 'Criar a primeira conta · Fidelis')
  await shot(page, 'form')

  await late.goto(`${runtime.url}/panel`)
  await seen(late, late.getByRole('heading', { name: 'Criar a primeira conta' }))
  await seen(late, late.getByRole('button', { name: 'Criar a conta e entrar' }))
  await shot(late, 'form-phone')

  // Everything empty: each field says what to fill, at once.
  await page.getByRole('button', { name: 'Criar a conta e entrar' }).click()
  await page.getByRole('alert').getByText('Confira os campos destacados:').waitFor()
  await seen(page, page.locator('[data-field-error=name]').getByText('Informe seu nome, com até 120 caracteres.'))
  await seen(page, page.locator('[data-field-error=email]').getByText('Informe um e-mail válido'))
  await seen(page, page.locator('[data-field-error=password]').getByText('Use uma senha com pelo menos 10 caracteres.'))
  for (const label of ['Seu nome', 'E-mail', 'Senha'])
    assert.equal(await page.getByLabel(label, { exact: true }).getAttribute('aria-invalid'), 'true', label)
  await shot(page, 'empty')

  // A short password is refused at its field only.
  await page.getByLabel('Seu nome').fill(NAME)
  await page.getByLabel('E-mail').fill(EMAIL)
  await page.getByLabel('Senha', { exact: true }).fill('curta')
  await page.getByRole('button', { name: 'Criar a conta e entrar' }).click()
  await seen(page, page.locator('[data-field-error=password]').getByText('Use uma senha com pelo menos 10 caracteres.'))
  assert.equal(await page.locator('[data-field-error=name]').count(), 0)
  assert.equal(await page.locator('[data-field-error=email]').count(), 0)
  assert.equal(
    await runtime.deps.db.selectFrom('merchants').select('id').executeTakeFirst(),
    undefined,
    'nothing created yet',
  )

  // The right password: the account is made and the person is in, on the first-program step.
  await page.getByLabel('Senha', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Criar a conta e entrar' }).click()
  await seen(page, page.getByRole('heading', { name: 'Crie seu programa de fidelidade' }))
  const merchants = await runtime.deps.db.selectFrom('merchants').select(['email', 'name']).execute()
  assert.deepEqual(merchants, [{ email: EMAIL, name: NAME }])
  await shot(page, 'logged-in')
  await page.getByLabel('Nome do programa').fill('Clube Bella')
  await page.getByRole('button', { name: 'Criar programa' }).click()
  await page.getByRole('heading', { name: 'Início' }).waitFor()

  // The latecomer's form is answered "already made": they are shown the login, with a notice.
  await late.getByLabel('Seu nome').fill('Outra Pessoa')
  await late.getByLabel('E-mail').fill('outra@primeira.test')
  await late.getByLabel('Senha', { exact: true }).fill('outra senha bem longa')
  await late.getByRole('button', { name: 'Criar a conta e entrar' }).click()
  await seen(late, late.getByRole('heading', { name: 'Entrar no Fidelis' }))
  await seen(late, late.getByText('A primeira conta deste Fidelis já foi criada. Entre com o e-mail e a senha dela.'))
  assert.equal(await late.getByRole('heading', { name: 'Criar a primeira conta' }).count(), 0)
  await shot(late, 'closed-phone')
  assert.equal((await runtime.deps.db.selectFrom('merchants').select('id').execute()).length, 1)

  // Logging out leads to the login page, which no longer offers the first account; nor after a reload.
  await page.getByRole('button', { name: 'Sair' }).click()
  await seen(page, page.getByRole('heading', { name: 'Entrar no Fidelis' }))
  assert.equal(await page.getByText('Criar a primeira conta').count(), 0)
  await page.reload()
  await seen(page, page.getByRole('heading', { name: 'Entrar no Fidelis' }))
  assert.equal(await page.getByText('Criar a primeira conta').count(), 0)
  await shot(page, 'login-after')

  // The account works at the login.
  await page.getByLabel('E-mail').fill(EMAIL)
  await page.getByLabel('Senha').fill(PASSWORD)
  await page.getByRole('button', { name: 'Entrar' }).click()
  await seen(page, page.getByRole('heading', { name: 'Início' }))

  assert.deepEqual(errors, [])
  assert.deepEqual(lateErrors, [])
  await context.close()
  await late.context().close()
})
