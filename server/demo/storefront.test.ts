import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { templates, type EmailKind, type TemplateDataMap } from '../email/templates/index.ts'
import { renderEmail, type Brand } from '../email/templates/layout.ts'
import { createMailTransport, type MailTransport } from '../email/transport.ts'
import { createLiSimulator, type LiSimulator } from '../li-simulator/index.ts'
import { createLogger } from '../lib/logger.ts'
import { startStorefront, type Storefront } from './storefront.ts'

/**
 * The demo inbox, as `npm run demo` fills it: the real templates written by the real file
 * transport into the data folder. The activation's welcome e-mails (one a second, 200 of them)
 * arrive after the shopper asked for a code; the code must stay in sight.
 */
describe('demo storefront inbox', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fidelis-inbox-'))
  const brand: Brand = { programName: 'Clube Loja Demo', siteUrl: null, primaryColor: '#6d28d9', textColor: '#ffffff' }
  let transport: MailTransport
  let sim: LiSimulator
  let store: Storefront
  let outboxId = 0

  async function send<K extends EmailKind>(kind: K, to: string, data: TemplateDataMap[K]) {
    const template = templates[kind] as (typeof templates)[K] & {
      content(d: TemplateDataMap[K], b: Brand): Parameters<typeof renderEmail>[0]
    }
    const reason = template.defaultReason(brand)
    const rendered = renderEmail(template.content(data, brand), { brand, reason, unsubscribeUrl: undefined })
    const id = ++outboxId
    await transport.send({
      outboxId: id,
      fromName: brand.programName,
      to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      headers: {},
      messageId: `<outbox-${id}@fidelis.local>`,
    })
  }
  const inbox = async (query = '') => {
    const res = await fetch(`${store.url}/caixa-de-entrada${query}`)
    assert.equal(res.status, 200)
    return res.text()
  }
  /** The text of one section of the page, by its heading's id. */
  const section = (html: string, id: string) => {
    const m = new RegExp(`<section aria-labelledby="${id}">([\\s\\S]*?)</section>`).exec(html)
    assert.ok(m, `section ${id}`)
    return m[1]!
  }

  before(async () => {
    transport = createMailTransport({
      mailFrom: 'Fidelis <no-reply@fidelis.local>',
      dataDir,
      log: createLogger('silent'),
    })
    sim = createLiSimulator()
    const seeded = sim.seed({ seed: 1, customers: 2, orders: 2, storeId: 'loja-inbox' })
    store = await startStorefront({
      port: 0,
      apiUrl: 'http://127.0.0.1:1',
      programKey: 'pk_test',
      store: seeded.store,
      simUrl: 'http://127.0.0.1:1',
      mailDir: path.join(dataDir, 'mail'),
      sampleEmails: async () => [],
    })
  })
  after(async () => {
    await store?.close()
    sim?.close()
    transport?.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  test('before any e-mail: the codes list is there, saying how to get one', async () => {
    const html = await inbox()
    assert.match(section(html, 'codigos'), /<h2 id="codigos">Códigos de acesso<\/h2>/)
    assert.match(section(html, 'codigos'), /Nenhum código ainda/)
    assert.match(section(html, 'outros'), /Nenhum e-mail ainda/)
  })

  test('a login code stays at the top while 200 welcome e-mails arrive after it', async () => {
    await send('login_code', 'ana@cliente.test', { code: '482913', name: 'Ana' })
    for (let i = 0; i < 200; i++) {
      await send('welcome', `cliente${i}@cliente.test`, { name: `Cliente ${i}`, points: 10 * i, pointsName: 'pontos' })
    }
    const html = await inbox()
    const codes = section(html, 'codigos')
    assert.match(codes, /<span class="code">482913<\/span>para <strong>ana@cliente\.test<\/strong>/)
    assert.doesNotMatch(codes, /Nenhum código/)
    // The codes list comes before the other e-mails on the page.
    assert.ok(html.indexOf('Códigos de acesso') < html.indexOf('Outros e-mails'))

    // The others: newest first, 20 a page, every one reachable.
    const others = section(html, 'outros')
    assert.match(others, /200 e-mails, os mais recentes primeiro/)
    assert.equal((others.match(/class="mail"/g) ?? []).length, 20)
    assert.ok(others.indexOf('cliente199@') < others.indexOf('cliente180@'), 'newest first')
    assert.doesNotMatch(others, /cliente179@/)
    assert.match(others, /Página 1 de 10/)
    assert.match(others, /href="\/caixa-de-entrada\?pagina=2">Mais antigos/)
    assert.doesNotMatch(others, /482913/, 'a code is listed once, among the codes')

    const last = section(await inbox('?pagina=10'), 'outros')
    assert.match(last, /Página 10 de 10/)
    assert.match(last, /cliente0@cliente\.test/)
    assert.match(last, /Mais recentes/)
    assert.doesNotMatch(last, /Mais antigos/)
    // Out-of-range pages show the nearest one; the codes are on every page.
    assert.match(section(await inbox('?pagina=99'), 'outros'), /Página 10 de 10/)
    assert.match(section(await inbox('?pagina=abc'), 'outros'), /Página 1 de 10/)
    assert.match(section(await inbox('?pagina=7'), 'codigos'), /482913/)
  })

  test('a newer code comes first; codes of other shoppers stay listed', async () => {
    await send('login_code', 'bruno@cliente.test', { code: '105577', name: null })
    await send('welcome', 'mais@cliente.test', { name: null, points: 0, pointsName: 'pontos' })
    await send('login_code', 'ana@cliente.test', { code: '731864', name: 'Ana' })
    const codes = section(await inbox(), 'codigos')
    const order = [...codes.matchAll(/<span class="code">(\d{6})<\/span>/g)].map((m) => m[1])
    assert.deepEqual(order, ['731864', '105577', '482913'])
    assert.match(codes, /enviado às \d{2}:\d{2}:\d{2}/)
    assert.doesNotMatch(codes, /expirado/)
  })
})
