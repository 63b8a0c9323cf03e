import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Kysely } from 'kysely'
import type { Browser, Page } from 'playwright-core'
import type { EmailTables } from '../server/db/email-schema.ts'
import type { DB } from '../server/db/schema.ts'
import { createMerchant } from '../server/merchants/service.ts'
import { startRuntime, type Runtime } from '../server/runtime.ts'
import { testDatabase } from '../server/test/database.ts'
import { testConfig } from '../server/test/harness.ts'
import { launchBrowser, watchErrors } from './browser.ts'

/**
 * The panel's Resgates and E-mails enviados pages as a merchant sees them: the program-wide lists,
 * filtered by status and kind, searched by coupon code and recipient, paged with "Carregar mais",
 * each row leading to its member; on a 360 px phone the table says it scrolls sideways and a
 * coupon code is whole on screen. The rows are written straight into the database (no store and
 * no job workers: what is listed is what the pages must show).
 */
const ARTIFACTS = path.resolve('e2e/artifacts')
const EMAIL = 'dona@resgates.test'
const PASSWORD = 'senha longa do painel'
let runtime: Runtime
let browser: Browser
let page: Page
let errors: string[]
let programId: string
const members: Record<string, number> = {}

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `activity-${name}.png`), fullPage: true })
const main = () => page.locator('main')
const menu = (name: string) =>
  page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name, exact: true })
const rows = (table: string) => page.locator(`[data-table=${table}] tbody tr`)

