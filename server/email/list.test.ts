import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as v from 'valibot'
import { OutboxEmailList } from '../../shared/api/emails.ts'
import type { Kysely } from 'kysely'
import type { EmailStatus, EmailTables } from '../db/email-schema.ts'
import type { DB } from '../db/schema.ts'
import { createTestApp, type TestApp } from '../test/harness.ts'
import { seedMember } from './test-support.ts'

/**
 * The merchant's sent e-mails (the panel's "E-mails enviados"): kind and status filters, search by
 * recipient, keyset paging, 400s naming the field, walls between programs. Rows are written
 * directly: sending is tested in outbox.test.ts.
 */
describe('admin e-mail list: filters, search, paging', () => {
  let t: TestApp
  let token: string
  let programId: string
  const ids: Record<string, number> = {}
  const base = () => `/v1/programs/${programId}/emails`
  const list = async (qs: string) => {
    const res = await t.request('GET', `${base()}${qs}`, { token })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    return v.parse(OutboxEmailList, res.body)
  }
  const idsOf = (l: { items: Array<{ id: number }> }) => l.items.map((e) => e.id)

  let n = 0
  async function email(to: string, kind: string, status: EmailStatus, lastError: string | null = null) {
    const memberId = await seedMember(t.database.db, programId, `${kind}-${++n}-${to}`.toLowerCase())
    const row = await (t.database.db as unknown as Kysely<DB & EmailTables>)
      .insertInto('email_outbox')
      .values({
        program_id: programId,
        member_id: memberId,
        kind,
        category: kind === 'login_code' ? 'transactional' : 'marketing',
        reason: 'Você participa do programa Clube Bella.',
        to_address: to,
        subject: `Assunto ${n}`,
        status,
        last_error: lastError,
        sent_at: status === 'sent' ? new Date() : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  }

  before(async () => {
    t = await createTestApp()
    token = (await t.merchant()).token
    programId = (await t.request('POST', '/v1/programs', { token, body: { name: 'Clube Bella' } })).body.id
    ids.a = await email('maria@cliente.test', 'welcome', 'sent')
    ids.b = await email('joao@cliente.test', 'login_code', 'failed', '550 5.1.1 mailbox unavailable')
    ids.c = await email('Maria@Cliente.test', 'points_earned', 'sent')
    ids.d = await email('mariana@outra.test', 'welcome', 'pending', 'ECONNREFUSED: connect ECONNREFUSED')
    ids.e = await email('joao@cliente.test', 'reward_redeemed', 'failed', 'expired before it could be sent')
  })
  after(() => t?.close())

  test('newest first, each with recipient, kind, status, times and the failure reason; never the bodies', async () => {
    const all = await list('')
    assert.deepEqual(idsOf(all), [ids.e, ids.d, ids.c, ids.b, ids.a])
    assert.equal(all.nextCursor, null)
    const failed = all.items.find((e) => e.id === ids.b)!
    assert.equal(failed.to, 'joao@cliente.test')
    assert.equal(failed.kind, 'login_code')
    assert.equal(failed.status, 'failed')
    assert.equal(failed.lastError, '550 5.1.1 mailbox unavailable')
    assert.equal(failed.sentAt, null)
    assert.ok(all.items.find((e) => e.id === ids.a)!.sentAt)
    assert.ok(
      !('textBody' in failed) && !('htmlBody' in failed) && !('messageId' in failed) && !('programId' in failed),
    )
  })

  test('kind and status filters, alone and together', async () => {
    assert.deepEqual(idsOf(await list('?kind=welcome')), [ids.d, ids.a])
    assert.deepEqual(idsOf(await list('?status=failed')), [ids.e, ids.b])
    assert.deepEqual(idsOf(await list('?status=sent')), [ids.c, ids.a])
    assert.deepEqual(idsOf(await list('?status=pending')), [ids.d])
    assert.deepEqual(idsOf(await list('?kind=login_code&status=failed')), [ids.b])
    assert.deepEqual(idsOf(await list('?kind=coupon_expiring')), [])
  })

  test('q: the recipient or its beginning, any case; combined with the filters', async () => {
    assert.deepEqual(idsOf(await list('?q=maria')), [ids.d, ids.c, ids.a], 'maria@… and mariana@…')
    assert.deepEqual(idsOf(await list(`?q=${encodeURIComponent('MARIA@cliente.test')}`)), [ids.c, ids.a])
    assert.deepEqual(idsOf(await list(`?q=${encodeURIComponent(' joao@ ')}&status=failed&kind=reward_redeemed`)), [
      ids.e,
    ])
    assert.deepEqual(idsOf(await list('?q=cliente.test')), [], 'a prefix, not a fragment')
    assert.deepEqual(idsOf(await list('?q=%25')), [], 'LIKE wildcards are plain characters')
    assert.deepEqual(idsOf(await list('?q=mari_')), [])
    assert.equal((await list('?q=')).items.length, 5)
  })

  test('paging: the cursor walks every match once, with the same filters; the old limit still works', async () => {
    const first = await list('?limit=2')
    assert.deepEqual(idsOf(first), [ids.e, ids.d])
    const second = await list(`?limit=2&cursor=${first.nextCursor}`)
    assert.deepEqual(idsOf(second), [ids.c, ids.b])
    const third = await list(`?limit=2&cursor=${second.nextCursor}`)
    assert.deepEqual(idsOf(third), [ids.a])
    assert.equal(third.nextCursor, null)
    const one = await list('?q=maria&limit=1')
    const rest = await list(`?q=maria&cursor=${one.nextCursor}`)
    assert.deepEqual([...idsOf(one), ...idsOf(rest)], [ids.d, ids.c, ids.a])
  })

  test('bad filters are a 400 naming each field', async () => {
    const bad = await t.request('GET', `${base()}?kind=newsletter&status=lost&cursor=x&limit=500`, { token })
    assert.equal(bad.status, 400)
    assert.equal(bad.body.error.code, 'validation_failed')
    assert.deepEqual(bad.body.error.fields.map((f: { field: string }) => f.field).sort(), [
      'cursor',
      'kind',
      'limit',
      'status',
    ])
    const long = await t.request('GET', `${base()}?q=${'a'.repeat(255)}`, { token })
    assert.deepEqual([long.status, long.body.error.field], [400, 'q'])
  })

  test("tenants are walls: another merchant's program is not found, its search finds nothing of ours", async () => {
    const other = await t.merchant()
    assert.equal((await t.request('GET', `${base()}?q=maria`, { token: other.token })).status, 404)
    const theirs = (await t.request('POST', '/v1/programs', { token: other.token, body: { name: 'Outra' } })).body.id
    const res = await t.request('GET', `/v1/programs/${theirs}/emails?q=maria`, { token: other.token })
    assert.deepEqual([res.status, res.body.items, res.body.nextCursor], [200, [], null])
  })
})
