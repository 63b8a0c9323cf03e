import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { waitForCode } from '../server/email/test-support.ts'
import { addDays, saoPauloDay } from '../server/lib/calendar.ts'
import { releasePending } from '../server/points/pending.ts'
import { watchErrors } from './browser.ts'
import {
  activateAndSync,
  brl,
  createProgramInPanel,
  joinInWidget,
  openStorefront,
  panelLogin,
  panelMenu,
  saveIntegration,
  seen,
  startStoreFixture,
  syncNow,
  until,
  type StoreFixture,
} from './store-fixture.ts'

/**
 * The journey once more in cashback mode (issue 18): the merchant creates a cashback program in
 * the panel, sets its rules watching the live example, connects the simulator store and syncs;
 * a shopper sees reais, a new order waits its delay (the hourly release run here for the day it
 * ends: releasePending takes the day) and then is spendable; the shopper spends a chosen amount
 * and gets a store coupon of exactly that value whose minimum order enforces "at most 30 % of an
 * order"; a cancellation in the store takes back exactly what the order credited.
 * Screenshots in e2e/artifacts/cashback-*.png.
 */
const ARTIFACTS = path.resolve('e2e/artifacts')
let fx: StoreFixture
let panel: Page
let shopper: Page
let shopperEmail: string
let step = 0

// The API's designed answers on this journey, which Chromium logs as console errors.
const EXPECTED = [
  { status: 404, url: /\/integrations\/loja-integrada$/ },
  { status: 400, url: /\/cashback-rules$/ }, // 200 % back, refused at its field
]
const dmy = (day: string) => day.split('-').reverse().join('/')
const openWidget = async () => {
  await shopper.reload()
  await shopper.locator('[data-fidelis]').locator('button[aria-haspopup="dialog"]').click()
}
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `cashback-${String(++step).padStart(2, '0')}-${name}.png`) })
const menu = (name: string) => panelMenu(panel, name)
const widget = () => shopper.getByRole('dialog')
const db = () => fx.runtime.deps.db

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  fx = await startStoreFixture({
    seed: 1818,
    storeId: 'loja-cashback',
    name: 'Loja Cashback',
    email: 'dona@cashback.test',
  })
  panel = await (await fx.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
})

after(async () => {
  await fx?.close()
})

test('the merchant creates a cashback program, sets its rules with the live example, activates and syncs', async () => {
  const errors = watchErrors(panel, EXPECTED)
  const program = await createProgramInPanel(fx, panel, 'Clube Cashback', async () => {
    // Both modes are explained; points comes chosen, the merchant picks cashback.
    const modes = panel.locator('[data-program-mode]')
    await seen(panel, modes.getByText('volta como saldo em reais', { exact: false }))
    await seen(panel, modes.getByText('Cada compra gera pontos', { exact: false }))
    assert.ok(await panel.locator('input[name=mode][value=points]').isChecked())
    await panel.getByRole('radio', { name: /^Cashback/ }).check()
    await shot(panel, 'panel-mode')
  })
  assert.equal(program.mode, 'cashback')

  // The mode is shown, read-only, with why it cannot change.
  await menu('Programa').click()
  await seen(panel, panel.locator('[data-program-mode=cashback]').getByText('não pode ser mudado', { exact: false }))
  assert.equal(await panel.locator('#pointsName').count(), 0)

  // The rules, with the example recomputed as the merchant types.
  await menu('Regras de cashback').click()
  const example = panel.locator('[data-cashback-example]')
  await example.waitFor()
  const before = await example.textContent()
  await panel.locator('#percentBp').fill('200')
  await panel.getByRole('button', { name: 'Salvar regras de cashback' }).click()
  await seen(panel, panel.locator('[data-field-error=percentBp]').getByText('Use um percentual de 0,01 a 100'))
  assert.equal(await panel.locator('#percentBp').getAttribute('aria-invalid'), 'true')
  await panel.locator('#percentBp').fill('10')
  await panel.locator('#pendingDays').fill('7')
  await panel.getByRole('radio', { name: 'Vence depois de alguns dias' }).check()
  await panel.locator('#validityDays').fill('60')
  await panel.locator('#maxOrderSharePct').fill('30')
  await panel.locator('#minRedemptionCents').fill('10,00')
  const today = saoPauloDay(new Date())
  const from = addDays(today, 7)
  const sentence =
    `Numa compra de ${brl(30_000)}, quem compra ganha ${brl(3000)}, que pode usar a partir de ` +
    `${dmy(from).slice(0, 5)} até ${dmy(addDays(from, 59)).slice(0, 5)}, em pedidos a partir de ${brl(10_000)}.`
  await seen(panel, example.getByText(sentence, { exact: true }))
  assert.notEqual(before, sentence)
  await panel.getByRole('button', { name: 'Salvar regras de cashback' }).click()
  await panel.getByText('Alterações salvas.').waitFor()
  await shot(panel, 'panel-rules')

  await openStorefront(fx, program.program_key)
  await saveIntegration(fx, panel)
  await shot(panel, 'panel-integration')
  await activateAndSync(fx, panel, 'cashback', () => shot(panel, 'panel-activation-warning').then(() => {}))
  // Old orders' delay is long over: the hourly release credits them (run here rather than waited for).
  await releasePending(db())
  await until('the release credited cashback', async () =>
    Boolean(await db().selectFrom('members').select('id').where('balance', '>', 0).executeTakeFirst()),
  )
  await shot(panel, 'panel-synced')

  assert.deepEqual(errors, [])
})

