import type { CouponType } from '../db/schema.ts'
import { brMoney } from './money.ts'

const percent = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 2 })

/** What the coupon gives, in the shopper's words (pt-BR). */
export function benefitText(spec: { type: CouponType; value: number }): string {
  // Intl puts a no-break space after "R$"; a plain space copies and reads the same everywhere.
  if (spec.type === 'fixo') return `${brMoney(spec.value)} de desconto`
  if (spec.type === 'porcentagem') return `${percent.format(spec.value / 100)}% de desconto`
  return 'Frete grátis'
}
