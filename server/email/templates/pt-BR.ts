/**
 * Every word a shopper reads in an e-mail, pt-BR, in one place. Program names are used after
 * "programa" ("no programa Clube Bella") so the sentence is right whatever the name's gender.
 * The outbox stores the rendered text, so changing a line here never rewrites what was sent.
 */
import { brDay } from '../../lib/calendar.ts'
import { brMoney } from '../../i18n/money.ts'

const fmt = new Intl.NumberFormat('pt-BR')
/** The closing line of every e-mail that reports the balance (welcome, points earned, points expiring). */
const balance = (points: number, pointsName: string) => `Seu saldo agora: ${fmt.format(points)} ${pointsName}.`

export const ptBR = {
  layout: {
    greeting: (name: string | null | undefined) => (name ? `Olá, ${name}!` : 'Olá!'),
    /** Followed by the store's site, linked. */
    programOfStore: 'Programa de fidelidade da loja',
    automatic: 'Este é um e-mail automático. Respostas a ele não são lidas.',
    unsubscribeQuestion: 'Não quer mais receber estes e-mails?',
    unsubscribeLink: 'Cancelar inscrição',
    /** A second footer link: stop only this kind, keep the others. */
    unsubscribeKind: (label: string) => `Prefere parar só os avisos de ${label}?`,
    unsubscribeKindLink: 'Parar só estes',
    /** Fallback reason of a lifecycle e-mail whose sender gave none (they all give one). */
    memberReason: (program: string) => `Você recebeu este e-mail porque participa do programa ${program}.`,
  },

  /** What each lifecycle kind is called where a shopper chooses what to stop receiving. */
  kindLabels: {
    welcome: 'boas-vindas',
    points_earned: 'pontos ganhos',
    reward_redeemed: 'prêmios resgatados',
    points_expiring: 'pontos a vencer',
    coupon_expiring: 'cupons a vencer',
  } as Record<string, string>,

  loginCode: {
    // No code in the subject: subjects show on lock screens, in notification previews and in
    // mailbox lists, and mail servers log them.
    subject: (program: string) => `Seu código de acesso ao programa ${program}`,
    // The preheader is the first text a preview shows; without it the preview would be the
    // code itself.
    preheader: (minutes: number) => `Use o código para entrar. Ele vale por ${minutes} minutos.`,
    heading: 'Seu código de acesso',
    intro: (program: string) => `Para entrar no programa ${program}, use este código:`,
    validity: (minutes: number) => `O código vale por ${minutes} minutos.`,
    neverShare:
      'Não compartilhe este código com ninguém. A loja nunca pede este código por telefone, WhatsApp ou e-mail.',
    notYou: 'Se não foi você que pediu, ignore este e-mail: sem o código, ninguém entra na sua conta.',
    reason: (program: string) =>
      `Você recebeu este e-mail porque alguém pediu um código de acesso ao programa ${program} com este endereço.`,
  },

  erasureCode: {
    subject: (program: string) => `Confirme a exclusão dos seus dados do programa ${program}`,
    preheader: (minutes: number) => `Use o código para confirmar. Ele vale por ${minutes} minutos.`,
    heading: 'Confirme a exclusão dos seus dados',
    intro: (program: string) =>
      `Você pediu para excluir seus dados do programa ${program}. ` +
      'Seus pontos, cupons e histórico deixam de ser seus. Para confirmar, use este código:',
    validity: (minutes: number) => `O código vale por ${minutes} minutos.`,
    notYou: 'Se não foi você que pediu, ignore este e-mail: sem o código, nada é excluído.',
    reason: (program: string) =>
      `Você recebeu este e-mail porque pediu a exclusão dos seus dados do programa ${program}.`,
  },

  welcome: {
    subject: (program: string) => `Boas-vindas ao programa ${program}`,
    preheader: (program: string) => `Agora você participa do programa ${program}.`,
    heading: 'Boas-vindas!',
    joined: (program: string, pointsName: string) =>
      `Agora você participa do programa ${program}. ` +
      `A cada compra na loja, você acumula ${pointsName} e pode trocá-los por prêmios.`,
    balance,
    cta: 'Ver meus pontos na loja',
    reason: (program: string) => `Você recebeu este e-mail porque entrou no programa ${program}.`,
    /** Enrolled as a customer of the store (sync, ERP sale, activation), not through the widget. */
    reasonCustomer: (program: string) =>
      `Você recebeu este e-mail porque é cliente da loja e agora participa do programa ${program}.`,
  },

  /** The page behind the unsubscribe links (no login: the link's signed token is the proof). */
  unsubscribePage: {
    title: (program: string) => `E-mails do programa ${program}`,
    askKind: (label: string) => `Você quer parar de receber os avisos de ${label}, ou todos os e-mails do programa?`,
    askAll:
      'Você quer parar de receber os e-mails do programa? Os códigos de acesso que você pedir continuam chegando.',
    stopKind: (label: string) => `Parar só os avisos de ${label}`,
    stopAll: 'Parar todos os e-mails do programa',
    doneKind: (label: string) => `Pronto: você não vai mais receber avisos de ${label}.`,
    doneAll:
      'Pronto: você não vai mais receber e-mails do programa. Os códigos de acesso que você pedir continuam chegando.',
    invalid: 'Este link não é válido. Copie o endereço completo do e-mail e tente de novo.',
  },

  pointsEarned: {
    subject: (points: number, pointsName: string) => `Você ganhou ${fmt.format(points)} ${pointsName}`,
    preheader: (day: string, program: string) => `Seu resumo de ${brDay(day)} no programa ${program}.`,
    heading: (points: number, pointsName: string) => `+${fmt.format(points)} ${pointsName}`,
    intro: (day: string, program: string) => `Veja o que você ganhou em ${brDay(day)} no programa ${program}:`,
    /** `orderDay`: when the order behind the points was placed ('YYYY-MM-DD'). */
    line: (text: string, points: number, pointsName: string, orderDay?: string) =>
      `${text}${orderDay ? ` (pedido de ${brDay(orderDay)})` : ''}: +${fmt.format(points)} ${pointsName}`,
    balance,
    cta: 'Ver prêmios na loja',
    /** The outbox's reason: the day and what earned (orders first). */
    reason: (day: string, causes: string) =>
      `Você recebeu este e-mail porque ganhou pontos em ${brDay(day)}: ${causes}.`,
    order: (numero: string) => `pedido nº ${numero}`,
    orders: (numeros: string[]) => `pedidos nº ${numeros.join(', ')}`,
    more: (n: number) => `e mais ${n}`,
  },

  rewardRedeemed: {
    subject: (title: string) => `Seu cupom de ${title} está pronto`,
    preheader: (benefit: string, day: string) => `${benefit}, válido até ${brDay(day)}.`,
    heading: 'Seu cupom está pronto',
    intro: (title: string, points: number, pointsName: string) =>
      `Você trocou ${fmt.format(points)} ${pointsName} por ${title}. Use este código no carrinho da loja:`,
    giftIntro: (gift: string, title: string) => `${gift}: ${title}. Use este código no carrinho da loja:`,
    giftReason: (title: string, id: number) =>
      `Você recebeu este e-mail porque ganhou o cupom "${title}" ao chegar a um novo nível (nº ${id}).`,
    benefit: 'Vale',
    validUntil: 'Válido até',
    minimumOrder: 'Pedido mínimo',
    validUntilValue: (day: string) => `${brDay(day)} (até 23h59)`,
    money: brMoney,
    oneUse: 'O cupom pode ser usado uma vez.',
    cta: 'Usar meu cupom na loja',
    reason: (title: string, id: number) =>
      `Você recebeu este e-mail porque resgatou o prêmio "${title}" (resgate nº ${id}).`,
  },

  /** The coupon a referred friend asked for (issue 19): transactional, the friend asked for it. */
  referralCoupon: {
    subject: (program: string) => `Seu cupom de primeira compra no programa ${program}`,
    preheader: (value: number, day: string) => `${brMoney(value)} de desconto, válido até ${brDay(day)}.`,
    heading: 'Seu cupom chegou',
    intro: (value: number) =>
      `Alguém que participa do nosso programa indicou você. Ganhe ${brMoney(value)} de desconto na sua primeira compra com este código:`,
    firstOrder: 'O cupom vale uma vez, na sua primeira compra na loja.',
    cta: 'Ir para a loja',
    reason: (program: string) =>
      `Você recebeu este e-mail porque pediu um cupom de indicação do programa ${program} com este endereço.`,
  },

  pointsExpiring: {
    subject: (points: number, pointsName: string, days: number) =>
      `${fmt.format(points)} ${pointsName} vencem nos próximos ${days} dias`,
    preheader: (day: string) => `Troque seus pontos por prêmios antes de ${brDay(day)}.`,
    heading: 'Seus pontos vão vencer',
    intro: (points: number, pointsName: string, days: number) =>
      `${fmt.format(points)} ${pointsName} do seu saldo vencem nos próximos ${days} dias:`,
    lot: (points: number, pointsName: string, day: string) => `${fmt.format(points)} ${pointsName} em ${brDay(day)}`,
    balance,
    cta: 'Trocar meus pontos',
    reason: (points: number, pointsName: string, day: string, days: number) =>
      `Você recebeu este e-mail porque ${fmt.format(points)} ${pointsName} seus vencem até ${brDay(day)} ` +
      `(aviso de ${days} dias).`,
  },

  couponExpiring: {
    subject: (days: number) => (days <= 1 ? 'Seu cupom vence amanhã' : `Seu cupom vence em ${days} dias`),
    preheader: (code: string, day: string) => `O cupom ${code} vale até ${brDay(day)}.`,
    heading: 'Seu cupom ainda não foi usado',
    intro: (title: string, day: string) => `O cupom de ${title} ainda não foi usado e vale até ${brDay(day)}:`,
    refundNote: 'Se ele vencer sem uso, seus pontos voltam para o saldo.',
    cta: 'Usar meu cupom na loja',
    reason: (code: string, day: string, id: number) =>
      `Você recebeu este e-mail porque o cupom ${code} (resgate nº ${id}) vence em ${brDay(day)} ` +
      `e ainda não foi usado.`,
  },

  /** To the merchant: an event webhook endpoint failed for 3 days and was turned off. */
  webhookDisabled: {
    subject: (program: string) => `Webhook desativado no programa ${program}`,
    preheader: 'As entregas falharam por 3 dias seguidos.',
    heading: 'Desativamos um webhook do seu programa',
    intro: (url: string) =>
      `As entregas de eventos para o endereço ${url} falharam por 3 dias seguidos, então ele foi desativado ` +
      'e não recebe novos eventos.',
    lastError: 'Último erro',
    since: 'Falhando desde',
    next:
      'Confira se o endereço está no ar e responde com um código 2xx. Depois, ative o webhook de novo no painel ' +
      'e use "Reenviar" nas entregas que quiser repetir.',
    cta: 'Abrir os webhooks no painel',
    reason: (program: string) =>
      `Você recebeu este e-mail porque administra o programa ${program} e um webhook dele foi desativado.`,
  },

  /**
   * A cashback program's e-mails (issue 18): the balance is reais, never "pontos". The login code,
   * the layout and the coupon facts are the same in both modes.
   */
  cashback: {
    kindLabels: {
      welcome: 'boas-vindas',
      points_earned: 'cashback ganho',
      reward_redeemed: 'cupons de cashback',
      points_expiring: 'cashback a vencer',
      coupon_expiring: 'cupons a vencer',
    } as Record<string, string>,
    balance: (cents: number) => `Seu saldo de cashback agora: ${brMoney(cents)}.`,
    welcome: {
      joined: (program: string) =>
        `Agora você participa do programa ${program}. ` +
        'A cada compra na loja, uma parte do valor volta para você como cashback, para usar nas próximas compras.',
      cta: 'Ver meu cashback na loja',
    },
    earned: {
      subject: (cents: number) => `Você ganhou ${brMoney(cents)} de cashback`,
      heading: (cents: number) => `+${brMoney(cents)} de cashback`,
      line: (text: string, cents: number, orderDay?: string) =>
        `${text}${orderDay ? ` (pedido de ${brDay(orderDay)})` : ''}: +${brMoney(cents)}`,
      cta: 'Usar meu cashback na loja',
      reason: (day: string, causes: string) =>
        `Você recebeu este e-mail porque ganhou cashback em ${brDay(day)}: ${causes}.`,
    },
    redeemed: {
      intro: (cents: number) => `Você usou ${brMoney(cents)} do seu cashback. Use este código no carrinho da loja:`,
      reason: (cents: number, id: number) =>
        `Você recebeu este e-mail porque usou ${brMoney(cents)} do seu cashback (resgate nº ${id}).`,
    },
    expiring: {
      subject: (cents: number, days: number) => `Seu cashback de ${brMoney(cents)} vence nos próximos ${days} dias`,
      preheader: (day: string) => `Use seu cashback numa compra antes de ${brDay(day)}.`,
      heading: 'Seu cashback vai vencer',
      intro: (cents: number, days: number) =>
        `${brMoney(cents)} do seu saldo de cashback vencem nos próximos ${days} dias:`,
      lot: (cents: number, day: string) => `${brMoney(cents)} em ${brDay(day)}`,
      cta: 'Usar meu cashback na loja',
      reason: (cents: number, day: string, days: number) =>
        `Você recebeu este e-mail porque ${brMoney(cents)} do seu cashback vencem até ${brDay(day)} ` +
        `(aviso de ${days} dias).`,
    },
    couponRefundNote: 'Se ele vencer sem uso, o valor volta para o seu saldo de cashback.',
  },
} as const
