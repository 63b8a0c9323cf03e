import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import { MemberDetail, MemberList } from '../../shared/api/members.ts'
import { TierPreview, TierRulesView, TierSaveResult } from '../../shared/api/tiers.ts'
import { addDays, saoPauloDay } from '../lib/calendar.ts'
import { createTestApp, type TestApp } from '../test/harness.ts'
import { evaluateAllPrograms } from './service.ts'
import { erpSales } from './test-support.ts'

/** VIP tiers through the admin API, with orders applied as the sync and the ERP endpoint apply them. */
let t: TestApp
before(async () => {
  t = await createTestApp()
})
after(() => t.close())

const today = saoPauloDay(new Date())
const year = Number(today.slice(0, 4))

async function program(mode: 'points' | 'cashback' = 'points') {
  const m = await t.merchant()
  const created = await t.request('POST', '/v1/programs', { token: m.token, body: { name: 'Clube VIP', mode } })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const id = created.body.id as string
  const api = (method: string, path: string, body?: unknown) =>
    t.request(method, `/v1/programs/${id}${path}`, { token: m.token, ...(body !== undefined ? { body } : {}) })
  const member = async (email: string) => {
    const res = await api('POST', '/members', { email, name: email.split('@')[0] })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return res.body.id as number
  }
  /** One sale (ERP-style) in its current state; `placedAt` defaults to now. */
  const sale = erpSales(t.deps, id, mode)
  const ledger = (memberId: number) =>
    t.deps.db
      .selectFrom('ledger_entries')
      .select(['kind', 'amount', 'reason', 'idempotency_key'])
      .where('program_id', '=', id)
      .where('member_id', '=', memberId)
      .orderBy('id')
      .execute()
  const detail = async (memberId: number) => {
    const res = await api('GET', `/members/${memberId}`)
    assert.equal(res.status, 200, JSON.stringify(res.body))
    return v.parse(MemberDetail, res.body)
  }
  return { id, api, member, sale, ledger, detail, token: m.token }
}

const spendTiers = {
  basis: 'spend',
  window: 'calendar_year',
  tiers: [
    { name: 'Bronze', color: '#a0522d', threshold: 100_00 },
    { name: 'Prata', color: '#a8a9ad', threshold: 500_00, multiplierPct: 150, entryReward: 50 },
    { name: 'Ouro', color: '#d4af37', threshold: 1000_00, multiplierPct: 200, entryReward: 200 },
  ],
}

describe('tiers in a points program', () => {
  test('purchases lift a member, a cancellation drops them, the entry reward is paid once', async () => {
    const p = await program()
    const ana = await p.member('ana@cliente.test')
    const bia = await p.member('bia@cliente.test')
    const saved = await p.api('PUT', '/tiers', spendTiers)
    assert.equal(saved.status, 200, JSON.stringify(saved.body))
    const rules = v.parse(TierSaveResult, saved.body).rules
    const [bronze, prata, ouro] = rules.tiers
    assert.deepEqual(
      rules.tiers.map((x) => [x.name, x.threshold, x.multiplierPct, x.entryReward]),
      [
        ['Bronze', 100_00, 100, 0],
        ['Prata', 500_00, 150, 50],
        ['Ouro', 1000_00, 200, 200],
      ],
    )

    await p.sale('A', ana, 600_00)
    let d = await p.detail(ana)
    assert.equal(d.tier?.tier?.name, 'Prata')
    assert.equal(d.tier?.qualifying, 600_00)
    assert.equal(d.tier?.nextText, 'Faltam R$ 400,00 para Ouro')
    assert.equal(d.tier?.keepText, `Você mantém o nível Prata até 31/12/${year + 1}`)
    assert.deepEqual(
      (await p.ledger(ana)).map((e) => [e.kind, e.amount, e.idempotency_key]),
      [
        ['earn', 600, 'order:erp:A:earn:1'],
        ['bonus', 50, `tier:${prata!.id}:${year}`],
      ],
      'the order that lifts a member earns at the old tier; the entry reward follows',
    )

    await p.sale('B', ana, 100_00)
    const b = (await p.ledger(ana)).at(-1)!
    assert.equal(b.amount, 150, 'Prata multiplies by 1,5')
    assert.match(b.reason, /nível Prata: × 1,5/)
    d = await p.detail(ana)
    assert.equal(d.tier?.nextText, 'Faltam R$ 300,00 para Ouro')

    // Members filterable by tier.
    const inPrata = await p.api('GET', `/members?tier=${prata!.id}`)
    assert.deepEqual(
      inPrata.body.items.map((m: { id: number }) => m.id),
      [ana],
    )
    assert.deepEqual((await p.api('GET', `/members?tier=${ouro!.id}`)).body.items, [])
    // Each row of the list carries its tier.
    const all = v.parse(MemberList, (await p.api('GET', '/members')).body)
    assert.deepEqual(
      all.items.map((m) => [m.id, m.tier?.name ?? null]),
      [
        [bia, null],
        [ana, 'Prata'],
      ],
    )

    await p.sale('A', ana, 600_00, false)
    d = await p.detail(ana)
    assert.equal(d.tier?.tier?.name, 'Bronze', 'the cancelled order stops counting')
    assert.equal(d.tier?.qualifying, 100_00)
    assert.equal(d.member.balance, 600 + 50 + 150 - 600, 'the entry reward already paid stays')

    await p.sale('C', ana, 500_00)
    d = await p.detail(ana)
    assert.equal(d.tier?.tier?.name, 'Prata')
    const bonuses = (await p.ledger(ana)).filter((e) => e.kind === 'bonus')
    assert.equal(bonuses.length, 1, 'back in Prata the same year: no second entry reward')

    // Preview, then a rules change: members move, balances do not.
    const lower = {
      ...spendTiers,
      tiers: rules.tiers.map((x) => ({ ...x, threshold: x.threshold / 10 })),
    }
    const preview = await p.api('POST', '/tier-preview', lower)
    assert.equal(preview.status, 200, JSON.stringify(preview.body))
    assert.deepEqual(v.parse(TierPreview, preview.body), {
      tiers: [
        { name: 'Bronze', members: 0 },
        { name: 'Prata', members: 0 },
        { name: 'Ouro', members: 1 },
      ],
      noTier: 1,
    })
    const balance = d.member.balance
    const changed = await p.api('PUT', '/tiers', lower)
    assert.equal(changed.status, 200, JSON.stringify(changed.body))
    assert.equal(changed.body.changed, 1)
    d = await p.detail(ana)
    assert.equal(d.tier?.tier?.id, ouro!.id, 'ids kept: the same tiers with new thresholds')
    assert.equal(d.tier?.next, null)
    assert.equal(d.tier?.nextText, null)
    assert.equal(d.member.balance, balance, 'a rules change grants nothing')
    assert.equal((await p.detail(bia)).tier?.tier, null)
    assert.equal(bronze!.name, 'Bronze')

    const got = v.parse(TierRulesView, (await p.api('GET', '/tiers')).body)
    assert.equal(got.enabled, true)
    assert.equal(got.tiers[2]!.threshold, 100_00)
  })

  test('bad tier lists answer 400 naming the field; another merchant gets 404', async () => {
    const p = await program()
    const one = await p.api('PUT', '/tiers', { ...spendTiers, tiers: spendTiers.tiers.slice(0, 1) })
    assert.equal(one.status, 400)
    assert.equal(one.body.error.field, 'tiers')
    const down = await p.api('PUT', '/tiers', {
      ...spendTiers,
      tiers: [spendTiers.tiers[1], spendTiers.tiers[0]],
    })
    assert.equal(down.status, 400)
    assert.equal(down.body.error.field, 'tiers.1.threshold')
    const colour = await p.api('PUT', '/tiers', {
      ...spendTiers,
      tiers: [{ ...spendTiers.tiers[0], color: 'red' }, spendTiers.tiers[1]],
    })
    assert.equal(colour.status, 400)
    assert.equal(colour.body.error.field, 'tiers.0.color')
    const other = await t.merchant()
    const res = await t.request('GET', `/v1/programs/${p.id}/tiers`, { token: other.token })
    assert.equal(res.status, 404)
    const off = await p.api('GET', '/tiers')
    assert.equal(off.body.enabled, false)
    assert.equal((await p.api('DELETE', '/tiers')).status, 200)
  })
})

