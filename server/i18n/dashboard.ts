/**
 * pt-BR texts of the dashboard's CSV files (the merchant reads them in a spreadsheet): column
 * headers, figure names, file names. `unit` is the program's points name ("pontos") or, for a
 * cashback program, "cashback (R$)".
 */
export const dashboardCsv = {
  figure: 'Indicador',
  current: (from: string, to: string) => `Este período (${from} a ${to})`,
  previous: (from: string, to: string) => `Período anterior (${from} a ${to})`,
  membersTotal: 'Participantes',
  membersNew: 'Novos participantes',
  buyerShare: 'Clientes compradores que são participantes (%)',
  orders: (who: string) => `Pedidos de ${who}`,
  revenue: (who: string) => `Receita de ${who} (R$)`,
  average: (who: string) => `Ticket médio de ${who} (R$)`,
  repeat: (who: string) => `Clientes ${who} com 2 ou mais pedidos (%)`,
  members: 'participantes',
  nonMembers: 'não participantes',
  couponOrders: 'Pedidos com cupom do programa',
  couponRevenue: 'Receita de pedidos com cupom do programa (R$)',
  issued: (unit: string) => `${cap(unit)} emitidos`,
  redeemed: (unit: string) => `${cap(unit)} resgatados`,
  expired: (unit: string) => `${cap(unit)} expirados`,
  reversed: (unit: string) => `${cap(unit)} estornados`,
  redemptionRate: 'Taxa de resgate (%)',
  balance: (unit: string) => `Saldo dos participantes (${unit})`,
  liability: 'Valor do saldo dos participantes (R$)',
  redemptions: 'Resgates',
  couponsIssued: 'Cupons emitidos',
  couponsUsed: 'Cupons usados',
  referralClaims: 'Indicações recebidas',
  referralCoupons: 'Cupons de indicação enviados',
  referralCredited: 'Indicações creditadas',
  week: 'Semana (início)',
  reward: 'Prêmio',
  pointsSpent: (unit: string) => `${cap(unit)} gastos`,
  memberId: 'ID',
  name: 'Nome',
  email: 'E-mail',
  memberBalance: (unit: string) => `Saldo (${unit})`,
  memberSince: 'Participante desde',
  cashbackUnit: 'cashback (R$)',
  file: { summary: 'resumo', weekly: 'semanal', rewards: 'premios', members: 'participantes' },
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