test('a store customer joins in the widget and sees the cashback of past orders in reais', async () => {
  // The customer with the most points after the sync (a member already, as every store customer).
  const best = await db()
    .selectFrom('members')
    .select(['email', 'balance', 'name'])
    .orderBy('balance', 'desc')
    .executeTakeFirstOrThrow()
  assert.ok(best.balance >= 3000, `a customer with R$ 30,00 or more (best: ${best.balance})`)
  shopperEmail = best.email
  shopper = await fx.browser.newPage()
  const errors = watchErrors(shopper)
  await joinInWidget(fx, shopper, best, () => shot(shopper, 'widget-join').then(() => {}))
  await seen(
    shopper,
    widget()
      .locator('[data-balance]')
      .getByText(`${brl(best.balance)} disponíveis`, { exact: true }),
  )
  // No points anywhere: the rewards tab gives way to using the balance.
  assert.equal(await widget().getByRole('tab', { name: 'Prêmios' }).count(), 0)
  assert.doesNotMatch((await widget().textContent()) ?? '', /pontos/i)
  const line = widget()
    .locator('li', { hasText: /compra nº \d+/ })
    .first()
  await seen(shopper, line.locator('.amt').getByText(/^\+R\$/))
  assert.deepEqual(errors, [])
})

test('a new order waits its delay, then becomes spendable; the shopper sees the day', async () => {
  const errors = watchErrors(shopper)
  const member = await db()
    .selectFrom('members')
    .select(['id', 'balance', 'li_customer_id'])
    .where('email', '=', shopperEmail)
    .executeTakeFirstOrThrow()
  const product = fx.seeded.store.products[0]!
  const order = fx.seeded.store.createOrder({
    customerId: member.li_customer_id!,
    items: [{ productId: product.id, quantity: 2, unitPriceCents: 15_000 }],
    statusCodigo: 'pedido_pago',
  })
  await syncNow(panel)
  const pendingOrder = () =>
    db()
      .selectFrom('orders')
      .select(['award_state', 'points_awarded', 'available_on'])
      .where('external_id', '=', String(order.numero))
      .executeTakeFirst()
  await until('the new order waits its delay', async () => (await pendingOrder())?.award_state === 'pending')
  const waiting = (await pendingOrder())!
  assert.ok(waiting.points_awarded > 0)
  const raw = waiting.available_on as unknown
  const day = raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw)
  await openWidget()
  await seen(
    shopper,
    widget()
      .locator('[data-pending]')
      .getByText(
        new RegExp(`^${brl(waiting.points_awarded).replace(/[$.]/g, '\\$&')} fica(m)? disponíve(l|is) em ${dmy(day)}$`),
      ),
  )
  await seen(
    shopper,
    widget()
      .locator('[data-balance]')
      .getByText(`${brl(member.balance)} disponíveis`),
  )
  await shot(shopper, 'widget-pending')
  fs.copyFileSync(
    path.join(ARTIFACTS, `cashback-${String(step).padStart(2, '0')}-widget-pending.png`),
    path.resolve('docs/screenshots/widget-cashback.png'),
  )

  // The day the delay ends (the hourly release, given that day).
  await releasePending(db(), day)
  const after = member.balance + waiting.points_awarded
  await openWidget()
  await seen(
    shopper,
    widget()
      .locator('[data-balance]')
      .getByText(`${brl(after)} disponíveis`),
  )
  assert.equal(await widget().locator('[data-pending]').count(), 0)
  assert.deepEqual(errors, [])
})

