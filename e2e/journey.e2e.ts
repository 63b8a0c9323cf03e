import assert from 'node:assert/strict'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { serve, type ServerType } from '@hono/node-server'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startStorefront, type Storefront } from '../server/demo/storefront.ts'
import { startTestSmtp, waitForCode, type TestSmtp } from '../server/email/test-support.ts'
import { createLiSimulator, type LiSimulator, type SeededStore } from '../server/li-simulator/index.ts'
import { createMerchant } from '../server/merchants/service.ts'
import { startRuntime, type Runtime } from '../server/runtime.ts'
import { testDatabase } from '../server/test/database.ts'
import { testConfig } from '../server/test/harness.ts'
import { launchBrowser, watchErrors } from './browser.ts'

/**
 * The whole journey through the real UIs, one step after the other (issue 9): the merchant sets
 * up the integration in the panel and syncs; a customer joins on the store page with the code
 * from a real SMTP server, sees points from past orders, redeems a product from the feed and gets
 * the coupon; the store (simulator) holds it; the merchant sees the redemption; an order is
 * cancelled in the store, the next sync reverses its points and the shopper sees why.
 * Screenshots of each step in e2e/artifacts/journey-*.png.
 */
const ARTIFACTS = path.resolve('e2e/artifacts')
const EMAIL = 'dona@journey.test'
const PASSWORD = 'senha longa da jornada'
let runtime: Runtime
let browser: Browser
let sim: LiSimulator
let simServer: ServerType
let simUrl: string
let seeded: SeededStore
let smtp: TestSmtp
let store: Storefront
let panel: Page
let panelContext: BrowserContext
let shopper: Page
let shopperEmail: string
let couponCode: string
let step = 0

// The API's designed answers on this journey, which Chromium logs as console errors.
const EXPECTED = [{ status: 404, url: /\/integrations\/loja-integrada$/ }]
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `journey-${String(++step).padStart(2, '0')}-${name}.png`) })
const menu = (name: string) => panel.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name })
const widget = () => shopper.getByRole('dialog')
const db = () => runtime.deps.db

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  sim = createLiSimulator({ rateLimit: false })
  seeded = sim.seed({
    seed: 2026,
    customers: 30,
    orders: 150,
    simpleProducts: 30,
    variationParents: 2,
    storeId: 'loja-jornada',
    name: 'Loja Jornada',
  })
  simServer = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  simUrl = `http://127.0.0.1:${(simServer.address() as AddressInfo).port}`
  smtp = await startTestSmtp()
  runtime = await startRuntime(
    testConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LI_API_URL: simUrl,
      LI_APP_KEY: sim.applicationKey,
      LI_REQUESTS_PER_MINUTE: '100000',
      SMTP_URL: smtp.url,
      FEED_ALLOW_PRIVATE_HOSTS: 'true',
    }),
    { database: await testDatabase() },
  )
  await createMerchant(db(), { email: EMAIL, password: PASSWORD })
  browser = await launchBrowser()
  panelContext = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  panel = await panelContext.newPage()
})

after(async () => {
  await browser?.close()
  await store?.close()
  await runtime?.stop()
  await smtp?.close()
  simServer?.close()
  sim?.close()
})

