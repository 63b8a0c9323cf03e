import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import type { ParsedMail } from 'mailparser'
import type { Database, Executor } from '../../db/database.ts'
import type { Jobs } from '../../jobs/jobs.ts'
import { upsertStoreCustomers } from '../../members/store-customers.ts'
import { captureLogger, testConfig } from '../../test/harness.ts'
import { testDatabase } from '../../test/database.ts'
import { unsubscribeWithToken } from '../service.ts'
import { lifecycleExpirySource } from './expiry-source.ts'
import { seedProgram, startMailPipeline, waitForEmail, type TestSmtp } from '../test-support.ts'
import { deriveUnsubscribeKey, signUnsubscribeToken, verifyUnsubscribeToken } from '../unsubscribe.ts'
import { runCouponReminders } from './coupon-reminder.ts'
import { runPointsDigest } from './digest.ts'
import { runExpiryNotices, type ExpirySource } from './expiring.ts'
import type { LifecycleDeps } from './gate.ts'
import { catchUpRedeemed, onRedemptionIssued } from './redeemed.ts'
import { setLifecycleSettings } from './settings.ts'
import { noteEnrolled, runWelcomeDrip } from './welcome.ts'

const ENCRYPTION_KEY = Buffer.alloc(32, 9)
const UNSUBSCRIBE_KEY = deriveUnsubscribeKey(ENCRYPTION_KEY)
const PUBLIC_URL = 'https://fidelis.example'
/** 12:00 in São Paulo: daytime, so reminders and digests are due. */
const NOON = new Date('2026-11-29T15:00:00Z')

