import { ptBR } from './pt-BR.ts'

/**
 * A tiny typed template system: a template returns blocks, and this layout turns the same blocks
 * into HTML and plain text, so the two parts never drift apart and every piece of text is escaped
 * in one place. The HTML is table-based with inline styles only (no <style>, no web fonts, no
 * images), which is what renders alike in Gmail, Outlook and Apple Mail.
 */

export type Block =
  | { type: 'paragraph'; text: string }
  /** A one-time code, large and monospaced; copied without spaces (letter-spacing, not spaces). */
  | { type: 'code'; code: string }
  | { type: 'button'; label: string; url: string }
  /** Small, muted text (security advice). */
  | { type: 'note'; text: string }
  /** A bulleted list (what earned points, which points expire when). */
  | { type: 'list'; items: string[] }
  /** Label/value rows (a coupon's value, validity, minimum order). */
  | { type: 'facts'; rows: Array<[label: string, value: string]> }

export interface EmailContent {
  subject: string
  /** First line a mailbox preview shows; hidden in the HTML body. */
  preheader: string
  heading: string
  blocks: Block[]
}

/** How the program looks and where its store is, read from the database at enqueue time. */
export interface Brand {
  programName: string
  /** The store's site (https://…), or null when the program has no integration yet. */
  siteUrl: string | null
  primaryColor: string
  textColor: string
}

export interface Frame {
  brand: Brand
  /** Why this e-mail was sent; always shown in the footer (design rule 7). */
  reason: string
  /** Marketing e-mails only: stops every non-essential e-mail of the program. */
  unsubscribeUrl?: string | undefined
  /** Stops only this kind; shown with the kind's pt-BR label. */
  unsubscribeKind?: { url: string; label: string } | undefined
}

export interface RenderedEmail {
  subject: string
  text: string
  html: string
}

export const DEFAULT_PRIMARY = '#5b21b6'
export const DEFAULT_TEXT = '#ffffff'
const FONT = 'Arial,Helvetica,sans-serif'

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** Only http(s) URLs become links: a stored `javascript:` URL must never reach an href. */
export function safeUrl(raw: string | null | undefined): string | null {
  if (!raw) return null
  try {
    const u = new URL(raw)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null
  } catch {
    return null
  }
}

/** Colors go into style attributes: accept #rgb / #rrggbb only, else the default. */
export function safeColor(raw: string | null | undefined, fallback: string): string {
  return raw && /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(raw) ? raw : fallback
}

function hostOf(url: string): string {
  return new URL(url).host.replace(/^www\./, '')
}

/** Subjects are single-line: a newline from a program name must not split a header. */
function oneLine(s: string): string {
  return s.replace(/[\r\n\t]+/g, ' ').trim()
}

