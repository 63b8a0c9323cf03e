import { brMoney } from './money.ts'

/** pt-BR words of the shopper's data export (CSV) and of privacy requests. */
export const privacyTexts = {
  csvHeader: ['seção', 'data', 'descrição', 'valor', 'detalhe'],
  sections: {
    profile: 'perfil',
    consent: 'consentimento',
    ledger: 'extrato',
    redemption: 'resgate',
    order: 'pedido',
    referral: 'indicação',
    email: 'e-mail',
    request: 'pedido de privacidade',
  },
  profile: {
    email: 'E-mail',
    name: 'Nome',
    cpf: 'CPF',
    birthDate: 'Data de nascimento',
    liCustomerId: 'Código de cliente na loja',
    balance: 'Saldo de pontos',
    enrolledAt: 'Participa desde',
    joinedAt: 'Entrou pelo site da loja em',
  },
  consent: {
    terms: (version: string) => `Aceitou o texto de privacidade versão ${version}`,
    emailYes: 'Aceitou receber e-mails do programa',
    emailNo: 'Não aceitou receber e-mails do programa',
    unsubscribed: (scope: string) => `Parou de receber e-mails: ${scope}`,
  },
  order: (id: string) => `Pedido nº ${id}`,
  referral: (role: 'friend' | 'advocate') =>
    role === 'friend' ? 'Pediu um cupom por indicação' : 'Uma pessoa indicada pediu o cupom pelo seu link',
  money: brMoney,
  kinds: {
    access: 'acesso aos dados',
    portability: 'cópia dos dados',
    correction: 'correção',
    erasure: 'exclusão',
  } as Record<string, string>,
  states: { open: 'em aberto', done: 'atendido', cancelled: 'cancelado' } as Record<string, string>,
}