test('the merchant logs in, creates the program, pastes the key, picks statuses, activates and syncs', async () => {
  const errors = watchErrors(panel, EXPECTED)
  await panel.goto(`${runtime.url}/panel`)
  await panel.getByLabel('E-mail').fill(EMAIL)
  await panel.getByLabel('Senha').fill(PASSWORD)
  await panel.getByRole('button', { name: 'Entrar' }).click()
  await panel.getByLabel('Nome do programa').fill('Clube Jornada')
  await panel.getByRole('button', { name: 'Criar programa' }).click()
  await panel.getByRole('heading', { name: 'Início' }).waitFor()
  const program = await db().selectFrom('programs').select(['id', 'program_key']).executeTakeFirstOrThrow()

  // The storefront needs the program key; it is a separate origin, like a real store.
  store = await startStorefront({
    port: 0,
    apiUrl: runtime.url!,
    programKey: program.program_key,
    store: seeded.store,
    simUrl,
    mailDir: path.join(runtime.deps.config.dataDir, 'mail'),
    sampleEmails: async () => [],
  })

  await menu('Integração › Loja Integrada').click()
  await panel.locator('#apiKey').fill(seeded.apiKey)
  await panel.locator('#siteUrl').fill(store.url)
  await panel.locator('#signupUrl').fill(`${store.url}/conta/criar`)
  await panel
    .locator('#feedUrl')
    .fill(
      `${simUrl}/__sim/stores/${seeded.store.id}/google-shopping.xml?limit=50&site=${encodeURIComponent(store.url)}`,
    )
  await panel.getByRole('button', { name: 'Salvar integração' }).click()
  await panel.getByText('As situações de pedido da sua loja foram lidas').waitFor()
  // The recommended statuses come ticked; the merchant also counts "Pedido Pago".
  const paid = panel.locator('[data-statuses]').getByLabel('Pedido Pago', { exact: false })
  if (!(await paid.isChecked())) await paid.check()
  await panel.getByRole('button', { name: 'Salvar integração' }).click()
  await panel.getByText('Alterações salvas.').waitFor()
  await shot(panel, 'panel-integration')

  await panel.getByRole('switch', { name: /Pedidos da Loja Integrada geram pontos/ }).check()
  await panel.getByRole('button', { name: 'Ativar integração' }).click()
  const confirm = panel.getByRole('dialog', { name: 'Ativar a integração?' })
  await confirm.getByText('passam a receber e-mails do programa').waitFor()
  await shot(panel, 'panel-activation-warning')
  await confirm.getByRole('button', { name: 'Sim, ativar e enviar e-mails' }).click()
  await panel.locator('[data-activation-state=active]').waitFor()
  await panel.getByRole('button', { name: 'Sincronizar agora' }).click()
  // The run queued by the activation and this one may merge or follow each other (the second then
  // finds nothing new): wait for the program to hold every order of the store — what the merchant
  // reads beside the last run — and no sync pending, then for the points.
  const orders = panel.locator('[data-sync] tr[data-resource=orders]')
  await orders
    .locator('[data-total]')
    .getByText(`${seeded.store.orders.length.toLocaleString('pt-BR')} pedidos`, { exact: true })
    .waitFor({ timeout: 120_000 })
  await panel.locator('[data-sync]').getByText('Sincronização pedida').waitFor({ state: 'detached', timeout: 120_000 })
  for (let i = 0; !(await db().selectFrom('members').select('id').where('balance', '>', 0).executeTakeFirst()); i++) {
    assert.ok(i < 240, 'the sync awarded points')
    await new Promise((r) => setTimeout(r, 250))
  }
  await shot(panel, 'panel-synced')

  // Product rewards from the store's Google Shopping feed; the merchant sets one product's cost.
  await menu('Prêmios').click()
  await panel.getByRole('link', { name: 'Produtos do feed' }).click()
  const report = panel.locator('[data-feed-import]')
  await report.getByRole('button', { name: 'Importar agora' }).click()
  await report.getByText(/Última importação:.*concluída/).waitFor({ timeout: 30_000 })
  const first = panel.locator('[data-table=rewards-feed] tbody tr').first()
  await first.waitFor()
  const title = (await first.getByRole('link').first().textContent())!
  await first.getByRole('textbox', { name: `Custo em pontos de ${title}` }).fill('150')
  await first.getByRole('button', { name: 'Salvar custo' }).click()
  await first.getByText('custo definido por você').waitFor()
  await shot(panel, 'panel-feed-products')
  assert.deepEqual(errors, [])
})

test('a store customer joins in the widget with the e-mailed code and sees the points of past orders', async () => {
  // The customer with the most points after the sync (a member already, as every store customer).
  const best = await db()
    .selectFrom('members')
    .select(['email', 'balance', 'name'])
    .orderBy('balance', 'desc')
    .executeTakeFirstOrThrow()
  assert.ok(best.balance >= 300, `a customer with points (best: ${best.balance})`)
  shopperEmail = best.email
  shopper = await browser.newPage()
  const errors = watchErrors(shopper)
  await shopper.goto(store.url)
  const launcher = shopper.locator('[data-fidelis]').locator('button[aria-haspopup="dialog"]')
  await launcher.click()
  await widget().getByRole('button', { name: 'Quero participar' }).click()
  // The e-mail first; the join form once the store knows them, filled while the code arrives.
  await widget().getByLabel('E-mail', { exact: true }).fill(shopperEmail)
  const mailsBefore = smtp.received.length
  await widget().getByRole('button', { name: 'Continuar' }).click()
  await widget()
    .getByLabel('Nome')
    .fill(best.name ?? 'Cliente')
  await widget().getByLabel('Quero receber e-mails do programa').check()
  await widget()
    .getByLabel('Código')
    .fill(await waitForCode(smtp, shopperEmail, mailsBefore))
  await shot(shopper, 'widget-join')
  await widget().getByRole('button', { name: 'Entrar' }).click()
  await widget().getByText('Seu saldo').waitFor()
  const nf = new Intl.NumberFormat('pt-BR')
  await widget()
    .locator('[data-balance]')
    .filter({ hasText: nf.format(best.balance) })
    .waitFor()
  await widget()
    .getByText(/Pontos da compra nº/)
    .first()
    .waitFor()
  // Each purchase is dated by its order, not by the import that brought it in.
  const line = widget()
    .locator('li', { hasText: /Pontos da compra nº \d+/ })
    .first()
  // The reason is the line's text before its date (the muted part).
  const text = ((await line.textContent()) ?? '').replace((await line.locator('.muted').textContent()) ?? '', ' ')
  const numero = Number(/nº (\d+)/.exec(text)?.[1])
  const placedMs = seeded.store.getOrder(numero)!.createdUs / 1000
  const [placed, today] = await shopper.evaluate(
    (ms) =>
      [ms, Date.now()].map((t) =>
        new Intl.DateTimeFormat('pt-BR', { day: '2-digit', month: 'short', year: 'numeric' }).format(new Date(t)),
      ),
    placedMs,
  )
  await line.getByText(placed!, { exact: true }).waitFor()
  if (Date.now() - placedMs > 2 * 86_400_000) assert.notEqual(placed, today)
  await shot(shopper, 'widget-points')
  assert.deepEqual(errors, [])
})

