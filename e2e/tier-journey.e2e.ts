import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import type { Page } from 'playwright-core'
import { saoPauloDay } from '../server/lib/calendar.ts'
import { watchErrors } from './browser.ts'
import {
  activateAndSync,
  brl,
  createProgramInPanel,
  joinInWidget,
  merchantPost,
  openStorefront,
  panelMenu,
  saveIntegration,
  seen,
  startStoreFixture,
  syncNow,
  until,
  type StoreFixture,
} from './store-fixture.ts'

/**
 * Issue 19's journey for VIP tiers, through the real UIs against the LI simulator: the merchant
 * connects the store and sets up Bronze, Prata and Ouro (spend, calendar year); a customer joins
 * in the widget on a 360 px phone and is Bronze; an order placed and paid in the store lifts them
 * to Prata at the next sync ("Faltam … para Ouro", "Você mantém o nível Prata até …"); the order
 * is cancelled in the store and the next sync puts them back in Bronze, in the widget and on the
 * merchant's member page. Screenshots in e2e/artifacts/tier-journey-*.png.
 */
const ARTIFACTS = path.resolve('e2e/artifacts')
let fx: StoreFixture
let panel: Page
let shopper: Page
let shopperEmail: string
let memberId: number
let orderNumero: number
let prata: number
let step = 0

const EXPECTED = [{ status: 404, url: /\/integrations\/loja-integrada$/ }]
const db = () => fx.runtime.deps.db
/** Server-written sentences use a plain space after "R$" (server/i18n/money.ts). */
const money = (cents: number) => brl(cents).replace(/\u00a0/g, ' ')
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `tier-journey-${String(++step).padStart(2, '0')}-${name}.png`) })
const widget = () => shopper.getByRole('dialog')
const openWidget = async () => {
  await shopper.reload()
  await shopper.locator('[data-fidelis]').locator('button[aria-haspopup="dialog"]').click()
  await widget().getByText('Seu saldo').waitFor()
}
const standing = () =>
  db()
    .selectFrom('member_tiers as mt')
    .leftJoin('tiers as t', 't.id', 'mt.tier_id')
    .select(['t.name', 'mt.qualifying'])
    .where('mt.member_id', '=', memberId)
    .executeTakeFirst()

/** The widget's badge and sentences, each visible and wholly inside the 360 px viewport. */
async function widgetShows(tier: string, lines: string[]) {
  const box = widget().locator('[data-tier]')
  await seen(shopper, box.locator('.tier span').getByText(tier, { exact: true }))
  for (const line of lines) await seen(shopper, box.getByText(line, { exact: true }))
  assert.ok(await shopper.evaluate(() => document.documentElement.scrollWidth <= 360), 'no sideways scroll')
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  fx = await startStoreFixture({ seed: 1919, storeId: 'loja-niveis', name: 'Loja Níveis', email: 'dona@niveis.test' })
  panel = await (await fx.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
  shopper = await (await fx.browser.newContext({ viewport: { width: 360, height: 740 } })).newPage()
})

after(async () => {
  await fx?.close()
})

