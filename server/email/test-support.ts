import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer, type SMTPServerAddress } from 'smtp-server'
import type { Database, Executor } from '../db/database.ts'
import { up } from '../db/migrations/2026-11-28-0003-email.ts'
import { Jobs } from '../jobs/jobs.ts'
import type { Logger } from '../lib/logger.ts'
import { eventually } from '../test/eventually.ts'
import * as repo from './repository.ts'
import type { EmailStatus } from '../db/email-schema.ts'
import { createMailTransport, type MailTransport } from './transport.ts'
import { registerEmailWorker } from './worker.ts'

/**
 * Test fixtures of the e-mail feature: the tables (until the migration is registered, the
 * template database lacks them), a program with a store site, and a real SMTP server on loopback.
 */

export async function ensureEmailTables(database: Database): Promise<void> {
  const { rows } = await sql<{ t: string | null }>`select to_regclass('public.email_outbox')::text as t`.execute(
    database.db,
  )
  if (!rows[0]?.t) await up(database.db)
}

let seq = 0

export async function seedProgram(
  db: Executor,
  opts: { name?: string; siteUrl?: string | null } = {},
): Promise<{ programId: string; merchantId: string }> {
  const n = `${process.pid}-${++seq}`
  const merchant = await db
    .insertInto('merchants')
    .values({ email: `lojista-${n}@loja.test`, name: 'Dona da Loja', password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const program = await db
    .insertInto('programs')
    .values({
      merchant_id: merchant.id,
      program_key: `prog-${n}`,
      name: opts.name ?? 'Clube Bella',
      points_name: 'pontos',
      earn_rate: '1',
      primary_color: '#0f766e',
      text_color: '#ffffff',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (opts.siteUrl !== null) {
    await db
      .insertInto('integrations')
      .values({
        program_id: program.id,
        credential_kind: 'personal_token',
        api_key_enc: 'not-a-real-key',
        api_key_last4: '0000',
        site_url: opts.siteUrl ?? 'https://www.bella.com.br/',
      })
      .execute()
  }
  return { programId: program.id, merchantId: merchant.id }
}

export async function seedMember(db: Executor, programId: string, email: string): Promise<number> {
  const m = await db
    .insertInto('members')
    .values({ program_id: programId, email, name: 'Ana' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return m.id
}

/** Polls the outbox row until it reaches one of `statuses` (never a fixed sleep). */
export function waitForEmail(db: Executor, id: number, statuses: EmailStatus[], timeoutMs = 30_000) {
  return eventually(
    `outbox e-mail ${id} to be ${statuses.join(' or ')}`,
    async () => {
      const row = await repo.findOutbox(db, id)
      assert.ok(row && statuses.includes(row.status), `still ${row?.status ?? 'missing'}`)
      return row
    },
    { timeoutMs },
  )
}

export interface TestSmtp {
  url: string
  /** Every accepted message, parsed, with its envelope recipients. */
  received: Array<{ rcpt: string[]; mail: ParsedMail; raw: string }>
  /** RCPT TO attempts per address, accepted or not. */
  rcptAttempts: Map<string, number>
  close(): Promise<void>
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1, no TLS, no auth. `onRcpt` may reject an address
 * with an SMTP code (4xx: try later, 5xx: never) — by returning `{ code, message }`.
 */
export async function startTestSmtp(
  onRcpt: (address: string, attempt: number) => { code: number; message: string } | undefined = () => undefined,
): Promise<TestSmtp> {
  const received: TestSmtp['received'] = []
  const rcptAttempts = new Map<string, number>()
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const attempt = (rcptAttempts.get(address.address) ?? 0) + 1
      rcptAttempts.set(address.address, attempt)
      const reject = onRcpt(address.address, attempt)
      if (reject) return callback(Object.assign(new Error(reject.message), { responseCode: reject.code }))
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks)
        // Parsed before the 250 reply: by the time the outbox says 'sent', the message is here.
        simpleParser(raw)
          .then((mail) => {
            received.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), mail, raw: raw.toString('utf8') })
            callback()
          })
          .catch((err: Error) => callback(err))
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    rcptAttempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/**
 * The 6-digit code of the newest message to `email` received after the first `since` messages,
 * waiting for it to arrive (30 s at most).
 */
export function waitForCode(smtp: TestSmtp, email: string, since = 0): Promise<string> {
  return eventually(`a code e-mail to ${email}`, () => {
    const mail = smtp.received
      .slice(since)
      .reverse()
      .find((m) => m.rcpt.includes(email) && /\b\d{6}\b/.test(m.mail.text ?? ''))
    return mail && /\b(\d{6})\b/.exec(mail.mail.text ?? '')?.[1]
  })
}

/** Jobs whose e-mail worker sends through a real SMTP server on loopback (short retries). */
export async function startMailPipeline(
  database: Database,
  log: Logger,
): Promise<{ jobs: Jobs; smtp: TestSmtp; transport: MailTransport; close(): Promise<void> }> {
  const smtp = await startTestSmtp()
  const jobs = new Jobs(database, log)
  const transport = createMailTransport({
    smtpUrl: smtp.url,
    mailFrom: 'Fidelis <no-reply@fidelis.test>',
    dataDir: '/nonexistent',
    log,
  })
  registerEmailWorker(jobs, { db: database.db, transport, log, retry: { limit: 1, delaySeconds: 1 } })
  await jobs.start({ work: true, pollingIntervalSeconds: 0.5 })
  return {
    jobs,
    smtp,
    transport,
    close: async () => {
      await jobs.stop()
      transport.close()
      await smtp.close()
    },
  }
}
