import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { serve, type ServerType } from '@hono/node-server'
import type { Browser, Page } from 'playwright-core'
import { startTestSmtp, waitForCode, type TestSmtp } from '../server/email/test-support.ts'
import { saveIntegration, setActive, setSalesSource } from '../server/integrations/service.ts'
import { runSync } from '../server/integrations/sync.ts'
import {
  createLiSimulator,
  findStatusByCodigo,
  type LiSimulator,
  type SeededStore,
} from '../server/li-simulator/index.ts'
import { encryptSecret } from '../server/lib/crypto.ts'
import { createMerchant } from '../server/merchants/service.ts'
import { createProgram, updateProgram } from '../server/programs/service.ts'
import { createReward } from '../server/rewards/service.ts'
import { updateAmountRedemption } from '../server/cashback/service.ts'
import { startRuntime, type Runtime } from '../server/runtime.ts'
import { testDatabase } from '../server/test/database.ts'
import { testConfig } from '../server/test/harness.ts'
import { launchBrowser, watchErrors } from './browser.ts'

/**
 * The storefront widget on a fake Loja Integrada store served from another origin than the API:
 * one script tag, the launcher, join refused → the store's sign-up page, login with the code read
 * from a real SMTP server, balance and history, logout; also on a 360 px phone and with hostile
 * page CSS, and on a hostile theme at 320 and 1280 px (each test prints the boxes it measured).
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
let leftKey: string

/** Page CSS that unsets and overrides everything it can reach: the widget must not care. */
const HOSTILE_CSS =
  '*{all:unset!important} html{font-size:8px!important} ' +
  'div,button,input,span{display:inline!important;position:static!important;color:red!important;' +
  'font-size:30px!important;background:yellow!important} body{transform:scale(1.01)}'

function storePage(hostile: boolean) {
  return `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Loja Bella</title>
<style>
  body{font-family:Arial,sans-serif;margin:0} .navbar{background:#222;color:#fff;padding:12px}
  .row{display:flex;flex-wrap:wrap;gap:16px;padding:16px}
  .span3{width:220px;border:1px solid #ddd;padding:8px} .btn{background:#08c;color:#fff;border:0;padding:6px 12px}
  ${hostile ? HOSTILE_CSS : ''}
</style>
<script>window.jQuery=window.$=function(){return{ready:function(f){f()}}};Array.prototype.each=function(f){for(var i=0;i<this.length;i++)f(this[i])};</script>
</head><body>
<div class="navbar">Loja Bella — Minha conta · Carrinho</div>
<div class="row">${[1, 2, 3, 4].map((i) => `<div class="span3"><p>Produto ${i}</p><p>R$ ${i}9,90</p><button class="btn">Comprar</button></div>`).join('')}</div>
<script async src="${runtime.url}/widget.js" data-program="${programKey}"></script>
</body></html>`
}

/**
 * A storefront built to defeat a widget (issue 24): an off-canvas theme's transformed, scrolling
 * <body>; two top bars at the maximum z-index; a WhatsApp pill bottom right and a chat bubble
 * bottom left, both at the maximum z-index; global resets with !important (also on buttons,
 * dialogs and popovers) and html { font-size: 62.5% }.
 */
