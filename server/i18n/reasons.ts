import { brMoney } from './money.ts'

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

/**
 * The same texts in a cashback program (issue 18), where the balance is reais: "cashback", never
 * "pontos". Amounts are cents.
 */
export const cashbackReasons = {
  orderEarn: (numero: string) => `Cashback da compra nº ${numero}`,
  saleEarn: (externalId: string) => `Cashback da compra ${externalId}`,
  orderReverse: (numero: string, statusName: string | null) =>
    statusName
      ? `Estorno do cashback da compra nº ${numero} (${statusName.toLowerCase()})`
      : `Estorno do cashback da compra nº ${numero}`,
  saleReverse: (externalId: string) => `Estorno do cashback da compra ${externalId} (venda cancelada)`,
  partialReverse: (base: string, reversed: number, awarded: number) =>
    `${base} — ${brMoney(awarded - reversed)} de ${brMoney(awarded)} já tinham sido usados`,
  redeem: (cents: number) => `Cupom de ${brMoney(cents)} com seu cashback`,
  redemptionFailedRefund: (cents: number) => `Cashback devolvido: o cupom de ${brMoney(cents)} não pôde ser criado`,
  expiredUnusedRefund: (code: string) => `Cashback devolvido: o cupom ${code} venceu sem ser usado`,
  signupBonus: () => 'Cashback de boas-vindas ao programa',
  birthdayBonus: (year: number) => `Cashback de aniversário ${year} — parabéns!`,
  /** `day` is 'dd/mm/aaaa'. */
  expire: (day: string) => `Cashback vencido em ${day}`,
}

/** The title of a redemption of a chosen amount: what the coupon is ("R$ 25,00 de cashback"). */
export const amountTitle = (cents: number, cashback: boolean) =>
  cashback ? `${brMoney(cents)} de cashback` : `${brMoney(cents)} de desconto`

const cashbackRedemptionReasons: Record<keyof typeof redemptionReasons, string> = {
  noStore: 'A loja ainda não está conectada ao programa. Seu cashback foi devolvido.',
  refused: 'A loja não aceitou criar este cupom. Seu cashback foi devolvido.',
  unavailable:
    'Não conseguimos falar com a loja para criar o cupom. Seu cashback foi devolvido; tente de novo mais tarde.',
  expiredUnused: 'O cupom venceu sem ser usado. Seu cashback foi devolvido.',
  deletedInStore: 'O cupom foi removido pela loja sem ser usado. Seu cashback foi devolvido.',
}

/** The same reasons for a gift (a tier's entry coupon): it cost nothing, so nothing was given back. */
const giftRedemptionReasons: Record<keyof typeof redemptionReasons, string> = {
  noStore: 'A loja ainda não está conectada ao programa, e o cupom de presente não pôde ser criado.',
  refused: 'A loja não aceitou criar este cupom de presente.',
  unavailable: 'Não conseguimos falar com a loja para criar o cupom de presente.',
  expiredUnused: 'O cupom de presente venceu sem ser usado.',
  deletedInStore: 'O cupom de presente foi removido pela loja sem ser usado.',
}

/** A redemption reason (`redemptionReasons.*`) in the words of the program's mode, or of a gift. */
export function redemptionReasonIn(reason: string, of: { cashback: boolean; gift: boolean }): string {
  const words = of.gift ? giftRedemptionReasons : of.cashback ? cashbackRedemptionReasons : null
  if (!words) return reason
  for (const [k, v] of Object.entries(redemptionReasons))
    if (v === reason) return words[k as keyof typeof redemptionReasons]
  return reason
}
