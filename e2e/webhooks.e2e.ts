import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { Webhook } from 'standardwebhooks'
import { eventually } from '../server/test/eventually.ts'
import { emit } from '../server/webhooks/service.ts'
import { startReceiver, type Receiver } from '../server/webhooks/test-support.ts'
import { watchErrors } from './browser.ts'
import { createProgramByApi, panelLogin, startPanelFixture, type PanelFixture } from './store-fixture.ts'

/**
 * Mais › Configurações › Integração › Webhooks as a merchant uses it: add an endpoint (the secret
 * shown once), an event reaches a real receiver that verifies its signature, the delivery log
 * shows it delivered, "Reenviar", off, and the page at 360 px.
 */
const ARTIFACTS = path.resolve('e2e/artifacts')
let fx: PanelFixture
let page: Page
let errors: string[]
let receiver: Receiver
let programId: string

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `webhooks-${name}.png`), fullPage: true })
const main = () => page.locator('main')
const db = () => fx.runtime.deps.db

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  receiver = await startReceiver()
  fx = await startPanelFixture({
    email: 'dona@webhooks.test',
    config: { RUN_JOBS: 'true', WEBHOOK_ALLOW_LOOPBACK: 'true' },
  })
  programId = await createProgramByApi(fx, 'Clube Bella')
  page = await (await fx.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
  // The first add, with no event chosen, is refused on purpose.
  errors = watchErrors(page, [{ status: 400, url: /\/webhooks$/ }])
})

after(async () => {
  await fx?.close()
  await receiver?.close()
})

test('add an endpoint: the secret is shown once, the card lists its events', async () => {
  await panelLogin(fx, page, `${fx.runtime.url}/panel/configuracoes/integracao/webhooks`)
  await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor()
  await main().getByText('Nenhum webhook ainda.').waitFor()
  // Nothing chosen: the API's refusal lands at the events.
  await page.getByLabel('Endereço (URL)').fill(receiver.url)
  await page.getByRole('button', { name: 'Adicionar webhook' }).click()
  await main().locator('[data-field-error=events]').waitFor()
  const add = main().locator('[data-webhook-add]')
  await add.getByLabel(/Pontos ganhos/).check()
  await add.getByLabel(/Participante entrou/).check()
  await page.getByRole('button', { name: 'Adicionar webhook' }).click()
  const secret = page.getByLabel('Segredo de assinatura')
  await secret.waitFor()
  assert.match(await secret.inputValue(), /^whsec_/)
  await main().getByText('Guarde o segredo agora').waitFor()
  const card = main().locator(`[data-webhook="${receiver.url}"]`)
  await card.getByRole('heading', { name: receiver.url }).waitFor()
  assert.equal(await card.getByLabel(/Pontos ganhos/).isChecked(), true)
  assert.equal(await card.getByLabel(/Cupom usado/).isChecked(), false)
  await shot('added')
  process.env.E2E_WEBHOOK_SECRET = await secret.inputValue()
  await page.getByRole('button', { name: 'Já guardei' }).click()
  assert.equal(await secret.count(), 0, 'the secret is gone once saved')
  assert.deepEqual(errors, [])
})

test('an event is delivered, signed; the log shows it and "Reenviar" sends it again', async () => {
  const member = await db()
    .insertInto('members')
    .values({ program_id: programId, email: 'ana@cliente.test', name: 'Ana' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db()
    .transaction()
    .execute((trx) => emit(trx, programId, 'member.joined', { memberId: member.id }))
  const got = await eventually('the delivery at the receiver', () => receiver.received[0])
  const event = new Webhook(process.env.E2E_WEBHOOK_SECRET!).verify(got.body, got.headers) as { type: string }
  assert.equal(event.type, 'member.joined')

  const card = main().locator(`[data-webhook="${receiver.url}"]`)
  await card.getByRole('button', { name: 'Ver entregas' }).click()
  const row = card.locator('[data-table=webhook-deliveries] tbody tr').first()
  await row.waitFor()
  // The list was read once the delivery was made: it may still say "Na fila" for a moment.
  await eventually('delivered in the log', async () => {
    if (!/Entregue/.test((await row.textContent()) ?? '')) {
      await card.getByRole('button', { name: 'Esconder entregas' }).click()
      await card.getByRole('button', { name: 'Ver entregas' }).click()
      return false
    }
    return true
  })
  assert.match((await row.textContent()) ?? '', /Participante entrou no programa/)
  assert.match((await row.textContent()) ?? '', /200/)
  assert.match((await row.textContent()) ?? '', new RegExp(got.headers['webhook-id']!))
  await row.getByRole('button', { name: 'Reenviar' }).click()
  await card.getByText('Entrega colocada na fila de novo.').waitFor()
  await eventually('the second request', () => receiver.received[1])
  assert.equal(receiver.received[1]!.headers['webhook-id'], got.headers['webhook-id'])
  await shot('deliveries')
  assert.deepEqual(errors, [])
})

test('off, and the page at 360 px: the URL wraps inside its card, nothing is cut', async () => {
  const card = main().locator(`[data-webhook="${receiver.url}"]`)
  await card.getByRole('switch', { name: /Recebendo eventos/ }).click()
  await card.getByText('(Desligado)').waitFor()
  await page.setViewportSize({ width: 360, height: 800 })
  const fits = await card.evaluate((el) => {
    const r = el.getBoundingClientRect()
    const h2 = el.querySelector('h2')!
    return { inside: r.left >= 0 && r.right <= window.innerWidth, whole: h2.scrollWidth <= h2.clientWidth }
  })
  assert.deepEqual(fits, { inside: true, whole: true })
  await shot('phone')
  assert.deepEqual(errors, [])
})
