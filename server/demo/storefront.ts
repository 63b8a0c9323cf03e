import fs from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { simpleParser } from 'mailparser'
import { LOGIN_CODE_VALID_MINUTES } from '../email/templates/index.ts'
import { escapeHtml as esc } from '../email/templates/layout.ts'
import { ptBR } from '../email/templates/pt-BR.ts'
import { sellableProducts } from '../li-simulator/feed.ts'
import type { SimProduct, SimStore } from '../li-simulator/store.ts'

/**
 * A fake Loja Integrada storefront for the demo: its own origin (as a real store is), product
 * cards from the simulated catalogue, the one-line widget snippet, a sign-up page (where shoppers
 * who cannot join are sent) and a demo inbox that shows the e-mails Fidelis wrote to the data
 * folder (no SMTP server in the demo), so a visitor can read their login code.
 */

/** Login codes listed at the top of the inbox. */
const CODES_SHOWN = 10
/** Other e-mails per inbox page. */
const MAILS_PER_PAGE = 20

export interface StorefrontOptions {
  port: number
  apiUrl: string
  programKey: string
  store: SimStore
  /** Base URL of the simulator's control API (product images). */
  simUrl: string
  /** Where the file mail transport writes `.eml` files. */
  mailDir: string
  /** Shoppers to suggest on the home page. */
  sampleEmails: () => Promise<string[]>
}

export interface Storefront {
  url: string
  close(): Promise<void>
}

const brl = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' })
/** What the shopper pays: the promotional price when there is one. */
const priceOf = (p: SimProduct) => brl.format((p.promoCents ?? p.cheioCents) / 100)

function layout(o: StorefrontOptions, title: string, body: string, widget = true): string {
  return `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} — ${esc(o.store.name)}</title><link rel="icon" href="data:,">
<style>
body{margin:0;font:15px/1.5 Arial,Helvetica,sans-serif;color:#222;background:#fafafa}
.top{background:#1d2b36;color:#fff;padding:14px 24px;display:flex;gap:24px;align-items:center}
.top a{color:#fff;text-decoration:none}.top strong{font-size:20px;margin-right:auto}
.wrap{max-width:1100px;margin:0 auto;padding:24px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:16px}
.card{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:12px}
.card img{width:100%;aspect-ratio:1;border-radius:4px;display:block}
.card h3{font-size:15px;margin:8px 0 4px}.price{font-weight:bold}.old{text-decoration:line-through;color:#888;font-size:13px;margin-left:6px}
.btn{display:inline-block;background:#0a7cba;color:#fff;border:0;border-radius:4px;padding:7px 14px;margin-top:6px;text-decoration:none}
.demo{background:#fff8d6;border:1px solid #e8d48b;border-radius:6px;padding:12px 16px;margin-bottom:20px}
.mail{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 16px;margin-bottom:12px;white-space:pre-wrap}
.codes{list-style:none;padding:0;margin:0 0 8px}.codes li{background:#fff;border:2px solid #0a7cba;border-radius:6px;padding:10px 16px;margin-bottom:8px}
.codes li.old{border-color:#ccc;color:#666}.codes .code{font:bold 24px/1.2 monospace;letter-spacing:3px;margin-right:12px}
.pages{display:flex;gap:16px;margin:8px 0 24px}
</style></head><body>
<div class="top"><strong>${esc(o.store.name)}</strong><a href="/">Produtos</a><a href="/conta/criar">Criar conta</a>
<a href="/caixa-de-entrada">Caixa de entrada (demo)</a></div>
<div class="wrap">${body}</div>
${widget ? `<script async src="${esc(o.apiUrl)}/widget.js" data-program="${esc(o.programKey)}"></script>` : ''}
</body></html>`
}