describe('tiers in a cashback program', () => {
  test('earned cashback over a rolling year: the tier doubles cashback, old orders roll out daily', async () => {
    const p = await program('cashback')
    const ana = await p.member('ana@volta.test')
    const saved = await p.api('PUT', '/tiers', {
      basis: 'earned',
      window: 'rolling_12m',
      tiers: [
        { name: 'Clássico', color: '#336699', threshold: 10_00 },
        { name: 'Black', color: '#111111', threshold: 50_00, multiplierPct: 200, entryReward: 5_00 },
      ],
    })
    assert.equal(saved.status, 200, JSON.stringify(saved.body))
    const black = saved.body.rules.tiers[1]

    // 13 months ago: earns, but outside the window.
    await p.sale('OLD', ana, 1000_00, true, new Date(Date.now() - 400 * 86_400_000))
    let d = await p.detail(ana)
    assert.equal(d.tier?.tier ?? null, null)
    assert.equal(d.tier?.nextText, 'Faltam R$ 10,00 para Clássico')

    await p.sale('A', ana, 600_00)
    d = await p.detail(ana)
    assert.equal(d.tier?.tier?.name, 'Black')
    assert.equal(d.tier?.unit, 'cents')
    assert.equal(d.tier?.keepText, null, 'a rolling window keeps nothing to a date')
    const entries = await p.ledger(ana)
    assert.deepEqual(
      entries.slice(-2).map((e) => [e.kind, e.amount, e.idempotency_key]),
      [
        ['earn', 60_00, 'order:erp:A:earn:1'],
        ['bonus', 5_00, `tier:${black.id}:rolling:${year}`],
      ],
    )
    assert.match(entries.at(-1)!.reason, /^Cashback de boas-vindas ao nível Black$/)

    await p.sale('B', ana, 100_00)
    assert.equal((await p.ledger(ana)).at(-1)!.amount, 20_00, '10 % of R$ 100,00, doubled')
    assert.equal((await p.detail(ana)).tier?.qualifying, 80_00)

    // A year and more later, the daily evaluation lets the orders roll out.
    const totals = await evaluateAllPrograms(t.deps.db, addDays(today, 400))
    assert.ok(totals.programs >= 1)
    d = await p.detail(ana)
    const row = await t.deps.db
      .selectFrom('member_tiers')
      .selectAll()
      .where('program_id', '=', p.id)
      .where('member_id', '=', ana)
      .executeTakeFirst()
    assert.equal(row, undefined, 'nothing counts any more: no tier, no standing kept')
  })
})