function hostileThemePage(key: string) {
  return `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Loja Hostil</title>
<style>
  html{font-size:62.5%} html,body{height:100%}
  body{margin:0;overflow-y:auto;transform:translate3d(0,0,0);font:1.4rem Arial,sans-serif}
  *,*::before,*::after{box-sizing:content-box!important;margin:0!important;padding:0!important;border:0!important;
    font-size:1.4rem!important;line-height:1!important;
    font-family:Georgia,serif!important;color:#b00!important;letter-spacing:.3em!important;text-transform:uppercase!important;visibility:visible!important}
  button,dialog,[popover],[role=dialog]{all:unset!important;display:inline!important;position:static!important;z-index:0!important}
  div,span{opacity:.99!important}
  .promo{position:fixed;top:0;left:0;right:0;height:32px;background:#000;z-index:2147483647}
  .topbar{position:fixed;top:32px;left:0;right:0;height:56px;background:#222;z-index:2147483647}
  .wa{position:fixed;right:12px;bottom:12px;width:190px;height:56px;border-radius:28px;background:#25d366;z-index:2147483647}
  .chat{position:fixed;left:12px;bottom:12px;width:60px;height:60px;border-radius:50%;background:#1a73e8;z-index:2147483647}
  .grid{display:flex;flex-wrap:wrap;gap:16px;padding-top:100px} .card{width:140px;height:220px;background:#eee}
</style></head><body>
<div class="promo">Frete grátis acima de R$ 199</div><div class="topbar">Loja Hostil — Menu · Carrinho</div>
<div class="grid">${Array.from({ length: 24 }, (_, i) => `<div class="card">Produto ${i + 1}</div>`).join('')}</div>
<a class="wa" href="#whatsapp">Fale no WhatsApp</a><div class="chat" role="button">Chat</div>
<script async src="${runtime.url}/widget.js" data-program="${key}"></script>
</body></html>`
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  sim = createLiSimulator({ rateLimit: false })
  seeded = sim.seed({ seed: 71, customers: 12, orders: 60, storeId: 'loja-e2e' })
  simServer = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const simUrl = `http://127.0.0.1:${(simServer.address() as AddressInfo).port}`
  smtp = await startTestSmtp()

  // The fake store: its own origin (another port), pages built once the API's URL is known.
  let hostile = false
  store = http.createServer((req, res) => {
    hostile = req.url?.startsWith('/hostile') ?? false
    const url = new URL(req.url ?? '/', storeUrl)
    // Product pictures of the store's feed, on the store's own domain.
    if (url.pathname.startsWith('/img/')) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><rect width="200" height="200" fill="#2e7d32"/></svg>`
      return void res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(svg)
    }
    const html =
      url.pathname === '/tema-hostil'
        ? hostileThemePage(url.searchParams.get('programa') ?? programKey)
        : storePage(hostile)
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html)
  })
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', () => resolve()))
  storeUrl = `http://127.0.0.1:${(store.address() as AddressInfo).port}`

  const database = await testDatabase()
  runtime = await startRuntime(
    testConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LI_API_URL: simUrl,
      LI_APP_KEY: sim.applicationKey,
      SMTP_URL: smtp.url,
      LI_REQUESTS_PER_MINUTE: '100000',
    }),
    { database },
  )
  const deps = runtime.deps
  const merchant = await createMerchant(deps.db, { email: 'dona@bella.test', password: 'senha longa de teste' })
  const program = await createProgram(deps.db, merchant.id, {
    name: 'Clube Bella',
    pointsName: 'pontos',
    earnRate: 1,
    primaryColor: '#7b1fa2',
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
  // A second program whose merchant put the launcher bottom left, 32 px from the side and 40 from the bottom.
  const left = await createProgram(deps.db, merchant.id, {
    name: 'Clube Canhoto',
    pointsName: 'pontos',
    earnRate: 1,
    primaryColor: '#0f5f57',
    textColor: '#ffffff',
    joiningOpen: true,
  })
  await updateProgram(deps.db, merchant.id, left.id, {
    launcherCorner: 'bottom-left',
    launcherOffsetX: 32,
    launcherOffsetY: 40,
  })
  await deps.db.insertInto('widget_origins').values({ program_id: left.id, origin: storeUrl }).execute()
  // Connected to the store (written directly): a program without an active connection is paused
  // and its widget offers no login.
  await deps.db
    .insertInto('integrations')
    .values({
      program_id: left.id,
      credential_kind: 'chave_api',
      api_key_enc: encryptSecret(deps.secrets.encryptionKey, seeded.apiKey, left.id),
      api_key_last4: seeded.apiKey.slice(-4),
      site_url: storeUrl + '/',
      active: true,
      activated_at: new Date(),
    })
    .execute()
  leftKey = left.programKey
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

async function openStore(page: Page, pathname: string | null = '/') {
  if (pathname !== null) await page.goto(storeUrl + pathname)
  const launcher = page.locator('[data-fidelis]').locator('button[aria-haspopup="dialog"]')
  await launcher.waitFor()
  return launcher
}

test('e-mail first: a non-customer is sent to the sign-up page before typing anything else, and comes back to their e-mail', async () => {
  const page = await browser.newPage()
  // 409 signup_required is the API's designed answer here (Chromium logs it as a console error).
  const errors = watchErrors(page, [{ status: 409, url: /\/v1\/widget\/[^/]+\/login$/ }])
  const launcher = await openStore(page)
  await launcher.click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name: 'Quero participar' }).click()
  // Only the e-mail is asked first.
  await dialog.getByLabel('E-mail', { exact: true }).fill('nao.cliente@exemplo.com.br')
  assert.equal(await dialog.getByLabel('Nome').count(), 0)
  assert.equal(await dialog.getByLabel(/CPF/).count(), 0)
  await dialog.getByRole('button', { name: 'Continuar' }).click()
  const go = dialog.getByRole('link', { name: 'Ir para o cadastro' })
  await go.waitFor()
  // The e-mail stays out of the sign-up URL (store logs, analytics, Referer); the screen names it.
  assert.equal(await go.getAttribute('href'), `${storeUrl}/conta/criar`)
  await dialog.getByText('Use o e-mail nao.cliente@exemplo.com.br no cadastro').waitFor()
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-signup-required.png') })
  await go.click()
  await page.waitForURL(`${storeUrl}/conta/criar`)
  // Back in the store after signing up: the e-mail step starts with the same address.
  const back = await openStore(page)
  await back.click()
  await dialog.getByRole('button', { name: 'Quero participar' }).click()
  assert.equal(await dialog.getByLabel('E-mail', { exact: true }).inputValue(), 'nao.cliente@exemplo.com.br')
  assert.deepEqual(errors, [])
  await page.close()
})

test('a store customer logs in with the e-mailed code, sees balance and history, and logs out', async () => {
  const customer = seeded.store.customers[0]!
  const email = customer.email.toLowerCase()
  const page = await browser.newPage()
  const errors = watchErrors(page)
  const dialog = await logIn(page, email)
  const balance = await runtime.deps.db
    .selectFrom('members')
    .select('balance')
    .where('program_id', '=', programId)
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  assert.match(
    (await dialog.locator('[data-balance]').textContent()) ?? '',
    new RegExp(new Intl.NumberFormat('pt-BR').format(balance.balance)),
  )
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-balance.png') })

  // Esc closes and gives focus back to the launcher; a reload resumes the session silently.
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
  assert.equal(
    await page.evaluate(() =>
      (document.querySelector('[data-fidelis]')!.shadowRoot!.activeElement as HTMLElement | null)?.getAttribute(
        'aria-haspopup',
      ),
    ),
    'dialog',
  )
  const calls: string[] = []
  page.on(
    'response',
    (r) =>
      void (
        r.url().includes('/v1/widget/') &&
        calls.push(`${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`)
      ),
  )
  await page.reload()
  const again = await openStore(page, null)
  await again.click()
  await page
    .getByRole('dialog')
    .getByText('Seu saldo')
    .waitFor({ timeout: 10_000 })
    .catch((err) => {
      throw new Error(`${err.message}\n${calls.join('\n')}`)
    })
  await page.getByRole('dialog').getByRole('button', { name: 'Sair' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Já participo' }).waitFor()
  assert.equal(await page.evaluate((k) => localStorage.getItem(`fidelis:${k}:refresh`), programKey), null)
  assert.deepEqual(errors, [])
  await page.close()
})

test('on a 360 px phone the panel is a full-screen sheet, keyboard only works, hostile page CSS changes nothing', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } })
  const page = await context.newPage()
  const errors = watchErrors(page)
  const launcher = await openStore(page, '/hostile')
  await launcher.focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog')
  await dialog.waitFor()
  const box = await dialog.boundingBox()
  assert.ok(box && box.width >= 359 && box.height >= 700, `sheet is ${box?.width}×${box?.height}`)
  // Tab stays inside the panel.
  for (let i = 0; i < 6; i++) await page.keyboard.press('Tab')
  assert.equal(
    await page.evaluate(
      () => !!document.querySelector('[data-fidelis]')!.shadowRoot!.activeElement?.closest('[role=dialog]'),
    ),
    true,
  )
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-mobile-hostile.png') })
  assert.equal(
    await page.evaluate(() => Object.keys(window).filter((k) => k.startsWith('Fidelis')).length),
    1,
    'one global',
  )
  assert.deepEqual(errors, [])
  await context.close()
})

