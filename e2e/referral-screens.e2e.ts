import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { BrowserContext, Route } from 'playwright-core'
import { getSettings, saveSettings } from '../server/referrals/service.ts'
import { watchErrors } from './browser.ts'
import { ARTIFACTS, launcher, logIn, seen, startWorld, teaser, whole, type World } from './referral-world.ts'

/**
 * The widget's referral screens in every state a shopper can meet, with the referral endpoints'
 * answers given by the test (page.route) so the rare ones come on demand: a malformed e-mail
 * refused by the API (400), a rate limit (429), an unknown code (404), a refused clipboard. The
 * rest of the widget (config, login, me) is the real server's. e2e/referrals.e2e.ts runs the
 * same screens against the real referral routes, from the merchant's settings to the credit.
 * Screenshots in e2e/artifacts/referral-screens-*.png.
 */
let world: World
const CODE = 'ACDEFGH3'
const phone = { viewport: { width: 360, height: 740 } }
const shot = (page: import('playwright-core').Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `referral-screens-${name}.png`) })
const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-allow-methods': 'GET, POST',
}
const answer = (route: Route, status: number, body: unknown) =>
  route.request().method() === 'OPTIONS'
    ? route.fulfill({ status: 204, headers: cors })
    : route.fulfill({ status, headers: { ...cors, 'content-type': 'application/json' }, body: JSON.stringify(body) })
const apiError = (code: string, field?: string, extra: Record<string, unknown> = {}) => ({
  error: { code, message: code, ...(field ? { field } : {}), ...extra },
  requestId: 'test',
})

/** The friend's side of the contract: `landing` for GET …/referrals/:code, `claim` for its POST. */
async function stubFriend(
  context: BrowserContext,
  landing: { status: number; body: unknown },
  claims: Array<{ status: number; body: unknown }>,
) {
  const sent: unknown[] = []
  const asked: string[] = []
  await context.route(/\/v1\/widget\/[^/]+\/referrals\/[^/]+(\/claims)?$/, (route) => {
    const req = route.request()
    if (req.method() === 'OPTIONS') return answer(route, 204, null)
    if (req.url().endsWith('/claims')) {
      sent.push(req.postDataJSON())
      const next = claims.shift() ?? { status: 500, body: apiError('internal') }
      return answer(route, next.status, next.body)
    }
    asked.push(req.url())
    return answer(route, landing.status, landing.body)
  })
  return { sent, asked }
}

before(async () => {
  world = await startWorld({ seed: 1919, storeId: 'loja-indica-telas' })
  // On, so the widget's config lets the member home show the (stubbed) invite card.
  const db = world.runtime.deps.db
  const program = { id: world.programId, mode: 'points' as const }
  await saveSettings(db, world.programId, { ...(await getSettings(db, program)), enabled: true })
})
after(async () => {
  await world?.close()
})

