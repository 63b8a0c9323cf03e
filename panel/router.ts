import type { EmailKind, EmailStatus } from '../shared/api/emails.ts'
import type { RedemptionStatus } from '../shared/api/redemptions.ts'
import { emailKinds, emailStatuses, knownOr, redemptionStatuses } from './activity.ts'

/**
 * The panel's client routes under `/panel`. Pure: path in, route out, and back, so links and
 * tests agree. URL words are pt-BR because merchants see them in the address bar.
 */
export type Route =
  | { name: 'home' }
  | { name: 'dashboard' }
  | { name: 'integration' }
  | { name: 'webhooks' }
  | { name: 'program' }
  | { name: 'points' }
  | { name: 'cashback' }
  | { name: 'tiers' }
  /** Settings and, below them, the review list (`list`: waiting for a decision, or every referral). */
  | { name: 'referrals'; list: 'review' | 'all' }
  | { name: 'emails' }
  | { name: 'rewards'; tab: 'manual' | 'feed'; q: string }
  | { name: 'reward-new' }
  | { name: 'reward'; id: string }
  | { name: 'members'; q: string; tier?: string }
  | { name: 'member'; id: number }
  | { name: 'redemptions'; status: RedemptionStatus | ''; q: string }
  | { name: 'sent-emails'; kind: EmailKind | ''; status: EmailStatus | ''; q: string }
  | { name: 'install' }
  | { name: 'privacy' }
  | { name: 'preview'; programKey: string }
  | { name: 'not-found' }

export const BASE = '/panel'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function parseRoute(pathname: string, search = ''): Route {
  const query = new URLSearchParams(search)
  if (pathname !== BASE && !pathname.startsWith(BASE + '/')) return { name: 'not-found' }
  const parts = pathname.slice(BASE.length).split('/').filter(Boolean).map(decodeURIComponent)
  const [a, b, c, d] = parts
  if (parts.length === 0) return { name: 'home' }
  if (a === 'resultados' && b === undefined) return { name: 'dashboard' }
  if (a === 'configuracoes' && b === 'integracao' && c === 'loja-integrada' && d === undefined)
    return { name: 'integration' }
  if (a === 'configuracoes' && b === 'integracao' && c === 'webhooks' && d === undefined) return { name: 'webhooks' }
  if (a === 'configuracoes' && b === 'programa' && c === undefined) return { name: 'program' }
  if (a === 'configuracoes' && b === 'pontos' && c === undefined) return { name: 'points' }
  if (a === 'configuracoes' && b === 'cashback' && c === undefined) return { name: 'cashback' }
  if (a === 'configuracoes' && b === 'niveis' && c === undefined) return { name: 'tiers' }
  if (a === 'configuracoes' && b === 'indicacoes' && c === undefined)
    return { name: 'referrals', list: query.get('lista') === 'todas' ? 'all' : 'review' }
  if (a === 'configuracoes' && b === 'emails' && c === undefined) return { name: 'emails' }
  if (a === 'premios' && b === undefined)
    return { name: 'rewards', tab: query.get('tipo') === 'feed' ? 'feed' : 'manual', q: query.get('q') ?? '' }
  if (a === 'premios' && b === 'novo' && c === undefined) return { name: 'reward-new' }
  if (a === 'premios' && b && UUID.test(b) && c === undefined) return { name: 'reward', id: b }
  if (a === 'participantes' && b === undefined) {
    // A tier id from the URL; anything else is dropped rather than sent (the API would refuse it).
    const tier = query.get('nivel') ?? ''
    return { name: 'members', q: query.get('q') ?? '', ...(UUID.test(tier) ? { tier } : {}) }
  }
  if (a === 'participantes' && b && /^\d{1,15}$/.test(b) && c === undefined) return { name: 'member', id: Number(b) }
  if (a === 'resgates' && b === undefined)
    return {
      name: 'redemptions',
      status: knownOr(redemptionStatuses, query.get('situacao')),
      q: query.get('q') ?? '',
    }
  if (a === 'emails-enviados' && b === undefined)
    return {
      name: 'sent-emails',
      kind: knownOr(emailKinds, query.get('tipo')),
      status: knownOr(emailStatuses, query.get('situacao')),
      q: query.get('q') ?? '',
    }
  if (a === 'instalacao' && b === undefined) return { name: 'install' }
  if (a === 'privacidade' && b === undefined) return { name: 'privacy' }
  if (a === 'previa' && b && /^[A-Za-z0-9_-]{1,64}$/.test(b) && c === undefined)
    return { name: 'preview', programKey: b }
  return { name: 'not-found' }
}

export function href(route: Route): string {
  const qs = (params: Record<string, string>) => {
    const s = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString()
    return s ? `?${s}` : ''
  }
  switch (route.name) {
    case 'home':
      return BASE
    case 'dashboard':
      return `${BASE}/resultados`
    case 'integration':
      return `${BASE}/configuracoes/integracao/loja-integrada`
    case 'webhooks':
      return `${BASE}/configuracoes/integracao/webhooks`
    case 'program':
      return `${BASE}/configuracoes/programa`
    case 'points':
      return `${BASE}/configuracoes/pontos`
    case 'cashback':
      return `${BASE}/configuracoes/cashback`
    case 'tiers':
      return `${BASE}/configuracoes/niveis`
    case 'referrals':
      return `${BASE}/configuracoes/indicacoes${qs({ lista: route.list === 'all' ? 'todas' : '' })}`
    case 'emails':
      return `${BASE}/configuracoes/emails`
    case 'rewards':
      return `${BASE}/premios${qs({ tipo: route.tab === 'feed' ? 'feed' : '', q: route.q })}`
    case 'reward-new':
      return `${BASE}/premios/novo`
    case 'reward':
      return `${BASE}/premios/${route.id}`
    case 'members':
      return `${BASE}/participantes${qs({ q: route.q, nivel: route.tier ?? '' })}`
    case 'member':
      return `${BASE}/participantes/${route.id}`
    case 'redemptions':
      return `${BASE}/resgates${qs({ situacao: route.status, q: route.q })}`
    case 'sent-emails':
      return `${BASE}/emails-enviados${qs({ tipo: route.kind, situacao: route.status, q: route.q })}`
    case 'install':
      return `${BASE}/instalacao`
    case 'privacy':
      return `${BASE}/privacidade`
    case 'preview':
      return `${BASE}/previa/${encodeURIComponent(route.programKey)}`
    case 'not-found':
      return BASE
  }
}

/** Which menu entry a route belongs to (for aria-current). */
export function section(
  route: Route,
):
  | 'home'
  | 'dashboard'
  | 'members'
  | 'rewards'
  | 'redemptions'
  | 'sent-emails'
  | 'install'
  | 'privacy'
  | 'program'
  | 'points'
  | 'cashback'
  | 'tiers'
  | 'referrals'
  | 'emails'
  | 'integration'
  | 'webhooks'
  | null {
  switch (route.name) {
    case 'home':
    case 'dashboard':
    case 'redemptions':
    case 'sent-emails':
    case 'install':
    case 'privacy':
    case 'program':
    case 'points':
    case 'cashback':
    case 'tiers':
    case 'referrals':
    case 'emails':
    case 'integration':
    case 'webhooks':
    case 'members':
    case 'rewards':
      return route.name
    case 'member':
      return 'members'
    case 'reward':
    case 'reward-new':
      return 'rewards'
    default:
      return null
  }
}
