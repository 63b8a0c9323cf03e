import type { MemberExport } from '../../shared/api/privacy.ts'
import { privacyTexts as t } from '../i18n/privacy.ts'

/**
 * The export as one CSV a spreadsheet opens: one row per fact, `seção, data, descrição, valor,
 * detalhe` (pt-BR headers, since the shopper reads it). RFC 4180 quoting; a UTF-8 BOM so Excel
 * reads the accents; cells starting with = + - @ are prefixed with ' (CSV injection: a coupon
 * title or reason must never run as a formula in the shopper's spreadsheet).
 */
export function exportCsv(x: MemberExport): string {
  const rows: Array<Array<string | number | null>> = [t.csvHeader]
  const s = t.sections
  const p = x.profile
  const profile: Array<[string, string | number | null]> = [
    [t.profile.email, p.email],
    [t.profile.name, p.name],
    [t.profile.cpf, p.cpf],
    [t.profile.birthDate, p.birthDate],
    [t.profile.liCustomerId, p.liCustomerId],
    [t.profile.balance, p.balance],
    [t.profile.enrolledAt, p.enrolledAt],
    [t.profile.joinedAt, p.joinedAt],
  ]
  for (const [label, value] of profile) rows.push([s.profile, null, label, value, null])
  const c = x.consent
  if (c.termsVersion) rows.push([s.consent, c.termsAcceptedAt, t.consent.terms(c.termsVersion), null, null])
  if (c.emailConsent !== null)
    rows.push([s.consent, c.emailConsentAt, c.emailConsent ? t.consent.emailYes : t.consent.emailNo, null, null])
  for (const u of c.unsubscribed) rows.push([s.consent, u.at, t.consent.unsubscribed(u.scope), null, null])
  for (const e of x.ledger) rows.push([s.ledger, e.occurredAt, e.reason, e.amount, e.kind])
  for (const r of x.redemptions)
    rows.push([s.redemption, r.createdAt, r.rewardTitle, -r.pointsCost, `${r.couponCode} (${r.status})`])
  for (const r of x.referrals)
    rows.push([
      s.referral,
      r.claimedAt,
      t.referral(r.role),
      null,
      [r.couponCode, r.status, r.claimIp].filter(Boolean).join(' '),
    ])
  for (const o of x.orders)
    rows.push([
      s.order,
      o.placedAt,
      t.order(o.externalId),
      t.money(o.totalCents),
      `+${o.pointsAwarded} −${o.pointsReversed}`,
    ])
  for (const e of x.emails) rows.push([s.email, e.sentAt ?? e.createdAt, e.subject, null, e.reason])
  for (const r of x.requests)
    rows.push([s.request, r.requestedAt, t.kinds[r.kind] ?? r.kind, null, t.states[r.state] ?? r.state])
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}

function cell(v: string | number | null): string {
  if (v === null) return ''
  let s = String(v)
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
