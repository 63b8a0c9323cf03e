import assert from 'node:assert/strict'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { serve, type ServerType } from '@hono/node-server'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import {
  createLiSimulator,
  findStatusByCodigo,
  type LiSimulator,
  type SeededStore,
} from '../server/li-simulator/index.ts'
import { createMerchant } from '../server/merchants/service.ts'
import { redeem } from '../server/redemptions/service.ts'
import { startFeedServer, type FeedServer } from '../server/rewards/test-support.ts'
import { startRuntime, type Runtime } from '../server/runtime.ts'
import { testDatabase } from '../server/test/database.ts'
import { eventually } from '../server/test/eventually.ts'
import { testConfig } from '../server/test/harness.ts'
import { launchBrowser, watchErrors } from './browser.ts'

/**
 * The merchant panel, end to end, against the Loja Integrada simulator: login, first run creates
 * the program, the integration form (keyboard only; a wrong key is refused at its field; the right
 * key brings the store's statuses), sales registration, activation through the e-mail warning,
 * "Sincronizar agora" until members and points appear, a manual adjustment, program colours with
 * the live launcher, points rules and a campaign, the e-mail switches, a reward, the install page with its preview of the real widget, a phone
 * and a 1024 px laptop, and the return to login on a 401. One page walks through it in order.
 */
const ARTIFACTS = path.resolve('e2e/artifacts')
const EMAIL = 'dona@panel.test'
const PASSWORD = 'senha longa do painel'
let runtime: Runtime
let browser: Browser
let context: BrowserContext
let page: Page
let errors: string[]
let sim: LiSimulator
let simServer: ServerType
let seeded: SeededStore
let feed: FeedServer
let feedUrl: string

// The API's designed answers on this journey, which Chromium logs as console errors.
const EXPECTED = [
  { status: 400, url: /\/v1\/auth\/login$/ }, // empty fields
  { status: 401, url: /\/v1\/auth\/login$/ }, // wrong password
  { status: 409, url: /\/adjustments$/ }, // a removal beyond the balance
  { status: 404, url: /\/integrations\/loja-integrada$/ }, // no integration saved yet
  { status: 422, url: /\/integrations\/loja-integrada$/ }, // the wrong key
  { status: 409, url: /\/erp-sales$/ }, // ERP sales refused while sales registration is on
  { status: 400, url: /\/v1\/programs\/[^/]+$/ }, // an earn rate that is not a number
  { status: 400, url: /\/points-rules$/ }, // a pending period over 90 days
  { status: 400, url: /\/campaigns$/ }, // a campaign that ends before it starts
  { status: 400, url: /\/email-settings$/ }, // an e-mail kind the API does not know
  { status: 401, url: /\/v1\/programs$/ }, // the expired session
]

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `panel-${name}.png`), fullPage: true })
const main = () => page.locator('main')
/** Form controls on the page that no label names (every one must have one). */
const unlabeled = () =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement>('input, select, textarea')]
      .filter(
        (el) =>
          el.type !== 'hidden' &&
          !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')),
      )
      .map((el) => el.outerHTML),
  )
const menu = (name: string) =>
  page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name, exact: true })
/** Waits until `check` holds (a database row the last click should have written). */
async function until(what: string, check: () => Promise<boolean>) {
  for (let i = 0; !(await check()); i++) {
    assert.ok(i < 100, what)
    await new Promise((r) => setTimeout(r, 100))
  }
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  sim = createLiSimulator({ rateLimit: false })
  seeded = sim.seed({ seed: 7, customers: 10, orders: 40, storeId: 'loja-painel' })
  simServer = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const simUrl = `http://127.0.0.1:${(simServer.address() as AddressInfo).port}`
  feed = await startFeedServer()
  feedUrl = feed.serve('/google-shopping.xml', fs.readFileSync('server/rewards/feed/fixtures/reference-rss.xml'))
  const database = await testDatabase()
  runtime = await startRuntime(
    testConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LI_API_URL: simUrl,
      LI_APP_KEY: sim.applicationKey,
      LI_REQUESTS_PER_MINUTE: '100000',
    }),
    { database },
  )
  await createMerchant(runtime.deps.db, { email: EMAIL, password: PASSWORD })
  browser = await launchBrowser()
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: runtime.url! })
  page = await context.newPage()
  errors = watchErrors(page, EXPECTED)
})

after(async () => {
  await browser?.close()
  await runtime?.stop()
  simServer?.close()
  sim?.close()
  await feed?.close()
})

