import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import type { ParsedMail } from 'mailparser'
import type { Database } from '../db/database.ts'
import { Jobs } from '../jobs/jobs.ts'
import { captureLogger } from '../test/harness.ts'
import { testDatabase } from '../test/database.ts'
import { eventually } from '../test/eventually.ts'
import * as repo from './repository.ts'
import { queueEmail, queueEmails, unsubscribeWithToken, type EmailDeps } from './service.ts'
import {
  ensureEmailTables,
  seedMember,
  seedProgram,
  startTestSmtp,
  waitForEmail,
  type TestSmtp,
} from './test-support.ts'
import { createMailTransport, type MailTransport } from './transport.ts'
import { verifyUnsubscribeToken } from './unsubscribe.ts'
import { deliverOutboxEmail, EmailBusyError, emailQueue, registerEmailWorker, URGENT_PRIORITY } from './worker.ts'

const KEY = Buffer.alloc(32, 3)
const PUBLIC_URL = 'https://fidelis.example'

/** Recipients whose local part tells the test SMTP server how to answer. */
function smtpBehaviour(address: string, attempt: number) {
  if (address.startsWith('busy-once') && attempt === 1) return { code: 451, message: 'Mailbox busy, try again later' }
  // Real servers echo the recipient in replies; logs must not repeat it.
  if (address.startsWith('always-busy')) return { code: 451, message: `<${address}>: mailbox busy, try again later` }
  if (address.startsWith('nobody')) return { code: 550, message: `<${address}>: no such user here` }
  return undefined
}