/** How a coupon code sits on screen: whole (nothing scrolled or cut) and inside the viewport. */
async function codeOnScreen(code: string) {
  const el = page.locator('.coupon-code', { hasText: code }).first()
  await el.scrollIntoViewIfNeeded()
  return el.evaluate((node) => {
    const r = node.getBoundingClientRect()
    return {
      text: node.textContent,
      whole: node.scrollWidth <= node.clientWidth && node.clientWidth > 0,
      inViewport: r.left >= 0 && r.right <= window.innerWidth,
      oneLine: r.height < 2 * Number.parseFloat(getComputedStyle(node).lineHeight || '20'),
    }
  })
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const database = await testDatabase()
  runtime = await startRuntime(testConfig({ PORT: '0', HOST: '127.0.0.1', RUN_JOBS: 'false' }), { database })
  await createMerchant(runtime.deps.db, { email: EMAIL, password: PASSWORD })
  const api = async (method: string, p: string, body: unknown, token?: string) => {
    const res = await fetch(`${runtime.url}${p}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
    assert.ok(res.ok, `${method} ${p}: ${res.status}`)
    return res.json()
  }
  const { token } = await api('POST', '/v1/auth/login', { email: EMAIL, password: PASSWORD })
  programId = (await api('POST', '/v1/programs', { name: 'Clube Bella' }, token)).id
  const reward = await api(
    'POST',
    `/v1/programs/${programId}/rewards`,
    { kind: 'fixed_discount', title: 'R$ 10 de desconto', pointsCost: 300, valueCents: 1000 },
    token,
  )

  const db = runtime.deps.db
  for (const [email, name] of [
    ['maria@cliente.test', 'Maria Souza'],
    ['joao@cliente.test', 'João Lima'],
    ['bia@cliente.test', null],
  ] as const) {
    members[email] = (
      await db
        .insertInto('members')
        .values({ program_id: programId, email, name, balance: 0 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  }
  let n = 0
  const redemption = (email: string, status: 'issued' | 'used' | 'failed', code: string) => {
    const issued = status !== 'failed'
    n++
    return db
      .insertInto('redemptions')
      .values({
        program_id: programId,
        member_id: members[email]!,
        reward_id: reward.id,
        idempotency_key: `e2e-${n}`,
        status,
        points_cost: 300,
        reward_kind: 'fixed_discount',
        reward_title: 'R$ 10 de desconto',
        coupon_type: 'fixo',
        coupon_value: 1000,
        coupon_code: code,
        li_coupon_id: issued ? 5000 + n : null,
        valid_until_day: issued ? '2027-03-31' : null,
        expires_at: issued ? new Date('2027-04-01T02:59:59Z') : null,
        failure_code: issued ? null : 'li_refused',
        failure_reason: issued ? null : 'A loja recusou o cupom. Os pontos voltaram para o saldo.',
      })
      .execute()
  }
  // 26 of João's first, then Maria's and Bia's newest: the first page (25) is all others + João's newest.
  for (let i = 0; i < 26; i++)
    await redemption('joao@cliente.test', 'issued', `FIDJ${String(i).padStart(2, '0')}AAAAAAAAAA`)
  await redemption('bia@cliente.test', 'failed', 'FIDBBBBCCCCDDDD')
  await redemption('maria@cliente.test', 'used', 'FIDMMMMNNNNPPPP')
  await redemption('maria@cliente.test', 'issued', 'FIDMMMMQQQQRRRR')

  const outbox = db as unknown as Kysely<DB & EmailTables>
  const mail = (
    to: string,
    kind: string,
    status: 'sent' | 'failed' | 'pending',
    subject: string,
    lastError: string | null = null,
  ) =>
    outbox
      .insertInto('email_outbox')
      .values({
        program_id: programId,
        member_id: members[to] ?? null,
        kind,
        category: kind === 'login_code' ? 'transactional' : 'marketing',
        reason: 'Você participa do programa Clube Bella.',
        to_address: to,
        subject,
        status,
        attempts: status === 'pending' ? 0 : 1,
        last_error: lastError,
        sent_at: status === 'sent' ? new Date() : null,
      })
      .execute()
  for (let i = 0; i < 25; i++) await mail('joao@cliente.test', 'points_earned', 'sent', `Você ganhou pontos (${i + 1})`)
  await mail('maria@cliente.test', 'welcome', 'sent', 'Boas-vindas ao Clube Bella')
  await mail(
    'bia@cliente.test',
    'login_code',
    'failed',
    'Seu código de acesso',
    '550 5.1.1 <bia@cliente.test>: mailbox unavailable',
  )
  await mail('maria@cliente.test', 'reward_redeemed', 'pending', 'Seu cupom chegou')

  browser = await launchBrowser()
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  page = await context.newPage()
  errors = watchErrors(page)
})

after(async () => {
  await browser?.close()
  await runtime?.stop()
})

test('Resgates: every redemption of the program, newest first, "Carregar mais" brings the rest', async () => {
  await page.goto(`${runtime.url}/panel/resgates`)
  await page.getByLabel('E-mail').fill(EMAIL)
  await page.getByLabel('Senha').fill(PASSWORD)
  await page.getByRole('button', { name: 'Entrar' }).click()
  await page.getByRole('heading', { name: 'Resgates', level: 1 }).waitFor()
  assert.equal(await menu('Resgates').getAttribute('aria-current'), 'page')
  await rows('all-redemptions').first().waitFor()
  assert.equal(await rows('all-redemptions').count(), 25)
  const first = rows('all-redemptions').first()
  assert.match((await first.textContent()) ?? '', /maria@cliente\.test/)
  assert.match((await first.textContent()) ?? '', /Maria Souza/)
  assert.match((await first.textContent()) ?? '', /FIDMMMMQQQQRRRR/)
  assert.match((await first.textContent()) ?? '', /Cupom emitido/)
  assert.match((await first.textContent()) ?? '', /31\/03\/2027/)
  assert.match((await first.textContent()) ?? '', /R\$ 10,00 de desconto/)
  await main().getByRole('button', { name: 'Carregar mais' }).click()
  await page.waitForFunction(() => document.querySelectorAll('[data-table=all-redemptions] tbody tr').length === 29)
  assert.equal(await main().getByRole('button', { name: 'Carregar mais' }).count(), 0)
  const code = await codeOnScreen('FIDJ00AAAAAAAAAA')
  assert.deepEqual(code, { text: 'FIDJ00AAAAAAAAAA', whole: true, inViewport: true, oneLine: true })
  await shot('redemptions')
  assert.deepEqual(errors, [])
})

test('Resgates: filter by status, search by code or e-mail, and follow the link to the member', async () => {
  await page.getByLabel('Situação').selectOption({ label: 'Falhou' })
  await page.waitForURL(/\/panel\/resgates\?situacao=failed$/)
  await page.waitForFunction(() => document.querySelectorAll('[data-table=all-redemptions] tbody tr').length === 1)
  const failed = rows('all-redemptions').first()
  await failed.getByText('A loja recusou o cupom. Os pontos voltaram para o saldo.').waitFor()
  await failed.getByText('Falhou (pontos devolvidos)').waitFor()

  // A code's beginning in lower case, with the status filter cleared.
  await page.getByLabel('Situação').selectOption({ label: 'Todas as situações' })
  await page.getByRole('searchbox', { name: 'Buscar por cupom ou e-mail' }).fill('fidmmmm')
  await page.getByRole('button', { name: 'Buscar' }).click()
  await page.waitForURL(/\/panel\/resgates\?q=fidmmmm$/)
  await page.waitForFunction(() => document.querySelectorAll('[data-table=all-redemptions] tbody tr').length === 2)
  assert.deepEqual(await page.locator('[data-table=all-redemptions] .coupon-code').allTextContents(), [
    'FIDMMMMQQQQRRRR',
    'FIDMMMMNNNNPPPP',
  ])

  // Part of an e-mail.
  await page.getByRole('searchbox', { name: 'Buscar por cupom ou e-mail' }).fill('bia@')
  await page.keyboard.press('Enter')
  await page.waitForFunction(() => document.querySelectorAll('[data-table=all-redemptions] tbody tr').length === 1)
  await rows('all-redemptions').getByText('FIDBBBBCCCCDDDD').waitFor()

  await page.getByRole('searchbox', { name: 'Buscar por cupom ou e-mail' }).fill('ninguem@')
  await page.keyboard.press('Enter')
  await main().getByText('Nenhum resgate com estes filtros.').waitFor()
  await main().getByRole('link', { name: 'Limpar filtros' }).click()
  await page.waitForURL(/\/panel\/resgates$/)
  await rows('all-redemptions').first().waitFor()

  await rows('all-redemptions').first().getByRole('link', { name: 'maria@cliente.test' }).click()
  await page.waitForURL(new RegExp(`/panel/participantes/${members['maria@cliente.test']}$`))
  await page.getByRole('heading', { name: 'Maria Souza', level: 1 }).waitFor()
  await page.locator('[data-table=redemptions]').getByText('FIDMMMMQQQQRRRR').waitFor()
  // Back returns to the list.
  await page.goBack()
  await page.getByRole('heading', { name: 'Resgates', level: 1 }).waitFor()
  assert.deepEqual(errors, [])
})

test('E-mails enviados: kind, status and recipient filters, a failure said in pt-BR, paging, member link', async () => {
  await menu('E-mails enviados').click()
  await page.getByRole('heading', { name: 'E-mails enviados', level: 1 }).waitFor()
  await rows('sent-emails').first().waitFor()
  assert.equal(await rows('sent-emails').count(), 25)
  const newest = rows('sent-emails').first()
  assert.match((await newest.textContent()) ?? '', /maria@cliente\.test/)
  assert.match((await newest.textContent()) ?? '', /Prêmio resgatado/)
  assert.match((await newest.textContent()) ?? '', /Na fila/)
  await main().getByRole('button', { name: 'Carregar mais' }).click()
  await page.waitForFunction(() => document.querySelectorAll('[data-table=sent-emails] tbody tr').length === 28)

  await page.getByLabel('Tipo').selectOption({ label: 'Código de acesso' })
  await page.waitForURL(/\/panel\/emails-enviados\?tipo=login_code$/)
  await page.getByLabel('Situação').selectOption({ label: 'Falhou' })
  await page.waitForURL(/\/panel\/emails-enviados\?tipo=login_code&situacao=failed$/)
  await page.waitForFunction(() => document.querySelectorAll('[data-table=sent-emails] tbody tr').length === 1)
  const failed = rows('sent-emails').first()
  await failed.getByText('O servidor de e-mail recusou o endereço ou a mensagem.', { exact: false }).waitFor()
  await failed.getByText('550 5.1.1', { exact: false }).waitFor()
  await failed.getByRole('link', { name: 'bia@cliente.test' }).waitFor()
  await shot('emails-failed')

  await main().getByRole('link', { name: 'Limpar filtros' }).click()
  await page.getByRole('searchbox', { name: 'Buscar por destinatário' }).fill('MARIA@')
  await page.getByRole('button', { name: 'Buscar' }).click()
  await page.waitForFunction(() => document.querySelectorAll('[data-table=sent-emails] tbody tr').length === 2)
  assert.equal(await rows('sent-emails').filter({ hasText: 'Boas-vindas' }).count(), 1)
  await rows('sent-emails').filter({ hasText: 'Boas-vindas' }).getByRole('link', { name: 'maria@cliente.test' }).click()
  await page.getByRole('heading', { name: 'Maria Souza', level: 1 }).waitFor()
  assert.deepEqual(errors, [])
})

test('on a 360 px phone: the table says it scrolls sideways, a coupon code is whole on screen, the page fits', async () => {
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  await page.setViewportSize({ width: 360, height: 740 })
  await menu('Resgates').click()
  await rows('all-redemptions').first().waitFor()
  const hint = page.locator('[data-table-hint=all-redemptions]')
  await hint.waitFor()
  assert.match((await hint.textContent()) ?? '', /deslize para o lado/)
  assert.ok(await hint.isVisible())
  assert.ok((await overflow()) <= 0, 'the page itself does not scroll sideways')
  // The scrolling box is reachable by keyboard, and names the hint.
  const wrap = page.locator('.table-wrap').first()
  assert.equal(await wrap.getAttribute('tabindex'), '0')
  assert.equal(await wrap.getAttribute('aria-describedby'), await hint.getAttribute('id'))
  const code = await codeOnScreen('FIDMMMMQQQQRRRR')
  assert.deepEqual(code, { text: 'FIDMMMMQQQQRRRR', whole: true, inViewport: true, oneLine: true })
  await shot('redemptions-phone')

  await menu('E-mails enviados').click()
  await rows('sent-emails').first().waitFor()
  await page.locator('[data-table-hint=sent-emails]').waitFor()
  assert.ok((await overflow()) <= 0, 'the e-mails page fits a phone')
  await shot('emails-phone')
  await page.setViewportSize({ width: 1280, height: 900 })
  // On a laptop the tables fit and say nothing.
  await page.locator('[data-table-hint=sent-emails]').waitFor({ state: 'detached' })
  assert.deepEqual(errors, [])
})
