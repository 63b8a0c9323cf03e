/**
 * pt-BR texts of the catalogue side of a feed import (the parser's own messages live in
 * ./feed/messages.ts): what the merchant reads in the import report.
 */
export const importMessages = {
  noFeedUrl:
    'A integração não tem um endereço de feed configurado. Informe o endereço do feed do Google Shopping nas ' +
    'configurações da integração.',
  interrupted:
    'A importação foi interrompida antes de terminar (o serviço foi reiniciado); o catálogo anterior foi mantido.',
  internal: 'Erro interno ao salvar o catálogo; o catálogo anterior foi mantido e a importação será tentada de novo.',
  earnRateZero:
    'O programa não dá pontos por compra (taxa de pontos 0): os custos em pontos foram propostos com 1 ponto por ' +
    'R$ 1,00.',
  catalogue: 'Catálogo de prêmios',
  created: 'Prêmios novos',
  updated: 'Prêmios atualizados',
  unchanged: 'Prêmios sem alteração',
  removed: 'Prêmios retirados (saíram do feed, ficaram fora de estoque ou fora da lista permitida)',
} as const
