/**
 * Texts a shopper reads in their history (ledger reasons), pt-BR, in one place. The ledger stores
 * the rendered text, so history stays readable even if these templates change later.
 */
const fmt = new Intl.NumberFormat('pt-BR')

export const reasons = {
  orderEarn: (numero: string) => `Pontos da compra nº ${numero}`,
  saleEarn: (externalId: string) => `Pontos da compra ${externalId}`,
  orderReverse: (numero: string, statusName: string | null) =>
    statusName ? `Estorno da compra nº ${numero} (${statusName.toLowerCase()})` : `Estorno da compra nº ${numero}`,
  saleReverse: (externalId: string) => `Estorno da compra ${externalId} (venda cancelada)`,
  partialReverse: (base: string, reversed: number, awarded: number) =>
    `${base} — ${fmt.format(awarded - reversed)} de ${fmt.format(awarded)} pontos já tinham sido usados`,
}
