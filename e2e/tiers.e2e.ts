import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { watchErrors } from './browser.ts'
import { createProgramByApi, panelLogin, startPanelFixture, type PanelFixture } from './store-fixture.ts'

/**
 * Mais › Configurações › Níveis VIP as a merchant uses it: a refused threshold at its field, the
 * preview of who lands where, saving, and the member's tier on their page.
 */
const ARTIFACTS = path.resolve('e2e/artifacts')
let fx: PanelFixture
let page: Page
let errors: string[]
let programId: string
let memberId: number

const main = () => page.locator('main')

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  fx = await startPanelFixture({ email: 'dona@niveis.test' })
  programId = await createProgramByApi(fx, 'Clube Bella')
  const db = fx.runtime.deps.db
  memberId = (
    await db
      .insertInto('members')
      .values({ program_id: programId, email: 'ana@cliente.test', name: 'Ana' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  await db.insertInto('members').values({ program_id: programId, email: 'bia@cliente.test', name: 'Bia' }).execute()
  const now = new Date()
  await db
    .insertInto('orders')
    .values({
      program_id: programId,
      source: 'erp',
      external_id: 'V-1',
      member_id: memberId,
      li_customer_id: null,
      customer_email: null,
      status_id: null,
      status_code: 'award',
      subtotal_cents: 600_00,
      shipping_cents: 0,
      discount_cents: 0,
      total_cents: 600_00,
      placed_at: now,
      source_updated_at: now,
      award_state: 'awarded',
      award_cycle: 1,
      points_awarded: 600,
    })
    .execute()
  page = await (await fx.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
  // The first save, with falling thresholds, is refused on purpose.
  errors = watchErrors(page, [{ status: 400, url: /\/tiers$/ }])
})

after(async () => {
  await fx?.close()
})

test('set up tiers: a refused threshold at its field, the preview, saving, the member in Prata', async () => {
  await panelLogin(fx, page, `${fx.runtime.url}/panel/configuracoes/niveis`)
  await page.getByRole('heading', { name: 'Níveis VIP', level: 1 }).waitFor()
  const form = main().locator('[data-tiers]')
  await form.getByLabel('Valor gasto (R$)').check()
  await form.getByLabel(/Ano civil/).check()
  const row = (i: number) => form.locator(`[data-tier-row="${i}"]`)
  await row(0).getByLabel('Nome').fill('Prata')
  await row(0).getByLabel('A partir de').fill('500,00')
  await row(1).getByLabel('Nome').fill('Ouro')
  await row(1).getByLabel('A partir de').fill('300,00')
  await row(1).getByLabel('Multiplicador').fill('1,5')
  await page.getByRole('button', { name: 'Salvar níveis' }).click()
  const refused = main().locator('[data-field-error="tiers.1.threshold"]')
  await refused.waitFor()
  assert.match((await refused.textContent()) ?? '', /maior que o do nível anterior/)

  await row(1).getByLabel('A partir de').fill('720,00')
  await page.getByRole('button', { name: /Ver quantos participantes/ }).click()
  const preview = main().locator('[data-tier-preview]')
  await preview.getByText('Prata: 1 participante').waitFor()
  await preview.getByText('Ouro: 0 participante', { exact: true }).waitFor()
  await preview.getByText('Sem nível: 1 participante').waitFor()
  await page.getByRole('button', { name: 'Salvar níveis' }).click()
  await main().getByText('Níveis salvos. 1 participante mudou de nível.').waitFor()
  await page.screenshot({ path: path.join(ARTIFACTS, 'tiers-saved.png'), fullPage: true })

  await page.goto(`${fx.runtime.url}/panel/participantes/${memberId}`)
  const tier = main().locator('[data-member-tier]')
  await tier.waitFor()
  assert.match((await tier.textContent()) ?? '', /Prata/)
  assert.match((await tier.textContent()) ?? '', /Faltam R\$ 120,00 para Ouro/)
  assert.deepEqual(errors, [])
})