test('the merchant connects the store and sets up Bronze, Prata and Ouro', async () => {
  const errors = watchErrors(panel, EXPECTED)
  const program = await createProgramInPanel(fx, panel, 'Clube Níveis')
  await openStorefront(fx, program.program_key)
  await saveIntegration(fx, panel)
  await activateAndSync(fx, panel, 'pontos')
  await until('the sync awarded points', async () =>
    Boolean(await db().selectFrom('members').select('id').where('balance', '>', 0).executeTakeFirst()),
  )

  // Prata above what any customer spent so far: only a new purchase reaches it.
  const top = await sql<{ spend: string }>`
    select coalesce(max(s), 0)::bigint as spend from (select sum(greatest(subtotal_cents - discount_cents, 0)) as s
    from orders where award_state = 'awarded' and member_id is not null group by member_id) t`.execute(db())
  prata = Math.ceil((Number(top.rows[0]!.spend) + 100_00) / 100) * 100
  // A reward of the catalogue for Prata's entry coupon (the rewards page has its own tests).
  const reward = await merchantPost(fx, `/v1/programs/${program.id}/rewards`, {
    kind: 'free_shipping',
    title: 'Frete grátis VIP',
    pointsCost: 5000,
  })
  assert.equal(reward.status, 201)
  await panel.goto(`${fx.runtime.url}/panel/configuracoes/niveis`)
  const form = panel.locator('[data-tiers]')
  await form.getByLabel('Valor gasto (R$)').check()
  await form.getByLabel(/Ano civil/).check()
  await form.getByRole('button', { name: 'Adicionar nível' }).click()
  const row = (i: number) => form.locator(`[data-tier-row="${i}"]`)
  const tiers = [
    ['Bronze', '1,00', ''],
    ['Prata', brl(prata).replace(/[^\d,.]/g, ''), '1,5'],
    ['Ouro', brl(prata + 500_00).replace(/[^\d,.]/g, ''), '2'],
  ] as const
  for (const [i, [name, from, mult]] of tiers.entries()) {
    await row(i).getByLabel('Nome').fill(name)
    await row(i).getByLabel('A partir de').fill(from)
    if (mult) await row(i).getByLabel('Multiplicador').fill(mult)
  }
  await row(1).getByLabel('Cupom de boas-vindas').selectOption({ label: 'Frete grátis VIP' })
  await panel.getByRole('button', { name: /Ver quantos participantes/ }).click()
  await panel.locator('[data-tier-preview]').getByText('Prata: 0 participante', { exact: true }).waitFor()
  await panel.getByRole('button', { name: 'Salvar níveis' }).click()
  await panel.getByText(/^Níveis salvos\./).waitFor()
  await shot(panel, 'panel-tiers')
  assert.deepEqual(errors, [])
})

test('a customer joins in the widget on a phone and is Bronze, with what Prata needs', async () => {
  const errors = watchErrors(shopper)
  const best = await db()
    .selectFrom('members')
    .select(['id', 'email', 'name'])
    .orderBy('balance', 'desc')
    .executeTakeFirstOrThrow()
  shopperEmail = best.email
  memberId = best.id
  const st = await standing()
  assert.equal(st?.name, 'Bronze')
  await joinInWidget(fx, shopper, best)
  const year = Number(saoPauloDay(new Date()).slice(0, 4))
  await widgetShows('Bronze', [
    `Faltam ${money(prata - Number(st!.qualifying))} para Prata`,
    `Você mantém o nível Bronze até 31/12/${year + 1}`,
  ])
  await shot(shopper, 'widget-bronze')
  assert.deepEqual(errors, [])
})

test('an order paid in the store lifts the customer to Prata at the next sync', async () => {
  const errors = watchErrors(shopper)
  const before = Number((await standing())!.qualifying)
  const member = await db()
    .selectFrom('members')
    .select('li_customer_id')
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow()
  // R$ 50,00 past Prata's threshold.
  const order = fx.seeded.store.createOrder({
    customerId: member.li_customer_id!,
    items: [{ productId: fx.seeded.store.products[0]!.id, quantity: 1, unitPriceCents: prata - before + 50_00 }],
    statusCodigo: 'pedido_pago',
  })
  orderNumero = order.numero
  await syncNow(panel)
  await until('the sync lifted the member to Prata', async () => (await standing())?.name === 'Prata')
  await openWidget()
  const year = Number(saoPauloDay(new Date()).slice(0, 4))
  await widgetShows('Prata', [`Faltam ${money(450_00)} para Ouro`, `Você mantém o nível Prata até 31/12/${year + 1}`])
  await shot(shopper, 'widget-prata')

  // Prata's entry coupon, given without spending points, once the store holds it.
  await until('the entry coupon was issued', async () =>
    Boolean(
      await db()
        .selectFrom('redemptions')
        .select('id')
        .where('member_id', '=', memberId)
        .where('status', '=', 'issued')
        .executeTakeFirst(),
    ),
  )
  await openWidget()
  await widget().getByRole('tab', { name: 'Cupons' }).click()
  const gift = widget().locator('li', { hasText: 'Frete grátis VIP' })
  await seen(shopper, gift.getByText('Presente de boas-vindas ao nível Prata', { exact: true }))
  const code = ((await gift.locator('[data-code]').textContent()) ?? '').trim()
  await seen(shopper, gift.locator('[data-code]'))
  assert.equal(fx.seeded.store.findCouponByCodigo(code)?.tipo, 'frete_gratis')
  await shot(shopper, 'widget-gift')
  assert.deepEqual(errors, [])
})