async function home(o: StorefrontOptions): Promise<string> {
  const emails = await o.sampleEmails()
  const cards = sellableProducts(o.store)
    .slice(0, 24)
    .map(
      (p) => `<div class="card"><img alt="" src="${esc(`${o.simUrl}/__sim/stores/${o.store.id}/products/${p.id}.svg`)}">
<h3>${esc(p.nome)}</h3><span class="price">${priceOf(p)}</span>${p.promoCents ? `<span class="old">${brl.format(p.cheioCents / 100)}</span>` : ''}
<br><a class="btn" href="/produto/${esc(p.apelido)}">Comprar</a></div>`,
    )
    .join('')
  return layout(
    o,
    'Produtos',
    `<div class="demo"><strong>Demonstração do Fidelis.</strong> Clique no botão do programa no canto da página
e entre com o e-mail de um cliente da loja${
      emails.length ? `, por exemplo:\n<br>${emails.map((e) => `<code>${esc(e)}</code>`).join(' · ')}` : '.'
    }
<br>O código de acesso chega por e-mail: veja a <a href="/caixa-de-entrada">caixa de entrada da demonstração</a>.</div>
<div class="grid">${cards}</div>`,
  )
}

/** One e-mail of the data folder, as the inbox shows it. */
interface InboxMail {
  /** The outbox row id (files are `<id>.eml`): the order the e-mails were queued in. */
  id: number
  subject: string
  to: string
  text: string
  sentAt: Date
  /** The 6-digit code of a login-code e-mail; null for every other e-mail. */
  code: string | null
}

/**
 * The subject of a login-code e-mail, whatever the program's name, built from the template's own
 * text: the inbox recognises the e-mail the same way the shopper does.
 */
