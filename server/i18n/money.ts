const brl = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' })

/**
 * "R$ 10,00" from cents, with a plain space: Intl puts a no-break space after "R$", which some
 * e-mail clients and LI's coupon descriptions show as a stray character.
 */
export const brMoney = (cents: number): string => brl.format(cents / 100).replace(/\u00a0/g, ' ')

const count = new Intl.NumberFormat('pt-BR')

/** A balance as a person reads it: "R$ 23,40" in a cashback program (cents), "1.234 pontos" otherwise. */
export const balanceText = (balance: number, unit: { mode: 'points' | 'cashback'; pointsName: string }): string =>
  unit.mode === 'cashback' ? brMoney(balance) : `${count.format(balance)} ${unit.pointsName}`
