import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import type { Browser, Locator, Page } from 'playwright-core'
import { startStorefront, type Storefront } from '../server/demo/storefront.ts'
import { startTestSmtp, waitForCode, type TestSmtp } from '../server/email/test-support.ts'
import { createLiSimulator, type LiSimulator, type SeededStore } from '../server/li-simulator/index.ts'
import { createMerchant } from '../server/merchants/service.ts'
import { startRuntime, type Runtime } from '../server/runtime.ts'
import { testDatabase } from '../server/test/database.ts'
import { testConfig } from '../server/test/harness.ts'
import { launchBrowser } from './browser.ts'

/**
 * "A merchant with an account", for an e2e of panel pages that need no store: the runtime on its
 * own database, the merchant and a browser.
 */
export interface PanelFixture {
  runtime: Runtime
  browser: Browser
  email: string
  password: string
  close(): Promise<void>
}

export interface PanelOptions {
  email: string
  password?: string
  /** Config on top of the test defaults (e.g. RUN_JOBS). */
  config?: Record<string, string>
}

export async function startPanelFixture(o: PanelOptions): Promise<PanelFixture> {
  const runtime = await startRuntime(testConfig({ PORT: '0', HOST: '127.0.0.1', ...o.config }), {
    database: await testDatabase(),
  })
  const password = o.password ?? 'senha longa da jornada'
  await createMerchant(runtime.deps.db, { email: o.email, password })
  const browser = await launchBrowser()
  return {
    runtime,
    browser,
    email: o.email,
    password,
    async close() {
      await browser.close()
      await runtime.stop()
    },
  }
}

/**
 * "A merchant with a connected store", shared by the e2e journeys: the LI simulator on its own
 * port with a seeded store, a real SMTP server, the runtime pointed at both, a merchant account
 * and a browser. The panel steps (create the program, connect the store, activate, sync) are
 * helpers too, so each journey still drives the real UIs and only its own screens differ.
 */
export interface StoreFixture extends PanelFixture {
  sim: LiSimulator
  simUrl: string
  seeded: SeededStore
  smtp: TestSmtp
  /** Set by `openStorefront` (the store page needs the program key). */
  store: Storefront | null
}

export interface FixtureOptions extends Omit<PanelOptions, 'config'> {
  seed: number
  storeId: string
  name: string
  customers?: number
  orders?: number
}

export async function startStoreFixture(o: FixtureOptions): Promise<StoreFixture> {
  const sim = createLiSimulator({ rateLimit: false })
  const seeded = sim.seed({
    seed: o.seed,
    customers: o.customers ?? 30,
    orders: o.orders ?? 150,
    simpleProducts: 30,
    variationParents: 2,
    storeId: o.storeId,
    name: o.name,
  })
  const simServer = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const simUrl = `http://127.0.0.1:${(simServer.address() as AddressInfo).port}`
  const smtp = await startTestSmtp()
  const { runtime, browser, email, password } = await startPanelFixture({
    email: o.email,
    password: o.password,
    config: {
      LI_API_URL: simUrl,
      LI_APP_KEY: sim.applicationKey,
      LI_REQUESTS_PER_MINUTE: '100000',
      SMTP_URL: smtp.url,
      FEED_ALLOW_PRIVATE_HOSTS: 'true',
    },
  })
  const fx: StoreFixture = {
    runtime,
    sim,
    simUrl,
    seeded,
    smtp,
    browser,
    email,
    password,
    store: null,
    // Not the panel fixture's close: the store page goes between the browser and the runtime.
    async close() {
      await browser.close()
      await fx.store?.close()
      await runtime.stop()
      await smtp.close()
      simServer.close()
      sim.close()
    },
  }
  return fx
}

/** The store page on its own origin (like a real store), loading the widget of `programKey`. */
export async function openStorefront(fx: StoreFixture, programKey: string): Promise<Storefront> {
  fx.store = await startStorefront({
    port: 0,
    apiUrl: fx.runtime.url!,
    programKey,
    store: fx.seeded.store,
    simUrl: fx.simUrl,
    mailDir: path.join(fx.runtime.deps.config.dataDir, 'mail'),
    sampleEmails: async () => [],
  })
  return fx.store
}

export const panelMenu = (panel: Page, name: string) =>
  panel.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name })

/** Logs in on the panel's login screen (the panel keeps its session per tab). */
export async function panelLogin(fx: PanelFixture, panel: Page, url = `${fx.runtime.url}/panel`) {
  await panel.goto(url)
  await panel.getByLabel('E-mail').fill(fx.email)
  await panel.getByLabel('Senha').fill(fx.password)
  await panel.getByRole('button', { name: 'Entrar' }).click()
}

/**
 * The merchant's first steps in the panel: log in, name the program on the first-run screen and
 * create it. `choose` runs with the name filled (a journey picks the mode there).
 */
export async function createProgramInPanel(
  fx: PanelFixture,
  panel: Page,
  name: string,
  choose?: (panel: Page) => Promise<void>,
) {
  await panelLogin(fx, panel)
  await panel.getByLabel('Nome do programa').fill(name)
  await choose?.(panel)
  await panel.getByRole('button', { name: 'Criar programa' }).click()
  await panel.getByRole('heading', { name: 'Início' }).waitFor()
  return fx.runtime.deps.db.selectFrom('programs').select(['id', 'program_key', 'mode']).executeTakeFirstOrThrow()
}

/** A POST to the admin API as the merchant, who logs in for it (set-up a page under test does not cover). */
export async function merchantPost(fx: PanelFixture, apiPath: string, body: unknown): Promise<Response> {
  const login = await fetch(`${fx.runtime.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: fx.email, password: fx.password }),
  }).then((r) => r.json())
  return fetch(`${fx.runtime.url}${apiPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
    body: JSON.stringify(body),
  })
}

