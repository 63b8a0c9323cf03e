import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import type { ReferralPage, ReferralView } from '../shared/api/referrals.ts'
import { runSync } from '../server/integrations/sync.ts'
import { processReferrals } from '../server/referrals/service.ts'
import { eventually } from '../server/test/eventually.ts'
import { watchErrors } from './browser.ts'
import {
  ARTIFACTS,
  launcher,
  logIn,
  MERCHANT,
  PENDING_DAYS,
  panelAt,
  seen,
  startWorld,
  teaser,
  watchReferralFetches,
  whole,
  type World,
} from './referral-world.ts'

/**
 * Referrals through the real UIs and routes (issue 19 part 2): the merchant turns them on in the
 * panel; a member opens "Indique e ganhe" and copies the link; a friend opens the store through
 * it in a fresh browser, sees the offer, gives an e-mail and gets the coupon by (real, loopback)
 * SMTP, orders with it in the simulated store; the sync imports the order and, once the pending
 * period is over (the minutely referral pass, run here for that day), the member's balance in the widget
 * shows the credit. A self-referral (the member's own e-mail with a +tag) waits in the panel's
 * review list with its reason and is rejected with one. Screenshots in e2e/artifacts/referrals-*.png.
 */
let world: World
let panel: Page
let panelContext: BrowserContext
let advocateEmail: string
let advocatePage: Page
let link: string
let step = 0
const REWARD = 500
const FRIEND = 'amiga.nova@exemplo.com.br'

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `referrals-${String(++step).padStart(2, '0')}-${name}.png`) })
const phone = { viewport: { width: 360, height: 740 } }
const db = () => world.runtime.deps.db
const brl = (cents: number) =>
  new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }).format(cents / 100)
const pts = (n: number) => `${new Intl.NumberFormat('pt-BR').format(n)} ${n === 1 ? 'ponto' : 'pontos'}`