test('a friend on a 360 px phone: the teaser, the code kept across pages, refusals in pt-BR, then the coupon e-mailed', async () => {
  const context = await world.browser.newContext(phone)
  const { sent } = await stubFriend(
    context,
    { status: 200, body: { friendCouponCents: 2000, friendMinOrderCents: 10_000, advocateFirstName: 'Ana' } },
    [
      { status: 400, body: apiError('validation_failed', 'email') },
      { status: 429, body: apiError('rate_limited', undefined, { retryAfter: 30 }) },
      { status: 202, body: { email: 'bia@exemplo.com.br' } },
    ],
  )
  const page = await context.newPage()
  const errors = watchErrors(page, [
    { status: 400, url: /\/claims$/ },
    { status: 429, url: /\/claims$/ },
  ])
  await page.goto(`${world.store.url}/?indicacao=${CODE.toLowerCase()}`)
  const offer = teaser(page).getByRole('button', { name: 'Ganhe R$ 20,00 na primeira compra' })
  await seen(page, offer)
  await whole(offer)
  // The teaser sits above the launcher, both whole on the phone.
  const [t, l] = [await teaser(page).boundingBox(), await launcher(page).boundingBox()]
  assert.ok(t && l && t.y + t.height <= l.y, `teaser ${JSON.stringify(t)} above launcher ${JSON.stringify(l)}`)
  await shot(page, 'teaser-360')
  const kept = await page.evaluate(
    (k) => JSON.parse(localStorage.getItem(`fidelis:${k}:referral`) ?? 'null'),
    world.programKey,
  )
  assert.equal(kept.code, CODE)
  const days = (kept.until - Date.now()) / 86_400_000
  assert.ok(days > 29.9 && days <= 30, `kept for 30 days (${days})`)

  // Another page of the store, without the code in its address: the offer is still there.
  const product = world.seeded.store.products[0]!
  await page.goto(`${world.store.url}/produto/${encodeURIComponent(product.apelido)}`)
  await seen(page, offer)
  await offer.click()
  const dialog = page.getByRole('dialog')
  await seen(page, dialog.getByRole('heading', { name: 'Ganhe R$ 20,00 na primeira compra' }))
  await seen(page, dialog.getByText('Ana indicou esta loja para você.'))
  await seen(page, dialog.getByText('Cupom de uso único para o seu primeiro pedido, a partir de R$ 100,00.'))
  // The teaser gives way to the open panel.
  await teaser(page).waitFor({ state: 'detached' })

  const email = dialog.getByLabel('E-mail', { exact: true })
  const go = dialog.getByRole('button', { name: 'Quero meu cupom' })
  // Caught before sending, then the API's own refusal of the field, both at the field.
  await email.fill('bia@')
  await go.click()
  const rule = 'E-mail inválido: confira o endereço (ex.: nome@exemplo.com.br).'
  await seen(page, dialog.getByText(rule))
  assert.equal(sent.length, 0)
  await email.fill('bia@exemplo')
  await email.fill('bia@exemplo.com.br')
  await go.click()
  await dialog.getByText(rule).waitFor()
  assert.equal(await email.getAttribute('aria-invalid'), 'true')
  assert.equal(sent.length, 1)
  await go.click()
  await seen(page, dialog.getByRole('alert').getByText(/^Muitas tentativas\. Tente de novo em \d+ s\.$/))
  await shot(page, 'offer-429-360')
  await go.click()
  const done = dialog.locator('[data-referral-sent]')
  await seen(
    page,
    done.getByText('Enviamos seu cupom para bia@exemplo.com.br: confira sua caixa de entrada.', { exact: true }),
  )
  assert.deepEqual(sent.at(-1), { email: 'bia@exemplo.com.br' })
  await shot(page, 'offer-sent-360')

  // Asked for: no teaser on the next pages, and the panel opens on the program as usual.
  await page.goto(world.store.url)
  await launcher(page).waitFor()
  await page.waitForTimeout(500)
  assert.equal(await teaser(page).count(), 0)
  await launcher(page).click()
  await dialog.getByRole('button', { name: 'Quero participar' }).waitFor()
  assert.deepEqual(errors, [])
  await context.close()
})

test('an unknown code shows nothing and is forgotten; closing the teaser keeps it closed', async () => {
  const context = await world.browser.newContext(phone)
  await stubFriend(context, { status: 404, body: apiError('referral_code_unknown') }, [])
  const page = await context.newPage()
  const errors = watchErrors(page, [{ status: 404, url: /\/referrals\/[A-Z0-9]+$/ }])
  const answered = page.waitForResponse(/\/referrals\/[A-Z0-9]+$/)
  await page.goto(`${world.store.url}/?indicacao=${CODE}`)
  await answered
  await page.waitForTimeout(300)
  assert.equal(await teaser(page).count(), 0)
  assert.equal(
    await page.evaluate((k) => localStorage.getItem(`fidelis:${k}:referral`), world.programKey),
    null,
    'the unknown code is not kept',
  )
  await launcher(page).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name: 'Quero participar' }).waitFor()
  assert.equal(await dialog.getByRole('alert').count(), 0, 'no error for the shopper')
  assert.deepEqual(errors, [])
  await context.close()

  const again = await world.browser.newContext(phone)
  await stubFriend(
    again,
    { status: 200, body: { friendCouponCents: 1500, friendMinOrderCents: 0, advocateFirstName: null } },
    [],
  )
  const p2 = await again.newPage()
  const errors2 = watchErrors(p2)
  await p2.goto(`${world.store.url}/?indicacao=${CODE}`)
  await teaser(p2).getByRole('button', { name: 'Fechar oferta' }).click()
  await teaser(p2).waitFor({ state: 'detached' })
  await p2.goto(world.store.url)
  await launcher(p2).waitFor()
  await p2.waitForTimeout(500)
  assert.equal(await teaser(p2).count(), 0, 'closed stays closed')
  // The offer is still what the panel opens on, without a minimum order or a name.
  await launcher(p2).click()
  const d2 = p2.getByRole('dialog')
  await seen(p2, d2.getByRole('heading', { name: 'Ganhe R$ 15,00 na primeira compra' }))
  await seen(p2, d2.getByText('Cupom de uso único para o seu primeiro pedido.', { exact: true }))
  await d2.getByRole('button', { name: 'Conhecer o programa' }).click()
  await d2.getByRole('button', { name: 'Quero participar' }).waitFor()
  assert.deepEqual(errors2, [])
  await again.close()
})