export function renderEmail(content: EmailContent, frame: Frame): RenderedEmail {
  const { brand } = frame
  const primary = safeColor(brand.primaryColor, DEFAULT_PRIMARY)
  const onPrimary = safeColor(brand.textColor, DEFAULT_TEXT)
  const site = safeUrl(brand.siteUrl)
  const unsubscribe = safeUrl(frame.unsubscribeUrl)
  const unsubscribeKind = frame.unsubscribeKind && safeUrl(frame.unsubscribeKind.url)
  const subject = oneLine(content.subject)
  const l = ptBR.layout

  // ---- HTML
  const blockHtml = content.blocks.map((b) => {
    switch (b.type) {
      case 'paragraph':
        return `<p style="margin:0 0 16px 0;">${escapeHtml(b.text)}</p>`
      case 'code':
        return (
          `<p style="margin:8px 0 24px 0;padding:16px;background-color:#f4f4f5;border-radius:6px;text-align:center;` +
          `font-family:'Courier New',Courier,monospace;font-size:32px;line-height:40px;font-weight:bold;` +
          `letter-spacing:8px;color:#18181b;">` +
          `${escapeHtml(b.code)}</p>`
        )
      case 'button': {
        const url = safeUrl(b.url)
        if (!url) return ''
        return (
          `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px 0;"><tr>` +
          `<td style="border-radius:6px;background-color:${primary};">` +
          `<a href="${escapeHtml(url)}" style="display:inline-block;padding:12px 24px;font-family:${FONT};` +
          `font-size:16px;font-weight:bold;color:${onPrimary};text-decoration:none;border-radius:6px;">` +
          `${escapeHtml(b.label)}</a>` +
          `</td></tr></table>`
        )
      }
      case 'note':
        return `<p style="margin:0 0 12px 0;font-size:13px;line-height:20px;color:#52525b;">${escapeHtml(b.text)}</p>`
      case 'list': {
        const items = b.items.map((i) => `<li style="margin:0 0 4px 0;">${escapeHtml(i)}</li>`).join('')
        return `<ul style="margin:0 0 16px 0;padding:0 0 0 20px;">${items}</ul>`
      }
      case 'facts':
        return (
          `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px 0;">` +
          b.rows
            .map(
              ([k, v]) =>
                `<tr><td style="padding:2px 16px 2px 0;color:#52525b;">${escapeHtml(k)}</td><td ` +
                `style="padding:2px 0;font-weight:bold;">${escapeHtml(v)}</td></tr>`,
            )
            .join('') +
          `</table>`
        )
      default:
        return ''
    }
  })

  const footer: string[] = [`<p style="margin:0 0 8px 0;">${escapeHtml(frame.reason)}</p>`]
  if (site) {
    footer.push(
      `<p style="margin:0 0 8px 0;">${escapeHtml(l.programOfStore)} <a href="${escapeHtml(site)}" ` +
        `style="color:#52525b;">${escapeHtml(hostOf(site))}</a></p>`,
    )
  }
  if (unsubscribe) {
    footer.push(
      `<p style="margin:0 0 8px 0;">${escapeHtml(l.unsubscribeQuestion)} <a href="${escapeHtml(unsubscribe)}" ` +
        `style="color:#52525b;">${escapeHtml(l.unsubscribeLink)}</a></p>`,
    )
  }
  if (unsubscribeKind) {
    footer.push(
      `<p style="margin:0 0 8px 0;">${escapeHtml(l.unsubscribeKind(frame.unsubscribeKind!.label))} <a ` +
        `href="${escapeHtml(unsubscribeKind)}" style="color:#52525b;">${escapeHtml(l.unsubscribeKindLink)}</a></p>`,
    )
  }
  footer.push(`<p style="margin:0;">${escapeHtml(l.automatic)}</p>`)

  const header = site
    ? `<a href="${escapeHtml(site)}" style="color:${onPrimary};text-decoration:none;">` +
      `${escapeHtml(brand.programName)}</a>`
    : escapeHtml(brand.programName)

  const html =
    `<!DOCTYPE html>\n<html lang="pt-BR"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" ` +
    `content="light only">` +
    `<title>${escapeHtml(subject)}</title></head>\n` +
    `<body style="margin:0;padding:0;background-color:#f4f4f5;">\n` +
    `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;` +
    `color:#f4f4f5;">${escapeHtml(content.preheader)}</div>\n` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" ` +
    `style="background-color:#f4f4f5;"><tr><td align="center" style="padding:24px 12px;">\n` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;` +
    `background-color:#ffffff;border-radius:8px;">\n` +
    `<tr><td style="padding:20px 24px;background-color:${primary};border-radius:8px 8px 0 0;font-family:${FONT};` +
    `font-size:18px;line-height:24px;font-weight:bold;color:${onPrimary};">${header}</td></tr>\n` +
    `<tr><td style="padding:24px;font-family:${FONT};font-size:16px;line-height:24px;color:#18181b;">\n` +
    `<h1 style="margin:0 0 16px 0;font-family:${FONT};font-size:22px;line-height:28px;color:#18181b;">` +
    `${escapeHtml(content.heading)}</h1>\n` +
    blockHtml.filter(Boolean).join('\n') +
    `\n</td></tr>\n</table>\n` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;"><tr>` +
    `<td style="padding:16px 24px;font-family:${FONT};font-size:12px;line-height:18px;color:#71717a;">\n` +
    `${footer.join('\n')}\n</td></tr></table>\n` +
    `</td></tr></table>\n</body></html>\n`

  // ---- Text
  const lines: string[] = [brand.programName, '', content.heading, '']
  for (const b of content.blocks) {
    switch (b.type) {
      case 'paragraph':
      case 'note':
        lines.push(b.text, '')
        break
      case 'code':
        lines.push(`    ${b.code}`, '')
        break
      case 'list':
        lines.push(...b.items.map((i) => `- ${i}`), '')
        break
      case 'facts':
        lines.push(...b.rows.map(([k, v]) => `${k}: ${v}`), '')
        break
      case 'button': {
        const url = safeUrl(b.url)
        if (url) lines.push(`${b.label}: ${url}`, '')
        break
      }
    }
  }
  lines.push('--', frame.reason)
  if (site) lines.push(`${l.programOfStore} ${hostOf(site)}: ${site}`)
  if (unsubscribe) lines.push(`${l.unsubscribeQuestion} ${l.unsubscribeLink}: ${unsubscribe}`)
  if (unsubscribeKind)
    lines.push(`${l.unsubscribeKind(frame.unsubscribeKind!.label)} ${l.unsubscribeKindLink}: ${unsubscribeKind}`)
  lines.push(l.automatic)

  return { subject, text: lines.join('\n') + '\n', html }
}
