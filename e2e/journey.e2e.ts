import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { watchErrors } from './browser.ts'
import {
  activateAndSync,
  createProgramInPanel,
  joinInWidget,
  openStorefront,
  panelMenu,
  saveIntegration,
  startStoreFixture,
  syncNow,
  type StoreFixture,
} from './store-fixture.ts'

/**
 * The whole journey through the real UIs, one step after the other (issue 9): the merchant sets
 * up the integration in the panel and syncs; a customer joins on the store page with the code
 * from a real SMTP server, sees points from past orders, redeems a product from the feed and gets
 * the coupon; the store (simulator) holds it; the merchant sees the redemption; an order is
 * cancelled in the store, the next sync reverses its points and the shopper sees why.
 * Screenshots of each step in e2e/artifacts/journey-*.png.
 */
const ARTIFACTS = path.resolve('e2e/artifacts')
let fx: StoreFixture
let panel: Page
let shopper: Page
let shopperEmail: string
let couponCode: string
let step = 0

// The API's designed answers on this journey, which Chromium logs as console errors.
const EXPECTED = [{ status: 404, url: /\/integrations\/loja-integrada$/ }]
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `journey-${String(++step).padStart(2, '0')}-${name}.png`) })
const menu = (name: string) => panelMenu(panel, name)
const widget = () => shopper.getByRole('dialog')
const db = () => fx.runtime.deps.db

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  fx = await startStoreFixture({
    seed: 2026,
    storeId: 'loja-jornada',
    name: 'Loja Jornada',
    email: 'dona@journey.test',
  })
  panel = await (await fx.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
})

after(async () => {
  await fx?.close()
})

test('the merchant logs in, creates the program, pastes the key, picks statuses, activates and syncs', async () => {
  const errors = watchErrors(panel, EXPECTED)
  const program = await createProgramInPanel(fx, panel, 'Clube Jornada')
  await openStorefront(fx, program.program_key)
  const { seeded, simUrl } = fx
  await saveIntegration(fx, panel, (p) =>
    p
      .locator('#feedUrl')
      .fill(
        `${simUrl}/__sim/stores/${seeded.store.id}/google-shopping.xml?limit=50&site=${encodeURIComponent(fx.store!.url)}`,
      ),
  )
  await shot(panel, 'panel-integration')
  await activateAndSync(fx, panel, 'pontos', () => shot(panel, 'panel-activation-warning').then(() => {}))
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
  shopper = await fx.browser.newPage()
  const errors = watchErrors(shopper)
  await joinInWidget(fx, shopper, best, () => shot(shopper, 'widget-join').then(() => {}))
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
  const placedMs = fx.seeded.store.getOrder(numero)!.createdUs / 1000
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
  const inStore = fx.seeded.store.findCouponByCodigo(couponCode)
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
  fx.seeded.store.setOrderStatus(Number(order.external_id), 'pedido_cancelado')
  await syncNow(panel)
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