test('a member sees "Indique e ganhe" and no friend offer; the link is whole at 360 px and copied', async () => {
  const context = await world.browser.newContext(phone)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: world.store.url })
  const link = `${world.store.url}/?indicacao=${CODE}`
  const text = `Oi! Ganhe R$ 20,00 na sua primeira compra na Clube Bella: ${link}`
  const mine = {
    enabled: true,
    code: CODE,
    link,
    shareText: text,
    whatsappUrl: `https://wa.me/?text=${encodeURIComponent(text)}`,
    friendCouponCents: 2000,
    friendMinOrderCents: 10_000,
    advocateReward: 500,
    counts: { invited: 3, credited: 1 },
  }
  await context.route(/\/v1\/widget\/[^/]+\/me\/referral$/, (route) => answer(route, 200, mine))
  const { asked } = await stubFriend(
    context,
    { status: 200, body: { friendCouponCents: 2000, friendMinOrderCents: 0, advocateFirstName: 'Caio' } },
    [],
  )
  const page = await context.newPage()
  const errors = watchErrors(page)
  const customer = world.seeded.store.customers[0]!
  const dialog = await logIn(world, page, customer.email.toLowerCase())
  const entry = dialog.locator('[data-invite-entry]')
  await seen(page, entry.getByText('Indique e ganhe'))
  await seen(page, entry.getByText('500 pontos por indicação'))
  await shot(page, 'member-home-360')
  await entry.click()
  await seen(page, dialog.getByRole('heading', { name: 'Indique e ganhe' }))
  const box = dialog.locator('[data-referral-link]')
  await seen(page, box)
  await whole(box)
  assert.equal((await box.textContent())?.trim(), link)
  await seen(
    page,
    dialog.getByText(
      'Quem você indicar ganha R$ 20,00 de desconto na primeira compra, em pedidos a partir de R$ 100,00.',
    ),
  )
  await seen(page, dialog.getByText('Você ganha 500 pontos quando a primeira compra dessa pessoa for confirmada.'))
  await seen(page, dialog.getByText('3 pessoas indicadas · 1 compra confirmada'))
  const wa = dialog.getByRole('link', { name: 'Compartilhar no WhatsApp' })
  await seen(page, wa)
  assert.equal(await wa.getAttribute('href'), mine.whatsappUrl)
  assert.equal(await wa.getAttribute('target'), '_blank')
  assert.match((await wa.getAttribute('rel')) ?? '', /noopener/)
  await dialog.getByRole('button', { name: 'Copiar link' }).click()
  await seen(page, dialog.getByRole('status').getByText('Link copiado', { exact: true }))
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link)
  await shot(page, 'invite-360')

  // The clipboard refused: the link is selected for the shopper to copy, and they are told so.
  await page.evaluate(() => {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true })
    document.execCommand = () => false
  })
  await dialog.getByRole('button', { name: 'Copiar link' }).click()
  await seen(page, dialog.getByText(/o link ficou selecionado/))
  assert.equal(await page.evaluate(() => getSelection()?.toString().trim()), link)

  // A member who follows someone's link is not offered a friend's coupon.
  await page.goto(`${world.store.url}/?indicacao=QQQQQQQQ`)
  await launcher(page).waitFor()
  await page.waitForTimeout(500)
  assert.equal(await teaser(page).count(), 0)
  assert.equal(asked.length, 0, 'not even asked')
  assert.deepEqual(errors, [])
  await context.close()
})

test('without requestIdleCallback (Safari) the link still keeps the code, and the next page opens on the offer', async () => {
  const context = await world.browser.newContext(phone)
  await context.addInitScript(() => {
    delete (window as { requestIdleCallback?: unknown }).requestIdleCallback
  })
  await stubFriend(
    context,
    { status: 200, body: { friendCouponCents: 2000, friendMinOrderCents: 10_000, advocateFirstName: null } },
    [],
  )
  const page = await context.newPage()
  const errors = watchErrors(page)
  await page.goto(`${world.store.url}/?indicacao=${CODE}`)
  // The loader loads the app on its own for a referral link, so the code is kept and the teaser shown.
  await seen(page, teaser(page).getByRole('button', { name: 'Ganhe R$ 20,00 na primeira compra' }))
  // The next page has no code in its address: without an idle callback the app waits for a click…
  const product = world.seeded.store.products[1]!
  await page.goto(`${world.store.url}/produto/${encodeURIComponent(product.apelido)}`)
  await launcher(page).waitFor()
  await page.waitForTimeout(500)
  assert.equal(await teaser(page).count(), 0, 'no app before the click')
  await launcher(page).click()
  // …and then opens on the offer the kept code brings.
  await seen(page, page.getByRole('dialog').getByRole('heading', { name: 'Ganhe R$ 20,00 na primeira compra' }))
  assert.deepEqual(errors, [])
  await context.close()
})