type Box = { x: number; y: number; width: number; height: number }
const round = (b: Box | null) =>
  b && { x: Math.round(b.x), y: Math.round(b.y), w: Math.round(b.width), h: Math.round(b.height) }
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

/** What the shopper's pointer would hit at the centre of `box`: the widget's host, or something of the page. */
const hitsWidget = (page: Page, box: Box) =>
  page.evaluate(
    ([x, y]) => {
      const el = document.elementFromPoint(x!, y!)
      return el === document.querySelector('[data-fidelis]')
        ? 'widget'
        : `${el?.tagName.toLowerCase()}.${el?.className}`
    },
    [box.x + box.width / 2, box.y + box.height / 2],
  )

for (const { viewport, corner } of [
  { viewport: { width: 320, height: 568 }, corner: 'right' },
  { viewport: { width: 1280, height: 800 }, corner: 'right' },
  { viewport: { width: 1280, height: 800 }, corner: 'left' },
] as const) {
  test(`on a hostile theme at ${viewport.width} px, launcher bottom ${corner}, the launcher and the panel are on top and clickable`, async () => {
    const context = await browser.newContext({ viewport })
    const page = await context.newPage()
    const errors = watchErrors(page)
    const launcher = await openStore(page, corner === 'right' ? '/tema-hostil' : `/tema-hostil?programa=${leftKey}`)
    // The launcher settles clear of the floats of its corner (it moves once it has measured them).
    await page.waitForFunction(
      () => {
        const l = document
          .querySelector('[data-fidelis]')!
          .shadowRoot!.querySelector('button[aria-haspopup]')!
          .getBoundingClientRect()
        return [...document.querySelectorAll('.wa,.chat')].every((f) => {
          const r = f.getBoundingClientRect()
          return l.bottom <= r.top || l.top >= r.bottom || l.right <= r.left || l.left >= r.right
        })
      },
      undefined,
      { timeout: 5000 },
    )
    const launcherBox = (await launcher.boundingBox())!
    for (const float of ['.wa', '.chat'])
      assert.ok(!overlap(launcherBox, (await page.locator(float).boundingBox())!), `launcher clear of ${float}`)
    assert.ok(
      launcherBox.y >= 0 && launcherBox.y + launcherBox.height <= viewport.height,
      `launcher inside the viewport: ${JSON.stringify(round(launcherBox))}`,
    )
    assert.ok(
      launcherBox.x >= 0 && launcherBox.x + launcherBox.width <= viewport.width,
      `launcher inside the viewport: ${JSON.stringify(round(launcherBox))}`,
    )
    // The merchant's corner and side offset (default: bottom right, 20 px); the page's 62.5 % html font size ignored.
    if (corner === 'right') assert.equal(Math.round(viewport.width - (launcherBox.x + launcherBox.width)), 20)
    else assert.equal(Math.round(launcherBox.x), 32)
    assert.ok(launcherBox.height >= 40, `launcher height ${launcherBox.height}`)
    const launcherHit = await hitsWidget(page, launcherBox)

    // A real click at its centre opens the panel.
    await page.mouse.click(launcherBox.x + launcherBox.width / 2, launcherBox.y + launcherBox.height / 2)
    const dialog = page.getByRole('dialog')
    await dialog.waitFor({ timeout: 5000 })
    // Measured once its slide-in animation is over.
    await dialog.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)))
    const panelBox = (await dialog.boundingBox())!
    const close = dialog.getByRole('button', { name: 'Fechar' })
    const closeBox = (await close.boundingBox())!
    const closeHit = await hitsWidget(page, closeBox)
    const join = dialog.getByRole('button', { name: 'Já participo' })
    const joinHit = await hitsWidget(page, (await join.boundingBox())!)
    console.log(
      JSON.stringify({
        viewport: `${viewport.width}x${viewport.height}`,
        corner,
        launcher: round(launcherBox),
        panel: round(panelBox),
        close: round(closeBox),
        launcherCentreHit: launcherHit,
        closeCentreHit: closeHit,
      }),
    )
    await page.screenshot({ path: path.join(ARTIFACTS, `widget-hostile-theme-${viewport.width}-${corner}.png`) })
    assert.equal(launcherHit, 'widget', 'the launcher is on top at its centre')
    assert.equal(closeHit, 'widget', 'the close button is on top at its centre')
    assert.equal(joinHit, 'widget', 'the panel is on top')
    assert.ok(
      panelBox.y >= 0 &&
        panelBox.y + panelBox.height <= viewport.height &&
        panelBox.x >= 0 &&
        panelBox.x + panelBox.width <= viewport.width,
      `panel inside the viewport: ${JSON.stringify(round(panelBox))}`,
    )

    // The panel takes real clicks; the page's styles did not reach its text; the close button closes it.
    const joinBox = (await join.boundingBox())!
    await page.mouse.click(joinBox.x + joinBox.width / 2, joinBox.y + joinBox.height / 2)
    await dialog.getByLabel('E-mail', { exact: true }).waitFor({ timeout: 5000 })
    const text = await dialog
      .locator('h2')
      .evaluate((h) => ({ size: getComputedStyle(h).fontSize, transform: getComputedStyle(h).textTransform }))
    assert.deepEqual(text, { size: '17px', transform: 'none' })
    const closeNow = (await close.boundingBox())!
    await page.mouse.click(closeNow.x + closeNow.width / 2, closeNow.y + closeNow.height / 2)
    await dialog.waitFor({ state: 'detached', timeout: 5000 })
    assert.deepEqual(errors, [])
    await context.close()
  })
}