test('login (empty fields and a wrong password are refused), then the first run creates the program', async () => {
  await page.goto(`${runtime.url}/panel`)
  // Both fields empty: the API refuses both, and each says what to fill, at once.
  await page.getByRole('button', { name: 'Entrar' }).click()
  const summary = page.getByRole('alert')
  await summary.getByText('Confira os campos destacados:').waitFor()
  assert.equal(await summary.getByText('Não foi possível salvar').count(), 0, 'a login saves nothing')
  await page.locator('[data-field-error=email]').getByText('Informe um e-mail válido.').waitFor()
  await page.locator('[data-field-error=password]').getByText('Informe a senha.').waitFor()
  assert.equal(await page.getByLabel('E-mail').getAttribute('aria-invalid'), 'true')
  assert.equal(await page.getByLabel('Senha').getAttribute('aria-invalid'), 'true')
  await shot('login-empty')
  await page.getByLabel('E-mail').fill(EMAIL)
  await page.getByLabel('Senha').fill('errada')
  await page.getByRole('button', { name: 'Entrar' }).click()
  await page.getByRole('alert').getByText('E-mail ou senha incorretos.').waitFor()
  await page.getByLabel('Senha').fill(PASSWORD)
  await page.getByRole('button', { name: 'Entrar' }).click()

  await page.getByRole('heading', { name: 'Crie seu programa de fidelidade' }).waitFor()
  await page.getByLabel('Nome do programa').fill('Clube Bella')
  await page.getByRole('button', { name: 'Criar programa' }).click()
  await page.getByRole('heading', { name: 'Início' }).waitFor()
  await main().getByText('Passos da configuração').waitFor()
  const programs = await runtime.deps.db.selectFrom('programs').select('name').execute()
  assert.deepEqual(
    programs.map((p) => p.name),
    ['Clube Bella'],
  )
  await shot('home')
  assert.deepEqual(errors, [])
})

test('integration form by keyboard: the seed tip, a wrong key refused at its field, the right key brings the statuses', async () => {
  await menu('Integração › Loja Integrada').click()
  await page.getByRole('heading', { name: 'Loja Integrada', level: 1 }).waitFor()
  assert.match((await page.locator('.crumbs').textContent()) ?? '', /Mais.*Configurações.*Integração.*Loja Integrada/)
  // Before a key is saved, the statuses are replaced by the seed's tip.
  await page.locator('[data-statuses-tip]').getByText('salve a integração com a chave de API').waitFor()
  assert.equal(await page.locator('[data-statuses] input[type=checkbox]').count(), 0)
  // Every field has its help text.
  for (const help of [
    'Cadastrar nova chave',
    'use o nome do programa ("Clube Bella")',
    'Usado nos e-mails',
    'ele será redirecionado para este link',
    'feed XML do Google Shopping da sua loja',
    'Padrão: 365 dias',
    'todos os produtos do XML',
  ]) {
    await main().getByText(help, { exact: false }).first().waitFor()
  }
  assert.equal(await page.getByLabel('Validade dos cupons (dias)').inputValue(), '365')

  // Keyboard only: the checked radio, then each field in order, each with a visible focus ring.
  await page.locator('#credentialKind').focus()
  const order: string[] = []
  for (let i = 0; i < 7; i++) {
    await page.keyboard.press('Tab')
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement
      const style = getComputedStyle(el)
      return { id: el.id || el.textContent || el.tagName, outline: style.outlineStyle, width: style.outlineWidth }
    })
    assert.notEqual(info.outline, 'none', `focus ring on ${info.id}`)
    order.push(info.id)
  }
  assert.deepEqual(order, [
    'apiKey',
    'siteUrl',
    'signupUrl',
    'feedUrl',
    'couponValidityDays',
    'rewardAllowlist',
    'Salvar integração',
  ])

  // Fill it from the keyboard: Shift+Tab back to the key field, type, Tab on.
  for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+Tab')
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'apiKey')
  await page.keyboard.type('chave-errada-0000000000')
  await page.keyboard.press('Tab')
  await page.keyboard.type('https://www.lojabella.com.br')
  await page.keyboard.press('Tab')
  await page.keyboard.type('https://www.lojabella.com.br/conta/criar')
  await page.keyboard.press('Tab')
  await page.keyboard.type(feedUrl)
  await page.keyboard.press('Enter') // submits the form

  const keyError = page.locator('[data-field-error=apiKey]')
  await keyError.waitFor()
  assert.match((await keyError.textContent()) ?? '', /A Loja Integrada recusou esta chave/)
  assert.equal(await page.locator('#apiKey').getAttribute('aria-invalid'), 'true')
  assert.match((await page.locator('#apiKey').getAttribute('aria-describedby')) ?? '', /apiKey-error/)
  await page.getByRole('alert').getByRole('link', { name: 'Chave de API (AppKey)' }).waitFor()
  await shot('integration-wrong-key')

  await page.locator('#apiKey').fill(seeded.apiKey)
  await page.getByRole('button', { name: 'Salvar integração' }).click()
  await main().getByText('As situações de pedido da sua loja foram lidas').waitFor()
  const delivered = findStatusByCodigo('pedido_entregue')!
  const box = page.locator('[data-statuses]').getByLabel(delivered.nome, { exact: false })
  await box.waitFor()
  assert.ok((await page.locator('[data-statuses] input[type=checkbox]').count()) > 5, 'the store status list')
  // The recommended statuses come pre-ticked for the merchant to confirm.
  assert.equal(await box.isChecked(), true)
  assert.equal(await page.locator('[data-field-error]').count(), 0)
  await page.getByRole('button', { name: 'Salvar integração' }).click()
  await main().getByText('Alterações salvas.').waitFor()
  const row = await runtime.deps.db
    .selectFrom('integrations')
    .select(['awarding_status_ids', 'site_url', 'signup_url', 'feed_url', 'coupon_validity_days'])
    .executeTakeFirstOrThrow()
  assert.equal(row.feed_url, feedUrl)
  assert.ok(row.awarding_status_ids.includes(delivered.id))
  assert.equal(row.site_url, 'https://www.lojabella.com.br')
  assert.equal(row.signup_url, 'https://www.lojabella.com.br/conta/criar')
  assert.equal(row.coupon_validity_days, 365)
  await shot('integration-statuses')
  assert.deepEqual(await unlabeled(), [])
  assert.deepEqual(errors, [])
})

