import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Database } from '../db/database.ts'
import { postEntry } from '../ledger/service.ts'
import { generateReferralCode } from '../referrals/rules.ts'
import type { TestApp } from '../test/harness.ts'
import type { LiveProgram } from '../widget/test-support.ts'
import { latestCode } from '../widget/test-support.ts'

/** Fixtures of the privacy tests: a shopper with every kind of data, and catalogue scans. */

export interface RichShopper {
  email: string
  name: string
  cpf: string
  liId: number
  ip: string
  memberId: number
  accessToken: string
  refreshToken: string
}

let n = 0

/**
 * A store customer who joins in the widget (consents, session, login code and e-mails), then
 * gets orders, ledger entries, a redemption with its coupon, a queued and a sent e-mail, a
 * pending login code, rate-limit counters and privacy requests (one from an IP, one registered
 * by the merchant with a note naming them).
 */
export async function richShopper(t: TestApp, p: LiveProgram): Promise<RichShopper> {
  const tag = `${process.pid}x${++n}`
  const email = `zuleica.${tag}@cliente.test`
  const name = `Zuleica Quaresma ${tag}`
  const cpf = validCpf(`${process.pid}${n}`)
  const ip = `203.0.113.${(n % 200) + 20}`
  const liId = p.addStoreCustomer(email, name)
  const h = { 'x-forwarded-for': ip }
  assert.equal((await t.request('POST', `${p.base}/login`, { body: { email }, headers: h })).status, 202)
  const code = await latestCode(t, p.programId, email)
  const verify = await t.request('POST', `${p.base}/login/verify`, {
    body: { email, code, join: { name, cpf, birthDate: '1988-04-17', emailConsent: true } },
    headers: h,
  })
  assert.equal(verify.status, 200, JSON.stringify(verify.body))
  const memberId = verify.body.member.id as number
  const db = t.database.db

  await db
    .insertInto('orders')
    .values({
      program_id: p.programId,
      source: 'li',
      external_id: `9${n}01`,
      li_customer_id: liId,
      customer_email: email,
      member_id: memberId,
      status_id: 4,
      status_code: 'pedido_entregue',
      subtotal_cents: 25_000,
      shipping_cents: 1_500,
      discount_cents: 0,
      total_cents: 26_500,
      placed_at: new Date(),
      source_updated_at: new Date(),
      award_state: 'awarded',
      points_awarded: 250,
    })
    .execute()
  await db.transaction().execute(async (trx) => {
    await postEntry(trx, p.programId, {
      memberId,
      kind: 'earn',
      amount: 250,
      reason: `Compra: pedido nº 9${n}01`,
      idempotencyKey: `li:9${n}01:earn:1`,
      orderRef: `li:9${n}01`,
    })
  })
  const reward = await db
    .insertInto('rewards')
    .values({
      program_id: p.programId,
      kind: 'fixed_discount',
      source: 'manual',
      title: 'R$ 10 off',
      points_cost: 100,
      value_cents: 1000,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('redemptions')
    .values({
      program_id: p.programId,
      member_id: memberId,
      reward_id: reward.id,
      idempotency_key: `r-${tag}`,
      status: 'issued',
      points_cost: 100,
      reward_kind: 'fixed_discount',
      reward_title: 'R$ 10 off',
      coupon_type: 'fixo',
      coupon_value: 1000,
      li_coupon_id: 77,
      expires_at: new Date('2027-01-31T23:59:59-03:00'),
      valid_until_day: '2027-01-31',
      issued_at: new Date(),
      coupon_code: `FID${tag.replace(/\D/g, '').slice(0, 10).padEnd(10, '7')}`,
    })
    .execute()
  await db.transaction().execute((trx) =>
    postEntry(trx, p.programId, {
      memberId,
      kind: 'redeem',
      amount: -100,
      reason: 'Resgate: R$ 10 off',
      idempotencyKey: `redeem:${tag}`,
    }),
  )
  // The login code e-mail went out; a welcome naming them waits in the queue.
  await db
    .updateTable('email_outbox')
    .set({ status: 'sent', sent_at: new Date() })
    .where('to_address', '=', email)
    .execute()
  await db
    .insertInto('email_outbox')
    .values({
      program_id: p.programId,
      member_id: memberId,
      kind: 'welcome',
      category: 'marketing',
      reason: 'Você entrou no programa',
      to_address: email,
      subject: `Boas-vindas, ${name}`,
      text_body: `Olá, ${name}! CPF ${cpf}`,
      html_body: `<p>Olá, ${name}!</p>`,
      headers: JSON.stringify({ 'X-To': email }),
    })
    .execute()
  // They claimed a referral coupon through another member's link (held: already a customer),
  // from their IP: the referral row keeps their address and the IP, the claim a rate-limit counter.
  const settings = await t.request('GET', `/v1/programs/${p.programId}/referrals/settings`, { token: p.merchantToken })
  await t.request('PUT', `/v1/programs/${p.programId}/referrals/settings`, {
    token: p.merchantToken,
    body: { ...settings.body, enabled: true },
  })
  const advocate = await db
    .insertInto('members')
    .values({ program_id: p.programId, email: `indica.${tag}@outra.test`, name: 'Iara Indica' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const refCode = generateReferralCode(randomBytes)
  await db
    .insertInto('referral_codes')
    .values({ program_id: p.programId, member_id: advocate.id, code: refCode })
    .execute()
  const claim = await t.request('POST', `${p.base}/referrals/${refCode}/claims`, { body: { email }, headers: h })
  assert.equal(claim.status, 202, JSON.stringify(claim.body))
  // A pending login code (asked again, never used), from the same address.
  assert.equal((await t.request('POST', `${p.base}/login`, { body: { email }, headers: h })).status, 202)
  const session = verify.body as { accessToken: string; refreshToken: string }
  // An answered access request (from the IP), and an open one the store registered.
  const exp = await t.request('GET', `${p.base}/me/data?format=json`, { token: session.accessToken, headers: h })
  assert.equal(exp.status, 200)
  const reg = await t.request('POST', `/v1/programs/${p.programId}/privacy-requests`, {
    token: p.merchantToken,
    body: { memberId, kind: 'access', note: `Pedido por telefone de ${name}, ${email}, CPF ${cpf}` },
  })
  assert.equal(reg.status, 201, JSON.stringify(reg.body))
  return { email, name, cpf, liId, ip, memberId, accessToken: session.accessToken, refreshToken: session.refreshToken }
}

export interface Hit {
  column: string
  needle: string
}

/**
 * Every text-like column (text, varchar, char, json, jsonb, arrays) of every base table in the
 * public and pgboss schemas, from the catalogue, searched for each needle; every integer and
 * numeric column compared with each number. A table or column added later is scanned too.
 */
export async function scanCatalogue(database: Database, needles: string[], numbers: number[]) {
  const db = database.db
  const cols = await sql<{ s: string; t: string; c: string; type: string }>`
    select c.table_schema as s, c.table_name as t, c.column_name as c, c.data_type as type
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema in ('public', 'pgboss') and t.table_type = 'BASE TABLE'
    order by 1, 2, 3`.execute(db)
  const textTypes = new Set(['text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED'])
  const numTypes = new Set(['bigint', 'integer', 'smallint', 'numeric'])
  const hits: Hit[] = []
  const scanned: string[] = []
  for (const col of cols.rows) {
    const ref = sql`${sql.table(`${col.s}.${col.t}`)}`
    const name = `${col.s}.${col.t}.${col.c}`
    if (textTypes.has(col.type)) {
      scanned.push(name)
      for (const needle of needles) {
        const r = await sql<{ n: number }>`select count(*)::int as n from ${ref}
          where ${sql.ref(col.c)}::text ilike ${'%' + needle + '%'}`.execute(db)
        if (r.rows[0]!.n > 0) hits.push({ column: name, needle })
      }
    } else if (numTypes.has(col.type)) {
      scanned.push(name)
      for (const num of numbers) {
        const r = await sql<{ n: number }>`select count(*)::int as n from ${ref}
          where ${sql.ref(col.c)}::numeric = ${num}`.execute(db)
        if (r.rows[0]!.n > 0) hits.push({ column: name, needle: String(num) })
      }
    }
  }
  return { hits, scanned }
}

/** The 6 digits of the newest erasure-code e-mail to `to`, read from the outbox. */
export async function latestErasureCode(t: TestApp, programId: string, to: string): Promise<string> {
  const row = await t.database.db
    .selectFrom('email_outbox')
    .select('text_body')
    .where('program_id', '=', programId)
    .where('to_address', '=', to)
    .where('kind', '=', 'erasure_code')
    .orderBy('id', 'desc')
    .executeTakeFirst()
  const code = /\b([0-9]{6})\b/.exec(row?.text_body ?? '')?.[1]
  if (!code) throw new Error(`no erasure code e-mail to ${to}`)
  return code
}

/** A valid CPF (check digits computed) from any digits, so each fixture shopper has their own. */
function validCpf(seed: string): string {
  const base = (seed.replace(/\D/g, '') + '318642975').slice(0, 9).split('').map(Number)
  const digit = (ds: number[]) => {
    const sum = ds.reduce((acc, d, i) => acc + d * (ds.length + 1 - i), 0)
    const r = (sum * 10) % 11
    return r === 10 ? 0 : r
  }
  const d1 = digit(base)
  const d2 = digit([...base, d1])
  return [...base, d1, d2].join('')
}