test('the shopper spends a chosen amount; the store holds a coupon of that value whose minimum enforces 30 %', async () => {
  const errors = watchErrors(shopper, [{ status: 400, url: /\/redemptions\/amount$/ }])
  const { balance } = await db()
    .selectFrom('members')
    .select('balance')
    .where('email', '=', shopperEmail)
    .executeTakeFirstOrThrow()
  await widget().getByRole('button', { name: 'Usar saldo' }).click()
  const input = widget().getByLabel('Valor do desconto (R$)')
  await seen(shopper, input)
  await input.fill('5')
  await seen(shopper, widget().getByText(`O valor mínimo é ${brl(1000)}.`, { exact: true }))
  assert.equal(await input.getAttribute('aria-invalid'), 'true')
  await input.fill(String(Math.floor(balance / 100) + 100))
  await seen(shopper, widget().getByText(`Seu saldo é ${brl(balance)}: escolha até esse valor.`, { exact: true }))
  await input.fill('25,00')
  await seen(shopper, widget().getByText(`Vale em pedidos a partir de ${brl(8334)}.`, { exact: false }))
  await shot(shopper, 'widget-amount')
  await widget()
    .getByRole('button', { name: `Usar ${brl(2500)}` })
    .click()
  await widget().getByText('Seu cupom está pronto!').waitFor({ timeout: 30_000 })
  const code = widget().locator('[data-code]')
  await seen(shopper, code)
  const couponCode = ((await code.textContent()) ?? '').trim()
  // The whole code is shown: its text fits its box.
  assert.ok(await code.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), 'the code is not clipped')
  const result = widget().getByRole('status')
  await seen(shopper, result.getByText(brl(2500), { exact: false }).first())
  await seen(shopper, result.getByText(`Pedido mínimo de ${brl(8334)}`, { exact: false }))
  await seen(shopper, widget().getByText(/^Válido até \d{2}\/\d{2}\/\d{4}$/))
  await shot(shopper, 'widget-coupon')
  const inStore = fx.seeded.store.findCouponByCodigo(couponCode)
  assert.ok(inStore, 'the coupon exists in the Loja Integrada store')
  assert.equal(inStore.tipo, 'fixo')
  assert.equal(inStore.valorHundredths, 2500)
  assert.equal(inStore.valorMinimoCents, 8334, 'R$ 25,00 ÷ 30 %, rounded up to the cent')
  assert.equal(inStore.quantidade, 1)
  const left = await db()
    .selectFrom('members')
    .select('balance')
    .where('email', '=', shopperEmail)
    .executeTakeFirstOrThrow()
  assert.equal(left.balance, balance - 2500)

  // The merchant reads the balance in reais.
  await menu('Participantes').click()
  await panel.getByLabel('Buscar por e-mail ou nome').fill(shopperEmail)
  await panel.keyboard.press('Enter')
  const row = panel.locator('[data-table=members] tbody tr', { hasText: shopperEmail })
  await row.locator('[data-balance]').getByText(brl(left.balance), { exact: true }).waitFor()
  await row.getByRole('link').first().click()
  await panel.locator('[data-member-balance]').getByText(brl(left.balance), { exact: true }).waitFor()
  await shot(panel, 'panel-member')
  assert.deepEqual(errors, [])
})

