import { brDay } from '../lib/calendar.ts'
import { brMoney } from './money.ts'

/** pt-BR texts of VIP tiers (issue 19) a shopper reads: history reasons and the widget's standing lines. */
const fmt = new Intl.NumberFormat('pt-BR')
const plural = new Intl.PluralRules('pt-BR')

export const tierReasons = {
  /** The ledger entry of a tier's entry reward (points or cashback). */
  entryReward: (tierName: string, mode: 'points' | 'cashback') =>
    mode === 'cashback' ? `Cashback de boas-vindas ao nível ${tierName}` : `Bônus de boas-vindas ao nível ${tierName}`,
  /** Why a member holds a coupon they did not buy: a tier's entry reward (widget, e-mail). */
  entryCoupon: (tierName: string) => `Presente de boas-vindas ao nível ${tierName}`,
  /** Appended to an order's earn reason when the member's tier multiplied it. */
  tierEarn: (base: string, tierName: string, multiplierPct: number) =>
    `${base} — nível ${tierName}: × ${fmt.format(multiplierPct / 100)}`,
}

/**
 * "Faltam R$ 120,00 para Ouro" / "Falta 1 ponto para Ouro". Points use the program's own name
 * for them (plural), except for exactly one ("1 ponto" reads right whatever the name; a program
 * calling them "estrelas" gets "1 estrela" only if the name ends in a plain -s plural).
 */
export function tierNextText(missing: number, unit: 'cents' | 'points', pointsName: string, tierName: string): string {
  if (unit === 'cents') return `${missing === 100 ? 'Falta' : 'Faltam'} ${brMoney(missing)} para ${tierName}`
  const one = plural.select(missing) === 'one'
  const name = one && pointsName.endsWith('s') ? pointsName.slice(0, -1) : pointsName
  return `${one ? 'Falta' : 'Faltam'} ${fmt.format(missing)} ${name} para ${tierName}`
}

/** "Você mantém o Prata até 31/12/2027" (`day` is a São Paulo day, YYYY-MM-DD). */
export const tierKeepText = (tierName: string, day: string) => `Você mantém o nível ${tierName} até ${brDay(day)}`