test('destroy then init starts the widget afresh: the next open shows the welcome screen', async () => {
  const page = await browser.newPage()
  const errors = watchErrors(page)
  const launcher = await openStore(page)
  await launcher.click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name: 'Já participo' }).click()
  await dialog.getByRole('button', { name: 'Enviar código' }).waitFor()

  await page.evaluate(() => {
    const fidelis = (window as unknown as { Fidelis: { destroy(): void; init(): void } }).Fidelis
    fidelis.destroy()
    fidelis.init()
  })
  await dialog.waitFor({ state: 'detached' })
  const again = await openStore(page, null)
  await again.click()
  // The login step left open before the destroy is gone: a new mount has a new state.
  await dialog.getByRole('button', { name: 'Já participo' }).waitFor()
  assert.equal(await dialog.getByRole('button', { name: 'Enviar código' }).count(), 0)
  assert.equal(await again.getAttribute('aria-expanded'), 'true')
  // The app module was fetched once and mounted twice.
  assert.equal(
    await page.evaluate(
      () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/widget/app-')).length,
    ),
    1,
  )
  assert.deepEqual(errors, [])
  await page.close()
})

async function logIn(page: Page, email: string) {
  const launcher = await openStore(page)
  await launcher.click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name: 'Já participo' }).click()
  await dialog.getByLabel('E-mail', { exact: true }).fill(email)
  await dialog.getByRole('button', { name: 'Enviar código' }).click()
  await dialog.getByLabel('Código').fill(await waitForCode(smtp, email))
  await dialog.getByRole('button', { name: 'Entrar' }).click()
  await dialog.getByText('Seu saldo').waitFor()
  return dialog
}