/** A program created through the API, for a page that starts past the first-run screen: its id. */
export async function createProgramByApi(fx: PanelFixture, name: string): Promise<string> {
  const res = await merchantPost(fx, '/v1/programs', { name })
  return ((await res.json()) as { id: string }).id
}

/** Saves the integration with the store's key and URLs, counting "Pedido Pago" too. */
export async function saveIntegration(fx: StoreFixture, panel: Page, extra?: (panel: Page) => Promise<void>) {
  const store = fx.store!
  await panelMenu(panel, 'Integração › Loja Integrada').click()
  await panel.locator('#apiKey').fill(fx.seeded.apiKey)
  await panel.locator('#siteUrl').fill(store.url)
  await panel.locator('#signupUrl').fill(`${store.url}/conta/criar`)
  await extra?.(panel)
  await panel.getByRole('button', { name: 'Salvar integração' }).click()
  await panel.getByText('As situações de pedido da sua loja foram lidas').waitFor()
  // The recommended statuses come ticked; the merchant also counts "Pedido Pago".
  const paid = panel.locator('[data-statuses]').getByLabel('Pedido Pago', { exact: false })
  if (!(await paid.isChecked())) await paid.check()
  await panel.getByRole('button', { name: 'Salvar integração' }).click()
  await panel.getByText('Alterações salvas.').waitFor()
}

/**
 * Turns sales registration on, activates (through the warning dialog) and syncs, waiting until the
 * program holds every order of the store and no sync is pending. `shot` is called at the warning.
 */
export async function activateAndSync(
  fx: StoreFixture,
  panel: Page,
  unit: 'pontos' | 'cashback',
  shot?: () => Promise<void>,
) {
  await panel.getByRole('switch', { name: new RegExp(`Pedidos da Loja Integrada geram ${unit}`) }).check()
  await panel.getByRole('button', { name: 'Ativar integração' }).click()
  const confirm = panel.getByRole('dialog', { name: 'Ativar a integração?' })
  await confirm.getByText('passam a receber e-mails do programa').waitFor()
  await shot?.()
  await confirm.getByRole('button', { name: 'Sim, ativar e enviar e-mails' }).click()
  await panel.locator('[data-activation-state=active]').waitFor()
  await panel.getByRole('button', { name: 'Sincronizar agora' }).click()
  // The run queued by the activation and this one may merge or follow each other (the second then
  // finds nothing new): wait for the program to hold every order of the store — what the merchant
  // reads beside the last run — and no sync pending.
  const orders = panel.locator('[data-sync] tr[data-resource=orders]')
  await orders
    .locator('[data-total]')
    .getByText(`${fx.seeded.store.orders.length.toLocaleString('pt-BR')} pedidos`, { exact: true })
    .waitFor({ timeout: 120_000 })
  await panel.locator('[data-sync]').getByText('Sincronização pedida').waitFor({ state: 'detached', timeout: 120_000 })
}

/** Asks for a sync from the integration page, as the merchant does after a change in the store. */
export async function syncNow(panel: Page) {
  await panelMenu(panel, 'Integração › Loja Integrada').click()
  await panel.locator('[data-sync]').getByRole('button', { name: 'Sincronizar agora' }).click()
}

/**
 * A store customer joins in the widget: the e-mail first, the join form while the code arrives
 * (from the real SMTP server). Leaves the widget open on the balance. `beforeEnter` runs with the
 * form filled (a screenshot).
 */
export async function joinInWidget(
  fx: StoreFixture,
  shopper: Page,
  who: { email: string; name: string | null },
  beforeEnter?: () => Promise<void>,
) {
  const widget = shopper.getByRole('dialog')
  await shopper.goto(fx.store!.url)
  await shopper.locator('[data-fidelis]').locator('button[aria-haspopup="dialog"]').click()
  await widget.getByRole('button', { name: 'Quero participar' }).click()
  await widget.getByLabel('E-mail', { exact: true }).fill(who.email)
  const mailsBefore = fx.smtp.received.length
  await widget.getByRole('button', { name: 'Continuar' }).click()
  await widget.getByLabel('Nome').fill(who.name ?? 'Cliente')
  await widget.getByLabel('Quero receber e-mails do programa').check()
  await widget.getByLabel('Código').fill(await waitForCode(fx.smtp, who.email, mailsBefore))
  await beforeEnter?.()
  await widget.getByRole('button', { name: 'Entrar' }).click()
  await widget.getByText('Seu saldo').waitFor()
}

/** Visible and wholly inside the viewport: not clipped, not off to a side. */
export async function seen(page: Page, locator: Locator) {
  await locator.waitFor({ state: 'visible' })
  await locator.scrollIntoViewIfNeeded()
  const box = await locator.boundingBox()
  const view = page.viewportSize()!
  assert.ok(box && box.width > 0 && box.height > 0, 'has a size')
  assert.ok(box.x >= 0 && box.x + box.width <= view.width + 0.5, `inside the width: ${JSON.stringify(box)}`)
  assert.ok(box.y >= 0 && box.y + box.height <= view.height + 0.5, `inside the height: ${JSON.stringify(box)}`)
}

/** Waits for a database condition (the sync and the jobs run in the same process); never a fixed sleep. */
export async function until(what: string, check: () => Promise<boolean>) {
  for (let i = 0; !(await check()); i++) {
    assert.ok(i < 480, what)
    await new Promise((r) => setTimeout(r, 250))
  }
}

export const brl = (cents: number) =>
  new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }).format(cents / 100)
