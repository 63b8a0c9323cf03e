/** LGPD: a member's data (export, erasure), the privacy requests page, deleting the program. */
export const privacyTexts = {
  privacy: {
    nav: 'Privacidade (LGPD)',
    memberTitle: 'Dados pessoais (LGPD)',
    memberIntro:
      'O participante pode pedir uma cópia dos dados ou a exclusão deles, pelo site da loja ou diretamente a você.',
    downloadJson: 'Baixar dados (JSON)',
    downloadCsv: 'Baixar dados (CSV)',
    erase: 'Excluir dados do participante',
    eraseTitle: 'Excluir os dados deste participante?',
    eraseBody: [
      'E-mail, nome, CPF, data de nascimento e código de cliente da loja são apagados. ' +
        'O extrato, os pedidos e os resgates ficam, sem identificar a pessoa, para que os relatórios continuem certos.',
      'A sessão no site da loja termina e a sincronização não inscreve mais esta pessoa; ' +
        'ela só volta ao programa se entrar de novo por conta própria. Não dá para desfazer.',
    ],
    eraseConfirm: 'Excluir definitivamente',
    erased: 'Dados excluídos. O participante agora aparece como anônimo.',
    erasedAt: (day: string) => `Dados excluídos em ${day}.`,
    title: 'Pedidos de privacidade (LGPD)',
    intro:
      'Pedidos de acesso, cópia, correção ou exclusão de dados. A LGPD dá 15 dias para atender cada pedido. ' +
      'Pedidos feitos no site da loja entram aqui sozinhos; registre os que chegarem por e-mail, telefone ou na loja.',
    empty: 'Nenhum pedido ainda.',
    columns: {
      member: 'Participante',
      kind: 'Pedido',
      state: 'Situação',
      requested: 'Pedido em',
      due: 'Prazo',
      done: 'Atendido em',
    },
    kinds: {
      access: 'Acesso aos dados',
      portability: 'Cópia dos dados',
      correction: 'Correção',
      erasure: 'Exclusão',
    } as Record<string, string>,
    states: { open: 'Em aberto', done: 'Atendido', cancelled: 'Cancelado' } as Record<string, string>,
    channels: { widget: 'pelo site da loja', panel: 'registrado no painel', api: 'pela API' } as Record<string, string>,
    overdue: 'Prazo vencido',
    complete: 'Marcar como atendido',
    completeErasure: 'Excluir os dados e concluir',
    registerTitle: 'Registrar um pedido recebido por outro canal',
    memberId: 'Número do participante',
    memberIdHelp: 'Está no endereço da página do participante, ex.: …/participantes/123.',
    kind: 'Tipo de pedido',
    note: 'Como chegou',
    noteHelp: 'Opcional, ex.: "e-mail de 07/12". É apagado se os dados forem excluídos.',
    register: 'Registrar pedido',
    registered: 'Pedido registrado. O prazo é de 15 dias.',
  },
  danger: {
    title: 'Zona de perigo: excluir o programa',
    intro:
      'Excluir o programa apaga todos os participantes, pontos, pedidos, prêmios e e-mails dele. ' +
      'Na hora, a chave da Loja Integrada é apagada, o aviso de pedidos (webhook) é removido da loja ' +
      'e o programa para de sincronizar e de enviar e-mails.',
    grace: 'Você tem 48 horas para desfazer. Depois disso, tudo é apagado de vez.',
    confirmLabel: (name: string) => `Para confirmar, digite o nome do programa: ${name}`,
    submit: 'Excluir o programa',
    scheduled: (when: string) =>
      `Este programa será apagado de vez em ${when}. Até lá, você pode desfazer a exclusão. ` +
      'Depois de desfazer, salve de novo a chave da Loja Integrada e ative a integração.',
    undo: 'Desfazer a exclusão',
    undone: 'Exclusão desfeita. Salve de novo a chave da Loja Integrada para voltar a sincronizar.',
  },
}
