import { singularOf } from '../../widget/app/i18n.ts'

/** The panel's number and date formats (pt-BR; days and times in São Paulo), and its plural rule. */
export const num = new Intl.NumberFormat('pt-BR')
const plurals = new Intl.PluralRules('pt-BR')

/**
 * A count with its noun or participle in the form pt-BR's plural rules pick (CLDR, the widget's
 * rule too: 0 and 1 take the singular): count(1, 'lido', 'lidos') = "1 lido", 2 → "2 lidos".
 */
export const count = (n: number, one: string, other: string) =>
  `${num.format(n)} ${plurals.select(Math.abs(n)) === 'one' ? one : other}`

/** Points in the program's own name, which merchants give in the plural: "1 ponto", "1.500 pontos". */
export const points = (n: number, pointsName: string) => count(n, singularOf(pointsName), pointsName)
export const brl = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' })
export const day = new Intl.DateTimeFormat('pt-BR', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: 'America/Sao_Paulo',
})
export const dayTime = new Intl.DateTimeFormat('pt-BR', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'America/Sao_Paulo',
})
