import fs from 'node:fs/promises'
import path from 'node:path'
import nodemailer from 'nodemailer'
import addressparser from 'nodemailer/lib/addressparser'
import type { Logger } from '../lib/logger.ts'
import type { EmailHeaders } from '../db/email-schema.ts'

/** One message as the worker hands it to a transport. */
export interface OutgoingMail {
  outboxId: number
  /** Display name of From (the program's name); null = MAIL_FROM's own name. */
  fromName: string | null
  to: string
  subject: string
  text: string
  html: string
  headers: EmailHeaders
  /** Fixed per outbox row, so a retry after an unrecorded success carries the same Message-ID. */
  messageId: string
}

export interface SendResult {
  messageId: string
}

export interface MailTransport {
  readonly kind: 'smtp' | 'file'
  /** The domain of MAIL_FROM, used in Message-IDs. */
  readonly domain: string
  send(mail: OutgoingMail): Promise<SendResult>
  close(): void
}

export interface TransportOptions {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; unset = write .eml files under dataDir/mail. */
  smtpUrl?: string | undefined
  /** `Name <address>`; the address is the From of every e-mail. */
  mailFrom: string
  dataDir: string
  log: Logger
}

export const DEFAULT_MAIL_FROM = 'Fidelis <no-reply@fidelis.local>'

export function parseMailFrom(raw: string): { name: string; address: string } {
  const [first, ...rest] = addressparser(raw, { flatten: true })
  if (!first || rest.length || !/^[^\s@<>]+@[^\s@<>]+$/.test(first.address)) {
    throw new Error(`MAIL_FROM must be one address like "Fidelis <no-reply@example.com>", got "${raw}"`)
  }
  return { name: first.name, address: first.address }
}

/** Message-ID of an outbox row: the same on every attempt (receivers can drop a duplicate delivery). */
export function messageIdFor(transport: Pick<MailTransport, 'domain'>, outboxId: number, createdAt: Date): string {
  return `<outbox-${outboxId}.${createdAt.getTime().toString(36)}@${transport.domain}>`
}

/**
 * The transport from config: SMTP when `smtpUrl` is set, otherwise files. Logs name the outbox
 * row and the file, never the recipient, subject or body (a login code lives in the body).
 */
export function createMailTransport(options: TransportOptions): MailTransport {
  const from = parseMailFrom(options.mailFrom)
  const domain = from.address.slice(from.address.lastIndexOf('@') + 1)
  const compose = (mail: OutgoingMail) => ({
    from: { name: mail.fromName ?? from.name, address: from.address },
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers,
    messageId: mail.messageId,
  })
  // Our messages have no attachments; refuse file and URL content outright anyway.
  const hardening = { disableFileAccess: true, disableUrlAccess: true }

  if (options.smtpUrl) {
    const transporter = nodemailer.createTransport({
      url: options.smtpUrl,
      // Short timeouts (nodemailer's defaults are minutes): a stuck server must fail the attempt
      // well inside the job's expiry, so the retry — not a hung worker — takes over.
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 45_000,
      ...hardening,
    })
    return {
      kind: 'smtp',
      domain,
      send: async (mail) => {
        const info = await transporter.sendMail(compose(mail))
        return { messageId: info.messageId }
      },
      close: () => transporter.close(),
    }
  }

  const dir = path.join(options.dataDir, 'mail')
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix', ...hardening })
  options.log.info('SMTP_URL is not set: e-mails are written as .eml files instead of sent', { dir })
  return {
    kind: 'file',
    domain,
    send: async (mail) => {
      const info = await transporter.sendMail(compose(mail))
      await fs.mkdir(dir, { recursive: true })
      const file = path.join(dir, `${mail.outboxId}.eml`)
      // Write then rename: a reader never sees half a message; a retry overwrites the same file.
      const tmp = `${file}.${process.pid}.tmp`
      await fs.writeFile(tmp, info.message as Buffer, { mode: 0o600 })
      await fs.rename(tmp, file)
      options.log.info('email written to file', { outboxId: mail.outboxId, file })
      return { messageId: info.messageId }
    },
    close: () => transporter.close(),
  }
}
