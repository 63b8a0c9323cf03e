import { count, num } from './format.ts'

const LI_KEY_PATH = 'Configurações > Chave para API > Cadastrar nova chave'

/** Mais > Configurações: the Loja Integrada integration and its sync, the program, points rules and campaigns, e-mails. */
export const settingsTexts = {
  integration: {
    title: 'Loja Integrada',
    intro:
      'Conecte sua loja para trazer clientes e pedidos ao programa. Nada é enviado aos clientes até você ativar a integração.',
    formTitle: 'Dados da integração',
    credentialKind: 'Tipo de chave',
    credentialKindHelp:
      'A chave de API é o caminho comum. Use um token pessoal se a Loja Integrada indicar (Configurações > Chave para API > Personal token).',
    kinds: { chave_api: 'Chave de API', personal_token: 'Token pessoal (Personal Token)' },
    apiKey: 'Chave de API (AppKey)',
    apiKeyHelp: (program: string) =>
      `Gere na Loja Integrada em ${LI_KEY_PATH} e, na identificação, use o nome do programa ("${program}"). Copie a chave inteira e cole aqui.`,
    apiKeySaved: (last4: string) =>
      `Chave salva terminando em ${last4}. Deixe em branco para manter; cole uma nova para trocar.`,
    apiKeyVerified: (when: string) => `Verificada com a Loja Integrada em ${when}.`,
    siteUrl: 'Endereço do site da loja',
    siteUrlHelp: 'Usado nos e-mails. Ex.: https://www.minhaloja.com.br',
    signupUrl: 'Endereço de cadastro de clientes',
    signupUrlHelp:
      'Se o cliente não conseguir se cadastrar no programa, ele será redirecionado para este link (normalmente a página de cadastro da sua loja).',
    feedUrl: 'URL do XML do Google Shopping',
    feedUrlHelp:
      'O endereço (URL) do feed XML do Google Shopping da sua loja. Os produtos dele podem virar prêmios; a importação roda todo dia de madrugada.',
    couponValidityDays: 'Validade dos cupons (dias)',
    couponValidityDaysHelp: 'Por quantos dias o cupom de um resgate vale na loja. Padrão: 365 dias.',
    rewardAllowlist: 'SKUs/IDs que podem ser prêmios',
    rewardAllowlistHelp:
      'Um por linha (ou separados por vírgula). Em branco: todos os produtos do XML podem virar prêmios.',
    statuses: 'Situações de pedido que geram pontos',
    statusesHelp:
      'Os pontos são creditados quando o pedido chega a uma destas situações. Recomendamos as de ' +
      'pedido entregue/finalizado, para não dar pontos a pedidos que ainda podem ser cancelados.',
    statusesTip:
      'Dica: salve a integração com a chave de API para que possamos ler a lista de situações de ' +
      'pedido da sua loja. Depois, volte aqui para escolher as que geram pontos.',
    statusesPreselected: 'Marcamos as situações recomendadas. Confira e salve para confirmar.',
    recommended: 'recomendada',
    reverses: 'retira os pontos',
    save: 'Salvar integração',
    savedStatuses:
      'Integração salva. As situações de pedido da sua loja foram lidas: escolha abaixo as que geram pontos e salve de novo.',
    activationTitle: 'Ativação',
    activeSince: (when: string) =>
      `Integração ativa desde ${when}. Clientes e pedidos estão sendo sincronizados e os clientes recebem e-mails do programa.`,
    inactive: 'Integração desativada: nada é sincronizado e nenhum e-mail é enviado aos clientes.',
    activate: 'Ativar integração',
    deactivate: 'Pausar integração',
    needSave: 'Salve a integração antes de ativar.',
    activateDialogTitle: 'Ativar a integração?',
    activateDialogBody: [
      'Ao ativar, o Fidelis começa a importar os clientes e os pedidos da sua loja e os seus clientes ' +
        'passam a receber e-mails do programa (código de acesso, pontos ganhos, cupons).',
      'Ative somente depois que o programa estiver todo configurado: regras de pontos, prêmios e o botão instalado na loja.',
    ],
    activateConfirm: 'Sim, ativar e enviar e-mails',
    activateCancel: 'Agora não',
    activated: 'Integração ativada. A primeira sincronização já começou.',
    deactivateDialogTitle: 'Pausar a integração?',
    deactivateDialogBody: [
      'A sincronização e os e-mails aos clientes param até você ativar de novo. Os pontos já ganhos continuam valendo.',
    ],
    deactivateConfirm: 'Pausar integração',
    deactivated: 'Integração pausada.',
    refusedKey: 'Para ativar, salve uma chave de API válida da Loja Integrada.',
    refusedStatuses: 'Para ativar, escolha e salve pelo menos uma situação de pedido que gera pontos.',
    salesTitle: 'Cadastro de vendas',
    salesRegistration: 'Pedidos da Loja Integrada geram pontos',
    salesRegistrationHelp:
      'Ligado: os pedidos da loja que chegam às situações escolhidas geram pontos. Deve ficar ' +
      'desligado quando um ERP (sistema de gestão) envia as vendas para o Fidelis — senão a mesma ' +
      'venda geraria pontos duas vezes.',
    erpSales: 'Vendas enviadas por um ERP geram pontos',
    erpSalesHelp:
      'Ligue somente se o seu ERP envia as vendas pela API do Fidelis. Não pode ficar ligado junto com o cadastro de vendas da Loja Integrada.',
    refusedSalesWhileErp:
      'Não foi possível ligar: as vendas de um ERP estão ligadas. Desligue "Vendas enviadas por um ' +
      'ERP" primeiro, para que nenhuma venda gere pontos duas vezes.',
    refusedErpWhileSales:
      'Não foi possível ligar: o cadastro de vendas da Loja Integrada está ligado. Desligue-o primeiro, para que nenhuma venda gere pontos duas vezes.',
    salesNeedIntegration: 'Salve a integração para escolher de onde vêm as vendas.',
    salesOn: 'Cadastro de vendas ligado: pedidos da Loja Integrada geram pontos.',
    salesOff: 'Cadastro de vendas desligado.',
  },
  sync: {
    title: 'Sincronização',
    inactive: 'A sincronização começa quando a integração é ativada.',
    rejected:
      'A Loja Integrada recusou a chave de API salva e a sincronização parou. Gere uma nova chave na ' +
      'Loja Integrada (Configurações > Chave para API > Cadastrar nova chave), cole no formulário da ' +
      'integração e salve.',
    every: (n: number) => `Automática a cada ${count(n, 'minuto', 'minutos')}.`,
    lastRun: 'Última sincronização',
    result: 'Resultado',
    what: 'Dados',
    nextRun: 'Próxima',
    running: 'sincronizando agora…',
    neverRan: 'ainda não sincronizado',
    now: 'Sincronizar agora',
    queued: 'Sincronização pedida. Os números se atualizam sozinhos.',
    resource: { customers: 'Clientes', orders: 'Pedidos' },
    /** What the last run counted, by pt-BR's plural rules: "1 lido", "40 lidos". */
    counts: {
      seen: (n: number) => count(n, 'lido', 'lidos'),
      created: (n: number) => count(n, 'novo', 'novos'),
      updated: (n: number) => count(n, 'atualizado', 'atualizados'),
      awarded: (n: number) => count(n, 'gerou pontos', 'geraram pontos'),
      reversed: (n: number) => count(n, 'teve pontos retirados', 'tiveram pontos retirados'),
      held: (n: number) => `${num.format(n)} aguardando o cadastro do cliente`,
    } as Record<string, (n: number) => string>,
    /** What the program holds from the store, whatever the last run read. */
    total: 'No programa',
    totals: {
      customers: (n: number) => (n === 0 ? 'nenhum ainda' : count(n, 'cliente', 'clientes')),
      orders: (n: number) => (n === 0 ? 'nenhum ainda' : count(n, 'pedido', 'pedidos')),
    },
    /** `points` is t.points(…); `since` the activation's date. */
    pointsAwarded: (points: string, since: string) => `Desde a ativação em ${since}, as compras geraram ${points}.`,
    /** The program's points name, until the program list has loaded. */
    defaultPointsName: 'pontos',
    noPointsYet: (since: string) => `Desde a ativação em ${since}, nenhuma compra gerou pontos ainda.`,
    failed: (what: string, when: string) => `A última sincronização de ${what.toLowerCase()} falhou (${when}).`,
    technical: 'Detalhe técnico (para o suporte)',
    errorHint:
      'Se o erro continuar, confira a chave de API e se a Loja Integrada está no ar. A próxima sincronização tenta de novo sozinha.',
    healthy: 'Tudo em dia.',
    notes: {
      listingFallback:
        'A Loja Integrada não listou os pedidos por número como esperado; a sincronização seguiu pela data de alteração, sem perder pedidos.',
      repaged: 'Pedidos mudaram enquanto eram lidos; a lista foi lida de novo para não perder nenhum.',
      narrowed: 'Havia pedidos demais para uma única lista; a leitura foi dividida por data de criação.',
      rateLimited: 'A Loja Integrada pediu para diminuir o ritmo; a sincronização esperou e continuou.',
    } as Record<string, string>,
  },
  program: {
    title: 'Programa',
    intro: 'Como o programa aparece para os clientes e quantos pontos cada compra vale.',
    name: 'Nome do programa',
    nameHelp: 'Aparece no botão do programa na loja e nos e-mails.',
    pointsName: 'Nome dos pontos',
    pointsNameHelp: 'Como os pontos se chamam para os clientes, no plural. Ex.: pontos, moedas, estrelas.',
    earnRate: 'Pontos por R$ 1,00',
    earnRateHelp:
      'Quantos pontos o cliente ganha a cada R$ 1,00 em compras (subtotal menos descontos; o frete não conta). Ex.: 1 ou 0,5.',
    primaryColor: 'Cor do botão',
    primaryColorHelp: 'Fundo do botão e do cabeçalho do programa na loja.',
    textColor: 'Cor do texto',
    textColorHelp: 'Texto sobre a cor do botão.',
    joiningOpen: 'Inscrições abertas',
    joiningOpenHelp: 'Desligado: quem já participa continua entrando, mas novos clientes não conseguem se inscrever.',
    placement: 'Posição do botão na loja',
    placementHelp:
      'O canto da tela e a distância das bordas, em pixels (de 0 a 200). Se a loja tiver algo fixo no ' +
      'mesmo lugar, como o botão do WhatsApp ou um chat, o botão do programa sobe sozinho para ficar ' +
      'acima dele.',
    corners: { 'bottom-right': 'Canto inferior direito', 'bottom-left': 'Canto inferior esquerdo' },
    launcherCorner: 'Canto do botão',
    launcherOffsetX: 'Distância da lateral (px)',
    launcherOffsetY: 'Distância da parte de baixo (px)',
    preview: 'Prévia do botão na loja',
    previewHelp: 'Atualiza enquanto você muda as cores, o nome e a posição.',
    lowContrast:
      'Pouco contraste entre o texto e a cor do botão: alguns clientes podem ter dificuldade para ler. Escolha cores mais contrastantes.',
    save: 'Salvar programa',
  },
  pointsRules: {
    title: 'Pontos: regras e campanhas',
    intro:
      'Quando os pontos vencem, bônus de cadastro e de aniversário, quanto tempo os pontos de uma compra aguardam e campanhas de pontos em dobro.',
    rulesTitle: 'Regras de pontos',
    expiry: 'Validade dos pontos',
    expiryHelp:
      'Os pontos vencem este número de meses depois do dia em que foram ganhos; o cliente sempre usa ' +
      'primeiro os mais antigos e vê no programa quantos pontos vencem e quando. Uma mudança vale ' +
      'também para os pontos que os participantes já têm, na próxima verificação diária (de ' +
      'madrugada).',
    never: 'Os pontos não vencem',
    after: 'Os pontos vencem depois de um número de meses',
    expiryMonths: 'Meses até os pontos vencerem',
    signupBonus: 'Bônus de cadastro (pontos)',
    signupBonusHelp:
      'Pontos dados uma vez a cada cliente que entrar no programa daqui em diante (inclusive clientes ' +
      'da loja trazidos pela sincronização). Quem já participa não recebe. 0 = sem bônus.',
    birthdayBonus: 'Bônus de aniversário (pontos)',
    birthdayBonusHelp:
      'Pontos dados uma vez por ano, no dia do aniversário do participante (quem nasceu em 29/02 ganha em 28/02 nos outros anos). 0 = sem bônus.',
    pendingDays: 'Carência dos pontos de uma compra (dias)',
    pendingDaysHelp:
      'Os pontos de um pedido ficam aguardando este número de dias antes de poderem ser trocados por ' +
      'prêmios. Isso protege contra quem compra, troca os pontos por um prêmio e depois cancela ou ' +
      'devolve o pedido: se o pedido for cancelado durante a carência, os pontos pendentes só deixam ' +
      'de existir. Voltar para 0 libera os pontos que estão aguardando em até uma hora.',
    saveRules: 'Salvar regras',
    campaignsTitle: 'Campanhas de pontos',
    campaignsHelp:
      'Pedidos feitos entre o início e o fim (dias no horário de Brasília, os dois dias inclusive) ' +
      'ganham os pontos multiplicados quando chegam a uma situação que gera pontos. Se duas campanhas ' +
      'coincidirem, vale o maior multiplicador — eles não se somam. Um cancelamento retira exatamente ' +
      'os pontos que o pedido ganhou.',
    campaignsEmpty: 'Nenhuma campanha ainda.',
    columns: {
      name: 'Campanha',
      multiplier: 'Multiplicador',
      starts: 'Início',
      ends: 'Fim',
      state: 'Situação',
      actions: 'Ações',
    },
    states: { running: 'Em andamento', scheduled: 'Agendada', ended: 'Encerrada' },
    newCampaign: 'Nova campanha',
    editCampaign: (name: string) => `Editar campanha "${name}"`,
    name: 'Nome da campanha',
    nameHelp: 'Os clientes veem este nome no histórico de pontos. Ex.: Black Friday.',
    nameInvalid: 'Use de 1 a 80 caracteres.',
    multiplier: 'Multiplicador de pontos',
    multiplierHelp: 'Ex.: 2 para pontos em dobro, 1,5 para 50% a mais. De 1,01 a 10.',
    startsOn: 'Primeiro dia',
    startsOnHelp: 'Vale para pedidos feitos a partir de 00:00 deste dia.',
    endsOn: 'Último dia',
    endsOnHelp: 'Vale para pedidos feitos até 23:59 deste dia.',
    create: 'Criar campanha',
    created: 'Campanha criada.',
    saveCampaign: 'Salvar campanha',
    editNote: 'Pedidos que já ganharam pontos ficam como estão; a mudança vale para os próximos.',
    remove: 'Excluir',
    removeDialogTitle: 'Excluir a campanha?',
    removeDialogBody: (name: string) => [
      `A campanha "${name}" deixa de valer para os próximos pedidos. Os pontos que ela já deu continuam com os clientes.`,
    ],
    removeConfirm: 'Excluir campanha',
    removed: (name: string) => `Campanha "${name}" excluída.`,
    times: (m: number) => `× ${num.format(m)}`,
  },
  emails: {
    title: 'E-mails',
    intro:
      'E-mails automáticos que o programa envia aos participantes. Nada é enviado antes de você ativar ' +
      'a integração com a Loja Integrada; depois disso, só os e-mails ligados aqui.',
    enabled: 'Enviar e-mails do programa',
    enabledHelp:
      'Desligado: nenhum dos e-mails abaixo é enviado, e as boas-vindas que estavam aguardando são ' +
      'descartadas (não são enviadas depois). Os códigos de acesso que o cliente pede para entrar no ' +
      'programa continuam sendo enviados.',
    kinds: 'Quais e-mails enviar',
    kindsHelp: 'Cada e-mail tem um link para o cliente deixar de receber aquele tipo, ou todos.',
    kindsOff: 'Os e-mails do programa estão desligados: as escolhas abaixo valem quando você ligar de novo.',
    kind: {
      welcome: 'Boas-vindas, quando o cliente entra no programa',
      points_earned: 'Pontos ganhos: um resumo por dia dos pontos recebidos',
      reward_redeemed: 'Prêmio resgatado: com o código do cupom, o valor e a validade',
      points_expiring: 'Pontos a vencer: 30 e 7 dias antes',
      coupon_expiring: 'Cupom a vencer: um cupom resgatado que ainda não foi usado',
    } as Record<string, string>,
    save: 'Salvar e-mails',
  },
}
