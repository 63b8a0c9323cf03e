/** The panel's number and date formats (pt-BR; days and times in São Paulo). */
export const num = new Intl.NumberFormat('pt-BR')
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
