import { brMoney } from './money.ts'

/** pt-BR texts of referrals (issue 19) a shopper reads: the advocate's ledger reason, the friend's coupon description. */
export const referralReasons = {
  /** The advocate's credit. No friend's name or e-mail: the history is the advocate's, the friend's data is not theirs. */
  credited: (orderNumber: string, mode: 'points' | 'cashback') =>
    mode === 'cashback'
      ? `Cashback por indicação: primeira compra de uma pessoa indicada (pedido nº ${orderNumber})`
      : `Bônus por indicação: primeira compra de uma pessoa indicada (pedido nº ${orderNumber})`,
  /** The LI coupon's description, which the merchant sees in the store's panel. */
  couponDescription: (valueCents: number) => `Fidelidade: cupom de indicação de ${brMoney(valueCents)}`,
  /** {valor} of the share text. */
  value: brMoney,
}
