import type { Context } from 'hono'
import {
  LifecycleEmailSettings,
  OutboxEmailList,
  OutboxEmailQuery,
  emailListDescription,
  UnsubscribeQuery,
  UpdateLifecycleEmailSettingsBody,
  unsubscribePageDescription,
  oneClickUnsubscribeDescription,
  updateEmailSettingsDescription,
} from '../../shared/api/emails.ts'
import { ProgramParams } from '../../shared/api/programs.ts'
import type { AppEnv } from '../http/context.ts'
import type { RouteContext } from '../http/route.ts'
import { AppError } from '../lib/errors.ts'
import { route } from '../http/route.ts'
import { adminRoutes } from '../programs/admin-routes.ts'
import { getLifecycleSettings, setLifecycleSettings } from './lifecycle/settings.ts'
import { findBrand } from './repository.ts'
import { listOutboxEmails, MARKETING_SCOPE, unsubscribeWithToken } from './service.ts'
import { DEFAULT_PRIMARY, DEFAULT_TEXT, escapeHtml, safeColor } from './templates/layout.ts'
import { ptBR } from './templates/pt-BR.ts'
import { deriveUnsubscribeKey, verifyUnsubscribeToken } from './unsubscribe.ts'

/**
 * The unsubscribe page behind every lifecycle e-mail's links (public: the signed token is the
 * proof) and the merchant's e-mail settings (kill switch, kinds) and outbox.
 */
export function registerEmailRoutes(ctx: RouteContext) {
  const { app, registry, deps } = ctx
  const { db } = deps
  const key = deriveUnsubscribeKey(deps.secrets.encryptionKey)
  const page = {
    tag: 'E-mail',
    security: [] as [],
    query: UnsubscribeQuery,
    responses: { 200: { description: 'HTML page (pt-BR)' }, 400: { description: 'The link is not valid (HTML page)' } },
  }

  route(
    app,
    registry,
    {
      ...page,
      method: 'get',
      path: '/v1/email/unsubscribe',
      summary: 'Unsubscribe page (no login)',
      description: unsubscribePageDescription,
    },
    async (c, { query }) => {
      const claim = verifyUnsubscribeToken(key, query.token)
      if (!claim) return html(c, 400, null, `<p>${escapeHtml(ptBR.unsubscribePage.invalid)}</p>`)
      const brand = await findBrand(db, claim.programId)
      const t = ptBR.unsubscribePage
      const label = labelsFor(brand?.mode)[claim.scope]
      const button = (value: string, text: string) =>
        `<form method="post"><input type="hidden" name="scope" value="${value}"><button type="submit">` +
        `${escapeHtml(text)}</button></form>`
      const body =
        claim.scope !== MARKETING_SCOPE && label
          ? `<p>${escapeHtml(t.askKind(label))}</p>${button('this', t.stopKind(label))}${button('all', t.stopAll)}`
          : `<p>${escapeHtml(t.askAll)}</p>${button('all', t.stopAll)}`
      return html(c, 200, brand, body)
    },
  )

  route(
    app,
    registry,
    {
      ...page,
      method: 'post',
      path: '/v1/email/unsubscribe',
      summary: 'Unsubscribe (one-click, RFC 8058)',
      description: oneClickUnsubscribeDescription,
    },
    async (c, { query }) => {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
      let claim
      try {
        claim = await unsubscribeWithToken(db, key, query.token, { all: form.scope === 'all' })
      } catch (err) {
        if (err instanceof AppError) return html(c, 400, null, `<p>${escapeHtml(ptBR.unsubscribePage.invalid)}</p>`)
        throw err
      }
      const brand = await findBrand(db, claim.programId)
      const label = labelsFor(brand?.mode)[claim.scope]
      const t = ptBR.unsubscribePage
      return html(
        c,
        200,
        brand,
        `<p>${escapeHtml(claim.scope === MARKETING_SCOPE || !label ? t.doneAll : t.doneKind(label))}</p>`,
      )
    },
  )

  const { programRoute, settingsRoutes } = adminRoutes(ctx, 'E-mail')

  settingsRoutes({
    path: '/v1/programs/:programId/email-settings',
    get: {
      summary: 'Lifecycle e-mail settings',
      description: 'The kill switch (`enabled`) and the kinds turned off. Login codes are not affected.',
      response: { description: 'Settings', schema: LifecycleEmailSettings },
    },
    save: {
      method: 'put',
      summary: 'Turn lifecycle e-mails on or off',
      description: updateEmailSettingsDescription,
      body: UpdateLifecycleEmailSettingsBody,
      response: { description: 'Settings', schema: LifecycleEmailSettings },
    },
    read: (db, program) => getLifecycleSettings(db, program.id),
    write: (trx, program, body) => setLifecycleSettings(trx, program.id, body),
  })

  programRoute(
    {
      method: 'get',
      path: '/v1/programs/:programId/emails',
      summary: 'E-mails sent to shoppers, newest first; filter by kind, status, recipient',
      description: emailListDescription,
      params: ProgramParams,
      query: OutboxEmailQuery,
      responses: { 200: { description: 'E-mails', schema: OutboxEmailList } },
    },
    async (c, { program, query }) => {
      const page = await listOutboxEmails(db, program.id, query)
      return c.json({
        items: page.items.map(({ programId: _p, messageId: _m, ...e }) => e),
        nextCursor: page.nextCursor,
      })
    },
  )
}

/** A tiny pt-BR page in the program's colours. No scripts; the token in the URL is not sent on as a referrer. */
/** What each kind is called, in the program's words (a cashback program has no "pontos"). */
const labelsFor = (mode: string | undefined) => (mode === 'cashback' ? ptBR.cashback.kindLabels : ptBR.kindLabels)

function html(
  c: Context<AppEnv>,
  status: 200 | 400,
  brand: { name: string; primary_color: string; text_color: string } | null | undefined,
  body: string,
) {
  const name = brand?.name ?? ''
  // The e-mails' own colour check and defaults: the page looks like the e-mail it came from.
  const primary = safeColor(brand?.primary_color, DEFAULT_PRIMARY)
  const onPrimary = safeColor(brand?.text_color, DEFAULT_TEXT)
  const title = name ? ptBR.unsubscribePage.title(name) : 'E-mails'
  const doc =
    `<!DOCTYPE html><html lang="pt-BR"><head><meta charset="utf-8"><meta name="viewport" ` +
    `content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>` +
    `body{margin:0;font:16px/1.5 Arial,Helvetica,sans-serif;background:#f4f4f5;color:#18181b}` +
    `main{max-width:480px;margin:40px auto;background:#fff;border-radius:8px;overflow:hidden}` +
    `h1{margin:0;padding:16px 24px;font-size:18px;background:${primary};color:${onPrimary}}div{padding:8px 24px 16px}` +
    `button{margin:0 0 12px;padding:10px 16px;font:inherit;border:0;border-radius:6px;background:${primary};` +
    `color:${onPrimary};cursor:pointer}` +
    `</style></head><body><main><h1>${escapeHtml(title)}</h1><div>${body}</div></main></body></html>`
  return c.body(doc, status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  })
}
