import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { CONSENT_TEXT_VERSION } from '../../shared/api/privacy.ts'
import { t as widgetTexts } from '../../widget/app/i18n.ts'
import { privacyKey } from '../config/secrets.ts'
import { applyOrders } from '../orders/service.ts'
import { liveProgram, startWidgetTestApp, type WidgetTestEnv } from '../widget/test-support.ts'
import { richShopper } from './test-support.ts'

let env: WidgetTestEnv
before(async () => {
  env = await startWidgetTestApp()
})
after(() => env.close())

test('the version recorded at join is the one of the text the widget shows', () => {
  assert.equal(widgetTexts.privacyNotice.version, CONSENT_TEXT_VERSION)
})

test('the shopper downloads their data as JSON and CSV, with consent, ledger reasons and coupon codes', async () => {
  const { t } = env
  const p = await liveProgram(env)
  const s = await richShopper(t, p)
  const json = await t.request('GET', `${p.base}/me/data`, { token: s.accessToken })
  assert.equal(json.status, 200)
  assert.match(
    json.headers.get('content-disposition') ?? '',
    /attachment; filename="meus-dados-\d{4}-\d{2}-\d{2}\.json"/,
  )
  assert.equal(json.headers.get('cache-control'), 'no-store')
  const x = json.body
  assert.equal(x.profile.email, s.email)
  assert.equal(x.profile.cpf, s.cpf)
  assert.equal(x.profile.liCustomerId, s.liId)
  assert.equal(x.consent.termsVersion, CONSENT_TEXT_VERSION)
  assert.ok(x.consent.termsAcceptedAt)
  assert.equal(x.consent.emailConsent, true)
  assert.ok(x.ledger.some((e: { reason: string; amount: number }) => /pedido nº/.test(e.reason) && e.amount === 250))
  assert.match(x.redemptions[0].couponCode, /^FID/)
  assert.equal(x.orders[0].totalCents, 26_500)
  assert.ok(x.emails.some((e: { kind: string }) => e.kind === 'login_code'))

  const csv = await t.request('GET', `${p.base}/me/data?format=csv`, { token: s.accessToken })
  assert.equal(csv.status, 200)
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/)
  const text = csv.body as string
  // The body starts with a BOM for Excel (the test client's decoder drops it).
  assert.ok(text.replace(/^\uFEFF/, '').startsWith('seção,data,descrição,valor,detalhe'))
  assert.ok(text.includes(s.email) && text.includes(x.redemptions[0].couponCode))
  assert.ok(text.includes(`Aceitou o texto de privacidade versão ${CONSENT_TEXT_VERSION}`))

  const bad = await t.request('GET', `${p.base}/me/data?format=xml`, { token: s.accessToken })
  assert.equal(bad.status, 400)
  assert.equal(bad.body.error.field, 'format')
  assert.equal((await t.request('GET', `${p.base}/me/data`)).status, 401)
})

test('the merchant exports, lists requests with due dates, registers and completes an erasure', async () => {
  const { t } = env
  const p = await liveProgram(env)
  const q = await liveProgram(env)
  const s = await richShopper(t, p)
  const base = `/v1/programs/${p.programId}`
  const exp = await t.request('GET', `${base}/members/${s.memberId}/data`, { token: p.merchantToken })
  assert.equal(exp.status, 200)
  assert.equal(exp.body.profile.email, s.email)
  // Another merchant's program, or a member of another program: 404.
  assert.equal((await t.request('GET', `${base}/members/${s.memberId}/data`, { token: q.merchantToken })).status, 404)
  assert.equal(
    (await t.request('GET', `/v1/programs/${q.programId}/members/${s.memberId}/data`, { token: q.merchantToken }))
      .status,
    404,
  )

  const bad = await t.request('POST', `${base}/privacy-requests`, {
    token: p.merchantToken,
    body: { memberId: s.memberId, kind: 'forget' },
  })
  assert.equal(bad.status, 400)
  assert.equal(bad.body.error.field, 'kind')
  const reg = await t.request('POST', `${base}/privacy-requests`, {
    token: p.merchantToken,
    body: { memberId: s.memberId, kind: 'erasure', note: 'Pediu por e-mail' },
  })
  assert.equal(reg.status, 201)
  assert.equal(reg.body.state, 'open')
  assert.equal((Date.parse(reg.body.dueAt) - Date.parse(reg.body.requestedAt)) / 86_400_000, 15)

  const list = await t.request('GET', `${base}/privacy-requests?state=open`, { token: p.merchantToken })
  assert.equal(list.status, 200)
  assert.ok(list.body.items.some((r: { id: number }) => r.id === reg.body.id))
  assert.equal(list.body.items[0].memberLabel, s.name)

  const done = await t.request('POST', `${base}/privacy-requests/${reg.body.id}/complete`, { token: p.merchantToken })
  assert.equal(done.status, 200, JSON.stringify(done.body))
  assert.equal(done.body.state, 'done')
  assert.ok(done.body.doneAt)
  assert.match(done.body.memberLabel, /@erased\.invalid$/)
  const again = await t.request('POST', `${base}/privacy-requests/${reg.body.id}/complete`, { token: p.merchantToken })
  assert.equal(again.status, 409)
  const erase = await t.request('POST', `${base}/members/${s.memberId}/erasure`, { token: p.merchantToken })
  assert.equal(erase.status, 409, 'already erased')

  // The store's later reports of this customer's orders keep amounts, not who they were.
  await t.database.db.transaction().execute((trx) =>
    applyOrders(
      trx,
      {
        programId: p.programId,
        earnRate: 1,
        awardingIds: new Set([4]),
        salesOn: true,
        statuses: new Map(),
        lifecycle: { pendingDays: 0, campaigns: [] },
        guard: { key: privacyKey(t.deps.secrets) },
      },
      [
        {
          source: 'li',
          externalId: '777001',
          liCustomerId: s.liId,
          customerEmail: s.email,
          status: { id: 4, code: 'pedido_entregue', cancelled: false, final: true },
          subtotalCents: 5000,
          shippingCents: 0,
          discountCents: 0,
          totalCents: 5000,
          placedAt: new Date(),
          updatedAt: new Date(),
        },
      ],
    ),
  )
  const order = await t.database.db
    .selectFrom('orders')
    .selectAll()
    .where('program_id', '=', p.programId)
    .where('external_id', '=', '777001')
    .executeTakeFirstOrThrow()
  assert.equal(order.li_customer_id, null)
  assert.equal(order.customer_email, null)
  assert.equal(order.member_id, null)
  assert.equal(Number(order.total_cents), 5000)

  // An ERP sale for the erased e-mail does not re-enrol them.
  await t.database.db
    .updateTable('integrations')
    .set({ erp_sales: true })
    .where('program_id', '=', p.programId)
    .execute()
  const sale = await t.request('POST', `${base}/sales`, {
    token: p.merchantToken,
    body: { externalId: 'erp-1', customerEmail: s.email, amountCents: 1000, valid: true, date: '2026-12-01' },
  })
  assert.equal(sale.status, 409, JSON.stringify(sale.body))
  assert.equal(sale.body.error.field, 'customerEmail')
})