test('a member redeems a reward: confirmation, the coupon code from the store, then it is listed under Cupons', async () => {
  // The richest member after the sync, and two rewards: one they can afford, one they cannot.
  const rich = await runtime.deps.db
    .selectFrom('members')
    .select(['email', 'balance'])
    .where('program_id', '=', programId)
    .orderBy('balance', 'desc')
    .executeTakeFirstOrThrow()
  assert.ok(rich.balance >= 2, `a member with points (best: ${rich.balance})`)
  const cost = Math.max(1, Math.floor(rich.balance / 2))
  await createReward(runtime.deps.db, programId, {
    kind: 'fixed_discount',
    title: 'Vale R$ 15',
    pointsCost: cost,
    valueCents: 1500,
    minimumOrderCents: 10000,
    active: true,
  })
  await createReward(runtime.deps.db, programId, {
    kind: 'free_shipping',
    title: 'Frete grátis VIP',
    pointsCost: rich.balance + 500,
    active: true,
  })

  const page = await browser.newPage()
  const errors = watchErrors(page)
  const dialog = await logIn(page, rich.email)
  await dialog.getByRole('tab', { name: 'Prêmios' }).click()
  const expensive = dialog.getByRole('button', { name: 'Resgatar: Frete grátis VIP' })
  await expensive.waitFor()
  assert.equal(await expensive.isDisabled(), true)
  assert.match((await expensive.textContent()) ?? '', /^Faltam 500 pontos$/)
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-rewards.png') })

  await dialog.getByRole('button', { name: 'Resgatar: Vale R$ 15' }).click()
  await dialog.getByRole('heading', { name: 'Confirmar resgate' }).waitFor()
  assert.match((await dialog.textContent()) ?? '', /R\$\s15,00 de desconto · Pedido mínimo de R\$\s100,00/)
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-redeem-confirm.png') })
  await dialog.getByRole('button', { name: 'Confirmar resgate' }).click()
  await dialog.getByText('Seu cupom está pronto!').waitFor({ timeout: 20_000 })
  const code = (await dialog.locator('[data-code]').textContent()) ?? ''
  assert.match(code, /^FID[A-Z0-9]{12}$/)
  const inStore = sim.state.requireStore(seeded.store.id).findCouponByCodigo(code)
  assert.ok(inStore, 'the coupon exists in the store')
  assert.equal(inStore.valorHundredths, 1500)
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-redeem-issued.png') })
  await codeFullyVisible(page, code, 'result')

  await dialog.getByRole('button', { name: 'Voltar' }).click()
  await dialog.getByRole('tab', { name: 'Cupons', selected: true }).waitFor()
  await codeFullyVisible(page, code, 'coupons')
  const nf = new Intl.NumberFormat('pt-BR')
  await dialog
    .locator('[data-balance]')
    .filter({ hasText: nf.format(rich.balance - cost) })
    .waitFor()
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-coupons.png') })
  assert.deepEqual(errors, [])
  await page.close()
})

test('a points program with the "any amount" option: "Usar saldo" turns points into a coupon of a chosen value', async () => {
  // The second richest: the richest logs in again in the next test (a fresh code each time).
  const rich = await runtime.deps.db
    .selectFrom('members')
    .select(['email', 'balance'])
    .where('program_id', '=', programId)
    .orderBy('balance', 'desc')
    .limit(1)
    .offset(1)
    .executeTakeFirstOrThrow()
  assert.ok(rich.balance >= 20, `a member with 20 points or more (best: ${rich.balance})`)
  // R$ 0,05 a point, from R$ 1,00, at most half of an order.
  await runtime.deps.db.transaction().execute((trx) =>
    updateAmountRedemption(trx, programId, {
      enabled: true,
      centsPerPoint: 5,
      minRedemptionCents: 100,
      maxOrderSharePct: 50,
    }),
  )
  // Program settings are cached for seconds per process: wait until the widget's config says so.
  for (let i = 0; ; i++) {
    const config = (await (await fetch(`${runtime.url}/v1/widget/${programKey}/config`)).json()) as {
      amountRedemption?: boolean
    }
    if (config.amountRedemption) break
    assert.ok(i < 120, 'the option reached the widget')
    await new Promise((r) => setTimeout(r, 250))
  }
  const page = await browser.newPage()
  const errors = watchErrors(page)
  const dialog = await logIn(page, rich.email)
  // Points look as they always did; the rewards stay.
  await dialog.getByRole('tab', { name: 'Prêmios' }).waitFor()
  await dialog.getByRole('button', { name: 'Usar saldo' }).click()
  const input = dialog.getByLabel('Valor do desconto (R$)')
  await input.fill('1,02')
  await dialog.getByText('Escolha um múltiplo de R$\u00a00,05 (o valor de 1 ponto).').waitFor()
  await input.fill('1,00')
  await dialog.getByText('Vale em pedidos a partir de R$\u00a02,00.', { exact: false }).waitFor()
  await dialog.getByText('Serão descontados 20 pontos do seu saldo.').waitFor()
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-points-amount.png') })
  await dialog.getByRole('button', { name: 'Usar R$\u00a01,00' }).click()
  await dialog.getByText('Seu cupom está pronto!').waitFor({ timeout: 20_000 })
  const code = ((await dialog.locator('[data-code]').textContent()) ?? '').trim()
  await codeFullyVisible(page, code, 'result')
  const inStore = sim.state.requireStore(seeded.store.id).findCouponByCodigo(code)
  assert.ok(inStore, 'the coupon exists in the store')
  assert.equal(inStore.valorHundredths, 100)
  assert.equal(inStore.valorMinimoCents, 200)
  const after = await runtime.deps.db
    .selectFrom('members')
    .select('balance')
    .where('email', '=', rich.email)
    .where('program_id', '=', programId)
    .executeTakeFirstOrThrow()
  assert.equal(after.balance, rich.balance - 20)
  assert.deepEqual(errors, [])
  await page.close()
})

