/** Resgates and E-mails enviados: what members redeemed and what the program sent them, program-wide. */
export const activityTexts = {
  activity: {
    /** Above a table wider than the screen (a phone): the columns out of sight are one swipe away. */
    tableScrolls: 'A tabela continua à direita: deslize para o lado para ver todas as colunas.',
    filter: 'Filtrar',
    anyStatus: 'Todas as situações',
    anyKind: 'Todos os tipos',
    clear: 'Limpar filtros',
    redemptions: {
      title: 'Resgates',
      intro: 'Cada prêmio trocado por pontos no programa, com o cupom criado na loja. Os mais recentes primeiro.',
      status: 'Situação',
      search: 'Buscar por cupom ou e-mail',
      searchHelp: 'O código do cupom (ou o começo dele) ou parte do e-mail do participante.',
      empty: 'Nenhum resgate encontrado.',
      emptyFiltered: 'Nenhum resgate com estes filtros.',
      columns: {
        date: 'Data',
        member: 'Participante',
        reward: 'Prêmio',
        points: 'Pontos',
        status: 'Situação',
        coupon: 'Cupom',
        validUntil: 'Válido até',
      },
      /** Short words for the filter; the table says them the member page's way. */
      statuses: {
        pending: 'Criando o cupom',
        issued: 'Cupom emitido',
        used: 'Cupom usado',
        failed: 'Falhou',
        refunded: 'Expirou sem uso',
      } as Record<string, string>,
    },
    emails: {
      title: 'E-mails enviados',
      intro:
        'Os e-mails que o programa mandou aos participantes: códigos de acesso, boas-vindas, pontos, prêmios e avisos. ' +
        'Os mais recentes primeiro.',
      kind: 'Tipo',
      status: 'Situação',
      search: 'Buscar por destinatário',
      searchHelp: 'O e-mail de quem recebeu, inteiro ou o começo dele.',
      empty: 'Nenhum e-mail enviado ainda.',
      emptyFiltered: 'Nenhum e-mail com estes filtros.',
      columns: { when: 'Quando', to: 'Para', kind: 'Tipo', status: 'Situação', subject: 'Assunto' },
      kinds: {
        login_code: 'Código de acesso',
        erasure_code: 'Código de exclusão de dados',
        welcome: 'Boas-vindas',
        points_earned: 'Pontos ganhos',
        reward_redeemed: 'Prêmio resgatado',
        points_expiring: 'Pontos a vencer',
        coupon_expiring: 'Cupom a vencer',
        webhook_disabled: 'Webhook desativado',
      } as Record<string, string>,
      statuses: {
        pending: 'Na fila',
        sending: 'Enviando',
        sent: 'Enviado',
        failed: 'Falhou',
      } as Record<string, string>,
      /** Beside the time of an e-mail not sent yet (its time is when it was queued). */
      queuedAt: 'na fila desde',
      /** A pending e-mail whose last try failed: it will be tried again. */
      retrying: 'A última tentativa falhou; o Fidelis vai tentar de novo.',
      attempts: (n: number) => `${n} ${n === 1 ? 'tentativa' : 'tentativas'}`,
      failures: {
        expired: 'Expirou antes de ser enviado (um código de acesso vale 10 minutos).',
        refused:
          'O servidor de e-mail recusou o endereço ou a mensagem. Confira se o e-mail do participante está certo.',
        unreachable: 'Não foi possível falar com o servidor de e-mail.',
        auth: 'O servidor de e-mail recusou o acesso do Fidelis: confira a configuração de envio (SMTP).',
        missing: 'O conteúdo do e-mail se perdeu antes do envio.',
        other: 'O envio falhou.',
      } as Record<string, string>,
      /** Before the mail server's own words, which are technical and often in English. */
      serverSaid: 'Resposta do servidor:',
    },
  },
}