test('sales registration on, activation through the e-mail warning, sync now → members and points', async () => {
  await page.getByRole('switch', { name: /Pedidos da Loja Integrada geram pontos/ }).check()
  await main().getByText('Cadastro de vendas ligado').waitFor()
  // The ERP toggle is refused while sales registration is on, with the reason.
  await page.getByRole('switch', { name: /Vendas enviadas por um ERP/ }).click()
  await main().getByText('o cadastro de vendas da Loja Integrada está ligado').waitFor()
  assert.equal(await page.getByRole('switch', { name: /Vendas enviadas por um ERP/ }).isChecked(), false)

  await page.getByRole('button', { name: 'Ativar integração' }).click()
  const dialog = page.getByRole('dialog', { name: 'Ativar a integração?' })
  await dialog.waitFor()
  await dialog.getByText('passam a receber e-mails do programa').waitFor()
  await dialog.getByText('Ative somente depois que o programa estiver todo configurado').waitFor()
  await shot('activation-warning')
  // Esc cancels: nothing is activated.
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  assert.equal(
    (await runtime.deps.db.selectFrom('integrations').select('active').executeTakeFirstOrThrow()).active,
    false,
  )
  await page.getByRole('button', { name: 'Ativar integração' }).click()
  await dialog.getByRole('button', { name: 'Sim, ativar e enviar e-mails' }).click()
  await page.locator('[data-activation-state=active]').waitFor()

  await page.getByRole('button', { name: 'Sincronizar agora' }).click()
  // The run queued by the activation and this one may merge or follow each other, and the second
  // then reads nothing new: so wait for what the program holds — every order of the store — not
  // for what the last run read.
  const orders = page.locator('[data-sync] tr[data-resource=orders]')
  const total = seeded.store.orders.length.toLocaleString('pt-BR')
  await orders
    .locator('[data-total]')
    .getByText(`${total} pedidos`, { exact: true })
    .waitFor({ timeout: 120_000 })
    .catch(async (err) => {
      // What the jobs and the sync state were, to tell a slow machine from a stuck sync.
      const jobs = await runtime.deps.database.pool.query(
        "select name, state, retry_count, output from pgboss.job where name not like '__%' order by created_on",
      )
      const state = await runtime.deps.db.selectFrom('sync_state').selectAll().execute()
      throw new Error(
        `${err.message}\npanel: ${await page.locator('[data-sync]').textContent()}\njobs: ${JSON.stringify(jobs.rows)}\nsync_state: ${JSON.stringify(state)}`,
      )
    })
  // Beside the totals: the last run's time, every customer, and the points since the activation.
  await orders.getByText(/\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}/).waitFor()
  const customers = page.locator('[data-sync] tr[data-resource=customers] [data-total]')
  await customers.getByText(`${seeded.store.customers.length} clientes`, { exact: true }).waitFor()
  await page.locator('[data-sync]').getByText('Sincronização pedida').waitFor({ state: 'detached', timeout: 120_000 })
  // One program in this database: every earn entry is its.
  const awarded = Number(
    (
      await runtime.deps.db
        .selectFrom('ledger_entries')
        .select((eb) => eb.fn.sum<string>('amount').as('n'))
        .where('kind', '=', 'earn')
        .executeTakeFirstOrThrow()
    ).n,
  )
  assert.ok(awarded > 0)
  await page
    .locator('[data-points-awarded]')
    .getByText(`as compras geraram ${awarded.toLocaleString('pt-BR')} pontos.`, { exact: false })
    .waitFor()
  await shot('sync-health')

  await menu('Participantes').click()
  await page.getByRole('heading', { name: 'Participantes' }).waitFor()
  const members = await runtime.deps.db
    .selectFrom('members')
    .select(['email', 'balance'])
    .orderBy('balance', 'desc')
    .execute()
  assert.ok(members.length > 0 && members[0]!.balance > 0, 'the sync enrolled members and awarded points')
  await page.locator('[data-table=members] tbody tr').first().waitFor()
  assert.equal(await page.locator('[data-table=members] tbody tr').count(), Math.min(members.length, 25))

  // Search by e-mail finds the member with the most points, with that balance.
  const top = members[0]!
  await page.getByLabel('Buscar por e-mail ou nome').fill(top.email.split('@')[0]!)
  await page.keyboard.press('Enter')
  const found = page.locator('[data-table=members] tbody tr', { hasText: top.email })
  await found.waitFor()
  assert.equal((await found.locator('[data-balance]').textContent())?.replace(/\D/g, ''), String(top.balance))
  await shot('members')

  // On a phone the balance is still on screen beside the name, and a hint says more columns
  // are to the side (they were hidden off-screen with nothing telling so).
  await page.setViewportSize({ width: 360, height: 740 })
  const balanceCell = found.locator('[data-balance]')
  await balanceCell.waitFor()
  const box = await balanceCell.boundingBox()
  assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `balance on screen at 360 px: ${JSON.stringify(box)}`)
  const hint = page.locator('[data-table-hint=members]')
  await hint.waitFor()
  assert.match((await hint.textContent()) ?? '', /deslize para o lado/)
  await page.setViewportSize({ width: 1280, height: 900 })
  await eventually('no hint once the table fits', async () => (await hint.count()) === 0)
  assert.deepEqual(errors, [])
})