/**
 * The coupon code as a person sees it, at 320 px, 360 px and desktop, before and after "Copiar
 * código": the rendered text is the whole code, nothing scrolled or cut (scrollWidth ≤
 * clientWidth), inside the viewport and the panel, at a readable size.
 */
async function codeFullyVisible(page: Page, code: string, where: string) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: storeUrl })
  const dialog = page.getByRole('dialog')
  const box = dialog.locator('[data-code]').filter({ hasText: code }).first()
  const check = async (width: number, moment: string) => {
    await page.setViewportSize({ width, height: width < 500 ? 640 : 800 })
    await box.scrollIntoViewIfNeeded()
    await box.waitFor({ state: 'visible' })
    const m = await box.evaluate((el) => {
      const r = el.getBoundingClientRect()
      const panel = el.closest('[role=dialog]')!.getBoundingClientRect()
      return {
        text: (el as HTMLElement).innerText,
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
        scrollHeight: el.scrollHeight,
        clientHeight: el.clientHeight,
        inside: r.left >= 0 && r.right <= innerWidth && r.left >= panel.left && r.right <= panel.right,
        fontSize: parseFloat(getComputedStyle(el).fontSize),
      }
    })
    const label = `${where} at ${width} px ${moment}: ${JSON.stringify(m)}`
    assert.equal(m.text, code, label)
    assert.ok(m.scrollWidth <= m.clientWidth && m.scrollHeight <= m.clientHeight, label)
    assert.ok(m.inside, label)
    assert.ok(m.fontSize >= 16, label)
    await page.screenshot({ path: path.join(ARTIFACTS, `widget-code-${where}-${width}-${moment}.png`) })
  }
  for (const width of [320, 360, 1280]) await check(width, 'before-copy')
  await dialog.getByRole('button', { name: 'Copiar código' }).first().click()
  await dialog.getByText('Código copiado!').waitFor()
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code)
  for (const width of [320, 360, 1280]) await check(width, 'after-copy')
}