const loginSubject = (() => {
  const marker = '\u0000'
  const [before, after] = ptBR.loginCode.subject(marker).split(marker)
  const quote = (s = '') => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^${quote(before)}.+${quote(after)}$`)
})()
/** The code block of the text part: the six digits alone on an indented line (templates/layout.ts). */
const CODE_LINE = /^\s+(\d{6})\s*$/m

const NO_CODE_YET =
  '<p><strong>Nenhum código ainda.</strong> Na loja, abra o botão do programa, escolha "Já participo", ' +
  'informe o e-mail e volte aqui.</p>'

const clock = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', timeStyle: 'medium' })

/**
 * Reads the mail folder, parsing each file once (the activation writes hundreds of welcome
 * e-mails; a reload re-reads only the new ones). A file rewritten by a retry has a new mtime and
 * is read again.
 */
function mailReader(mailDir: string) {
  const cache = new Map<string, { mtimeMs: number; mail: InboxMail }>()
  return async (): Promise<InboxMail[]> => {
    let files: string[] = []
    try {
      files = (await fs.readdir(mailDir)).filter((f) => /^\d+\.eml$/.test(f))
    } catch {
      // no e-mail yet
    }
    const mails = await Promise.all(
      files.map(async (f) => {
        const file = path.join(mailDir, f)
        const { mtimeMs } = await fs.stat(file)
        const hit = cache.get(f)
        if (hit && hit.mtimeMs === mtimeMs) return hit.mail
        const m = await simpleParser(await fs.readFile(file))
        const subject = m.subject ?? ''
        const text = (m.text ?? '').trim()
        const mail: InboxMail = {
          id: Number.parseInt(f, 10),
          subject,
          to: Array.isArray(m.to) ? m.to.map((x) => x.text).join(', ') : (m.to?.text ?? ''),
          text,
          sentAt: m.date ?? new Date(mtimeMs),
          code: loginSubject.test(subject) ? (CODE_LINE.exec(text)?.[1] ?? null) : null,
        }
        cache.set(f, { mtimeMs, mail })
        return mail
      }),
    )
    return mails.sort((a, b) => b.id - a.id)
  }
}

/**
 * The demo inbox. Login codes have their own list at the top, always there: activating the demo
 * store welcomes its 200 customers at one e-mail a second, which pushed a code out of a plain
 * "20 newest" list within seconds of its arrival. The other e-mails are paged, newest first.
 */
async function inbox(o: StorefrontOptions, read: () => Promise<InboxMail[]>, pageParam: string | null) {
  const all = await read()
  const now = Date.now()
  const codes = all.filter((m) => m.code !== null).slice(0, CODES_SHOWN)
  const codeItems = codes
    .map((m) => {
      const expired = now - m.sentAt.getTime() > LOGIN_CODE_VALID_MINUTES * 60_000
      const late = expired ? ' · <em>expirado</em>' : ''
      return (
        `<li${expired ? ' class="old"' : ''}><span class="code">${esc(m.code!)}</span>` +
        `para <strong>${esc(m.to)}</strong> · enviado às ${clock.format(m.sentAt)}${late}</li>`
      )
    })
    .join('')
  const others = all.filter((m) => m.code === null)
  const pages = Math.max(1, Math.ceil(others.length / MAILS_PER_PAGE))
  const page = Math.min(pages, Math.max(1, Number.parseInt(pageParam ?? '1', 10) || 1))
  const items = others
    .slice((page - 1) * MAILS_PER_PAGE, page * MAILS_PER_PAGE)
    .map(
      (m) =>
        `<div class="mail"><strong>${esc(m.subject)}</strong>\nPara: ${esc(m.to)}\nEnviado às ${clock.format(m.sentAt)}\n\n${esc(m.text)}</div>`,
    )
    .join('')
  const nav =
    pages > 1
      ? `<nav class="pages" aria-label="Páginas dos outros e-mails">` +
        (page > 1 ? `<a href="/caixa-de-entrada?pagina=${page - 1}">← Mais recentes</a>` : '') +
        `<span>Página ${page} de ${pages}</span>` +
        (page < pages ? `<a href="/caixa-de-entrada?pagina=${page + 1}">Mais antigos →</a>` : '') +
        '</nav>'
      : ''
  const plural = new Intl.PluralRules('pt-BR').select(others.length) === 'one' ? 'e-mail' : 'e-mails'
  return layout(
    o,
    'Caixa de entrada',
    `<h1>Caixa de entrada da demonstração</h1>
<p>Os e-mails que o Fidelis enviou (na demonstração eles são gravados na pasta de dados
em vez de sair por SMTP). <a href="/caixa-de-entrada">Atualizar</a> depois de pedir um código.</p>
<section aria-labelledby="codigos"><h2 id="codigos">Códigos de acesso</h2>
<p>Os códigos mais recentes ficam sempre aqui, mesmo com muitos outros e-mails chegando.
Cada código vale ${LOGIN_CODE_VALID_MINUTES} minutos, e pedir um novo substitui o anterior.</p>
${codeItems ? `<ol class="codes">${codeItems}</ol>` : NO_CODE_YET}
</section>
<section aria-labelledby="outros"><h2 id="outros">Outros e-mails</h2>
<p>${others.length.toLocaleString('pt-BR')} ${plural}, os mais recentes primeiro.</p>
${nav}${items || '<p>Nenhum e-mail ainda.</p>'}${items ? nav : ''}
</section>`,
    false,
  )
}

export async function startStorefront(o: StorefrontOptions): Promise<Storefront> {
  const readMail = mailReader(o.mailDir)
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const send = (status: number, html: string) =>
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html)
    const page = async (): Promise<[number, string]> => {
      if (url.pathname === '/') return [200, await home(o)]
      if (url.pathname === '/caixa-de-entrada') return [200, await inbox(o, readMail, url.searchParams.get('pagina'))]
      if (url.pathname === '/conta/criar') {
        return [
          200,
          layout(
            o,
            'Criar conta',
            '<h1>Criar conta</h1><p>Aqui ficaria o cadastro da loja. Quem não é cliente da loja e tenta entrar no programa é trazido para esta página.</p>',
          ),
        ]
      }
      const product = /^\/produto\/([^/]+)$/.exec(url.pathname)?.[1]
      const p = product ? o.store.products.find((x) => x.apelido === decodeURIComponent(product)) : undefined
      if (p)
        return [
          200,
          layout(o, p.nome, `<h1>${esc(p.nome)}</h1><p class="price">${priceOf(p)}</p><p>SKU ${esc(p.sku)}</p>`),
        ]
      return [404, layout(o, 'Página não encontrada', '<h1>Página não encontrada</h1>')]
    }
    page().then(
      ([status, html]) => send(status, html),
      (err: unknown) => send(500, `<pre>${esc(String(err))}</pre>`),
    )
  })
  await listen(server, o.port)
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** Listens on `port`, or on a free one when it is taken (a second demo, another app). */
export async function listen(server: http.Server, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE' || port === 0) return reject(err)
      server.listen(0, '127.0.0.1', () => resolve())
    }
    server.once('error', onError)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError)
      resolve()
    })
  })
}