test('member page: history, an adjustment needs a reason, then changes the balance', async () => {
  await page.locator('[data-table=members] tbody tr').first().getByRole('link').click()
  await page.getByRole('heading', { name: 'Histórico de pontos' }).waitFor()
  await page.locator('[data-table=history] tbody tr').first().waitFor()
  const before = Number(((await page.locator('[data-member-balance]').textContent()) ?? '').replace(/\D/g, ''))

  // A purchase's line is dated by the order, not by the import that wrote it.
  const purchase = page.locator('[data-table=history] tbody tr', { hasText: /Pontos da compra nº \d+/ }).first()
  const numero = Number(/nº (\d+)/.exec((await purchase.textContent()) ?? '')?.[1])
  const order = seeded.store.getOrder(numero)!
  const placed = new Intl.DateTimeFormat('pt-BR', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'America/Sao_Paulo',
  }).format(new Date(order.createdUs / 1000))
  await purchase.locator('[data-occurred-at]').getByText(placed, { exact: false }).waitFor()
  if (Date.now() - order.createdUs / 1000 > 2 * 86_400_000)
    await purchase
      .locator('[data-occurred-at]')
      .getByText(/\(lançado em \d{2}\/\d{2}\/\d{4}\)/)
      .waitFor()

  // A removal beyond the balance, typed with a thousands separator: refused at the amount, with the balance.
  await page.getByLabel('Pontos', { exact: true }).fill('-1.000.000')
  await page.getByLabel('Motivo').fill('Correção')
  await page.getByRole('button', { name: 'Lançar ajuste' }).click()
  await page
    .locator('[data-field-error=amount]')
    .getByText(
      `Saldo insuficiente: o participante tem ${before.toLocaleString('pt-BR')} pontos, e o saldo não pode ficar negativo.`,
    )
    .waitFor()
  assert.equal(await page.getByLabel('Pontos', { exact: true }).getAttribute('aria-invalid'), 'true')
  assert.ok(await page.locator('[data-field-error=amount]').isVisible())
  await shot('member-insufficient')

  // "1.000" is a thousand points; the reason is still required.
  await page.getByLabel('Pontos', { exact: true }).fill('1.000')
  await page.getByLabel('Motivo').fill('')
  await page.getByRole('button', { name: 'Lançar ajuste' }).click()
  await page.locator('[data-field-error=reason]').waitFor()
  assert.equal(await page.locator('[data-field-error=amount]').count(), 0)
  await page.getByLabel('Motivo').fill('Bônus de boas-vindas')
  await page.getByRole('button', { name: 'Lançar ajuste' }).click()
  await main().getByText('Ajuste lançado').waitFor()
  assert.equal(
    Number(((await page.locator('[data-member-balance]').textContent()) ?? '').replace(/\D/g, '')),
    before + 1000,
  )
  await page.locator('[data-table=history] tbody tr').first().getByText('Bônus de boas-vindas').waitFor()
  await page
    .locator('[data-redemptions]')
    .getByText(/Nenhum resgate ainda|Data/)
    .first()
    .waitFor()
  await shot('member')
  assert.deepEqual(await unlabeled(), [])
  assert.deepEqual(errors, [])
})

