import type { EmailCategory } from '../schema.ts'
import type { Brand, EmailContent } from './layout.ts'
import { ptBR } from './pt-BR.ts'

export { renderEmail, type Brand, type EmailContent, type RenderedEmail } from './layout.ts'

/** Minutes a login code is valid; the login flow uses the same constant for the code's expiry. */
export const LOGIN_CODE_VALID_MINUTES = 10

export interface LoginCodeData {
  /** Six digits. Rendered into the body only; never into the subject, a log line or a job payload. */
  code: string
  name?: string | null
  validMinutes?: number
}

export interface WelcomeData {
  name?: string | null
  points: number
  pointsName: string
}

/** Every e-mail kind and the data its template needs. The lifecycle e-mails add their entries here. */
export interface TemplateDataMap {
  login_code: LoginCodeData
  welcome: WelcomeData
}

export type EmailKind = keyof TemplateDataMap

export interface EmailTemplate<D> {
  category: EmailCategory
  /** The body holds a secret: blanked in the outbox once sent or given up. */
  sensitive: boolean
  /** After this long the e-mail is pointless (the code expired): the worker gives up instead. */
  expiresInMs?: (data: D) => number
  /** Why the shopper gets it, unless the caller gives a more specific reason. */
  defaultReason(brand: Brand): string
  content(data: D, brand: Brand): EmailContent
}

const l = ptBR.layout

export const templates: { [K in EmailKind]: EmailTemplate<TemplateDataMap[K]> } = {
  login_code: {
    category: 'transactional',
    sensitive: true,
    expiresInMs: (d) => (d.validMinutes ?? LOGIN_CODE_VALID_MINUTES) * 60_000,
    defaultReason: (b) => ptBR.loginCode.reason(b.programName),
    content: (d, b) => {
      // Fail at the sender: a malformed code would send a useless e-mail.
      if (!/^[0-9]{6}$/.test(d.code)) throw new Error('login code must be exactly 6 digits')
      const minutes = d.validMinutes ?? LOGIN_CODE_VALID_MINUTES
      const t = ptBR.loginCode
      return {
        subject: t.subject(b.programName),
        preheader: t.preheader(minutes),
        heading: t.heading,
        blocks: [
          { type: 'paragraph', text: l.greeting(d.name) },
          { type: 'paragraph', text: t.intro(b.programName) },
          { type: 'code', code: d.code },
          { type: 'paragraph', text: t.validity(minutes) },
          { type: 'note', text: t.neverShare },
          { type: 'note', text: t.notYou },
        ],
      }
    },
  },

  welcome: {
    category: 'marketing',
    sensitive: false,
    defaultReason: (b) => ptBR.welcome.reason(b.programName),
    content: (d, b) => {
      const t = ptBR.welcome
      return {
        subject: t.subject(b.programName),
        preheader: t.preheader(b.programName),
        heading: t.heading,
        blocks: [
          { type: 'paragraph', text: l.greeting(d.name) },
          { type: 'paragraph', text: t.joined(b.programName, d.pointsName) },
          { type: 'paragraph', text: t.balance(d.points, d.pointsName) },
          ...(b.siteUrl ? [{ type: 'button' as const, label: t.cta, url: b.siteUrl }] : []),
        ],
      }
    },
  },
}
