import { count, num } from './format.ts'

/** Prêmios: the merchant's coupons, feed products and the feed import report. */
export const rewardTexts = {
  rewards: {
    title: 'Prêmios',
    intro: 'O que os clientes podem trocar por pontos: cupons que você cria e produtos do seu XML do Google Shopping.',
    tabs: 'Tipos de prêmio',
    manualTab: 'Cupons criados por você',
    feedTab: 'Produtos do feed',
    new: 'Novo prêmio',
    search: 'Buscar prêmio',
    searchSubmit: 'Buscar',
    empty: 'Nenhum prêmio aqui ainda.',
    emptyFeed: 'Nenhum produto importado ainda.',
    columns: { title: 'Prêmio', kind: 'Tipo', cost: 'Custo', status: 'Situação', stock: 'Estoque', actions: 'Ações' },
    kinds: {
      fixed_discount: 'Desconto em R$',
      percent_discount: 'Desconto em %',
      free_shipping: 'Frete grátis',
      product: 'Produto',
    } as Record<string, string>,
    statuses: { available: 'Disponível', inactive: 'Desativado', removed: 'Fora do feed', soldOut: 'Esgotado' },
    deactivate: 'Desativar',
    activate: 'Reativar',
    deactivated: (title: string) => `"${title}" foi desativado: os clientes não o veem mais.`,
    activated: (title: string) => `"${title}" foi reativado.`,
    stock: (remaining: number | null, total: number | null) =>
      total === null ? 'sem limite' : `${num.format(remaining ?? 0)} de ${num.format(total)}`,
    newTitle: 'Novo prêmio',
    editTitle: 'Editar prêmio',
    kind: 'Tipo de prêmio',
    kindHelp: 'Cupons de desconto viram um cupom na Loja Integrada quando o cliente resgata.',
    titleField: 'Nome do prêmio',
    titleHelp: 'Os clientes veem este nome. Ex.: R$ 10 de desconto.',
    description: 'Descrição',
    descriptionHelp: 'Detalhes ou regras que o cliente deve saber.',
    pointsCost: 'Custo em pontos',
    pointsCostHelp: 'Quantos pontos o cliente troca por este prêmio.',
    valueCents: 'Valor do desconto (R$)',
    valueCentsHelp: 'Ex.: 10,00',
    percent: 'Desconto (%)',
    percentHelp: 'De 1 a 100.',
    minimumOrderCents: 'Pedido mínimo (R$)',
    minimumOrderCentsHelp: 'O cupom só vale em pedidos a partir deste valor. Em branco: qualquer valor.',
    totalStock: 'Quantidade total',
    totalStockHelp: 'Quantos podem ser resgatados ao todo. Em branco: sem limite.',
    perMemberLimit: 'Limite por cliente',
    perMemberLimitHelp: 'Quantas vezes um mesmo cliente pode resgatar. Em branco: sem limite.',
    imageUrl: 'Imagem (URL)',
    imageUrlHelp: 'Endereço de uma imagem do prêmio, começando com https://',
    priceCents: 'Preço do produto (R$)',
    priceCentsHelp: 'Usado para sugerir o custo em pontos.',
    link: 'Link do produto',
    linkHelp: 'Página do produto na loja.',
    create: 'Criar prêmio',
    created: 'Prêmio criado.',
    feedOwned:
      'Nome, imagem, preço e link deste produto vêm do XML do Google Shopping e são atualizados a cada importação.',
    suggested: (points: string) => `Sugerido: ${points}`,
    override: 'custo definido por você',
    useSuggested: 'Voltar ao sugerido',
    saveCost: 'Salvar custo',
    costFor: (title: string) => `Custo em pontos de ${title}`,
    feedTitle: 'Importação do XML do Google Shopping',
    noFeedUrl:
      'Cadastre a URL do XML do Google Shopping na integração com a Loja Integrada para importar produtos como prêmios.',
    importNow: 'Importar agora',
    importQueued: 'Importação pedida. O relatório se atualiza sozinho.',
    lastImport: 'Última importação',
    noImport: 'Nenhuma importação ainda.',
    importStatus: {
      running: 'em andamento',
      ok: 'concluída',
      failed: 'falhou (o catálogo anterior foi mantido)',
    } as Record<string, string>,
    importCounts: (i: {
      itemsSeen: number
      itemsAccepted: number
      rewardsCreated: number
      rewardsUpdated: number
      rewardsRemoved: number
    }) =>
      `${count(i.itemsSeen, 'item lido', 'itens lidos')}, ${count(i.itemsAccepted, 'aceito', 'aceitos')}: ` +
      `${count(i.rewardsCreated, 'novo', 'novos')}, ${count(i.rewardsUpdated, 'atualizado', 'atualizados')}, ` +
      `${count(i.rewardsRemoved, 'saiu do feed', 'saíram do feed')}.`,
    importSkipped: (i: { skippedOutOfStock: number; skippedNotAllowed: number; skippedInvalid: number }) =>
      `Ignorados: ${num.format(i.skippedOutOfStock)} sem estoque, ` +
      `${num.format(i.skippedNotAllowed)} fora da lista de SKUs, ${num.format(i.skippedInvalid)} com erro.`,
    importErrors: 'Erros',
    importWarnings: 'Avisos',
    line: (n: number) => `linha ${num.format(n)}`,
    fullReport: 'Relatório completo',
  },
}
