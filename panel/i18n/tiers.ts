import { count } from './format.ts'

/** Mais > Configurações > Níveis VIP. */
export const tierTexts = {
  tiers: {
    title: 'Níveis VIP',
    intro:
      'De 2 a 5 níveis (ex.: Prata, Ouro): quem compra mais sobe de nível, ganha mais a cada compra e pode receber ' +
      'um bônus de boas-vindas ao nível. Salvar reavalia todos os participantes, sem mexer em nenhum saldo.',
    basis: 'O que conta para subir de nível',
    basisHelp:
      'Só compras em uma situação que dá pontos. Uma compra cancelada deixa de contar e pode baixar o nível. ' +
      'Usar o saldo nunca baixa o nível.',
    bases: {
      spend: 'Valor gasto (R$)',
      earned: 'Pontos ganhos nas compras',
      earnedCashback: 'Cashback ganho nas compras',
    },
    window: 'Período',
    windows: {
      lifetime: 'Desde sempre',
      calendar_year: 'Ano civil: o nível alcançado em um ano vale até o fim do ano seguinte',
      rolling_12m: 'Últimos 12 meses (reavaliado todo dia)',
    } as Record<string, string>,
    tier: (n: number) => `Nível ${n}`,
    name: 'Nome',
    color: 'Cor',
    threshold: 'A partir de',
    thresholdHelpMoney: 'Em reais, ex.: 500,00.',
    thresholdHelpPoints: 'Em pontos, ex.: 1.000.',
    multiplierPct: 'Multiplicador',
    multiplierHelp:
      'Ex.: 1,5 = ganha 50 % a mais. Com uma campanha, os dois se multiplicam e o resultado é arredondado para ' +
      'baixo uma vez: 100 pontos numa campanha × 2, para quem tem × 1,5, viram 300.',
    entryReward: 'Bônus de entrada',
    entryRewardHelpMoney: 'Em reais, uma vez por nível e período; em branco = nenhum.',
    entryRewardHelpPoints: 'Em pontos, uma vez por nível e período; em branco = nenhum.',
    entryRewardId: 'Cupom de boas-vindas',
    entryRewardIdHelp:
      'Um prêmio do seu catálogo, dado como cupom da loja sem gastar pontos, uma vez por nível e período.',
    noEntryCoupon: 'Nenhum',
    unavailableReward: 'Prêmio que não está mais ativo',
    add: 'Adicionar nível',
    remove: (name: string) => `Remover ${name || 'este nível'}`,
    preview: 'Ver quantos participantes ficam em cada nível',
    previewTitle: 'Prévia',
    previewLine: (name: string, n: number) => `${name}: ${count(n, 'participante', 'participantes')}`,
    previewNone: (n: number) => `Sem nível: ${count(n, 'participante', 'participantes')}`,
    save: 'Salvar níveis',
    reevaluating:
      'Níveis salvos. Reavaliando os participantes… Com muitos participantes isso leva alguns instantes; ' +
      'até terminar, valem os níveis anteriores. Nenhum saldo muda.',
    saved: (changed: number) =>
      `Níveis salvos. ${changed === 0 ? 'Nenhum participante mudou' : count(changed, 'participante mudou', 'participantes mudaram')} de nível.`,
    fields: {
      basis: { validation_failed: 'Escolha o que conta para subir de nível.' },
      window: { validation_failed: 'Escolha o período.' },
      tiers: { validation_failed: 'Use de 2 a 5 níveis.' },
    },
    rowErrors: {
      name: 'Dê um nome de até 40 letras, diferente dos outros níveis.',
      color: 'Use uma cor como #1a2b3c.',
      threshold: 'Informe um valor maior que o do nível anterior.',
      multiplierPct: 'Use um número de 1 a 10, ex.: 1,5.',
      entryReward: 'Informe um número inteiro a partir de 0, ou deixe em branco.',
      entryRewardId: 'Escolha um prêmio do seu catálogo.',
    } as Record<string, string>,
  },
}