/** The admin API as the merchant (what the panel reads), to wait on states a person cannot hurry. */
let token: Promise<string> | null = null
async function admin<T>(pathname: string): Promise<T> {
  // One login for the file: merchant logins are rate-limited.
  token ??= fetch(`${world.runtime.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(MERCHANT),
  })
    .then((r) => r.json() as Promise<{ token: string }>)
    .then((b) => b.token)
  const res = await fetch(`${world.runtime.url}/v1/programs/${world.programId}${pathname}`, {
    headers: { authorization: `Bearer ${await token}` },
  })
  assert.equal(res.status, 200, `${pathname}: ${res.status}`)
  return (await res.json()) as T
}
const referralOf = async (friendEmail: string) =>
  (await admin<ReferralPage>('/referrals?status=all')).items.find((r) => r.friendEmail === friendEmail)
/** The newest e-mail to `to` received after the first `since`, with its text. */
const mailTo = (to: string, since: number) =>
  eventually(`an e-mail to ${to}`, () =>
    world.smtp.received
      .slice(since)
      .reverse()
      .find((m) => m.rcpt.includes(to)),
  )

before(async () => {
  world = await startWorld({ seed: 2020, storeId: 'loja-indica' })
  panelContext = await world.browser.newContext({ viewport: { width: 1280, height: 900 } })
  panel = await panelContext.newPage()
})
after(async () => {
  await world?.close()
})

/** The widget's public config, as the loader reads it (no browser cache in between). */
const widgetConfig = async () =>
  (await (await fetch(`${world.runtime.url}/v1/widget/${world.programKey}/config`)).json()) as { referrals: boolean }

test('referrals off: the member home asks nothing about them and loads no invite chunk', async () => {
  assert.equal((await widgetConfig()).referrals, false)
  const context = await world.browser.newContext(phone)
  const page = await context.newPage()
  const errors = watchErrors(page)
  const fetched = watchReferralFetches(page)
  const dialog = await logIn(world, page, world.seeded.store.customers[1]!.email.toLowerCase())
  // A later page view mounts the member home again, from the kept session.
  await page.reload()
  await launcher(page).click()
  await dialog.getByText('Seu saldo').waitFor()
  await seen(page, dialog.getByRole('tab', { name: 'Histórico' }))
  await page.waitForTimeout(500)
  assert.deepEqual(fetched.asked, [], 'no me/referral request')
  assert.deepEqual(await fetched.inviteChunks(), [], 'no invite chunk')
  assert.equal(await dialog.getByText('Indique e ganhe').count(), 0)
  await shot(page, 'widget-home-referrals-off')
  assert.deepEqual(errors, [])
  await context.close()
})

test('the merchant turns referrals on: a refused value at its field, the WhatsApp preview, saved', async () => {
  const errors = watchErrors(panel, [{ status: 400, url: /\/referrals\/settings$/ }])
  await panelAt(world, panel, '/panel')
  await panel.getByRole('heading', { name: 'Início' }).waitFor()
  await panel.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Indicações' }).click()
  await panel.getByRole('heading', { name: 'Indicações', level: 1 }).waitFor()
  const form = panel.locator('[data-referral-settings]')
  const on = form.getByRole('switch', { name: /Indicações ligadas/ })
  assert.equal(await on.isChecked(), false, 'off until the merchant turns them on')
  // The defaults, in reais and points.
  assert.equal(await form.getByLabel('Valor do cupom (R$)').inputValue(), '20,00')
  assert.equal(await form.getByLabel('Pontos por indicação').inputValue(), String(REWARD))

  await form.getByLabel('Valor do cupom (R$)').fill('0,50')
  await on.check()
  await panel.getByRole('button', { name: 'Salvar indicações' }).click()
  const refused = form.locator('[data-field-error=friendCouponCents]')
  await seen(panel, refused.getByText('Informe um valor de R$ 1,00 a R$ 1.000,00, ex.: 20,00.'))
  assert.equal(await form.getByLabel('Valor do cupom (R$)').getAttribute('aria-invalid'), 'true')

  await form.getByLabel('Valor do cupom (R$)').fill('20,00')
  const text = form.getByLabel('Texto da mensagem')
  await text.fill('Sem link nenhum')
  const preview = panel.locator('[data-share-preview]')
  await seen(panel, panel.locator('[data-share-length]').getByText('Inclua {link}', { exact: false }))
  await text.fill('Oi! Use meu link e ganhe {valor} na sua primeira compra na {loja}: {link}')
  await seen(
    panel,
    preview.getByText(
      `Oi! Use meu link e ganhe ${brl(2000)} na sua primeira compra na Clube Bella: ${world.store.url}/?indicacao=EXEMPLO7`,
      { exact: true },
    ),
  )
  await panel.getByRole('button', { name: 'Salvar indicações' }).click()
  await seen(panel, panel.getByText('Indicações salvas.'))
  await shot(panel, 'panel-settings')
  const saved = await admin<{ enabled: boolean; friendCouponCents: number; shareText: string }>('/referrals/settings')
  assert.equal(saved.enabled, true)
  assert.equal(saved.friendCouponCents, 2000)
  assert.match(saved.shareText, /^Oi! Use meu link/)
  assert.deepEqual(errors, [])
})

test('a member opens "Indique e ganhe" on a phone and copies the link', async () => {
  const context = await world.browser.newContext(phone)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: world.store.url })
  advocatePage = await context.newPage()
  const errors = watchErrors(advocatePage)
  const fetched = watchReferralFetches(advocatePage)
  // The API keeps a program's widget settings 10 s: the first test read them with referrals off.
  await eventually('the widget config says referrals are on', async () => (await widgetConfig()).referrals, {
    timeoutMs: 15_000,
  })
  advocateEmail = world.seeded.store.customers[0]!.email.toLowerCase()
  const dialog = await logIn(world, advocatePage, advocateEmail)
  const entry = dialog.locator('[data-invite-entry]')
  await seen(advocatePage, entry.getByText(`${pts(REWARD)} por indicação`))
  // On, the member home fetches the card's chunk and the member's referral, once.
  assert.equal(fetched.asked.length, 1)
  assert.equal((await fetched.inviteChunks()).length, 1)
  await entry.click()
  const box = dialog.locator('[data-referral-link]')
  await seen(advocatePage, box)
  await whole(box)
  link = ((await box.textContent()) ?? '').trim()
  assert.match(link, new RegExp(`^${world.store.url}/\\?indicacao=[A-Z0-9]{8}$`))
  await seen(
    advocatePage,
    dialog.getByText(
      `Quem você indicar ganha ${brl(2000)} de desconto na primeira compra, em pedidos a partir de ${brl(10_000)}.`,
    ),
  )
  await seen(
    advocatePage,
    dialog.getByText(`Você ganha ${pts(REWARD)} quando a primeira compra dessa pessoa for confirmada.`),
  )
  await seen(advocatePage, dialog.getByText('Você ainda não indicou ninguém.'))
  const wa = dialog.getByRole('link', { name: 'Compartilhar no WhatsApp' })
  await seen(advocatePage, wa)
  const waUrl = new URL((await wa.getAttribute('href'))!)
  assert.equal(waUrl.origin, 'https://wa.me')
  // The server writes amounts with a plain space, Intl with a no-break one.
  assert.equal(
    waUrl.searchParams.get('text')?.replace(/\s/g, ' '),
    `Oi! Use meu link e ganhe ${brl(2000)} na sua primeira compra na Clube Bella: ${link}`.replace(/\s/g, ' '),
  )
  assert.equal(await wa.getAttribute('target'), '_blank')
  await dialog.getByRole('button', { name: 'Copiar link' }).click()
  await seen(advocatePage, dialog.getByText('Link copiado', { exact: true }))
  assert.equal(await advocatePage.evaluate(() => navigator.clipboard.readText()), link)
  await shot(advocatePage, 'widget-invite')
  assert.deepEqual(errors, [])
})

test('a friend opens the link, gets the coupon by e-mail, orders with it; after the pending period the member is credited', async () => {
  const before = await db()
    .selectFrom('members')
    .select('balance')
    .where('program_id', '=', world.programId)
    .where('email', '=', advocateEmail)
    .executeTakeFirstOrThrow()
  const context = await world.browser.newContext(phone)
  const page = await context.newPage()
  const errors = watchErrors(page)
  await page.goto(link)
  const offer = teaser(page).getByRole('button', { name: `Ganhe ${brl(2000)} na primeira compra` })
  await seen(page, offer)
  await shot(page, 'friend-teaser')
  // A walk through the store first: the code goes along.
  const product = world.seeded.store.products[0]!
  await page.goto(`${world.store.url}/produto/${encodeURIComponent(product.apelido)}`)
  await seen(page, offer)
  await offer.click()
  const dialog = page.getByRole('dialog')
  await seen(page, dialog.getByRole('heading', { name: `Ganhe ${brl(2000)} na primeira compra` }))
  await seen(page, dialog.getByText(`Cupom de uso único para o seu primeiro pedido, a partir de ${brl(10_000)}.`))
  await dialog.getByLabel('E-mail', { exact: true }).fill(FRIEND)
  const since = world.smtp.received.length
  await dialog.getByRole('button', { name: 'Quero meu cupom' }).click()
  await seen(
    page,
    dialog.getByText(`Enviamos seu cupom para ${FRIEND}: confira sua caixa de entrada.`, { exact: true }),
  )
  await shot(page, 'friend-sent')

  // The coupon arrives by e-mail, and it is a coupon of the store.
  const mail = await mailTo(FRIEND, since)
  const body = mail.mail.text ?? ''
  const coupon = world.seeded.store.coupons.find((c) => body.includes(c.codigo))
  assert.ok(coupon, `the e-mail names a coupon of the store:\n${body}`)
  assert.equal(coupon.quantidade, 1, 'single use')
  assert.equal(coupon.valorMinimoCents, 10_000)

  // The friend signs up in the store and orders with it; the sync imports the order.
  const customer = world.seeded.store.addCustomer({ nome: 'Amiga Nova', email: FRIEND })
  const order = world.seeded.store.createOrder({
    customerId: customer.id,
    items: [{ productId: product.id, quantity: 1, unitPriceCents: 15_000 }],
    statusCodigo: 'pedido_pago',
    couponCodigo: coupon.codigo,
  })
  // No order webhook reaches this runtime (port 0): the sync's polling alone brings the order in,
  // as for a store whose webhook registration failed. startWorld({ orderWebhooks: true }) adds LI's
  // webhook path (the order's detail, with its coupon and customer).
  assert.equal(await runSync(world.runtime.deps, world.programId), 'done')
  // The referral pass runs every minute; here it is run at once (and on chosen days below).
  const pass = (at: Date) => processReferrals(world.runtime.deps, at)
  let seenLast: ReferralView | undefined
  const ordered = await eventually('the referral waits for its credit', async () => {
    await pass(new Date())
    const r = (seenLast = await referralOf(FRIEND))
    return r?.status === 'ordered' && r.creditAvailableOn ? r : undefined
  }).catch(async (err) => {
    // What the referral and the imported order looked like: which side failed to meet the other.
    const rows = await db().selectFrom('orders').selectAll().where('external_id', '=', String(order.numero)).execute()
    throw new Error(`${err.message}\nlast: ${JSON.stringify(seenLast)}\norders: ${JSON.stringify(rows)}`)
  })
  assert.equal(ordered.orderId, String(order.numero))

  // Before its day nothing is credited; on it (noon in São Paulo), the pass credits the member once.
  const day = ordered.creditAvailableOn!
  const noon = (d: string) => new Date(`${d}T15:00:00Z`)
  await pass(new Date(noon(day).getTime() - 86_400_000))
  assert.equal((await referralOf(FRIEND))?.status, 'ordered')
  await pass(noon(day))
  assert.equal((await referralOf(FRIEND))?.status, 'credited')
  await pass(noon(day))

  const after = before.balance + REWARD
  await advocatePage.reload()
  await launcher(advocatePage).click()
  const widget = advocatePage.getByRole('dialog')
  await seen(advocatePage, widget.locator('[data-balance]').getByText(pts(after), { exact: true }))
  // The history says why, without the friend's name or e-mail.
  const line = widget.locator('li', {
    hasText: `Bônus por indicação: primeira compra de uma pessoa indicada (pedido nº ${order.numero})`,
  })
  await seen(advocatePage, line.locator('.amt').getByText(`+${REWARD}`, { exact: true }))
  await shot(advocatePage, 'widget-balance-credited')
  await widget.locator('[data-invite-entry]').click()
  await seen(advocatePage, widget.getByText('1 pessoa indicada · 1 compra confirmada'))
  await shot(advocatePage, 'widget-invite-counts')
  const balance = await db()
    .selectFrom('members')
    .select('balance')
    .where('program_id', '=', world.programId)
    .where('email', '=', advocateEmail)
    .executeTakeFirstOrThrow()
  assert.equal(balance.balance, after, 'credited once')
  assert.ok(PENDING_DAYS > 0)
  assert.deepEqual(errors, [])
})

test('a self-referral waits in the review list with its reason; the merchant rejects it with one', async () => {
  const [user, domain] = advocateEmail.split('@')
  const self = `${user}+amigo@${domain}`
  const context = await world.browser.newContext(phone)
  const page = await context.newPage()
  const errors = watchErrors(page)
  await page.goto(link)
  await teaser(page)
    .getByRole('button', { name: `Ganhe ${brl(2000)} na primeira compra` })
    .click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('E-mail', { exact: true }).fill(self)
  await dialog.getByRole('button', { name: 'Quero meu cupom' }).click()
  // The same answer as any claim: the widget does not tell who is held.
  await seen(page, dialog.getByText(`Enviamos seu cupom para ${self}: confira sua caixa de entrada.`, { exact: true }))
  const held = await eventually('the claim is held', async () => {
    const r = await referralOf(self)
    return r?.status === 'review' ? r : undefined
  })
  assert.ok(
    held.reasons.some((r) => r === 'self_email' || r === 'similar_email'),
    `held as the member's own e-mail: ${held.reasons}`,
  )
  assert.equal(held.couponCode, null, 'no coupon while in review')
  assert.deepEqual(errors, [])
  await context.close()

  const panelErrors = watchErrors(panel, [{ status: 400, url: /\/reject$/ }])
  await panel.reload()
  const card = panel.locator(`[data-referral="${held.id}"]`)
  await seen(panel, card.getByText(self))
  await seen(panel, card.locator('.badge').getByText('Em análise', { exact: true }))
  const words = {
    self_email: 'O e-mail indicado é o mesmo de quem indicou.',
    similar_email:
      'O e-mail indicado é quase igual ao de quem indicou (muda só um ponto, um "+" com etiqueta ou uma letra).',
  } as Record<string, string>
  for (const r of held.reasons) if (words[r]) await seen(panel, card.locator('[data-reasons]').getByText(words[r]!))
  await shot(panel, 'panel-review')
  await card.getByRole('button', { name: 'Recusar' }).click()
  await card.getByRole('button', { name: 'Confirmar recusa' }).click()
  await seen(panel, card.getByText('Escreva o motivo da recusa.'))
  await card.getByLabel('Motivo').fill('É o próprio participante com outro e-mail.')
  await card.getByRole('button', { name: 'Confirmar recusa' }).click()
  await seen(panel, card.getByText('Indicação recusada.'))
  const history = card.locator('[data-decisions]')
  await seen(panel, history.getByText(new RegExp(`^Recusada por ${MERCHANT.email} em \\d{2}/\\d{2}/\\d{4}`)))
  await seen(panel, history.getByText('Motivo: É o próprio participante com outro e-mail.'))
  await seen(panel, card.locator('.badge').getByText('Recusada', { exact: true }))
  await shot(panel, 'panel-rejected')
  const decided = (await referralOf(self)) as ReferralView
  assert.equal(decided.status, 'rejected')
  assert.equal(decided.decisions[0]?.by, MERCHANT.email)

  // "Todas": both referrals with their statuses in words; the review list is empty now.
  await panel.locator('[data-referral-list]').getByRole('link', { name: 'Todas' }).click()
  const all = panel.locator('[data-referral-list=all]')
  await seen(panel, all.locator(`[data-referral="${held.id}"]`).getByText('Recusada', { exact: true }))
  await seen(panel, all.locator('[data-status=credited]').getByText('Premiada', { exact: true }))
  await panel.locator('[data-referral-list]').getByRole('link', { name: 'Em análise' }).click()
  await seen(panel, panel.getByText('Nenhuma indicação esperando análise.'))
  assert.deepEqual(panelErrors, [])
})

test('on a 360 px phone the Indicações page fits: settings, preview and the list read whole', async () => {
  const context = await world.browser.newContext(phone)
  const page = await context.newPage()
  const errors = watchErrors(page)
  await panelAt(world, page, '/panel/configuracoes/indicacoes?lista=todas')
  await seen(page, page.getByRole('heading', { name: 'Indicações', level: 1 }))
  for (const id of ['friendCouponCents', 'friendMinOrderCents', 'advocateReward', 'advocateMonthlyCap', 'shareText'])
    await seen(page, page.locator(`#${id}`))
  await seen(page, page.locator('[data-share-preview]'))
  await whole(page.locator('[data-share-preview]'))
  const card = page.locator('[data-referral]').first()
  await seen(page, card.locator('[data-friend-email]'))
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no sideways scroll')
  await page.screenshot({ path: path.join(ARTIFACTS, 'referrals-phone-panel.png'), fullPage: true })
  assert.deepEqual(errors, [])
  await context.close()
})