describe('e-mail outbox over SMTP', () => {
  let database: Database
  let jobs: Jobs
  let smtp: TestSmtp
  let transport: MailTransport
  let deps: EmailDeps
  let programId: string
  const logs = captureLogger()

  before(async () => {
    database = await testDatabase()
    await ensureEmailTables(database)
    smtp = await startTestSmtp(smtpBehaviour)
    jobs = new Jobs(database, logs.log)
    transport = createMailTransport({
      smtpUrl: smtp.url,
      mailFrom: 'Fidelis <no-reply@fidelis.test>',
      dataDir: '/nonexistent',
      log: logs.log,
    })
    // Short retries so the retry tests finish in seconds: 3 attempts, 1 s base backoff.
    registerEmailWorker(jobs, { db: database.db, transport, log: logs.log, retry: { limit: 2, delaySeconds: 1 } })
    await jobs.start({ work: true, pollingIntervalSeconds: 0.5 })
    deps = { jobs, publicUrl: PUBLIC_URL, unsubscribeKey: KEY }
    ;({ programId } = await seedProgram(database.db, { name: 'Clube Bella', siteUrl: 'https://www.bella.com.br/' }))
  })
  after(async () => {
    await jobs.stop()
    transport.close()
    await smtp.close()
    await database.close()
  })

  const receivedBy = (address: string): ParsedMail[] =>
    smtp.received.filter((r) => r.rcpt.includes(address)).map((r) => r.mail)
  /** A header's raw value (mailparser folds List-* into an object; the raw line is what clients read). */
  const rawHeader = (mail: ParsedMail, name: string): string | undefined => {
    const line = mail.headerLines.find((h) => h.key === name)?.line
    return line
      ?.slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim()
  }

  test('a login code queued in a transaction is sent over SMTP, in pt-BR, HTML and text', async () => {
    const result = await database.db.transaction().execute((trx) =>
      queueEmail(trx, deps, {
        programId,
        kind: 'login_code',
        to: 'ana@cliente.test',
        data: { code: '482913', name: 'Ana' },
      }),
    )
    assert.equal(result.status, 'queued')
    if (result.status !== 'queued') return
    assert.ok(result.jobId)

    const row = await waitForEmail(database.db, result.email.id, ['sent', 'failed'])
    assert.equal(row.status, 'sent')
    assert.equal(row.attempts, 1)
    assert.ok(row.sent_at)
    assert.match(row.message_id ?? '', /^<outbox-\d+\.[0-9a-z]+@fidelis\.test>$/)
    assert.equal(row.kind, 'login_code')
    assert.equal(row.category, 'transactional')
    assert.match(row.reason, /pediu um código de acesso ao programa Clube Bella/)
    // The secret does not outlive the send.
    assert.equal(row.text_body, null)
    assert.equal(row.html_body, null)

    const [mail, ...more] = receivedBy('ana@cliente.test')
    assert.ok(mail)
    assert.equal(more.length, 0)
    assert.equal(mail.subject, 'Seu código de acesso ao programa Clube Bella')
    assert.doesNotMatch(mail.subject ?? '', /482913/, 'the code never goes in the subject')
    assert.equal(mail.from?.value[0]?.address, 'no-reply@fidelis.test')
    assert.equal(mail.from?.value[0]?.name, 'Clube Bella')
    assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : undefined, 'ana@cliente.test')
    assert.equal(mail.messageId, row.message_id)
    assert.equal(mail.headers.get('auto-submitted'), 'auto-generated')
    assert.equal(rawHeader(mail, 'list-unsubscribe'), undefined, 'a requested login code has no unsubscribe')
    assert.equal(rawHeader(mail, 'list-unsubscribe-post'), undefined)

    const text = mail.text ?? ''
    const html = typeof mail.html === 'string' ? mail.html : ''
    for (const body of [text, html]) {
      assert.match(body, /\b482913\b/)
      assert.match(body, /Olá, Ana!/)
      assert.match(body, /Clube Bella/)
      assert.match(body, /O código vale por 10 minutos\./)
      assert.match(body, /Se não foi você que pediu, ignore este e-mail/)
      assert.match(body, /Você recebeu este e-mail porque alguém pediu um código de acesso/)
      assert.doesNotMatch(body, /Cancelar inscrição/)
    }
    assert.match(text, /https:\/\/www\.bella\.com\.br\//)
    assert.match(html, /<html lang="pt-BR">/)
    assert.match(html, /href="https:\/\/www\.bella\.com\.br\/"/)
    // The preview line comes before the code and does not contain it.
    assert.ok(html.indexOf('Use o código para entrar') < html.indexOf('482913'))
  })

  test('a marketing e-mail carries List-Unsubscribe (one-click) and a footer link that works', async () => {
    const memberId = await seedMember(database.db, programId, 'bia@cliente.test')
    const result = await database.db.transaction().execute((trx) =>
      queueEmail(trx, deps, {
        programId,
        memberId,
        kind: 'welcome',
        to: 'bia@cliente.test',
        data: { name: 'Bia', points: 1500, pointsName: 'pontos' },
      }),
    )
    assert.equal(result.status, 'queued')
    if (result.status !== 'queued') return
    const row = await waitForEmail(database.db, result.email.id, ['sent', 'failed'])
    assert.equal(row.status, 'sent')
    assert.ok(row.text_body, 'non-sensitive bodies are kept')

    const [mail] = receivedBy('bia@cliente.test')
    assert.ok(mail)
    assert.equal(mail.subject, 'Boas-vindas ao programa Clube Bella')
    assert.match(mail.text ?? '', /Seu saldo agora: 1\.500 pontos\./)
    const listUnsubscribe = rawHeader(mail, 'list-unsubscribe') ?? ''
    assert.match(listUnsubscribe, /^<[^<>]+>$/)
    const url = listUnsubscribe.slice(1, -1)
    assert.ok(url.startsWith(`${PUBLIC_URL}/v1/email/unsubscribe?token=`), `List-Unsubscribe: ${listUnsubscribe}`)
    assert.equal(rawHeader(mail, 'list-unsubscribe-post'), 'List-Unsubscribe=One-Click')
    assert.ok((mail.text ?? '').includes(`Cancelar inscrição: ${url}`))
    assert.ok(typeof mail.html === 'string' && mail.html.includes(url.replace(/&/g, '&amp;')))

    const token = new URL(url).searchParams.get('token')!
    assert.deepEqual(verifyUnsubscribeToken(KEY, token), { programId, memberId, scope: 'marketing' })
    await unsubscribeWithToken(database.db, KEY, token)
    await unsubscribeWithToken(database.db, KEY, token) // a second click is fine

    // Unsubscribed: the next marketing e-mail is not even written.
    const again = await database.db.transaction().execute((trx) =>
      queueEmail(trx, deps, {
        programId,
        memberId,
        kind: 'welcome',
        to: 'bia@cliente.test',
        data: { points: 0, pointsName: 'pontos' },
      }),
    )
    assert.equal(again.status, 'unsubscribed')
    // …but login codes still are: the shopper asks for those.
    const code = await database.db.transaction().execute((trx) =>
      queueEmail(trx, deps, {
        programId,
        memberId,
        kind: 'login_code',
        to: 'bia@cliente.test',
        data: { code: '000111' },
      }),
    )
    assert.equal(code.status, 'queued')
  })

  test('several e-mails in one call: a key twice, one already written, an unsubscribed member, all sent once', async () => {
    const ana = await seedMember(database.db, programId, 'lote-ana@cliente.test')
    const bia = await seedMember(database.db, programId, 'lote-bia@cliente.test')
    await database.db
      .insertInto('email_unsubscribes')
      .values({ program_id: programId, member_id: bia, scope: 'marketing' })
      .execute()
    const welcome = (memberId: number, to: string, dedupeKey: string) => ({
      programId,
      memberId,
      kind: 'welcome' as const,
      to,
      data: { points: 0, pointsName: 'pontos' },
      dedupeKey,
    })
    const early = await database.db
      .transaction()
      .execute((trx) => queueEmail(trx, deps, welcome(ana, 'lote-ana@cliente.test', 'lote:ana:1')))
    assert.equal(early.status, 'queued')
    const results = await database.db.transaction().execute((trx) =>
      queueEmails(trx, deps, [
        welcome(ana, 'lote-ana@cliente.test', 'lote:ana:1'), // written above
        welcome(ana, 'lote-ana@cliente.test', 'lote:ana:2'),
        welcome(ana, 'lote-ana@cliente.test', 'lote:ana:2'), // the same key again
        welcome(bia, 'lote-bia@cliente.test', 'lote:bia:1'), // unsubscribed
        { programId, kind: 'login_code' as const, to: 'lote-sem-chave@cliente.test', data: { code: '445566' } },
      ]),
    )
    assert.deepEqual(
      results.map((r) => r.status),
      ['duplicate', 'queued', 'duplicate', 'unsubscribed', 'queued'],
    )
    if (results[1]!.status !== 'queued' || results[2]!.status !== 'duplicate') return assert.fail()
    assert.equal(results[2]!.email.id, results[1]!.email.id)
    await waitForEmail(database.db, results[1]!.email.id, ['sent'])
    if (results[4]!.status !== 'queued') return assert.fail()
    await waitForEmail(database.db, results[4]!.email.id, ['sent'])
    assert.equal(receivedBy('lote-ana@cliente.test').length, 2, 'one per key')
    assert.equal(receivedBy('lote-bia@cliente.test').length, 0)
  })

  test('a second job for a sent row sends nothing; a row claimed by a live worker is left alone', async () => {
    const result = await database.db
      .transaction()
      .execute((trx) =>
        queueEmail(trx, deps, { programId, kind: 'login_code', to: 'dup-job@cliente.test', data: { code: '112233' } }),
      )
    if (result.status !== 'queued') return assert.fail(result.status)
    await waitForEmail(database.db, result.email.id, ['sent'])
    const jobId = await jobs.enqueue(database.db, emailQueue, { outboxId: result.email.id })
    await eventually('the duplicate job to complete', async () => {
      const job = await jobs.getJob(emailQueue, jobId!)
      assert.equal(job?.state, 'completed')
      return job
    })
    assert.equal(receivedBy('dup-job@cliente.test').length, 1)
    assert.equal((await repo.findOutbox(database.db, result.email.id))?.attempts, 1)

    // Direct: a row mid-send elsewhere makes this attempt step back (the job retries later).
    const pending = await database.db.transaction().execute((trx) =>
      repo.insertOutbox(trx, {
        program_id: programId,
        kind: 'welcome',
        category: 'marketing',
        reason: 'r',
        to_address: 'lease@cliente.test',
        subject: 's',
        text_body: 't',
        html_body: 'h',
        headers: '{}',
      }),
    )
    assert.ok(pending)
    assert.ok(await repo.claimForSending(database.db, pending.id, 60))
    const workerDeps = { db: database.db, transport, log: logs.log }
    await assert.rejects(deliverOutboxEmail(workerDeps, pending.id, { final: false, leaseSeconds: 60 }), EmailBusyError)
    assert.equal(smtp.rcptAttempts.get('lease@cliente.test'), undefined)
    // Once the claim has lapsed (its worker died), the next attempt takes over and sends.
    assert.equal(await repo.claimForSending(database.db, pending.id, 60), undefined)
    await sql`update email_outbox set locked_until = now() - interval '1 second' where id = ${pending.id}`.execute(
      database.db,
    )
    assert.equal(await deliverOutboxEmail(workerDeps, pending.id, { final: false, leaseSeconds: 60 }), 'sent')
    assert.equal((await repo.findOutbox(database.db, pending.id))?.attempts, 2)
  })

  test('while coupons are being created a lifecycle e-mail waits for them; a code never waits, and is fetched first', async () => {
    const row = async (kind: string, to: string) =>
      (await database.db.transaction().execute((trx) =>
        repo.insertOutbox(trx, {
          program_id: programId,
          kind,
          category: kind === 'login_code' ? 'transactional' : 'marketing',
          reason: 'r',
          to_address: to,
          subject: 's',
          text_body: 't',
          html_body: 'h',
          headers: '{}',
        }),
      ))!
    let release!: () => void
    const burst = new Promise<void>((r) => (release = r))
    const asked: number[] = []
    const workerDeps = {
      db: database.db,
      transport,
      log: logs.log,
      whenQuiet: (ms: number) => {
        asked.push(ms)
        return burst
      },
    }
    const welcome = await row('welcome', 'burst-welcome@cliente.test')
    const code = await row('login_code', 'burst-code@cliente.test')
    const held = deliverOutboxEmail(workerDeps, welcome.id, { final: false, leaseSeconds: 60 })
    assert.equal(await deliverOutboxEmail(workerDeps, code.id, { final: false, leaseSeconds: 60 }), 'sent')
    assert.equal(receivedBy('burst-code@cliente.test').length, 1)
    assert.equal(receivedBy('burst-welcome@cliente.test').length, 0, 'held while the burst lasts')
    assert.equal(asked.length, 1, 'only the lifecycle e-mail asked')
    assert.ok(asked[0]! <= 2_000, 'and for a couple of seconds at most')
    release()
    assert.equal(await held, 'sent')
    assert.equal(receivedBy('burst-welcome@cliente.test').length, 1)

    const queued = await database.db
      .transaction()
      .execute((trx) =>
        queueEmail(trx, deps, { programId, kind: 'login_code', to: 'first@cliente.test', data: { code: '246810' } }),
      )
    if (queued.status !== 'queued') return assert.fail(queued.status)
    const job = await jobs.getJob(emailQueue, queued.jobId!)
    assert.equal(job?.priority, URGENT_PRIORITY, 'ahead of the e-mails waiting')
  })

  test('a rolled-back transaction leaves no outbox row and no job', async () => {
    let outboxId: number | undefined
    let jobId: string | null = null
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        const r = await queueEmail(trx, deps, {
          programId,
          kind: 'login_code',
          to: 'rollback@cliente.test',
          data: { code: '555555' },
        })
        assert.equal(r.status, 'queued')
        if (r.status === 'queued') {
          outboxId = r.email.id
          jobId = r.jobId
        }
        throw new Error('rollback')
      }),
      /rollback/,
    )
    assert.ok(outboxId && jobId)
    assert.equal(await repo.findOutbox(database.db, outboxId), undefined)
    assert.equal(await jobs.getJob(emailQueue, jobId), null)
  })

  test('a temporary SMTP rejection is retried, then sent; attempts and the error are recorded', async () => {
    const result = await database.db.transaction().execute((trx) =>
      queueEmail(trx, deps, {
        programId,
        kind: 'login_code',
        to: 'busy-once@cliente.test',
        data: { code: '246810' },
      }),
    )
    assert.equal(result.status, 'queued')
    if (result.status !== 'queued') return
    const row = await waitForEmail(database.db, result.email.id, ['sent', 'failed'])
    assert.equal(row.status, 'sent')
    assert.equal(row.attempts, 2)
    assert.match(row.last_error ?? '', /451/, 'the failure of the first attempt stays on record')
    assert.equal(receivedBy('busy-once@cliente.test').length, 1)
    assert.equal(smtp.rcptAttempts.get('busy-once@cliente.test'), 2)
  })

  test('a permanent SMTP rejection (550) fails at once, with the error', async () => {
    const result = await database.db
      .transaction()
      .execute((trx) =>
        queueEmail(trx, deps, { programId, kind: 'login_code', to: 'nobody@cliente.test', data: { code: '135791' } }),
      )
    if (result.status !== 'queued') return assert.fail(result.status)
    const row = await waitForEmail(database.db, result.email.id, ['sent', 'failed'])
    assert.equal(row.status, 'failed')
    assert.equal(row.attempts, 1, 'retrying cannot help a 550')
    assert.match(row.last_error ?? '', /550 <nobody@cliente\.test>: no such user here/, 'the row keeps the whole reply')
    assert.equal(row.text_body, null, 'a given-up login code is blanked too')
    assert.equal(smtp.rcptAttempts.get('nobody@cliente.test'), 1)
  })

  test('temporary rejections until the retries run out end in failed', async () => {
    const result = await database.db.transaction().execute((trx) =>
      queueEmail(trx, deps, {
        programId,
        kind: 'login_code',
        to: 'always-busy@cliente.test',
        data: { code: '864202' },
      }),
    )
    if (result.status !== 'queued') return assert.fail(result.status)
    const row = await waitForEmail(database.db, result.email.id, ['sent', 'failed'], 60_000)
    assert.equal(row.status, 'failed')
    assert.equal(row.attempts, 3) // first try + retryLimit 2
    assert.match(row.last_error ?? '', /451/)
    assert.equal(smtp.rcptAttempts.get('always-busy@cliente.test'), 3)
    assert.equal(receivedBy('always-busy@cliente.test').length, 0)
  })

  test('the same dedupe key sends one e-mail', async () => {
    const send = (memberId: number, to: string) =>
      database.db.transaction().execute((trx) =>
        queueEmail(trx, deps, {
          programId,
          memberId,
          kind: 'welcome',
          to,
          data: { points: 10, pointsName: 'pontos' },
          dedupeKey: `welcome:${memberId}`,
        }),
      )
    const caio = await seedMember(database.db, programId, 'caio@cliente.test')
    const first = await send(caio, 'caio@cliente.test')
    const second = await send(caio, 'caio@cliente.test')
    assert.equal(first.status, 'queued')
    assert.equal(second.status, 'duplicate')
    if (first.status !== 'queued' || second.status !== 'duplicate') return
    assert.equal(second.email.id, first.email.id)
    await waitForEmail(database.db, first.email.id, ['sent'])
    assert.equal((await send(caio, 'caio@cliente.test')).status, 'duplicate', 'also after it was sent')

    // Two transactions racing with a new key (truly concurrent on PostgreSQL): the unique index
    // makes the second wait for the first and then return its row.
    const dora = await seedMember(database.db, programId, 'dora@cliente.test')
    const race = await Promise.all([send(dora, 'dora@cliente.test'), send(dora, 'dora@cliente.test')])
    assert.deepEqual(race.map((r) => r.status).sort(), ['duplicate', 'queued'])
    const ids = race.map((r) => (r.status === 'unsubscribed' ? 0 : r.email.id))
    assert.equal(ids[0], ids[1])
    await waitForEmail(database.db, ids[0]!, ['sent'])
    assert.equal(receivedBy('caio@cliente.test').length, 1)
    assert.equal(receivedBy('dora@cliente.test').length, 1)

    // The insert itself yields on a taken key (the path a racing writer takes).
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        const row = {
          program_id: programId,
          kind: 'welcome',
          category: 'marketing' as const,
          reason: 'r',
          to_address: 'e@cliente.test',
          subject: 's',
          headers: '{}',
          dedupe_key: 'same',
        }
        assert.ok(await repo.insertOutbox(trx, row))
        assert.equal(await repo.insertOutbox(trx, row), undefined)
        assert.ok(
          await repo.insertOutbox(trx, { ...row, program_id: (await seedProgram(trx)).programId }),
          'keys are per program',
        )
        throw new Error('rollback')
      }),
      /rollback/,
    )
  })

  test('an expired login code is given up, not sent', async () => {
    const result = await database.db.transaction().execute((trx) =>
      queueEmail(trx, deps, {
        programId,
        kind: 'login_code',
        to: 'late@cliente.test',
        data: { code: '999000', validMinutes: 0 },
      }),
    )
    if (result.status !== 'queued') return assert.fail(result.status)
    const row = await waitForEmail(database.db, result.email.id, ['sent', 'failed'])
    assert.equal(row.status, 'failed')
    assert.match(row.last_error ?? '', /expired/)
    assert.equal(row.text_body, null)
    assert.equal(smtp.rcptAttempts.get('late@cliente.test'), undefined)
  })

  test('bad input fails at the sender', async () => {
    await assert.rejects(
      database.db
        .transaction()
        .execute((trx) =>
          queueEmail(trx, deps, { programId, kind: 'login_code', to: 'not-an-address', data: { code: '123456' } }),
        ),
      /valid e-mail address/,
    )
    await assert.rejects(
      database.db
        .transaction()
        .execute((trx) =>
          queueEmail(trx, deps, { programId, kind: 'login_code', to: 'a@b.test', data: { code: '12345' } }),
        ),
      /6 digits/,
    )
    await assert.rejects(
      database.db.transaction().execute((trx) =>
        queueEmail(trx, deps, {
          programId,
          kind: 'welcome',
          to: 'a@b.test',
          data: { points: 0, pointsName: 'pontos' },
        }),
      ),
      /needs a memberId/,
    )
    const other = await seedProgram(database.db, { name: 'Outra Loja' })
    const stranger = await seedMember(database.db, other.programId, 'x@cliente.test')
    await assert.rejects(
      database.db.transaction().execute((trx) =>
        queueEmail(trx, deps, {
          programId,
          memberId: stranger,
          kind: 'welcome',
          to: 'x@cliente.test',
          data: { points: 0, pointsName: 'pontos' },
        }),
      ),
      /member not found/,
    )
  })

  test('no log line carries a code, an address or a body', () => {
    const all = logs.lines.join('\n')
    for (const secret of [
      '482913',
      '246810',
      '135791',
      '864202',
      '999000',
      'ana@cliente.test',
      'nobody@cliente.test',
      'always-busy@cliente.test',
      'Olá',
      'código',
    ]) {
      assert.ok(!all.includes(secret), `logs contain ${secret}`)
    }
    assert.ok(logs.lines.some((l) => l.includes('"email sent"')))
    assert.ok(
      logs.lines.some((l) => l.includes('"email failed"') && l.includes('550 <[address]>: no such user here')),
      logs.lines.filter((l) => l.includes('failed')).join('\n'),
    )
  })
})