test('the shopper redeems the product reward and gets the coupon; the store holds it; the merchant sees it', async () => {
  const errors = watchErrors(shopper)
  const reward = await db()
    .selectFrom('rewards')
    .select(['title'])
    .where('points_cost_override', '=', true)
    .executeTakeFirstOrThrow()
  await widget().getByRole('tab', { name: 'Prêmios' }).click()
  // The list shows a screenful first.
  await widget().getByRole('tabpanel').locator('li').first().waitFor()
  const more = widget().getByRole('button', { name: /^Ver mais/ })
  if (await more.count()) await more.click()
  await widget()
    .getByRole('button', { name: `Resgatar: ${reward.title}`, exact: true })
    .click()
  await widget().getByRole('button', { name: 'Confirmar resgate' }).click()
  await widget().getByText('Seu cupom está pronto!').waitFor({ timeout: 30_000 })
  couponCode = (await widget().locator('[data-code]').textContent()) ?? ''
  // A product's coupon reads as the product, not as a cash discount.
  const result = widget().getByRole('status')
  await result.getByText(`Ganhe ${reward.title}`, { exact: true }).waitFor()
  await result.getByText('Cupom no valor do produto', { exact: false }).waitFor()
  assert.doesNotMatch((await result.textContent()) ?? '', /de desconto/)
  await shot(shopper, 'widget-coupon')
  // And so it reads under Cupons, with its code.
  await widget().getByRole('button', { name: 'Voltar' }).click()
  await widget().getByRole('tab', { name: 'Cupons' }).click()
  const listed = widget().locator('li', { has: shopper.locator('[data-code]', { hasText: couponCode }) })
  await listed.getByText(`Ganhe ${reward.title}`, { exact: true }).waitFor()
  assert.doesNotMatch((await listed.textContent()) ?? '', /de desconto/)
  const inStore = seeded.store.findCouponByCodigo(couponCode)
  assert.ok(inStore, 'the coupon exists in the Loja Integrada store')
  assert.equal(inStore.tipo, 'fixo')
  assert.equal(inStore.quantidade, 1)
  assert.equal(inStore.valorMinimoCents, inStore.valorHundredths, 'a product coupon: its price as the minimum order')

  await menu('Participantes').click()
  await panel.getByLabel('Buscar por e-mail ou nome').fill(shopperEmail)
  await panel.keyboard.press('Enter')
  await panel.locator('[data-table=members] tbody tr', { hasText: shopperEmail }).getByRole('link').first().click()
  const row = panel.locator('[data-redemptions] tbody tr', { hasText: reward.title })
  await row.getByText('Cupom emitido').waitFor()
  assert.equal(await row.locator('code').textContent(), couponCode)
  await shot(panel, 'panel-redemption')
  assert.deepEqual(errors, [])
})

test('an order cancelled in the store: the next sync reverses its points and the shopper sees why', async () => {
  const errors = watchErrors(shopper)
  const member = await db()
    .selectFrom('members')
    .select(['id', 'balance'])
    .where('email', '=', shopperEmail)
    .executeTakeFirstOrThrow()
  const order = await db()
    .selectFrom('orders')
    .select(['external_id', 'points_awarded'])
    .where('member_id', '=', member.id)
    .where('award_state', '=', 'awarded')
    .where('points_awarded', '<=', member.balance)
    .orderBy('points_awarded', 'desc')
    .executeTakeFirstOrThrow()
  seeded.store.setOrderStatus(Number(order.external_id), 'pedido_cancelado')

  await menu('Integração › Loja Integrada').click()
  await panel.locator('[data-sync]').getByRole('button', { name: 'Sincronizar agora' }).click()
  const reversed = async () =>
    (
      await db()
        .selectFrom('ledger_entries')
        .select('id')
        .where('member_id', '=', member.id)
        .where('kind', '=', 'reverse')
        .execute()
    ).length
  for (let i = 0; (await reversed()) === 0; i++) {
    assert.ok(i < 120, 'the sync reversed the cancelled order')
    await new Promise((r) => setTimeout(r, 250))
  }
  await shot(panel, 'panel-after-cancel-sync')

  // The widget shows the Cupons tab since the redemption (test 3).
  await widget().getByRole('tab', { name: 'Histórico' }).click()
  await shopper.reload()
  await shopper.locator('[data-fidelis]').locator('button[aria-haspopup="dialog"]').click()
  const line = widget().getByText(`Estorno da compra nº ${order.external_id}`)
  await line.waitFor({ timeout: 15_000 })
  assert.match((await line.textContent()) ?? '', /cancelado/i)
  const after = await db().selectFrom('members').select('balance').where('id', '=', member.id).executeTakeFirstOrThrow()
  assert.equal(after.balance, member.balance - order.points_awarded)
  await shot(shopper, 'widget-reversal')
  assert.deepEqual(errors, [])
})
