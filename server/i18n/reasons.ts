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
  redeem: (title: string) => `Resgate: ${title}`,
  redemptionFailedRefund: (title: string) => `Pontos devolvidos: o cupom de "${title}" não pôde ser criado`,
  expiredUnusedRefund: (code: string) => `Pontos devolvidos: o cupom ${code} venceu sem ser usado`,
  // Points lifecycle (server/points/).
  campaignEarn: (base: string, campaign: string, multiplierPct: number) =>
    `${base} — campanha "${campaign}": pontos × ${fmt.format(multiplierPct / 100)}`,
  signupBonus: () => 'Bônus de boas-vindas ao programa',
  birthdayBonus: (year: number) => `Bônus de aniversário ${year} — parabéns!`,
  /** `day` is 'dd/mm/aaaa'. */
  expire: (day: string) => `Pontos vencidos em ${day}`,
}

/** Why a redemption failed or was refunded, as the shopper reads it next to the redemption. */
export const redemptionReasons = {
  noStore: 'A loja ainda não está conectada ao programa. Seus pontos foram devolvidos.',
  refused: 'A loja não aceitou criar este cupom. Seus pontos foram devolvidos.',
  unavailable:
    'Não conseguimos falar com a loja para criar o cupom. Seus pontos foram devolvidos; tente de novo mais tarde.',
  expiredUnused: 'O cupom venceu sem ser usado. Seus pontos foram devolvidos.',
  deletedInStore: 'O cupom foi removido pela loja sem ser usado. Seus pontos foram devolvidos.',
}
