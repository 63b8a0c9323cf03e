import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { serve, type ServerType } from '@hono/node-server'
import type { Browser, Locator, Page } from 'playwright-core'
import { startTestSmtp, waitForCode, type TestSmtp } from '../server/email/test-support.ts'
import { saveIntegration, setActive, setSalesSource } from '../server/integrations/service.ts'
import { runSync } from '../server/integrations/sync.ts'
import {
  createLiSimulator,
  findStatusByCodigo,
  type LiSimulator,
  type SeededStore,
} from '../server/li-simulator/index.ts'
import { createMerchant } from '../server/merchants/service.ts'
import { createProgram } from '../server/programs/service.ts'
import { startRuntime, type Runtime } from '../server/runtime.ts'
import { testDatabase } from '../server/test/database.ts'
import { testConfig } from '../server/test/harness.ts'
import { launchBrowser, watchErrors } from './browser.ts'

/**
 * LGPD in the widget (issue 22): a shopper opens "Meus dados" on a store of another origin, sees
 * what the program holds, downloads it as JSON and CSV (real downloads, content checked), then
 * erases it, confirming with the code read from a real SMTP server.
 */
const ARTIFACTS = path.resolve('e2e/artifacts')
let runtime: Runtime
let browser: Browser
let sim: LiSimulator
let simServer: ServerType
let store: http.Server
let storeUrl: string
let smtp: TestSmtp
let seeded: SeededStore
let programKey: string
let programId: string

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  sim = createLiSimulator({ rateLimit: false })
  seeded = sim.seed({ seed: 91, customers: 4, orders: 20, storeId: 'loja-lgpd' })
  simServer = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const simUrl = `http://127.0.0.1:${(simServer.address() as AddressInfo).port}`
  smtp = await startTestSmtp()
  store = http.createServer((_req, res) => {
    const html = `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Loja LGPD</title></head>
<body><h1>Loja LGPD</h1><script async src="${runtime.url}/widget.js" data-program="${programKey}"></script></body></html>`
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html)
  })
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', () => resolve()))
  storeUrl = `http://127.0.0.1:${(store.address() as AddressInfo).port}`
  runtime = await startRuntime(
    testConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LI_API_URL: simUrl,
      LI_APP_KEY: sim.applicationKey,
      SMTP_URL: smtp.url,
      LI_REQUESTS_PER_MINUTE: '100000',
    }),
    { database: await testDatabase() },
  )
  const deps = runtime.deps
  const merchant = await createMerchant(deps.db, { email: 'dona@lgpd.test', password: 'senha longa de teste' })
  const program = await createProgram(deps.db, merchant.id, {
    name: 'Clube LGPD',
    pointsName: 'pontos',
    earnRate: 1,
    primaryColor: '#1d4ed8',
    textColor: '#ffffff',
    joiningOpen: true,
  })
  programKey = program.programKey
  programId = program.id
  await saveIntegration(deps, merchant.id, program.id, {
    apiKey: seeded.apiKey,
    credentialKind: 'chave_api',
    siteUrl: storeUrl,
    signupUrl: `${storeUrl}/conta/criar`,
    couponValidityDays: 365,
    rewardAllowlist: [],
    awardingStatusIds: [findStatusByCodigo('pedido_entregue')!.id],
  })
  await setSalesSource(deps, merchant.id, program.id, 'salesRegistration', true)
  await setActive(deps, merchant.id, program.id, true)
  assert.equal(await runSync(deps, program.id), 'done')
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await runtime?.stop()
  await smtp?.close()
  store?.close()
  simServer?.close()
  sim?.close()
})

/** Visible, inside the viewport, and not clipped by its scrolling panel. */
async function seen(page: Page, el: Locator) {
  await el.waitFor({ state: 'visible' })
  await el.scrollIntoViewIfNeeded()
  const box = await el.boundingBox()
  const vp = page.viewportSize()!
  assert.ok(box && box.width > 0 && box.height > 0, 'has a size')
  assert.ok(
    box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width && box.y + box.height <= vp.height,
    'in the viewport',
  )
}

async function download(page: Page, button: Locator): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()])
  const where = path.join(ARTIFACTS, `privacy-${file.suggestedFilename()}`)
  await file.saveAs(where)
  return fs.readFileSync(where, 'utf8')
}

test('a shopper downloads their data and erases it with the e-mailed code', async () => {
  const member = await runtime.deps.db
    .selectFrom('members')
    .selectAll()
    .where('program_id', '=', programId)
    .orderBy('balance', 'desc')
    .executeTakeFirstOrThrow()
  const email = member.email
  const page = await browser.newPage({ viewport: { width: 390, height: 760 }, acceptDownloads: true })
  const errors = watchErrors(page)
  await page.goto(storeUrl + '/')
  await page.locator('[data-fidelis]').locator('button[aria-haspopup="dialog"]').click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name: 'Já participo' }).click()
  await dialog.getByLabel('E-mail', { exact: true }).fill(email)
  await dialog.getByRole('button', { name: 'Enviar código' }).click()
  await dialog.getByLabel('Código').fill(await waitForCode(smtp, email))
  await dialog.getByRole('button', { name: 'Entrar' }).click()
  await dialog.getByText('Seu saldo').waitFor()

  await dialog.getByRole('button', { name: 'Meus dados' }).click()
  await seen(page, dialog.getByText('Estes são os dados que o programa guarda sobre você:'))
  await seen(page, dialog.getByText(`E-mail: ${email}`))
  await page.screenshot({ path: path.join(ARTIFACTS, 'privacy-my-data.png') })

  const json = JSON.parse(await download(page, dialog.getByRole('button', { name: 'Baixar meus dados (JSON)' })))
  assert.equal(json.profile.email, email)
  assert.equal(json.profile.balance, member.balance)
  assert.ok(json.ledger.length > 0 && json.ledger.every((e: { reason: string }) => e.reason.length > 0))
  const csv = await download(page, dialog.getByRole('button', { name: 'Baixar meus dados (planilha CSV)' }))
  assert.match(csv.replace(/^\uFEFF/, ''), /^seção,data,descrição,valor,detalhe\r\n/)
  assert.ok(csv.includes(email))

  await dialog.getByRole('button', { name: 'Excluir meus dados' }).click()
  await seen(page, dialog.getByText(/A exclusão apaga seu e-mail, nome, CPF/))
  const before = smtp.received.length
  await dialog.getByRole('button', { name: 'Enviar código de confirmação' }).click()
  await seen(page, dialog.getByText('Enviamos um código de 6 dígitos para o seu e-mail.', { exact: false }))
  await dialog.getByLabel('Código').fill(await waitForCode(smtp, email, before))
  await dialog.getByRole('button', { name: 'Excluir definitivamente' }).click()
  await seen(page, dialog.getByText('Pronto: seus dados foram excluídos do programa.'))
  await page.screenshot({ path: path.join(ARTIFACTS, 'privacy-erased.png') })

  const after = await runtime.deps.db
    .selectFrom('members')
    .selectAll()
    .where('id', '=', member.id)
    .executeTakeFirstOrThrow()
  assert.ok(after.erased_at)
  assert.notEqual(after.email, email)
  assert.equal(after.balance, member.balance)
  // Back on the welcome screen, logged out.
  await dialog.getByRole('button', { name: 'Voltar' }).click()
  await seen(page, dialog.getByRole('button', { name: 'Já participo' }))
  assert.deepEqual(errors, [])
  await page.close()
})
