import assert from 'node:assert/strict'
import fs from 'node:fs'
import net, { type AddressInfo } from 'node:net'
import path from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import type { Browser, Locator, Page } from 'playwright-core'
import { startStorefront, type Storefront } from '../server/demo/storefront.ts'
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
import { updateRules } from '../server/points/service.ts'
import { createProgram } from '../server/programs/service.ts'
import { startRuntime, type Runtime } from '../server/runtime.ts'
import { testDatabase } from '../server/test/database.ts'
import { testConfig } from '../server/test/harness.ts'
import { launchBrowser } from './browser.ts'

/**
 * What the referral e2e files share: the LI simulator, a real SMTP inbox on loopback, the runtime,
 * a points program connected to the simulated store (points wait `PENDING_DAYS`), the fake
 * storefront on its own origin (home and product pages: the code must survive moving between
 * them), and the checks of what a person sees.
 */
export const ARTIFACTS = path.resolve('e2e/artifacts')
export const MERCHANT = { email: 'dona@indica.test', password: 'senha longa das indicações' }
export const PENDING_DAYS = 7

export interface World {
  runtime: Runtime
  sim: LiSimulator
  seeded: SeededStore
  smtp: TestSmtp
  store: Storefront
  browser: Browser
  programId: string
  programKey: string
  close(): Promise<void>
}

/** A free loopback port, for a runtime whose public URL must be known before it starts. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo
      srv.close(() => resolve(port))
    })
  })

/**
 * `orderWebhooks`: the runtime listens where its PUBLIC_URL says, so the order webhook registered
 * at activation reaches it and the simulator delivers each order's detail (with its coupon and
 * customer) as LI does; without it (port 0) only the sync's polling brings orders in.
 */
export async function startWorld(opts: { seed: number; storeId: string; orderWebhooks?: boolean }): Promise<World> {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const sim = createLiSimulator({ rateLimit: false })
  const seeded = sim.seed({ seed: opts.seed, customers: 12, orders: 40, storeId: opts.storeId, name: 'Loja Bella' })
  const simServer = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const simUrl = `http://127.0.0.1:${(simServer.address() as AddressInfo).port}`
  const smtp = await startTestSmtp()
  const port = opts.orderWebhooks ? await freePort() : 0
  const runtime = await startRuntime(
    testConfig({
      PORT: String(port),
      ...(port ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
      HOST: '127.0.0.1',
      LI_API_URL: simUrl,
      LI_APP_KEY: sim.applicationKey,
      LI_REQUESTS_PER_MINUTE: '100000',
      SMTP_URL: smtp.url,
    }),
    { database: await testDatabase() },
  )
  const deps = runtime.deps
  const merchant = await createMerchant(deps.db, MERCHANT)
  const program = await createProgram(deps.db, merchant.id, {
    name: 'Clube Bella',
    pointsName: 'pontos',
    earnRate: 1,
    primaryColor: '#7b1fa2',
    textColor: '#ffffff',
    joiningOpen: true,
  })
  await deps.db.transaction().execute((trx) => updateRules(trx, program.id, { pendingDays: PENDING_DAYS }))
  const store = await startStorefront({
    port: 0,
    apiUrl: runtime.url!,
    programKey: program.programKey,
    store: seeded.store,
    simUrl,
    mailDir: path.join(deps.config.dataDir, 'mail'),
    sampleEmails: async () => [],
  })
  await saveIntegration(deps, merchant.id, program.id, {
    apiKey: seeded.apiKey,
    credentialKind: 'chave_api',
    siteUrl: `${store.url}/`,
    signupUrl: `${store.url}/conta/criar`,
    couponValidityDays: 365,
    rewardAllowlist: [],
    awardingStatusIds: [findStatusByCodigo('pedido_pago')!.id, findStatusByCodigo('pedido_entregue')!.id],
  })
  await setSalesSource(deps, merchant.id, program.id, 'salesRegistration', true)
  await setActive(deps, merchant.id, program.id, true)
  assert.equal(await runSync(deps, program.id), 'done')
  const browser = await launchBrowser()
  return {
    runtime,
    sim,
    seeded,
    smtp,
    store,
    browser,
    programId: program.id,
    programKey: program.programKey,
    close: async () => {
      await browser.close()
      await store.close()
      await runtime.stop()
      await smtp.close()
      simServer.close()
      sim.close()
    },
  }
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

/** Its text is all there: nothing cut by its own box (no ellipsis, no hidden overflow). */
export async function whole(locator: Locator) {
  const fits = await locator.evaluate(
    (el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1,
  )
  assert.ok(fits, 'its text fits its box')
}

export const launcher = (page: Page) => page.locator('[data-fidelis]').locator('button[aria-haspopup="dialog"]')
export const teaser = (page: Page) => page.locator('[data-fidelis]').locator('[data-referral-teaser]')

/**
 * What a page asked of the member's referral: its `me/referral` calls, and the widget files it
 * loaded that hold the "Indique e ganhe" card (the invite chunk: content-hashed names, so the
 * card's code is what tells it apart). `inviteChunks` waits for the bodies of the files seen so far.
 */
export function watchReferralFetches(page: Page) {
  const asked: string[] = []
  const files: Array<Promise<string | null>> = []
  page.on('request', (r) => {
    if (/\/v1\/widget\/[^/]+\/me\/referral$/.test(r.url()) && r.method() === 'GET') asked.push(r.url())
  })
  page.on('response', (r) => {
    if (/\/widget\/[^/?]+\.js$/.test(new URL(r.url()).pathname))
      files.push(
        r.text().then(
          (code) => (code.includes('data-invite-entry') ? r.url() : null),
          () => null,
        ),
      )
  })
  return { asked, inviteChunks: async () => (await Promise.all(files)).filter((u) => u !== null) }
}

/** Logs a store customer in through the widget with the code e-mailed to them. */
export async function logIn(world: World, page: Page, email: string) {
  await page.goto(world.store.url)
  await launcher(page).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name: 'Já participo' }).click()
  await dialog.getByLabel('E-mail', { exact: true }).fill(email)
  const before = world.smtp.received.length
  await dialog.getByRole('button', { name: 'Enviar código' }).click()
  await dialog.getByLabel('Código').fill(await waitForCode(world.smtp, email, before))
  await dialog.getByRole('button', { name: 'Entrar' }).click()
  await dialog.getByText('Seu saldo').waitFor()
  return dialog
}

/** The panel, logged in as the merchant, on `pathname`. */
export async function panelAt(world: World, page: Page, pathname: string) {
  await page.goto(`${world.runtime.url}${pathname}`)
  await page.getByLabel('E-mail').fill(MERCHANT.email)
  await page.getByLabel('Senha').fill(MERCHANT.password)
  await page.getByRole('button', { name: 'Entrar' }).click()
}
