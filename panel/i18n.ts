/**
 * Every text the merchant reads in the panel, pt-BR: the one dictionary `t`. Code, identifiers
 * and comments stay in English; nothing visible is written anywhere else. The texts of each area
 * live in i18n/*.ts and are put together here, so pages still read `t.rewards.…`, `t.errors.…`.
 */
import { activityTexts } from './i18n/activity.ts'
import { dashboardTexts } from './i18n/dashboard.ts'
import { cashbackTexts } from './i18n/cashback.ts'
import { errorTexts } from './i18n/errors.ts'
import { brl, count, day, dayTime, num, points } from './i18n/format.ts'
import { memberTexts } from './i18n/members.ts'
import { privacyTexts } from './i18n/privacy.ts'
import { rewardTexts } from './i18n/rewards.ts'
import { settingsTexts } from './i18n/settings.ts'
import { startTexts } from './i18n/start.ts'
import { webhookTexts } from './i18n/webhooks.ts'
import { tierTexts } from './i18n/tiers.ts'
import { referralTexts } from './i18n/referrals.ts'

export const t = {
  appName: 'Fidelis',
  title: (page: string) => `${page} · Fidelis`,
  skip: 'Pular para o conteúdo',
  nav: {
    label: 'Menu principal',
    home: 'Início',
    dashboard: 'Resultados',
    members: 'Participantes',
    rewards: 'Prêmios',
    redemptions: 'Resgates',
    sentEmails: 'E-mails enviados',
    install: 'Instalação',
    more: 'Mais',
    settings: 'Configurações',
    program: 'Programa',
    points: 'Pontos e campanhas',
    cashback: 'Regras de cashback',
    tiers: 'Níveis VIP',
    referrals: 'Indicações',
    emails: 'E-mails',
    integration: 'Integração',
    lojaIntegrada: 'Loja Integrada',
    webhooks: 'Webhooks',
    breadcrumb: 'Você está em',
    programSelect: 'Programa',
    logout: 'Sair',
  },
  common: {
    save: 'Salvar',
    saving: 'Salvando…',
    saved: 'Alterações salvas.',
    cancel: 'Cancelar',
    close: 'Fechar',
    loading: 'Carregando…',
    loadMore: 'Carregar mais',
    back: 'Voltar',
    edit: 'Editar',
    retry: 'Tentar de novo',
    optional: '(opcional)',
    yes: 'Sim',
    no: 'Não',
    on: 'Ligado',
    off: 'Desligado',
    never: 'nunca',
    none: '—',
    unlimited: 'sem limite',
  },
  ...errorTexts,
  ...dashboardTexts,
  ...startTexts,
  ...settingsTexts,
  ...rewardTexts,
  ...privacyTexts,
  ...memberTexts,
  ...activityTexts,
  ...webhookTexts,
  ...cashbackTexts,
  ...tierTexts,
  ...referralTexts,
  number: (n: number) => num.format(n),
  cpf: (d: string) => (/^\d{11}$/.test(d) ? `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}` : d),
  signed: (n: number) => (n > 0 ? `+${num.format(n)}` : num.format(n)),
  money: (cents: number) => brl.format(cents / 100),
  date: (iso: string) => day.format(new Date(iso)),
  /** A calendar day 'YYYY-MM-DD' (no time, no zone) → dd/mm/aaaa. */
  calendarDay: (d: string) => d.split('-').reverse().join('/'),
  dateTime: (iso: string) => dayTime.format(new Date(iso)),
  points,
  /** Any count with its word by pt-BR's plural rules: t.count(2, 'pedido', 'pedidos') = "2 pedidos". */
  count,
}

export type Dictionary = typeof t