test('program settings: the launcher preview follows the form live; saving keeps it', async () => {
  await menu('Programa').click()
  await page.getByRole('heading', { name: 'Programa', level: 1 }).waitFor()
  await page.getByLabel('Nome do programa', { exact: true }).fill('Clube Bella VIP')
  await page.locator('#primaryColor').evaluate((el: HTMLInputElement) => {
    el.value = '#0f5f57'
    el.dispatchEvent(new Event('input', { bubbles: true }))
  })
  const preview = page.locator('[data-launcher-preview]')
  assert.equal(await preview.textContent(), 'Clube Bella VIP')
  assert.equal(await preview.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(15, 95, 87)')
  await page.getByLabel('Pontos por R$ 1,00').fill('1,5')
  // The launcher's corner and offsets: the preview moves with them.
  await page.getByRole('radio', { name: 'Canto inferior esquerdo' }).check()
  await page.getByLabel('Distância da lateral (px)').fill('32')
  await page.getByLabel('Distância da parte de baixo (px)').fill('90')
  assert.deepEqual(await preview.evaluate((el) => [getComputedStyle(el).left, getComputedStyle(el).bottom]), [
    '32px',
    '90px',
  ])
  await page.getByRole('button', { name: 'Salvar programa' }).click()
  await main().getByText('Alterações salvas.').waitFor()
  const program = await runtime.deps.db
    .selectFrom('programs')
    .select(['name', 'primary_color', 'earn_rate', 'launcher_corner', 'launcher_offset_x', 'launcher_offset_y'])
    .executeTakeFirstOrThrow()
  assert.equal(program.name, 'Clube Bella VIP')
  assert.equal(program.primary_color, '#0f5f57')
  assert.equal(Number(program.earn_rate), 1.5)
  assert.deepEqual(
    [program.launcher_corner, program.launcher_offset_x, program.launcher_offset_y],
    ['bottom-left', 32, 90],
  )
  // An offset past 200 px is refused at its field.
  await page.getByLabel('Distância da lateral (px)').fill('300')
  await page.getByRole('button', { name: 'Salvar programa' }).click()
  await page.locator('[data-field-error=launcherOffsetX]').getByText('Use um número inteiro de 0 a 200.').waitFor()
  await page.getByLabel('Distância da lateral (px)').fill('32')
  // A bad value is refused at its field.
  await page.getByLabel('Pontos por R$ 1,00').fill('muito')
  await page.getByRole('button', { name: 'Salvar programa' }).click()
  await page.locator('[data-field-error=earnRate]').waitFor()
  await shot('program')
  assert.deepEqual(await unlabeled(), [])
  await page.getByLabel('Pontos por R$ 1,00').fill('1,5')
  assert.deepEqual(errors, [])
})

test('points rules and a campaign: saved to the database; refused values shown at their fields', async () => {
  await menu('Pontos e campanhas').click()
  await page.getByRole('heading', { name: 'Pontos: regras e campanhas', level: 1 }).waitFor()
  assert.match((await page.locator('.crumbs').textContent()) ?? '', /Mais.*Configurações.*Pontos: regras e campanhas/)
  // What the pending period protects against; an expiry change reaches points already held.
  await main().getByText('cancela ou devolve o pedido').waitFor()
  await main().getByText('vale também para os pontos que os participantes já têm').waitFor()
  const rules = page.locator('[data-points-rules]')
  assert.equal(await rules.getByLabel('Os pontos não vencem').isChecked(), true)
  await rules.getByLabel('Os pontos vencem depois de um número de meses').check()
  await page.getByLabel('Meses até os pontos vencerem').fill('12')
  await page.getByLabel('Bônus de cadastro (pontos)').fill('20')
  await page.getByLabel('Carência dos pontos de uma compra (dias)').fill('7')
  await page.getByRole('button', { name: 'Salvar regras' }).click()
  await rules.getByText('Alterações salvas.').waitFor()
  const saved = () =>
    runtime.deps.db
      .selectFrom('points_rules')
      .select(['expiry_months', 'signup_bonus', 'birthday_bonus', 'pending_days'])
      .executeTakeFirstOrThrow()
  assert.deepEqual(await saved(), { expiry_months: 12, signup_bonus: 20, birthday_bonus: 0, pending_days: 7 })
  await page.getByLabel('Carência dos pontos de uma compra (dias)').fill('120')
  await page.getByRole('button', { name: 'Salvar regras' }).click()
  await page.locator('[data-field-error=pendingDays]').getByText('de 0 a 90 dias').waitFor()
  assert.equal(await page.locator('#pendingDays').getAttribute('aria-invalid'), 'true')
  assert.equal((await saved()).pending_days, 7)

  // A campaign that ends before it starts is refused at its end date; then created.
  const campaigns = page.locator('[data-campaigns]')
  await campaigns.getByText('Nenhuma campanha ainda.').waitFor()
  await page.getByLabel('Nome da campanha').fill('Black Friday')
  await page.getByLabel('Multiplicador de pontos').fill('2')
  await page.getByLabel('Primeiro dia').fill('2026-11-27')
  await page.getByLabel('Último dia').fill('2026-11-20')
  await page.getByRole('button', { name: 'Criar campanha' }).click()
  await page.locator('[data-field-error=endsOn]').getByText('o mesmo dia do início ou depois').waitFor()
  await page.getByLabel('Último dia').fill('2026-11-30')
  await page.getByRole('button', { name: 'Criar campanha' }).click()
  const row = page.locator('[data-table=campaigns] tbody tr', { hasText: 'Black Friday' })
  await row.getByText('27/11/2026').waitFor()
  assert.match((await row.textContent()) ?? '', /× 2.*27\/11\/2026.*30\/11\/2026/)
  const campaign = await runtime.deps.db
    .selectFrom('campaigns')
    .select(['name', 'multiplier_pct', 'starts_on', 'ends_on'])
    .executeTakeFirstOrThrow()
  assert.deepEqual(campaign, {
    name: 'Black Friday',
    multiplier_pct: 200,
    starts_on: '2026-11-27',
    ends_on: '2026-11-30',
  })
  await shot('points')
  assert.deepEqual(await unlabeled(), [])
  // Deleted after a confirmation.
  await row.getByRole('button', { name: 'Excluir: Black Friday' }).click()
  await page
    .getByRole('dialog', { name: 'Excluir a campanha?' })
    .getByRole('button', { name: 'Excluir campanha' })
    .click()
  await campaigns.getByText('Campanha "Black Friday" excluída.').waitFor()
  assert.equal((await runtime.deps.db.selectFrom('campaigns').select('id').execute()).length, 0)
  assert.deepEqual(errors, [])
})

test('e-mails: nothing before activation, said; the kill switch and a kind saved; a refused value at its field', async () => {
  await menu('E-mails').click()
  await page.getByRole('heading', { name: 'E-mails', level: 1 }).waitFor()
  await main().getByText('Nada é enviado antes de você ativar a integração com a Loja Integrada').waitFor()
  const form = page.locator('[data-email-settings]')
  const digest = form.getByLabel(/Pontos ganhos/)
  const killSwitch = page.getByRole('switch', { name: /Enviar e-mails do programa/ })
  assert.equal(await digest.isChecked(), true)
  await digest.uncheck()
  await killSwitch.uncheck()
  await form.getByText('valem quando você ligar de novo').waitFor()
  await page.getByRole('button', { name: 'Salvar e-mails' }).click()
  await form.getByText('Alterações salvas.').waitFor()
  const settings = () =>
    runtime.deps.db.selectFrom('lifecycle_email_settings').select(['enabled', 'disabled_kinds']).executeTakeFirst()
  assert.deepEqual(await settings(), { enabled: false, disabled_kinds: ['points_earned'] })
  await shot('emails')
  assert.deepEqual(await unlabeled(), [])
  // Back on, for the rest of the journey.
  await killSwitch.check()
  await page.getByRole('button', { name: 'Salvar e-mails' }).click()
  await until('the kill switch saved on', async () => (await settings())?.enabled === true)
  // The form can only send the kinds it lists; a value the API refuses (as an outdated page could
  // send) still lands at its field.
  await page.route('**/email-settings', (r) =>
    r.request().method() === 'PUT'
      ? r.continue({ postData: JSON.stringify({ enabled: true, disabledKinds: ['newsletter'] }) })
      : r.continue(),
  )
  await page.getByRole('button', { name: 'Salvar e-mails' }).click()
  await page.locator('[data-field-error=disabledKinds]').getByText('Escolha somente e-mails da lista.').waitFor()
  await page.unroute('**/email-settings')
  assert.deepEqual(await settings(), { enabled: true, disabled_kinds: ['points_earned'] })
  assert.deepEqual(errors, [])
})

test('rewards: create a coupon; a redemption shows on the member page with its coupon code; deactivate', async () => {
  await menu('Prêmios').click()
  await page.getByRole('link', { name: 'Novo prêmio' }).click()
  await page.getByRole('heading', { name: 'Novo prêmio' }).waitFor()
  assert.deepEqual(await unlabeled(), [])
  await page.getByLabel('Nome do prêmio').fill('R$ 10 de desconto')
  await page.getByLabel('Custo em pontos').fill('100')
  await page.getByLabel('Valor do desconto (R$)').fill('10,00')
  await page.getByRole('button', { name: 'Criar prêmio' }).click()
  await main().getByText('Prêmio criado.').waitFor()
  await menu('Prêmios').click()
  const row = page.locator('[data-table=rewards-manual] tbody tr', { hasText: 'R$ 10 de desconto' })
  await row.getByText('Disponível').waitFor()
  const reward = await runtime.deps.db
    .selectFrom('rewards')
    .select(['id', 'program_id', 'value_cents', 'points_cost'])
    .executeTakeFirstOrThrow()
  assert.deepEqual([Number(reward.value_cents), reward.points_cost], [1000, 100])

  // A shopper redeems it (through the service the widget calls); the coupon job creates it in the simulator.
  const member = await runtime.deps.db
    .selectFrom('members')
    .select(['id', 'email'])
    .orderBy('balance', 'desc')
    .executeTakeFirstOrThrow()
  await redeem(runtime.deps, reward.program_id, member.id, {
    rewardId: reward.id,
    idempotencyKey: 'e2e-panel-redeem-1',
  })
  await page.goto(`${runtime.url}/panel/participantes/${member.id}`)
  const redemption = page.locator('[data-redemptions] tbody tr', { hasText: 'R$ 10 de desconto' })
  await redemption.waitFor()
  for (let i = 0; !(await redemption.getByText('Cupom emitido').isVisible()); i++) {
    assert.ok(i < 120, 'the coupon was issued')
    await new Promise((r) => setTimeout(r, 500))
    await page.reload()
    await redemption.waitFor()
  }
  const code = (await redemption.locator('code').textContent()) ?? ''
  assert.ok(
    code.length > 4 && seeded.store.findCouponByCodigo(code) !== undefined,
    `coupon ${code} exists in the store`,
  )
  await shot('member-redemption')

  await menu('Prêmios').click()
  await row.getByRole('button', { name: /Desativar/ }).click()
  await row.getByText('Desativado').waitFor()
  assert.equal(
    (await runtime.deps.db.selectFrom('rewards').select('active').where('id', '=', reward.id).executeTakeFirstOrThrow())
      .active,
    false,
  )
  assert.deepEqual(errors, [])
})

test('feed products: import now, the report, a points override and back to the suggestion', async () => {
  await page.getByRole('link', { name: 'Produtos do feed' }).click()
  const report = page.locator('[data-feed-import]')
  await report.getByText('Nenhuma importação ainda.').waitFor()
  await report.getByRole('button', { name: 'Importar agora' }).click()
  await report.getByText(/Última importação:.*concluída/).waitFor({ timeout: 120_000 })
  await report.getByText(/itens lidos/).waitFor()
  const first = page.locator('[data-table=rewards-feed] tbody tr').first()
  await first.waitFor()
  const title = (await first.getByRole('link').first().textContent())!
  const cost = first.getByRole('textbox', { name: `Custo em pontos de ${title}` })
  await cost.fill('1234')
  await first.getByRole('button', { name: 'Salvar custo' }).click()
  await first.getByText('custo definido por você').waitFor()
  const saved = await runtime.deps.db
    .selectFrom('rewards')
    .select(['points_cost', 'points_cost_override'])
    .where('title', '=', title)
    .executeTakeFirstOrThrow()
  assert.deepEqual(saved, { points_cost: 1234, points_cost_override: true })
  await shot('rewards-feed')
  assert.deepEqual(await unlabeled(), [])
  await first.getByRole('button', { name: 'Voltar ao sugerido' }).click()
  await first.getByText('custo definido por você').waitFor({ state: 'detached' })
  assert.equal(
    (
      await runtime.deps.db
        .selectFrom('rewards')
        .select('points_cost_override')
        .where('title', '=', title)
        .executeTakeFirstOrThrow()
    ).points_cost_override,
    false,
  )
  assert.deepEqual(errors, [])
})

test('install: the snippet copies, and the preview shows the real widget', async () => {
  await menu('Instalação').click()
  const program = await runtime.deps.db.selectFrom('programs').select('program_key').executeTakeFirstOrThrow()
  const snippet = await page.getByRole('textbox', { name: 'Código para colar na loja' }).inputValue()
  assert.equal(snippet, `<script async src="${runtime.url}/widget.js" data-program="${program.program_key}"></script>`)
  await page.getByRole('button', { name: 'Copiar código' }).click()
  await main().getByText('Código copiado!').waitFor()
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet)
  // The launcher is fixed to the frame's bottom corner: bring the whole frame into view first.
  await page.locator('iframe.preview').scrollIntoViewIfNeeded()
  const frame = page.frameLocator('iframe.preview')
  const launcher = frame.locator('[data-fidelis]').locator('button[aria-haspopup="dialog"]')
  await launcher.waitFor()
  // The widget config is cached for a few seconds per process, so the new name may not show yet.
  assert.match((await launcher.textContent()) ?? '', /Clube Bella/)
  await launcher.click()
  await frame.getByRole('dialog').getByRole('button', { name: 'Já participo' }).waitFor()
  await shot('install')
  await page.getByRole('button', { name: 'Celular' }).click()
  assert.equal(await page.getByRole('button', { name: 'Celular' }).getAttribute('aria-pressed'), 'true')
  assert.deepEqual(errors, [])
})