test('the order is cancelled in the store: the next sync puts the customer back in Bronze', async () => {
  const errors = watchErrors(shopper)
  const panelErrors = watchErrors(panel)
  fx.seeded.store.setOrderStatus(orderNumero, 'pedido_cancelado')
  await syncNow(panel)
  await until('the sync dropped the member to Bronze', async () => (await standing())?.name === 'Bronze')
  const st = (await standing())!
  await openWidget()
  await widgetShows('Bronze', [`Faltam ${money(prata - Number(st.qualifying))} para Prata`])
  assert.equal(await widget().locator('[data-tier]').getByText('Prata', { exact: true }).count(), 0)
  await shot(shopper, 'widget-bronze-again')

  // The members list filtered by tier, each row with its tier.
  await panelMenu(panel, 'Participantes').click()
  await panel.getByLabel('Nível VIP').selectOption({ label: 'Prata' })
  await panel.getByText('Nenhum participante encontrado.').waitFor()
  await panel.getByLabel('Nível VIP').selectOption({ label: 'Bronze' })
  const row = panel.locator('[data-table=members] tbody tr', { hasText: shopperEmail })
  await row.locator('[data-tier]').getByText('Bronze', { exact: true }).waitFor()
  await shot(panel, 'panel-members-bronze')
  await row.getByRole('link').first().click()
  const tier = panel.locator('[data-member-tier]')
  await tier.getByText(`Faltam ${money(prata - Number(st.qualifying))} para Prata`).waitFor()
  assert.match((await tier.textContent()) ?? '', /^Bronze/)
  // Prata's entry coupon in the member's redemptions: a gift, not a price in points.
  const giftRow = panel.locator('[data-table=redemptions] tbody tr', { hasText: 'Frete grátis VIP' })
  await seen(panel, giftRow.getByText('Presente', { exact: true }))
  await shot(panel, 'panel-member-bronze')
  assert.deepEqual(errors, [])
  assert.deepEqual(panelErrors, [])
})

test('the dashboard shows how many members each tier holds, as bars with their numbers', async () => {
  const errors = watchErrors(panel)
  await panel
    .getByRole('navigation', { name: 'Menu principal' })
    .getByRole('link', { name: 'Resultados', exact: true })
    .click()
  const table = panel.locator('[data-table=members-per-tier]')
  await table.waitFor()
  const counts = await sql<{ name: string | null; n: number }>`
    select t.name, count(*)::int as n from members m left join member_tiers mt on mt.member_id = m.id
    left join tiers t on t.id = mt.tier_id group by t.name`.execute(db())
  const n = (name: string | null) => counts.rows.find((r) => r.name === name)?.n ?? 0
  for (const [name, members] of [
    ['Bronze', n('Bronze')],
    ['Prata', 0],
    ['Ouro', 0],
    ['Sem nível', n(null)],
  ] as const) {
    const row = table.locator(`tr[data-tier="${name}"]`)
    await row.locator('td').first().getByText(members.toLocaleString('pt-BR'), { exact: true }).waitFor()
  }
  assert.ok(n('Bronze') > 0)
  const bar = table.locator('tr[data-tier="Bronze"] .bar')
  assert.ok(((await bar.boundingBox())?.width ?? 0) > 0, 'the Bronze bar is drawn')
  await table.scrollIntoViewIfNeeded()
  await shot(panel, 'panel-dashboard-tiers')
  assert.deepEqual(errors, [])
})