test('rewards: products as products (picture, "Ganhe …", how the coupon works), affordable first, "Ver mais"', async () => {
  const rich = await runtime.deps.db
    .selectFrom('members')
    .select(['email', 'balance'])
    .where('program_id', '=', programId)
    .orderBy('balance', 'desc')
    .executeTakeFirstOrThrow()
  // Nine products around the member's balance, made like a feed import (pictures on the store's domain).
  const costs = [
    rich.balance + 900,
    rich.balance + 40,
    1,
    rich.balance + 300,
    rich.balance + 5000,
    rich.balance + 2,
    rich.balance + 700,
    rich.balance + 60,
    rich.balance + 1,
  ]
  await runtime.deps.db
    .insertInto('rewards')
    .values(
      costs.map((points_cost, i) => ({
        program_id: programId,
        kind: 'product' as const,
        source: 'feed' as const,
        title: `Garrafa Térmica ${i + 1}`,
        feed_item_id: `e2e-${i + 1}`,
        price_cents: 2190,
        points_cost,
        image_url: `${storeUrl}/img/garrafa-${i + 1}.svg`,
        link: `${storeUrl}/garrafa-${i + 1}`,
      })),
    )
    .execute()
  await createReward(runtime.deps.db, programId, {
    kind: 'free_shipping',
    title: 'Frete grátis',
    pointsCost: 2,
    active: true,
  })

  const page = await browser.newPage()
  const errors = watchErrors(page)
  const dialog = await logIn(page, rich.email)
  await dialog.getByRole('tab', { name: 'Prêmios' }).click()
  const list = dialog.getByRole('tabpanel')
  const first = list.locator('li').first()
  await first.waitFor()
  const names = await list.locator('li strong').allTextContents()
  const affordable = await list
    .locator('li button')
    .evaluateAll((bs) => bs.map((b) => !(b as HTMLButtonElement).disabled))
  // Whatever the member can redeem first, then the nearest: no redeemable one after one that is not.
  assert.ok(
    affordable.indexOf(false) === -1 || !affordable.slice(affordable.indexOf(false)).includes(true),
    JSON.stringify({ names, affordable }),
  )
  // A screenful, then "Ver mais" with the count of the rest.
  assert.equal(names.length, 6, JSON.stringify(names))
  const more = dialog.getByRole('button', { name: /^Ver mais \d+ prêmios?$/ })
  await more.waitFor()

  // The product reads as the product, once, with its picture; "Frete grátis" is said once.
  const product = list.locator('li').filter({ hasText: 'Ganhe Garrafa Térmica 3' })
  await product.waitFor()
  assert.match((await product.textContent()) ?? '', /Cupom no valor do produto: coloque-o no carrinho e use o código\./)
  assert.doesNotMatch((await product.textContent()) ?? '', /de desconto|Pedido mínimo/)
  const img = product.getByRole('img', { name: 'Garrafa Térmica 3' })
  await img.waitFor({ state: 'visible' })
  await page.waitForFunction((el) => (el as HTMLImageElement).complete, await img.elementHandle())
  const pic = await img.evaluate((el: HTMLImageElement) => ({
    loading: el.loading,
    w: el.getAttribute('width'),
    h: el.getAttribute('height'),
    natural: el.naturalWidth,
    box: el.getBoundingClientRect().width,
  }))
  assert.deepEqual(pic, { loading: 'lazy', w: '56', h: '56', natural: 200, box: 56 })
  const freeShipping = list.locator('li').filter({ hasText: 'Frete grátis' }).filter({ hasNotText: 'VIP' })
  assert.equal(((await freeShipping.textContent()) ?? '').match(/Frete grátis/g)?.length, 1)
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-rewards-products.png') })

  const rest = Number(/\d+/.exec((await more.textContent()) ?? '')?.[0])
  assert.ok(rest >= 5, `${rest} more`)
  await more.click()
  assert.equal(await list.locator('li').count(), 6 + rest)
  const missing = (await list.locator('li button:disabled').allTextContents()).map((x) =>
    Number(/([\d.]+) ponto/.exec(x)?.[1]?.replace(/\./g, '')),
  )
  assert.deepEqual(
    missing,
    [...missing].sort((a, b) => a - b),
    'the nearest first',
  )
  // Focus lands on the first reward the click revealed.
  await page.waitForFunction(
    () => document.querySelector('[data-fidelis]')!.shadowRoot!.activeElement?.getAttribute('data-i') === '6',
    undefined,
    { timeout: 2000 },
  )
  assert.equal(await dialog.getByRole('button', { name: /^Ver mais/ }).count(), 0)
  assert.deepEqual(errors, [])
  await page.close()
})

test('joining: the form comes with the code; every refused field says why, at once; a rate limit counts down', async () => {
  const email = seeded.store.customers[1]!.email.toLowerCase()
  const page = await browser.newPage()
  // An IP of its own for the rate limits (tests trust X-Forwarded-For), so other tests' tries do not count.
  await page.route(`${runtime.url}/v1/widget/**`, (route) =>
    route.continue({ headers: { ...route.request().headers(), 'x-forwarded-for': '10.17.0.4' } }),
  )
  const errors = watchErrors(page, [
    { status: 401, url: /\/login\/verify$/ },
    { status: 429, url: /\/login\/verify$/ },
  ])
  const verifies: string[] = []
  page.on('request', (r) => void (r.url().endsWith('/login/verify') && r.method() === 'POST' && verifies.push(r.url())))
  const launcher = await openStore(page)
  await launcher.click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name: 'Quero participar' }).click()
  await dialog.getByLabel('E-mail', { exact: true }).fill(email)
  await dialog.getByRole('button', { name: 'Continuar' }).click()
  // A store customer: now the join form, beside the code on its way.
  await dialog.getByText('Complete seu cadastro enquanto o código chega:').waitFor()
  const real = await waitForCode(smtp, email)
  await dialog.getByLabel('Nome').fill('x'.repeat(300))
  await dialog.getByLabel('CPF (opcional)').fill('529.982.247-24')
  await dialog.getByLabel('Código').fill(real)
  await dialog.getByRole('button', { name: 'Entrar' }).click()
  // Both fields, each with its rule, at once; nothing sent.
  await dialog.getByRole('alert').filter({ hasText: 'Corrija os 2 campos destacados.' }).waitFor()
  await dialog.getByText('Nome muito longo: até 200 caracteres.').waitFor()
  await dialog.getByText('CPF inválido: confira os 11 dígitos.').waitFor()
  assert.equal(await dialog.getByLabel('Nome').getAttribute('aria-invalid'), 'true')
  assert.equal(await dialog.getByLabel('CPF (opcional)').getAttribute('aria-invalid'), 'true')
  assert.equal(
    await page.evaluate(() => document.querySelector('[data-fidelis]')!.shadowRoot!.activeElement?.id),
    'fid-name',
  )
  assert.deepEqual(verifies, [])
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-join-field-errors.png') })

  // Fixed; then wrong codes until the limiter answers: the wait is shown, counting down from its retryAfter.
  await dialog.getByLabel('Nome').fill('Cliente Teste')
  await dialog.getByLabel('CPF (opcional)').fill('')
  const wrong = real === '000000' ? '111111' : '000000'
  let retryAfter = 0
  for (let i = 0; i < 12 && !retryAfter; i++) {
    await dialog.getByLabel('Código').fill(wrong)
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/login/verify') && r.request().method() === 'POST'),
      dialog.getByRole('button', { name: 'Entrar' }).click(),
    ])
    if (res.status() === 429) retryAfter = (await res.json()).error.retryAfter
    else await dialog.getByRole('button', { name: 'Entrar' }).and(page.locator(':enabled')).waitFor()
  }
  assert.ok(retryAfter > 0, 'the limiter answered')
  const alert = dialog.getByRole('alert')
  await alert.filter({ hasText: /^Muitas tentativas\. Tente de novo em \d+ s\.$/ }).waitFor()
  const shown = Number(/(\d+) s/.exec((await alert.textContent()) ?? '')?.[1])
  assert.ok(shown <= retryAfter && shown >= retryAfter - 2, `shown ${shown}, retryAfter ${retryAfter}`)
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-rate-limited.png') })
  // It counts down (to a lower number, or to its end: a window about to close gives retryAfter 1).
  await page.waitForFunction(
    (n) => {
      const text =
        document.querySelector('[data-fidelis]')!.shadowRoot!.querySelector('[role=alert]')?.textContent ?? ''
      const m = /em (\d+) s/.exec(text)
      return m ? Number(m[1]) < n : true
    },
    shown,
    { timeout: 10_000 },
  )
  assert.deepEqual(errors, [])
  await page.close()
})

