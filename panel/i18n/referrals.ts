import type { ReferralReason, ReferralStatus } from '../../shared/api/referrals.ts'
import { count } from './format.ts'

/** Mais > Configurações > Indicações: the settings, the WhatsApp preview and the review list. */
export const referralTexts = {
  referrals: {
    title: 'Indicações',
    intro:
      'Cada participante ganha um link para indicar a loja. Quem chega pelo link recebe por e-mail um cupom de uso ' +
      'único para a primeira compra; quem indicou ganha quando essa compra é confirmada e passa o prazo de ' +
      'confirmação dos pontos. Indicações suspeitas esperam a sua análise.',
    enabled: 'Indicações ligadas',
    enabledHelp: 'Ligadas, os participantes veem "Indique e ganhe" no widget e os links passam a valer.',
    friendTitle: 'Quem é indicado',
    friendCouponCents: 'Valor do cupom (R$)',
    friendCouponCentsHelp: 'Desconto do cupom da primeira compra, ex.: 20,00.',
    friendMinOrderCents: 'Pedido mínimo para usar o cupom (R$)',
    friendMinOrderCentsHelp: '0 = qualquer pedido.',
    advocateTitle: 'Quem indica',
    advocateRewardPoints: 'Pontos por indicação',
    advocateRewardPointsHelp: 'Creditados quando a primeira compra da pessoa indicada é confirmada, ex.: 500.',
    advocateRewardCashback: 'Cashback por indicação (R$)',
    advocateRewardCashbackHelp: 'Creditado quando a primeira compra da pessoa indicada é confirmada, ex.: 20,00.',
    advocateMonthlyCap: 'Limite de indicações premiadas por mês',
    advocateMonthlyCapHelp:
      'Por participante, em cada mês do calendário (horário de Brasília). Acima dele a indicação vale para quem ' +
      'foi indicado, mas não credita nada a quem indicou.',
    safetyTitle: 'Proteção contra abuso',
    claimsPerIpPerWeek: 'Pedidos de cupom por endereço de internet (IP) por semana',
    claimsPerIpPerWeekHelp:
      'Acima deste número, os pedidos seguintes do mesmo IP esperam a sua análise em vez de receber o cupom na hora.',
    shareTitle: 'Mensagem para compartilhar',
    shareText: 'Texto da mensagem',
    shareTextHelp:
      'Use {link} (obrigatório) para o link do participante, {valor} para o valor do cupom e {loja} para o nome ' +
      'do programa.',
    previewTitle: 'Prévia no WhatsApp',
    previewHelp: 'Assim a mensagem chega a quem o participante indicar (com um link de exemplo).',
    previewProblems: {
      empty: 'Escreva a mensagem.',
      link: 'Inclua {link}: sem ele a mensagem não leva o link.',
      long: 'A mensagem pode ter até 500 caracteres.',
    },
    length: (n: number) => `${count(n, 'caractere', 'caracteres')} de 500`,
    save: 'Salvar indicações',
    saved: 'Indicações salvas.',
    fields: {
      enabled: { validation_failed: 'Escolha se as indicações ficam ligadas.' },
      friendCouponCents: { validation_failed: 'Informe um valor de R$ 1,00 a R$ 1.000,00, ex.: 20,00.' },
      friendMinOrderCents: { validation_failed: 'Informe um valor de 0 a R$ 100.000,00 (0 = qualquer pedido).' },
      advocateReward: { validation_failed: 'Informe um valor inteiro a partir de 1 (em reais: a partir de 0,01).' },
      advocateMonthlyCap: { validation_failed: 'Use um número inteiro de 1 a 1.000.' },
      claimsPerIpPerWeek: { validation_failed: 'Use um número inteiro de 1 a 1.000.' },
      shareText: { validation_failed: 'Escreva a mensagem com {link}, em até 500 caracteres.' },
    },
    // The list.
    listTitle: 'Indicações recebidas',
    views: { review: 'Em análise', all: 'Todas' },
    listLabel: 'Quais indicações mostrar',
    emptyReview: 'Nenhuma indicação esperando análise.',
    emptyAll: 'Nenhuma indicação ainda.',
    statuses: {
      review: 'Em análise',
      coupon_pending: 'Criando o cupom',
      coupon_sent: 'Cupom enviado',
      ordered: 'Comprou: aguardando confirmação',
      credited: 'Premiada',
      capped: 'Sem prêmio: limite do mês atingido',
      cancelled: 'Compra cancelada',
      rejected: 'Recusada',
      coupon_failed: 'Cupom não foi criado',
      expired: 'Cupom venceu sem compra',
    } satisfies Record<ReferralStatus, string>,
    reasonsTitle: 'Por que está em análise',
    heldFor: 'Motivos da análise',
    reasons: {
      already_customer: 'Quem foi indicado já é cliente da loja.',
      self_email: 'O e-mail indicado é o mesmo de quem indicou.',
      similar_email:
        'O e-mail indicado é quase igual ao de quem indicou (muda só um ponto, um "+" com etiqueta ou uma letra).',
      same_cpf: 'O pedido tem o mesmo CPF de quem indicou.',
      same_phone: 'O pedido tem o mesmo telefone de quem indicou.',
      same_name: 'O pedido tem o mesmo nome de quem indicou.',
      ip_limit: 'Muitos pedidos de cupom do mesmo endereço de internet (IP) nesta semana.',
      not_first_order: 'Não é a primeira compra de quem foi indicado.',
    } satisfies Record<ReferralReason, string>,
    advocate: 'Quem indicou',
    friend: 'Quem foi indicado',
    claimedAt: 'Pediu o cupom em',
    coupon: 'Cupom',
    order: 'Pedido',
    /** Beside the coupon: until when the friend can use it, or when it ran out unused. */
    couponValid: (day: string, expired: boolean) => (expired ? `venceu em ${day}` : `válido até ${day}`),
    orderNumber: (id: string) => `nº ${id}`,
    creditOn: (day: string) => `Crédito previsto para ${day}`,
    creditedAt: (at: string) => `Creditada em ${at}`,
    history: 'Decisões',
    decision: (approved: boolean, by: string, at: string) => `${approved ? 'Aprovada' : 'Recusada'} por ${by} em ${at}`,
    decisionReason: (reason: string) => `Motivo: ${reason}`,
    approve: 'Aprovar',
    reject: 'Recusar',
    approveTitle: 'Aprovar esta indicação',
    rejectTitle: 'Recusar esta indicação',
    approveHelp:
      'A indicação segue: quem foi indicado recebe o cupom por e-mail ou, se já comprou, quem indicou recebe o ' +
      'crédito depois do prazo. O motivo é opcional e fica no histórico.',
    rejectHelp: 'Nenhum cupom é enviado. O motivo fica no histórico (quem foi indicado não o vê).',
    reason: 'Motivo',
    reasonRequired: 'Escreva o motivo da recusa.',
    reasonLong: 'O motivo pode ter até 500 caracteres.',
    confirmApprove: 'Confirmar aprovação',
    confirmReject: 'Confirmar recusa',
    decided: (approved: boolean) => (approved ? 'Indicação aprovada.' : 'Indicação recusada.'),
    decisionFields: { reason: { validation_failed: 'Escreva o motivo, em até 500 caracteres.' } },
  },
}
