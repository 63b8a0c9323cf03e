import { count } from './format.ts'
import { settingsTexts } from './settings.ts'

type Integration = typeof settingsTexts.integration
type SyncCounts = typeof settingsTexts.sync.counts

/**
 * The integration and sync texts of a cashback program: the same keys as the points wording in
 * settings.ts, in the words of a balance in reais ("gera cashback", not "gera pontos").
 */
const cashbackIntegration: Partial<Integration> = {
  statuses: 'Situações de pedido que geram cashback',
  statusesHelp:
    'O cashback é creditado quando o pedido chega a uma destas situações. Recomendamos as de ' +
    'pedido entregue/finalizado, para não dar cashback a pedidos que ainda podem ser cancelados.',
  statusesTip:
    'Dica: salve a integração com a chave de API para que possamos ler a lista de situações de ' +
    'pedido da sua loja. Depois, volte aqui para escolher as que geram cashback.',
  reverses: 'retira o cashback',
  savedStatuses:
    'Integração salva. As situações de pedido da sua loja foram lidas: escolha abaixo as que geram cashback e salve de novo.',
  activateDialogBody: [
    'Ao ativar, o Fidelis começa a importar os clientes e os pedidos da sua loja e os seus clientes ' +
      'passam a receber e-mails do programa (código de acesso, cashback ganho, cupons).',
    'Ative somente depois que o programa estiver todo configurado: regras de cashback e o botão instalado na loja.',
  ],
  deactivateDialogBody: [
    'A sincronização e os e-mails aos clientes param até você ativar de novo. O cashback já ganho continua valendo.',
  ],
  refusedStatuses: 'Para ativar, escolha e salve pelo menos uma situação de pedido que gera cashback.',
  salesRegistration: 'Pedidos da Loja Integrada geram cashback',
  salesRegistrationHelp:
    'Ligado: os pedidos da loja que chegam às situações escolhidas geram cashback. Deve ficar ' +
    'desligado quando um ERP (sistema de gestão) envia as vendas para o Fidelis — senão a mesma ' +
    'venda geraria cashback duas vezes.',
  erpSales: 'Vendas enviadas por um ERP geram cashback',
  refusedSalesWhileErp:
    'Não foi possível ligar: as vendas de um ERP estão ligadas. Desligue "Vendas enviadas por um ' +
    'ERP" primeiro, para que nenhuma venda gere cashback duas vezes.',
  refusedErpWhileSales:
    'Não foi possível ligar: o cadastro de vendas da Loja Integrada está ligado. Desligue-o primeiro, ' +
    'para que nenhuma venda gere cashback duas vezes.',
  salesOn: 'Cadastro de vendas ligado: pedidos da Loja Integrada geram cashback.',
}

const cashbackCounts: Partial<SyncCounts> = {
  awarded: (n: number) => count(n, 'gerou cashback', 'geraram cashback'),
  reversed: (n: number) => count(n, 'teve o cashback retirado', 'tiveram o cashback retirado'),
}

const cashbackSync = {
  noPointsYet: (since: string) => `Desde a ativação em ${since}, nenhuma compra gerou cashback ainda.`,
  /** `amount` is the cashback credited, already in reais ("R$ 1.234,50"). */
  pointsAwarded: (amount: string, since: string) =>
    `Desde a ativação em ${since}, as compras geraram ${amount} de cashback.`,
}

/** The integration and sync texts in the program's own words (points or cashback). */
export function modeWords(program: { mode: string } | null) {
  const cashback = program?.mode === 'cashback'
  return {
    integration: cashback ? { ...settingsTexts.integration, ...cashbackIntegration } : settingsTexts.integration,
    sync: cashback
      ? {
          ...settingsTexts.sync,
          ...cashbackSync,
          counts: { ...settingsTexts.sync.counts, ...cashbackCounts },
        }
      : settingsTexts.sync,
  }
}