test('a long program name keeps the launcher on one line; the whole name is still its name for screen readers', async () => {
  const name = 'Clube de Vantagens e Benefícios Exclusivos da Loja Bella para Clientes Fiéis'
  const merchant = await runtime.deps.db
    .selectFrom('programs')
    .select('merchant_id')
    .where('id', '=', programId)
    .executeTakeFirstOrThrow()
  const long = await createProgram(runtime.deps.db, merchant.merchant_id, {
    name,
    pointsName: 'pontos',
    earnRate: 1,
    primaryColor: '#7b1fa2',
    textColor: '#ffffff',
    joiningOpen: true,
  })
  await runtime.deps.db.insertInto('widget_origins').values({ program_id: long.id, origin: storeUrl }).execute()
  for (const viewport of [
    { width: 320, height: 568 },
    { width: 1280, height: 800 },
  ]) {
    const context = await browser.newContext({ viewport })
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${storeUrl}/tema-hostil?programa=${long.programKey}`)
    const launcher = page.getByRole('button', { name })
    await launcher.waitFor()
    const box = (await launcher.boundingBox())!
    const label = await launcher
      .locator('span')
      .first()
      .evaluate((el) => ({
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
        overflow: getComputedStyle(el).textOverflow,
      }))
    console.log(JSON.stringify({ viewport: viewport.width, launcher: round(box), label }))
    await page.screenshot({ path: path.join(ARTIFACTS, `widget-long-name-${viewport.width}.png`) })
    assert.ok(box.height <= 48, `one line: ${box.height} px high`)
    assert.ok(
      box.x >= 0 && box.x + box.width <= viewport.width && box.width <= 280,
      `inside the viewport: ${JSON.stringify(round(box))}`,
    )
    assert.ok(label.scrollWidth > label.clientWidth && label.overflow === 'ellipsis', 'cut with an ellipsis')
    assert.equal(await launcher.getAttribute('title'), name)
    assert.deepEqual(errors, [])
    await context.close()
  }
})

test('a paused program (store connection off): the widget says "Programa pausado" and offers no login', async () => {
  const merchant = await runtime.deps.db
    .selectFrom('programs')
    .select('merchant_id')
    .where('id', '=', programId)
    .executeTakeFirstOrThrow()
  const configUrl = `${runtime.url}/v1/widget/${programKey}/config`
  const loginOpen = async () =>
    (await (await fetch(configUrl, { headers: { 'cache-control': 'no-cache' } })).json()).loginOpen as boolean
  await setActive(runtime.deps, merchant.merchant_id, programId, false)
  try {
    // Other API processes (and this one's program cache) see the change within seconds.
    while (await loginOpen()) await new Promise((r) => setTimeout(r, 200))
    const page = await browser.newPage()
    const errors = watchErrors(page)
    const launcher = await openStore(page)
    await launcher.click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText('Programa pausado').waitFor()
    assert.equal(await dialog.getByRole('button', { name: 'Já participo' }).count(), 0)
    await page.screenshot({ path: path.join(ARTIFACTS, 'widget-paused.png') })
    assert.deepEqual(errors, [])
    await page.close()
  } finally {
    await setActive(runtime.deps, merchant.merchant_id, programId, true)
    while (!(await loginOpen())) await new Promise((r) => setTimeout(r, 200))
  }
})
