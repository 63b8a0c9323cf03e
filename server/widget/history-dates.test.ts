import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { LedgerEntryView } from '../../shared/api/members.ts'
import { runSync } from '../integrations/sync.ts'
import type { SimStore } from '../li-simulator/index.ts'
import type { TestApp } from '../test/harness.ts'
import { connectStore, DELIVERED, startLiTestApp, type LiTestEnv } from '../test/li-store.ts'
import { login, type LiveProgram } from './test-support.ts'

const DAY = 86_400_000

/**
 * Issue: every line of a first import was dated the import day. The history the shopper (widget
 * `me`) and the merchant (admin ledger) read is dated by when each thing happened.
 */
describe('history dates after a first import', () => {
  let env: LiTestEnv
  let t: TestApp
  let store: SimStore
  let programId: string
  let merchantToken: string
  let widget: LiveProgram
  // The oldest delivered order of a customer and that customer.
  let numero: number
  let placedMs: number
  let email: string

  before(async () => {
    env = await startLiTestApp()
    t = env.t
    const merchant = await t.merchant()
    merchantToken = merchant.token
    const s = await connectStore(t.deps, env.sim, {
      merchantId: merchant.id,
      seed: { seed: 23, customers: 8, orders: 80, days: 120 },
    })
    ;({ programId, store } = s)
    assert.equal(await runSync(t.deps, programId), 'done')
    const oldest = store.orders
      .filter((o) => o.statusId === DELIVERED && store.getCustomer(o.customerId))
      .sort((a, b) => a.createdUs - b.createdUs)[0]!
    numero = oldest.numero
    placedMs = Math.floor(oldest.createdUs / 1000)
    email = store.getCustomer(oldest.customerId)!.email.toLowerCase()
    assert.ok(Date.now() - placedMs > 60 * DAY, 'the store has an order older than two months')
    const program = await t.database.db
      .selectFrom('programs')
      .select('program_key')
      .where('id', '=', programId)
      .executeTakeFirstOrThrow()
    widget = { programId, base: `/v1/widget/${program.program_key}` } as LiveProgram
  })
  after(() => env.close())

  const memberId = async () =>
    (
      await t.database.db
        .selectFrom('members')
        .select('id')
        .where('program_id', '=', programId)
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).id
  const assertNewestHappeningFirst = (items: LedgerEntryView[]) => {
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1]!, items[i]!]
      assert.ok(a.occurredAt > b.occurredAt || (a.occurredAt === b.occurredAt && a.id > b.id), `${i}`)
    }
  }
  const near = (iso: string, ms: number) => Math.abs(Date.parse(iso) - ms) < 1000

  test("widget me and the admin ledger date an imported order's points by the order", async () => {
    const session = await login(t, widget, email)
    const me = await t.request('GET', `${widget.base}/me`, { token: session.accessToken })
    assert.equal(me.status, 200)
    const history = me.body.history as LedgerEntryView[]
    const earn = history.find((e) => e.orderRef === `li:${numero}`)
    assert.ok(earn, `order ${numero} in ${history.map((e) => e.orderRef)}`)
    assert.ok(near(earn.occurredAt, placedMs), `${earn.occurredAt} is the order's ${new Date(placedMs).toISOString()}`)
    assert.ok(Date.now() - Date.parse(earn.createdAt) < DAY, 'written today, by the import')
    assertNewestHappeningFirst(history)

    const id = await memberId()
    const ledger = await t.request('GET', `/v1/programs/${programId}/members/${id}/ledger?limit=100`, {
      token: merchantToken,
    })
    assert.equal(ledger.status, 200)
    const admin = (ledger.body.items as LedgerEntryView[]).find((e) => e.orderRef === `li:${numero}`)
    assert.equal(admin?.occurredAt, earn.occurredAt)
    assertNewestHappeningFirst(ledger.body.items)
    // The member page carries the same first page.
    const detail = await t.request('GET', `/v1/programs/${programId}/members/${id}`, { token: merchantToken })
    assert.deepEqual(
      detail.body.history.items.map((e: LedgerEntryView) => e.id),
      (ledger.body.items as LedgerEntryView[]).slice(0, 20).map((e) => e.id),
    )
  })

  test('a cancellation is dated when the store reported it, and comes first; an adjustment is now', async () => {
    const session = await login(t, widget, email)
    const before = await t.request('GET', `${widget.base}/me`, { token: session.accessToken })
    assert.equal(before.status, 200)
    const { order } = store.setOrderStatus(numero, 'pedido_cancelado')
    const cancelledMs = Math.floor(order.modifiedUs / 1000)
    assert.equal(await runSync(t.deps, programId), 'done')
    // The same process's `me`: its cached history must not hide the new entry.
    const me = await t.request('GET', `${widget.base}/me`, { token: session.accessToken })
    const reversal = (me.body.history as LedgerEntryView[]).find(
      (e) => e.kind === 'reverse' && e.orderRef === `li:${numero}`,
    )
    assert.ok(reversal, 'the reversal is in the history')
    assert.ok(near(reversal.occurredAt, cancelledMs), `${reversal.occurredAt}`)
    assert.equal(me.body.history[0].id, reversal.id, 'the newest happening, on top')

    const id = await memberId()
    const adjust = await t.request('POST', `/v1/programs/${programId}/members/${id}/adjustments`, {
      token: merchantToken,
      body: { amount: 5, reason: 'Cortesia' },
    })
    assert.equal(adjust.status, 201)
    assert.equal(adjust.body.entry.occurredAt, adjust.body.entry.createdAt)
    const after = await t.request('GET', `${widget.base}/me`, { token: session.accessToken })
    assert.equal(after.body.history[0].id, adjust.body.entry.id)
    assertNewestHappeningFirst(after.body.history)
  })
})