test('an order cancelled in the store: the next sync takes back exactly what it credited', async () => {
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
    .where('points_awarded', '>', 0)
    .where('points_awarded', '<=', member.balance)
    .orderBy('points_awarded', 'desc')
    .executeTakeFirstOrThrow()
  fx.seeded.store.setOrderStatus(Number(order.external_id), 'pedido_cancelado')
  await syncNow(panel)
  await until('the sync reversed the cancelled order', async () =>
    Boolean(
      await db()
        .selectFrom('ledger_entries')
        .select('id')
        .where('member_id', '=', member.id)
        .where('kind', '=', 'reverse')
        .executeTakeFirst(),
    ),
  )
  const after = await db().selectFrom('members').select('balance').where('id', '=', member.id).executeTakeFirstOrThrow()
  assert.equal(after.balance, member.balance - order.points_awarded)
  await openWidget()
  await widget().getByRole('tab', { name: 'Histórico' }).click()
  const line = widget()
    .locator('li', { hasText: `nº ${order.external_id}` })
    .filter({ hasText: /Estorno/ })
  await seen(shopper, line)
  await seen(shopper, line.locator('.amt').getByText(`-${brl(order.points_awarded)}`, { exact: true }))
  await seen(
    shopper,
    widget()
      .locator('[data-balance]')
      .getByText(`${brl(after.balance)} disponíve`, { exact: false }),
  )
  await shot(shopper, 'widget-reversal')
  assert.deepEqual(errors, [])
})

test('on a 360 px phone the rules page and the redeem screen fit, with their texts readable', async () => {
  const phone = await fx.browser.newContext({ viewport: { width: 360, height: 740 } })
  const page = await phone.newPage()
  const errors = watchErrors(page)
  // The panel keeps its session in sessionStorage: log in on the phone too.
  await panelLogin(fx, page, `${fx.runtime.url}/panel/configuracoes/cashback`)
  await seen(page, page.getByRole('heading', { name: 'Regras de cashback' }))
  for (const id of ['percentBp', 'minimumOrderCents', 'maxOrderSharePct', 'maxRedemptionCents'])
    await seen(page, page.locator(`#${id}`))
  await seen(page, page.locator('[data-cashback-example]').getByText('Numa compra de', { exact: false }))
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no sideways scroll')
  await page.screenshot({ path: path.join(ARTIFACTS, 'cashback-phone-rules.png'), fullPage: true })

  const shop = await phone.newPage()
  const shopErrors = watchErrors(shop)
  await shop.goto(fx.store!.url)
  await shop.locator('[data-fidelis]').locator('button[aria-haspopup="dialog"]').click()
  const dialog = shop.getByRole('dialog')
  await dialog.getByRole('button', { name: 'Já participo' }).click()
  await dialog.getByLabel('E-mail', { exact: true }).fill(shopperEmail)
  const mailsBefore = fx.smtp.received.length
  await dialog.getByRole('button', { name: 'Enviar código' }).click()
  await dialog.getByLabel('Código').fill(await waitForCode(fx.smtp, shopperEmail, mailsBefore))
  await dialog.getByRole('button', { name: 'Entrar' }).click()
  await seen(shop, dialog.locator('[data-balance]').getByText('disponíve', { exact: false }))
  await dialog.getByRole('button', { name: 'Usar saldo' }).click()
  await dialog.getByLabel('Valor do desconto (R$)').fill('10,00')
  await seen(shop, dialog.getByText(`Vale em pedidos a partir de ${brl(3334)}.`, { exact: false }))
  await seen(shop, dialog.getByRole('button', { name: `Usar ${brl(1000)}` }))
  await shop.screenshot({ path: path.join(ARTIFACTS, 'cashback-phone-amount.png') })
  assert.deepEqual(errors, [])
  assert.deepEqual(shopErrors, [])
  await phone.close()
})
