import { brl, num, points } from './format.ts'

/** A São Paulo day 'YYYY-MM-DD' as the example reads it: "11/12". */
const dayMonth = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}`

/** Program mode (points or cashback), the cashback rules with their live example, and the points "any amount" option. */
export const cashbackTexts = {
  mode: {
    legend: 'Tipo de programa',
    help: 'Escolha agora: o tipo não pode ser mudado depois, porque os saldos dos participantes mudariam de sentido.',
    points: 'Pontos',
    pointsText:
      'Cada compra gera pontos, que os clientes trocam pelos prêmios que você cria: cupons de desconto, frete ' +
      'grátis ou produtos da loja. Combina com catálogos de prêmios e campanhas de pontos em dobro. Você também ' +
      'pode deixar trocar pontos por um desconto de qualquer valor.',
    cashback: 'Cashback',
    cashbackText:
      'Uma parte de cada compra volta como saldo em reais ("R$ 23,40 disponíveis"), que os clientes usam como ' +
      'desconto numa próxima compra, no valor que escolherem. Você define o percentual, o prazo para poder usar, ' +
      'a validade e a parte máxima de um pedido que o saldo paga.',
    names: { points: 'Pontos', cashback: 'Cashback' } as Record<string, string>,
    /** Shown read-only on the program's settings. */
    fixed: (name: string) =>
      `Tipo de programa: ${name}. O tipo é escolhido na criação e não pode ser mudado: os saldos dos ` +
      'participantes (em pontos ou em reais) mudariam de sentido. Para ter o outro tipo, crie um novo programa.',
  },
  cashback: {
    title: 'Regras de cashback',
    intro:
      'Quanto de cada compra volta como saldo em reais, quando ele pode ser usado e como. Mudanças valem para os ' +
      'próximos pedidos: o que já foi creditado não muda.',
    earnTitle: 'Ganho em cada compra',
    percentBp: 'Cashback (% da compra)',
    percentBpHelp: 'Sobre o valor dos produtos menos os descontos; o frete não conta. Ex.: 10 ou 7,5.',
    minimumOrderCents: 'Pedido mínimo para ganhar (R$)',
    minimumOrderCentsHelp: 'Pedidos abaixo deste valor não geram cashback. 0 = qualquer pedido.',
    pendingDays: 'Dias até poder usar',
    pendingDaysHelp:
      'Contados do dia em que o pedido chega a uma situação que gera cashback, para não pagar por pedidos ' +
      'devolvidos ou cancelados. 0 = na hora.',
    validity: 'Validade',
    validityHelp:
      'Cada crédito tem a sua validade, contada do dia em que fica disponível; o saldo mais antigo é usado primeiro.',
    never: 'Não vence',
    after: 'Vence depois de alguns dias',
    validityDays: 'Dias de validade',
    earnOnProgramCouponOrders: 'Pedidos pagos com cupom de cashback também geram cashback',
    earnOnProgramCouponOrdersHelp:
      'Desligado (recomendado): um pedido em que foi usado um cupom deste programa não gera cashback novo.',
    useTitle: 'Uso do saldo',
    maxOrderSharePct: 'Parte máxima do pedido (%)',
    maxOrderSharePctHelp:
      'O cupom paga no máximo esta parte de um pedido: com 30%, um cupom de R$ 30,00 vale em pedidos a partir de ' +
      'R$ 100,00. 100 = pode pagar o pedido inteiro.',
    minRedemptionCents: 'Valor mínimo por uso (R$)',
    minRedemptionCentsHelp: 'O menor valor que dá para usar de uma vez.',
    maxRedemptionCents: 'Valor máximo por uso (R$)',
    maxRedemptionCentsHelp: 'Em branco: sem máximo (o limite é o saldo).',
    exampleTitle: 'Exemplo com estas regras',
    /** The live example; days as dd/mm, `until` null when credits never expire. */
    example: (order: number, earned: number, from: string, until: string | null, minOrder: number) =>
      `Numa compra de ${brl.format(order / 100)}, quem compra ganha ${brl.format(earned / 100)}, que pode usar ` +
      `a partir de ${dayMonth(from)}${until ? ` até ${dayMonth(until)}` : ', sem prazo para vencer'}, ` +
      `em pedidos a partir de ${brl.format(minOrder / 100)}.`,
    exampleMinimum: (min: number) => `O saldo pode ser usado quando chegar a ${brl.format(min / 100)}.`,
    exampleIncomplete: 'Preencha as regras com números válidos para ver o exemplo.',
    save: 'Salvar regras de cashback',
    fields: {
      percentBp: { validation_failed: 'Use um percentual de 0,01 a 100, com até 2 casas decimais (ex.: 10 ou 7,5).' },
      minimumOrderCents: { validation_failed: 'Informe um valor em reais, ex.: 100,00 (ou 0 para qualquer pedido).' },
      pendingDays: { validation_failed: 'Use um número inteiro de 0 a 90 dias (0 = na hora).' },
      validityDays: { validation_failed: 'Use um número inteiro de 1 a 3.650 dias.' },
      maxOrderSharePct: { validation_failed: 'Use um número inteiro de 1 a 100.' },
      minRedemptionCents: { validation_failed: 'Informe um valor em reais a partir de 0,01, ex.: 10,00.' },
      maxRedemptionCents: {
        validation_failed: 'Informe um valor em reais igual ou maior que o mínimo, ou deixe em branco.',
      },
      centsPerPoint: { validation_failed: 'Informe quanto vale 1 ponto em reais, a partir de 0,01.' },
    },
  },
  amountOption: {
    title: 'Troca de pontos por qualquer valor',
    intro:
      'Além dos prêmios, os clientes podem trocar pontos por um cupom de desconto do valor que escolherem, com os ' +
      'mesmos limites do cashback.',
    enabled: 'Permitir trocar pontos por qualquer valor',
    enabledHelp: 'Ligado: o botão "Usar saldo" aparece no programa, na loja.',
    centsPerPoint: 'Valor de 1 ponto (R$)',
    centsPerPointHelp: 'Ex.: 0,05 = cada 100 pontos valem R$ 5,00.',
    /** `pts` is t.points(…). */
    example: (pts: string, value: number) =>
      `Com ${pts}, o cliente troca por até ${brl.format(value / 100)} de desconto.`,
    save: 'Salvar troca por qualquer valor',
  },
  /** A balance in the program's own unit: reais in cashback, its points otherwise. */
  inUnit: (n: number, p: { mode: string; pointsName: string }) =>
    p.mode === 'cashback' ? brl.format(n / 100) : points(n, p.pointsName),
  /** A history amount with its sign: "+R$ 12,30" in cashback, "+50" / "-50" in points. */
  signedInUnit: (n: number, p: { mode: string }) =>
    (n > 0 ? '+' : '') + (p.mode === 'cashback' ? brl.format(n / 100) : num.format(n)),
}
