import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { simpleParser } from 'mailparser'
import type { Database } from '../db/database.ts'
import { Jobs } from '../jobs/jobs.ts'
import { captureLogger } from '../test/harness.ts'
import { testDatabase } from '../test/database.ts'
import { queueEmail, scrubExpiredSecrets } from './service.ts'
import { ensureEmailTables, seedProgram, waitForEmail } from './test-support.ts'
import { createMailTransport, DEFAULT_MAIL_FROM, parseMailFrom, type MailTransport } from './transport.ts'
import * as repo from './repository.ts'
import { registerEmailWorker } from './worker.ts'

describe('e-mail without SMTP_URL: .eml files in the data folder', () => {
  let database: Database
  let jobs: Jobs
  let transport: MailTransport
  let dataDir: string
  let programId: string
  const logs = captureLogger()
  const deps = () => ({ jobs, publicUrl: 'http://127.0.0.1:8787', unsubscribeKey: Buffer.alloc(32, 9) })

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'fidelis-mail-'))
    database = await testDatabase()
    await ensureEmailTables(database)
    jobs = new Jobs(database, logs.log)
    transport = createMailTransport({ smtpUrl: undefined, mailFrom: DEFAULT_MAIL_FROM, dataDir, log: logs.log })
    registerEmailWorker(jobs, { db: database.db, transport, log: logs.log })
    await jobs.start({ work: true, pollingIntervalSeconds: 0.5 })
    ;({ programId } = await seedProgram(database.db, { name: 'Empório Sol', siteUrl: 'https://emporiosol.com.br' }))
  })
  after(async () => {
    await jobs.stop()
    transport.close()
    await database.close()
    await fs.rm(dataDir, { recursive: true, force: true })
  })

  test('the message is written as <dataDir>/mail/<id>.eml, and logs name the file but not the code or body', async () => {
    assert.equal(transport.kind, 'file')
    const result = await database.db.transaction().execute((trx) =>
      queueEmail(trx, deps(), {
        programId,
        kind: 'login_code',
        to: 'joao@cliente.test',
        data: { code: '731904', name: 'João' },
      }),
    )
    if (result.status !== 'queued') return assert.fail(result.status)
    const row = await waitForEmail(database.db, result.email.id, ['sent', 'failed'])
    assert.equal(row.status, 'sent')

    const file = path.join(dataDir, 'mail', `${row.id}.eml`)
    const mail = await simpleParser(await fs.readFile(file))
    assert.equal(mail.subject, 'Seu código de acesso ao programa Empório Sol')
    assert.equal(mail.from?.value[0]?.address, 'no-reply@fidelis.local')
    assert.equal(mail.from?.value[0]?.name, 'Empório Sol')
    assert.match(mail.text ?? '', /\b731904\b/)
    assert.match(typeof mail.html === 'string' ? mail.html : '', /\b731904\b/)
    assert.equal(mail.messageId, row.message_id)
    assert.equal((await fs.stat(file)).mode & 0o077, 0, 'only the owner reads the mail folder files')

    const lines = logs.lines.join('\n')
    assert.ok(logs.lines.some((l) => l.includes('"email written to file"') && l.includes(`${row.id}.eml`)))
    for (const leak of ['731904', 'joao@cliente.test', 'Olá', 'código', 'Empório Sol']) {
      assert.ok(!lines.includes(leak), `logs contain ${leak}`)
    }
  })

  const insertRow = async (row: Parameters<typeof repo.insertOutbox>[1]) => {
    const inserted = await database.db.transaction().execute((trx) => repo.insertOutbox(trx, row))
    assert.ok(inserted)
    return inserted
  }

  test('expired sensitive rows whose job never ran are given up and blanked by the sweep', async () => {
    // Written straight to the outbox (no job), as if the queue had been lost.
    const row = await insertRow({
      program_id: programId,
      kind: 'login_code',
      category: 'transactional',
      reason: 'teste',
      to_address: 'perdido@cliente.test',
      subject: 's',
      text_body: 'código 111222',
      html_body: '<p>111222</p>',
      headers: '{}',
      sensitive: true,
      expires_at: new Date(Date.now() - 1000),
    })
    const kept = await insertRow({
      program_id: programId,
      kind: 'welcome',
      category: 'marketing',
      reason: 'teste',
      to_address: 'x@cliente.test',
      subject: 's',
      text_body: 'corpo',
      html_body: '<p>corpo</p>',
      headers: '{}',
      expires_at: new Date(Date.now() - 1000),
    })
    assert.ok((await scrubExpiredSecrets(database.db)) >= 1)
    const after = await repo.findOutbox(database.db, row.id)
    assert.equal(after?.status, 'failed')
    assert.equal(after?.text_body, null)
    assert.equal(after?.html_body, null)
    assert.equal((await repo.findOutbox(database.db, kept.id))?.text_body, 'corpo', 'only sensitive bodies are blanked')
    assert.equal(await scrubExpiredSecrets(database.db), 0, 'the sweep is idempotent')
  })

  test('MAIL_FROM is parsed and checked', () => {
    assert.deepEqual(parseMailFrom('Fidelis <no-reply@fidelis.local>'), {
      name: 'Fidelis',
      address: 'no-reply@fidelis.local',
    })
    assert.deepEqual(parseMailFrom('avisos@loja.com.br'), { name: '', address: 'avisos@loja.com.br' })
    assert.throws(() => parseMailFrom('Fidelis'), /MAIL_FROM/)
    assert.throws(() => parseMailFrom('a@b.c, d@e.f'), /MAIL_FROM/)
  })
})