test('1024 px laptop and a phone for the read-only pages: nothing overflows sideways', async () => {
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  await page.setViewportSize({ width: 1024, height: 768 })
  await menu('Integração › Loja Integrada').click()
  await page.locator('[data-sync]').waitFor()
  assert.ok((await overflow()) <= 0, 'integration page fits 1024 px')
  await shot('integration-1024')

  await page.setViewportSize({ width: 390, height: 844 })
  for (const [name, ready] of [
    // Set-up is complete by now: Início opens on the dashboard.
    ['Início', 'Compradores que são participantes'],
    ['Participantes', 'Buscar por e-mail ou nome'],
  ] as const) {
    await menu(name).click()
    await main().getByText(ready).first().waitFor()
    assert.ok((await overflow()) <= 0, `${name} fits a phone`)
  }
  await page.locator('[data-table=members] tbody tr').first().getByRole('link').click()
  await page.getByRole('heading', { name: 'Histórico de pontos' }).waitFor()
  assert.ok((await overflow()) <= 0, 'member page fits a phone')
  await shot('member-phone')
  await page.setViewportSize({ width: 1280, height: 900 })
  assert.deepEqual(errors, [])
})

test('a key Loja Integrada stops accepting: sync health says so and what to do', async () => {
  sim.faults.inject({ kind: 'revoke_key', store: seeded.store.id, credential: seeded.apiKey })
  await menu('Integração › Loja Integrada').click()
  const sync = page.locator('[data-sync]')
  await sync.getByRole('button', { name: 'Sincronizar agora' }).click()
  await sync.getByText('A Loja Integrada recusou a chave de API salva').waitFor({ timeout: 120_000 })
  await sync.getByText('Configurações > Chave para API > Cadastrar nova chave').waitFor()
  assert.equal(await sync.getByRole('button', { name: 'Sincronizar agora' }).count(), 0)
  await shot('sync-key-rejected')
  await menu('Início').click()
  await main().locator('.steps li', { hasText: 'Conectar a Loja Integrada' }).getByText('Pendente').waitFor()
  assert.deepEqual(errors, [])
})

test('a session the server no longer accepts returns to the login screen; logout forgets the session', async () => {
  await page.evaluate(() =>
    sessionStorage.setItem(
      'fidelis:panel:session',
      JSON.stringify({ token: 'revogado', expiresAt: new Date(Date.now() + 3600_000).toISOString() }),
    ),
  )
  await page.goto(`${runtime.url}/panel/participantes`)
  await page.getByRole('heading', { name: 'Entrar no Fidelis' }).waitFor()
  await page.getByText('Sua sessão terminou').waitFor()
  await page.getByLabel('E-mail').fill(EMAIL)
  await page.getByLabel('Senha').fill(PASSWORD)
  await page.getByRole('button', { name: 'Entrar' }).click()
  await page.getByRole('heading', { name: 'Participantes' }).waitFor()
  // Logout forgets the session: a reload stays on the login screen.
  await page.getByRole('button', { name: 'Sair' }).click()
  await page.getByRole('heading', { name: 'Entrar no Fidelis' }).waitFor()
  assert.equal(await page.evaluate(() => sessionStorage.getItem('fidelis:panel:session')), null)
  await page.reload()
  await page.getByRole('heading', { name: 'Entrar no Fidelis' }).waitFor()
  assert.deepEqual(errors, [])
})