describe('lifecycle e-mails', () => {
  let database: Database
  let db: Executor
  let jobs: Jobs
  let smtp: TestSmtp
  let pipeline: Awaited<ReturnType<typeof startMailPipeline>>
  let deps: LifecycleDeps
  const logs = captureLogger()

  before(async () => {
    database = await testDatabase()
    db = database.db
    pipeline = await startMailPipeline(database, logs.log)
    ;({ jobs, smtp } = pipeline)
    deps = {
      db: database.db,
      jobs,
      log: logs.log,
      config: testConfig({ PUBLIC_URL, EMAIL_WELCOME_PER_MINUTE: '60' }),
      secrets: { jwtKeys: [], encryptionKey: ENCRYPTION_KEY },
    }
  })
  after(async () => {
    await pipeline.close()
    await database.close()
  })

  // ---- fixtures -----------------------------------------------------------------------------------

  let seq = 0
  const program = async (opts: { active?: boolean; activatedAt?: Date } = {}) => {
    const { programId } = await seedProgram(db, { name: 'Clube Bella', siteUrl: 'https://www.bella.com.br/' })
    if (opts.active !== false) await activate(programId, opts.activatedAt ?? new Date('2026-11-01T12:00:00Z'))
    return programId
  }
  const activate = (programId: string, at: Date) =>
    db.updateTable('integrations').set({ active: true, activated_at: at }).where('program_id', '=', programId).execute()
  const member = async (
    programId: string,
    opts: { email?: string; balance?: number; consent?: boolean | null; mark?: 'bulk' | 'person' | null } = {},
  ) => {
    const email = opts.email ?? `cliente${++seq}-${process.pid}@cliente.test`
    const m = await db
      .insertInto('members')
      .values({
        program_id: programId,
        email,
        name: 'Ana',
        balance: opts.balance ?? 0,
        email_consent: opts.consent ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (opts.mark !== null) await noteEnrolled(db, programId, [m.id], opts.mark ?? 'bulk')
    return { id: m.id, email }
  }
  /** A member whose welcome was already decided (so digests may follow). */
  const welcomed = async (programId: string, opts: Parameters<typeof member>[1] = {}) => {
    const m = await member(programId, opts)
    await db
      .updateTable('lifecycle_welcomes')
      .set({ status: 'queued', decided_at: new Date('2026-11-01T12:00:00Z') })
      .where('member_id', '=', m.id)
      .execute()
    return m
  }
  let entrySeq = 0
  const entry = (
    programId: string,
    memberId: number,
    e: {
      kind: 'earn' | 'bonus' | 'reverse'
      amount: number
      reason: string
      orderRef?: string
      at: string
      /** When it happened (an order's placing); default `at`. */
      occurredAt?: string
    },
  ) =>
    db
      .insertInto('ledger_entries')
      .values({
        program_id: programId,
        member_id: memberId,
        kind: e.kind,
        amount: e.amount,
        reason: e.reason,
        idempotency_key: `t:${++entrySeq}`,
        order_ref: e.orderRef ?? null,
        created_at: new Date(e.at),
        occurred_at: new Date(e.occurredAt ?? e.at),
      })
      .execute()
  const redemption = async (
    programId: string,
    memberId: number,
    r: { status?: string; issuedAt: Date; validUntil: string },
  ) => {
    const reward = await db
      .insertInto('rewards')
      .values({
        program_id: programId,
        kind: 'fixed_discount',
        source: 'manual',
        title: 'Vale R$ 20',
        points_cost: 200,
        value_cents: 2000,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const row = await db
      .insertInto('redemptions')
      .values({
        program_id: programId,
        member_id: memberId,
        reward_id: reward.id,
        idempotency_key: `k${++seq}`,
        status: (r.status ?? 'issued') as 'issued',
        points_cost: 200,
        reward_kind: 'fixed_discount',
        reward_title: 'Vale R$ 20',
        coupon_type: 'fixo',
        coupon_value: 2000,
        minimum_order_cents: 10000,
        coupon_code: `FIDTESTE${seq}X`,
        li_coupon_id: 77,
        valid_until_day: r.validUntil,
        expires_at: new Date(`${r.validUntil}T23:59:59-03:00`),
        issued_at: r.issuedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  }
  const outbox = (programId: string) =>
    db.selectFrom('email_outbox').selectAll().where('program_id', '=', programId).orderBy('id').execute()
  /** E-mails a run wrote for this program (the jobs cover every program; other tests' ones too). */
  const wrote = async (programId: string, run: () => Promise<unknown>) => {
    const before = (await outbox(programId)).length
    await run()
    return (await outbox(programId)).length - before
  }
  const receivedBy = (address: string): ParsedMail[] =>
    smtp.received.filter((r) => r.rcpt.includes(address)).map((r) => r.mail)
  const rawHeader = (mail: ParsedMail, name: string) => {
    const line = mail.headerLines.find((h) => h.key === name)?.line
    return line
      ?.slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim()
  }
  const sent = async (programId: string, kind: string, to: string) => {
    const rows = (await outbox(programId)).filter((r) => r.kind === kind && r.to_address === to)
    const row = rows[0]
    assert.ok(row, `no ${kind} e-mail to ${to}`)
    for (const r of rows) assert.equal((await waitForEmail(db, r.id, ['sent', 'failed'])).status, 'sent')
    const [mail] = receivedBy(to).filter((m) => m.headers.get('subject') === row.subject)
    assert.ok(mail, `${kind} not received over SMTP`)
    return { row, mail }
  }
  /** What every lifecycle e-mail must carry: pt-BR, HTML + text, branding, store link, reason, unsubscribe. */
  const assertLifecycleMail = (mail: ParsedMail, reason: string, kind: string) => {
    const html = String(mail.html)
    const text = mail.text ?? ''
    assert.match(html, /<html lang="pt-BR">/)
    assert.ok(html.includes('#0f766e'), 'program colour')
    assert.ok(html.includes('Clube Bella') && text.startsWith('Clube Bella'), 'program name')
    assert.ok(
      html.includes('href="https://www.bella.com.br/"') && text.includes('https://www.bella.com.br/'),
      'store link',
    )
    assert.ok(text.includes(reason), `reason in the footer: ${reason}`)
    const list = rawHeader(mail, 'list-unsubscribe') ?? ''
    assert.match(list, /^<https:\/\/fidelis\.example\/v1\/email\/unsubscribe\?token=[^>]+>$/)
    assert.equal(rawHeader(mail, 'list-unsubscribe-post'), 'List-Unsubscribe=One-Click')
    const url = list.slice(1, -1)
    assert.ok(text.includes(`Cancelar inscrição: ${url}`))
    assert.equal(verifyUnsubscribeToken(UNSUBSCRIBE_KEY, new URL(url).searchParams.get('token')!)?.scope, 'marketing')
    // The second link stops this kind only.
    const kindUrl = /Parar só estes: (\S+)/.exec(text)?.[1]
    assert.ok(kindUrl, 'per-kind unsubscribe link')
    assert.equal(verifyUnsubscribeToken(UNSUBSCRIBE_KEY, new URL(kindUrl).searchParams.get('token')!)?.scope, kind)
    assert.ok(html.includes(kindUrl.replace(/&/g, '&amp;')))
  }

  // ---- tests --------------------------------------------------------------------------------------

  test('nothing is written before the integration is activated; activation starts the welcomes', async () => {
    const programId = await program({ active: false })
    // Enrolled by the store sync while the program is not active: marked, not e-mailed.
    const { counts } = await db
      .transaction()
      .execute((trx) =>
        upsertStoreCustomers(
          trx,
          programId,
          [{ liCustomerId: 9001, email: `sync-${process.pid}@cliente.test`, name: 'Bia', cpf: null, birthDate: null }],
          { key: Buffer.alloc(32) },
        ),
      )
    assert.equal(counts.created, 1)
    const m = await member(programId, { balance: 500 })
    await entry(programId, m.id, {
      kind: 'earn',
      amount: 50,
      reason: 'Pontos da compra nº 1',
      orderRef: 'li:1',
      at: '2026-11-28T15:00:00Z',
    })
    await redemption(programId, m.id, { issuedAt: new Date('2026-11-20T12:00:00Z'), validUntil: '2026-12-02' })

    await runWelcomeDrip(deps, NOON)
    await runPointsDigest(deps, NOON)
    await runCouponReminders(deps, NOON)
    await catchUpRedeemed(deps, NOON)
    assert.deepEqual(await outbox(programId), [])
    const markers = await db
      .selectFrom('lifecycle_welcomes')
      .select('status')
      .where('program_id', '=', programId)
      .execute()
    assert.deepEqual(
      markers.map((r) => r.status),
      ['pending', 'pending'],
      'the hook marked both members',
    )

    await activate(programId, NOON)
    assert.equal(await wrote(programId, () => runWelcomeDrip(deps, NOON)), 2)
    const rows = await outbox(programId)
    assert.deepEqual(
      rows.map((r) => r.kind),
      ['welcome', 'welcome'],
    )
  })

  test('welcome: delivered over SMTP in pt-BR with branding, reason and unsubscribe links', async () => {
    const programId = await program()
    const m = await member(programId, { balance: 1500, mark: 'person' })
    assert.equal(await wrote(programId, () => runWelcomeDrip(deps, new Date())), 1)
    const { row, mail } = await sent(programId, 'welcome', m.email)
    assert.equal(mail.subject, 'Boas-vindas ao programa Clube Bella')
    assert.match(mail.text ?? '', /Seu saldo agora: 1\.500 pontos\./)
    assert.equal(row.reason, 'Você recebeu este e-mail porque entrou no programa Clube Bella.')
    assertLifecycleMail(mail, row.reason, 'welcome')
  })

  test('activation drip: existing customers welcomed at the configured rate, resumable, never twice', async () => {
    const N = 150
    const programId = await program({ active: false })
    // The store's customers, imported before activation (no markers: the backfill finds them).
    await sql`insert into members (program_id, email, name)
              select ${programId}, 'drip' || g || '-' || ${process.pid} || '@cliente.test', 'Cliente ' || g from generate_series(1, ${N}) g`.execute(
      db,
    )
    // A far-future clock: the send jobs wait for their slots, so this test only reads the schedule.
    const t0 = new Date(Date.now() + 86_400_000)
    await activate(programId, t0)

    assert.equal(await wrote(programId, () => runWelcomeDrip(deps, t0)), 60, 'one minute at 60/min')
    const marked = await db
      .selectFrom('lifecycle_welcomes')
      .select('member_id')
      .where('program_id', '=', programId)
      .execute()
    assert.equal(marked.length, N, 'every existing customer got a marker at activation')
    assert.equal(
      await wrote(programId, () => runWelcomeDrip(deps, t0)),
      0,
      'a second run in the same minute writes nothing',
    )

    // A run that dies half-way (the process is killed) leaves nothing behind…
    let calls = 0
    const crashing: LifecycleDeps = {
      ...deps,
      jobs: {
        enqueue: (async (...args: Parameters<Jobs['enqueue']>) => {
          if (++calls === 30) throw new Error('killed')
          return jobs.enqueue(...args)
        }) as Jobs['enqueue'],
        enqueueMany: (async (...args: Parameters<Jobs['enqueueMany']>) => {
          calls += args[2].length
          if (calls >= 30) throw new Error('killed')
          return jobs.enqueueMany(...args)
        }) as Jobs['enqueueMany'],
      } as Jobs,
    }
    const t1 = new Date(t0.getTime() + 60_000)
    await assert.rejects(runWelcomeDrip(crashing, t1), /killed/)
    assert.equal((await outbox(programId)).length, 60)
    // …and the restarted worker continues where the last commit left off.
    assert.equal(await wrote(programId, () => runWelcomeDrip(deps, t1)), 60)
    assert.equal(await wrote(programId, () => runWelcomeDrip(deps, new Date(t1.getTime() + 60_000))), 30)
    assert.equal(await wrote(programId, () => runWelcomeDrip(deps, new Date(t1.getTime() + 120_000))), 0)

    const rows = await outbox(programId)
    assert.equal(rows.length, N)
    assert.equal(new Set(rows.map((r) => r.member_id)).size, N, 'one welcome per member')
    const pending = await db
      .selectFrom('lifecycle_welcomes')
      .select('member_id')
      .where('program_id', '=', programId)
      .where('status', '=', 'pending')
      .execute()
    assert.equal(pending.length, 0)

    // The send times: one per second from t0, never two in the same second.
    const { rows: jobsRows } = await sql<{ start_after: Date }>`
      select start_after from pgboss.job where name = 'email-send' and (data->>'outboxId')::bigint = any(${rows.map((r) => r.id)}::bigint[])
      order by start_after`.execute(db)
    assert.equal(jobsRows.length, N)
    const times = jobsRows.map((r) => new Date(r.start_after).getTime())
    assert.equal(times[0], t0.getTime())
    for (let i = 1; i < times.length; i++) assert.equal(times[i]! - times[i - 1]!, 1000, `gap before send ${i}`)
  })

  test('welcome: people who joined go before the backlog; refused consent and unsubscribed members are skipped', async () => {
    const programId = await program({ active: false })
    const bulk = await member(programId)
    const noConsent = await member(programId, { consent: false })
    const joined = await member(programId, { mark: 'person' })
    const future = new Date(Date.now() + 86_400_000)
    await activate(programId, future)
    const slow: LifecycleDeps = { ...deps, config: { ...deps.config, emailWelcomePerMinute: 1 } }
    assert.equal(await wrote(programId, () => runWelcomeDrip(slow, future)), 1)
    assert.deepEqual(
      (await outbox(programId)).map((r) => r.member_id),
      [joined.id],
    )
    await unsubscribeWithToken(db, UNSUBSCRIBE_KEY, tokenFor(programId, bulk.id, 'welcome'))
    assert.equal(await wrote(programId, () => runWelcomeDrip(slow, new Date(future.getTime() + 60_000))), 0)
    const markers = await db
      .selectFrom('lifecycle_welcomes')
      .select(['member_id', 'status', 'skip_reason'])
      .where('program_id', '=', programId)
      .orderBy('member_id')
      .execute()
    assert.deepEqual(markers, [
      { member_id: bulk.id, status: 'skipped', skip_reason: 'unsubscribed' },
      { member_id: noConsent.id, status: 'skipped', skip_reason: 'no_consent' },
      { member_id: joined.id, status: 'queued', skip_reason: null },
    ])
  })

  test('points earned: one digest per member per São Paulo day, delivered, idempotent', async () => {
    const programId = await program()
    const m = await welcomed(programId, { balance: 260 })
    // 28/11 in São Paulo is [28T03:00Z, 29T03:00Z).
    await entry(programId, m.id, {
      kind: 'earn',
      amount: 120,
      reason: 'Pontos da compra nº 123',
      orderRef: 'li:123',
      at: '2026-11-28T03:00:00Z',
      // Placed five days before its points came in (imported at activation, or delivered late).
      occurredAt: '2026-11-23T15:00:00Z',
    })
    await entry(programId, m.id, {
      kind: 'bonus',
      amount: 40,
      reason: 'Bônus de aniversário',
      at: '2026-11-29T02:59:59Z',
    })
    await entry(programId, m.id, {
      kind: 'earn',
      amount: 100,
      reason: 'Pontos da compra nº 122',
      orderRef: 'li:122',
      at: '2026-11-28T02:59:59Z',
    })

    const before8 = new Date('2026-11-29T10:00:00Z') // 07:00 in São Paulo
    assert.equal(await wrote(programId, () => runPointsDigest(deps, before8)), 0, 'not before 08:00')
    assert.equal(
      await wrote(programId, () => runPointsDigest(deps, NOON)),
      2,
      'the 27th (order 122 at 23:59:59) and the 28th',
    )
    assert.equal(await wrote(programId, () => runPointsDigest(deps, NOON)), 0, 'second run: nothing new')
    assert.equal(await wrote(programId, () => runPointsDigest(deps, new Date(NOON.getTime() + 3_600_000))), 0)

    const rows = (await outbox(programId)).filter((r) => r.kind === 'points_earned')
    assert.deepEqual(rows.map((r) => r.dedupe_key).sort(), [
      `points_earned:${m.id}:2026-11-27`,
      `points_earned:${m.id}:2026-11-28`,
    ])
    const day28 = rows.find((r) => r.dedupe_key!.endsWith('2026-11-28'))!
    assert.equal(
      day28.reason,
      'Você recebeu este e-mail porque ganhou pontos em 28/11/2026: pedido nº 123; bônus de aniversário.',
    )
    const { mail } = await sent(programId, 'points_earned', m.email)
    const mine = receivedBy(m.email).find((x) => x.subject === 'Você ganhou 160 pontos')
    assert.ok(mine, `subjects: ${receivedBy(m.email).map((x) => x.subject)}`)
    // The order's own date beside its points, not the day they were credited.
    assert.match(mine.text ?? '', /Pontos da compra nº 123 \(pedido de 23\/11\/2026\): \+120 pontos/)
    assert.ok(String(mine.html).includes('Pontos da compra nº 123 (pedido de 23/11/2026): +120 pontos'))
    assert.match(mine.text ?? '', /Bônus de aniversário: \+40 pontos/)
    assert.match(mine.text ?? '', /Seu saldo agora: 260 pontos\./)
    assertLifecycleMail(
      mail,
      mail === mine ? day28.reason : rows.find((r) => r.subject === mail.subject)!.reason,
      'points_earned',
    )
  })

  test("points earned: the history imported at activation and the welcome's own balance are not digested", async () => {
    const activatedAt = new Date('2026-11-28T12:00:00Z')
    const programId = await program({ activatedAt })
    const m = await member(programId, { balance: 900 })
    await db
      .insertInto('orders')
      .values({
        program_id: programId,
        source: 'li',
        external_id: '7',
        subtotal_cents: 1,
        shipping_cents: 0,
        discount_cents: 0,
        total_cents: 1,
        placed_at: new Date('2025-01-10T12:00:00Z'),
        source_updated_at: new Date('2025-01-10T12:00:00Z'),
      })
      .execute()
    await entry(programId, m.id, {
      kind: 'earn',
      amount: 900,
      reason: 'Pontos da compra nº 7',
      orderRef: 'li:7',
      at: '2026-11-28T13:00:00Z',
    })
    assert.equal(await wrote(programId, () => runPointsDigest(deps, NOON)), 0, 'welcome still pending: nothing')
    await db
      .updateTable('lifecycle_welcomes')
      .set({ status: 'queued', decided_at: new Date('2026-11-28T14:00:00Z') })
      .where('member_id', '=', m.id)
      .execute()
    await entry(programId, m.id, { kind: 'bonus', amount: 10, reason: 'Bônus de cadastro', at: '2026-11-28T13:30:00Z' })
    assert.equal(await wrote(programId, () => runPointsDigest(deps, NOON)), 0, 'old order + credits before the welcome')
  })

  test('reward redeemed: code, value and expiry, once per redemption; the catch-up writes a lost one', async () => {
    const programId = await program()
    const m = await welcomed(programId)
    const id = await redemption(programId, m.id, { issuedAt: new Date(), validUntil: '2026-12-29' })
    await onRedemptionIssued(deps, id)
    await onRedemptionIssued(deps, id)
    assert.equal(await wrote(programId, () => catchUpRedeemed(deps)), 0)
    const { row, mail } = await sent(programId, 'reward_redeemed', m.email)
    assert.equal(mail.subject, 'Seu cupom de Vale R$ 20 está pronto')
    const text = mail.text ?? ''
    assert.match(text, /FIDTESTE\d+X/)
    assert.match(text, /Vale: R\$ 20,00 de desconto/)
    assert.match(text, /Válido até: 29\/12\/2026 \(até 23h59\)/)
    assert.match(text, /Pedido mínimo: R\$ 100,00/)
    assert.equal(row.reason, `Você recebeu este e-mail porque resgatou o prêmio "Vale R$ 20" (resgate nº ${id}).`)
    assertLifecycleMail(mail, row.reason, 'reward_redeemed')

    // The coupon job's call failed (say, the database blinked): the hourly catch-up writes it.
    const lost = await redemption(programId, m.id, { issuedAt: new Date(), validUntil: '2026-12-29' })
    assert.equal(await wrote(programId, () => catchUpRedeemed(deps)), 1)
    assert.equal(await wrote(programId, () => catchUpRedeemed(deps)), 0)
    assert.equal((await outbox(programId)).filter((r) => r.dedupe_key === `reward_redeemed:${lost}`).length, 1)
  })

  test('coupon about to expire unused: reminded once, in daytime', async () => {
    const programId = await program()
    const m = await welcomed(programId)
    const due = await redemption(programId, m.id, {
      issuedAt: new Date('2026-11-10T12:00:00Z'),
      validUntil: '2026-12-03',
    })
    await redemption(programId, m.id, { issuedAt: new Date('2026-11-10T12:00:00Z'), validUntil: '2026-12-20' }) // too far
    await redemption(programId, m.id, {
      status: 'used',
      issuedAt: new Date('2026-11-10T12:00:00Z'),
      validUntil: '2026-12-01',
    }) // used
    assert.equal(
      await wrote(programId, () => runCouponReminders(deps, new Date('2026-11-29T09:00:00Z'))),
      0,
      '06:00 in São Paulo',
    )
    assert.equal(await wrote(programId, () => runCouponReminders(deps, NOON)), 1)
    assert.equal(await wrote(programId, () => runCouponReminders(deps, NOON)), 0)
    const { row, mail } = await sent(programId, 'coupon_expiring', m.email)
    assert.equal(row.dedupe_key, `coupon_expiring:${due}`)
    assert.equal(mail.subject, 'Seu cupom vence em 4 dias')
    assert.match(mail.text ?? '', /Se ele vencer sem uso, seus pontos voltam para o saldo\./)
    assertLifecycleMail(mail, row.reason, 'coupon_expiring')
  })

  test('points expiring: 7- and 30-day notices, each at most once per window', async () => {
    const programId = await program()
    const m = await welcomed(programId, { balance: 300 })
    let lots = [
      { points: 50, on: '2026-12-03' },
      { points: 100, on: '2026-12-20' },
    ]
    const source: ExpirySource = {
      programs: async () => [programId],
      candidates: async (_db, _p, _today, _within, afterId) => (afterId < m.id ? [m.id] : []),
      upcoming: async () => new Map([[m.id, lots]]),
    }
    assert.equal(await runExpiryNotices(deps, source, NOON), 2)
    assert.equal(await runExpiryNotices(deps, source, NOON), 0)
    // Tomorrow a new lot enters the 30-day window: no second 30-day notice within 30 days.
    lots = [...lots, { points: 10, on: '2026-12-21' }]
    assert.equal(await runExpiryNotices(deps, source, new Date(NOON.getTime() + 86_400_000)), 0)
    const rows = (await outbox(programId)).filter((r) => r.kind === 'points_expiring')
    assert.deepEqual(rows.map((r) => r.subject).sort(), [
      '100 pontos vencem nos próximos 30 dias',
      '50 pontos vencem nos próximos 7 dias',
    ])
    const seven = rows.find((r) => r.subject.includes('7 dias'))!
    assert.equal(
      seven.reason,
      'Você recebeu este e-mail porque 50 pontos seus vencem até 03/12/2026 (aviso de 7 dias).',
    )
    const { mail } = await sent(programId, 'points_expiring', m.email)
    assert.match(mail.text ?? '', /pontos em (03\/12|20\/12)\/2026/)
    assertLifecycleMail(mail, rows.find((r) => r.subject === mail.subject)!.reason, 'points_expiring')
  })

  test('points expiring through the real ledger: FIFO lots of the points lifecycle decide the notice', async () => {
    const programId = await program()
    await db
      .insertInto('points_rules')
      .values({ program_id: programId, expiry_months: 1 })
      .onConflict((oc) => oc.column('program_id').doUpdateSet({ expiry_months: 1 }))
      .execute()
    const m = await welcomed(programId, { balance: 130 })
    // 100 earned on 03/11 (expire 03/12, inside the 7-day window on 29/11), 50 earned on 20/11
    // (expire 20/12, inside 30 days); 20 already spent comes off the oldest lot first.
    await entry(programId, m.id, {
      kind: 'earn',
      amount: 100,
      reason: 'Pontos da compra nº 1',
      orderRef: 'li:1',
      at: '2026-11-03T15:00:00Z',
    })
    await entry(programId, m.id, {
      kind: 'earn',
      amount: 50,
      reason: 'Pontos da compra nº 2',
      orderRef: 'li:2',
      at: '2026-11-20T15:00:00Z',
    })
    await entry(programId, m.id, {
      kind: 'reverse',
      amount: -20,
      reason: 'Estorno parcial',
      orderRef: 'li:1',
      at: '2026-11-21T15:00:00Z',
    })
    assert.equal(await runExpiryNotices(deps, lifecycleExpirySource, NOON), 2)
    assert.equal(await runExpiryNotices(deps, lifecycleExpirySource, NOON), 0, 'twice in a row: nothing new')
    const rows = (await outbox(programId)).filter((r) => r.kind === 'points_expiring')
    assert.deepEqual(rows.map((r) => r.subject).sort(), [
      '50 pontos vencem nos próximos 30 dias',
      '80 pontos vencem nos próximos 7 dias',
    ])
  })

  test('kill switch and kinds turned off: nothing is written; pending welcomes are dropped', async () => {
    const programId = await program()
    const m = await welcomed(programId)
    const fresh = await member(programId)
    await entry(programId, m.id, {
      kind: 'earn',
      amount: 10,
      reason: 'Pontos da compra nº 5',
      orderRef: 'li:5',
      at: '2026-11-28T15:00:00Z',
    })
    const id = await redemption(programId, m.id, { issuedAt: new Date(), validUntil: '2026-12-29' })

    await setLifecycleSettings(db, programId, { enabled: false })
    const drip = await runWelcomeDrip(deps, new Date())
    assert.ok(drip.skipped >= 1)
    await runPointsDigest(deps, NOON)
    await onRedemptionIssued(deps, id)
    await catchUpRedeemed(deps)
    assert.deepEqual(await outbox(programId), [])
    const marker = await db
      .selectFrom('lifecycle_welcomes')
      .select(['status', 'skip_reason'])
      .where('member_id', '=', fresh.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(marker, { status: 'skipped', skip_reason: 'disabled' })

    await setLifecycleSettings(db, programId, { enabled: true, disabledKinds: ['points_earned'] })
    assert.equal(await wrote(programId, () => runPointsDigest(deps, NOON)), 0)
    assert.equal(await wrote(programId, () => catchUpRedeemed(deps)), 1, 'other kinds go out again')
  })

  test('unsubscribe per kind stops that kind only; from all stops every lifecycle e-mail', async () => {
    const programId = await program()
    const m = await welcomed(programId)
    await entry(programId, m.id, {
      kind: 'earn',
      amount: 10,
      reason: 'Pontos da compra nº 8',
      orderRef: 'li:8',
      at: '2026-11-28T15:00:00Z',
    })
    await unsubscribeWithToken(db, UNSUBSCRIBE_KEY, tokenFor(programId, m.id, 'points_earned'))
    assert.equal(await wrote(programId, () => runPointsDigest(deps, NOON)), 0)
    await redemption(programId, m.id, { issuedAt: new Date(), validUntil: '2026-12-29' })
    assert.equal(await wrote(programId, () => catchUpRedeemed(deps)), 1, 'reward e-mails still come')
    // The per-kind link can also stop everything.
    await unsubscribeWithToken(db, UNSUBSCRIBE_KEY, tokenFor(programId, m.id, 'points_earned'), { all: true })
    await redemption(programId, m.id, { issuedAt: new Date(), validUntil: '2026-12-29' })
    assert.equal(await wrote(programId, () => catchUpRedeemed(deps)), 0)
  })
})

/** An unsubscribe token as the e-mails' links carry it. */
const tokenFor = (programId: string, memberId: number, scope: string) =>
  signUnsubscribeToken(UNSUBSCRIBE_KEY, { programId, memberId, scope })
