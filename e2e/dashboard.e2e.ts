import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { seedVolume } from '../server/dashboard/test-support/volume.ts'
import { createMerchant } from '../server/merchants/service.ts'
import { startRuntime, type Runtime } from '../server/runtime.ts'
import { testDatabase } from '../server/test/database.ts'
import { testConfig } from '../server/test/harness.ts'
import { launchBrowser, watchErrors } from './browser.ts'

/**
 * Resultados as a merchant sees it: the figures of a store with a year of orders, the period
 * picker, the three weekly charts drawn (a canvas on screen, not blank, inside its card and the
 * viewport) on a laptop and on a 360 px phone, each with its table, and a CSV download that a
 * spreadsheet in Brazil opens right (BOM, `;`). The store is written straight into the database
 * (server/dashboard/test-support/volume.ts); no job workers.
 */
const ARTIFACTS = path.resolve('e2e/artifacts')
const EMAIL = 'dona@resultados.test'
const PASSWORD = 'senha longa do painel'
let runtime: Runtime
let browser: Browser
let page: Page
let errors: string[]

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `dashboard-${name}.png`), fullPage: true })
const menu = (name: string) =>
  page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name, exact: true })

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const database = await testDatabase()
  runtime = await startRuntime(testConfig({ PORT: '0', HOST: '127.0.0.1', RUN_JOBS: 'false' }), { database })
  await createMerchant(runtime.deps.db, { email: EMAIL, password: PASSWORD })
  const login = await fetch(`${runtime.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  })
  const { token } = await login.json()
  const created = await fetch(`${runtime.url}/v1/programs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: 'Clube Bella' }),
  })
  const programId = (await created.json()).id
  await seedVolume(runtime.deps.db, programId, { orders: 3000, members: 800, now: new Date() })
  browser = await launchBrowser()
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
  page = await context.newPage()
  errors = watchErrors(page)
})

after(async () => {
  await browser?.close()
  await runtime?.stop()
})

/** Every chart's canvas: on screen, inside its card and the viewport, and with pixels drawn. */
async function charts() {
  return page.locator('[data-chart]').evaluateAll((figures) =>
    figures.map((figure) => {
      const canvas = figure.querySelector('canvas')
      if (!canvas) return { name: figure.getAttribute('data-chart'), drawn: false, inside: false, visible: false }
      const r = canvas.getBoundingClientRect()
      const box = figure.getBoundingClientRect()
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
      let painted = 0
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++
      return {
        name: figure.getAttribute('data-chart'),
        visible: r.width > 100 && r.height > 100,
        inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.right <= window.innerWidth,
        // Axes alone paint a few percent; series paint more. "Not blank" is enough here.
        drawn: painted > canvas.width * canvas.height * 0.01,
      }
    }),
  )
}

test('Resultados: figures of the period, charts drawn, each with a name and a table', async () => {
  await page.goto(`${runtime.url}/panel/resultados`)
  await page.getByLabel('E-mail').fill(EMAIL)
  await page.getByLabel('Senha').fill(PASSWORD)
  await page.getByRole('button', { name: 'Entrar' }).click()
  await page.getByRole('heading', { name: 'Resultados', level: 1 }).waitFor()
  assert.equal(await menu('Resultados').getAttribute('aria-current'), 'page')
  const cards = page.locator('[data-cards]')
  await cards.getByText('Receita de participantes').waitFor()
  // pt-BR money: "R$ 1.234,56".
  assert.match(
    (await cards.locator('li', { hasText: 'Receita de participantes' }).textContent()) ?? '',
    /R\$\s[\d.]+,\d{2}/,
  )
  await page.locator('[data-chart] canvas').first().waitFor()
  assert.equal(await page.locator('[data-chart]').count(), 3)
  for (const c of await charts()) assert.deepEqual(c, { name: c.name, visible: true, inside: true, drawn: true })
  // Accessible names: the figure by its caption, the drawing by its summary.
  await page.getByRole('figure', { name: 'Receita por semana: participantes e não participantes' }).waitFor()
  const name = await page.locator('[data-chart=members] [role=img]').getAttribute('aria-label')
  const weeks = Number(/^Gráfico: Novos participantes por semana, (\d+) semanas/.exec(name ?? '')?.[1])
  // 30 days touch 5 or 6 weeks (Monday to Sunday), whatever today is.
  assert.ok(weeks === 5 || weeks === 6, String(name))
  await page.locator('[data-chart=members] summary').click()
  assert.equal(await page.locator('[data-table=members] tbody tr').count(), weeks)

  await page.getByRole('radio', { name: 'Últimos 365 dias' }).check()
  await page.getByRole('img', { name: /^Gráfico: Novos participantes por semana, 5[34] semanas/ }).waitFor()
  await page.locator('[data-chart] canvas').first().waitFor()
  for (const c of await charts()) assert.deepEqual(c, { name: c.name, visible: true, inside: true, drawn: true })
  await page.locator('[data-table=top-rewards]').getByText('R$ 10 de desconto').waitFor()
  await shot('desktop')
  // The README's picture (docs/screenshots/panel-dashboard.png): the first screen, tables closed.
  await page.locator('[data-chart=members] summary').click()
  await page.setViewportSize({ width: 1280, height: 1500 })
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-readme.png') })
  await page.setViewportSize({ width: 1280, height: 900 })
  assert.deepEqual(errors, [])
})

test('on a 360 px phone nothing overflows and the charts stay whole', async () => {
  await page.setViewportSize({ width: 360, height: 780 })
  await page.waitForFunction(() => {
    const c = document.querySelector('[data-chart] canvas')
    return c && c.getBoundingClientRect().right <= window.innerWidth
  })
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0)
  for (const c of await charts()) assert.deepEqual(c, { name: c.name, visible: true, inside: true, drawn: true })
  await shot('phone')
  await page.setViewportSize({ width: 1280, height: 900 })
  assert.deepEqual(errors, [])
})

test('a CSV download opens right in a spreadsheet: BOM, semicolons, decimal comma', async () => {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Participantes e saldos' }).click(),
  ])
  assert.match(download.suggestedFilename(), /^fidelis-participantes-365-dias-\d{4}-\d{2}-\d{2}\.csv$/)
  const file = await download.path()
  const bytes = fs.readFileSync(file)
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf])
  const lines = bytes.subarray(3).toString('utf8').split('\r\n')
  assert.equal(lines[0], 'ID;Nome;E-mail;Saldo (pontos);Valor do saldo dos participantes (R$);Participante desde')
  assert.equal(lines.length, 802) // header, 800 members, the empty string after the last CRLF
  assert.match(lines[1]!, /^\d+;Cliente 1;cliente1@loja\.test;\d+;\d+,\d{2};\d{2}\/\d{2}\/\d{4}$/)

  const [summary] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Indicadores do período' }).click(),
  ])
  const text = fs.readFileSync(await summary.path()).toString('utf8')
  assert.match(text, /^\ufeffIndicador;Este período/)
  assert.match(text, /\r\nReceita de participantes \(R\$\);\d+,\d{2};\d+,\d{2}\r\n/)
  assert.deepEqual(errors, [])
})
